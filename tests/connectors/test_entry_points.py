"""Built-ins and plugins come through the same entry-point groups.

A plugin distribution is written into a temporary folder put on ``sys.path`` (nothing is
installed): ``importlib.metadata`` finds its ``entry_points.txt`` as it finds an installed one.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from varna.connectors.registry import default_registry, open_connectors
from varna.core import Varna
from varna.core.plugins import builtin_writers, check_rules, group, writers
from varna.errors import PluginError
from varna.register import parse_register
from varna.register.checks import RULES
from varna.settings import Settings

PLUGIN = """
from varna.connectors import MemoryConnector
from varna.register.checks import Finding, Severity


class Ledger(MemoryConnector):
    pass


def register(registry):
    registry.add("ledgerdb", lambda url, *, name, base_dir: Ledger(name=name))


def rules():
    def no_acme(ctx):
        yield Finding("acme-note", Severity.info, "register.yaml", "checked by the acme plugin")

    return {"acme-note": no_acme}


def formats():
    return {"shout": lambda doc: b"SHOUT"}


def broken():
    raise RuntimeError("boom")
"""

ENTRY_POINTS = """
[varna.connectors]
acme = acme_varna:register

[varna.checks]
acme = acme_varna:rules

[varna.renderers]
acme = acme_varna:formats
"""

REGISTER = """
varna: 1
controller:
  name: Exempel AB
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: info@exempel.se}
  policy: {languages: [sv]}
subjects: {}
activities: {}
systems:
  books:
    name: {sv: Bokföring}
    kind: ledgerdb
    connection: {env: VARNA_BOOKS, default: "ledgerdb://x"}
    country: SE
"""


def _distribution(folder: Path, entry_points: str) -> None:
    (folder / "acme_varna.py").write_text(PLUGIN, encoding="utf-8")
    info = folder / "acme_varna-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-varna\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    _distribution(tmp_path, ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    default_registry.cache_clear()
    yield tmp_path
    default_registry.cache_clear()
    RULES.pop("acme-note", None)
    sys.modules.pop("acme_varna", None)


@pytest.mark.parametrize(
    ("name", "builtin"),
    [
        ("varna.connectors", "varna.connectors.registry:register_builtins"),
        ("varna.checks", "varna.register.checks:load_rules"),
        ("varna.renderers", "varna.core.plugins:builtin_writers"),
    ],
    ids=["connectors", "checks", "renderers"],
)
def test_builtins_are_entry_points(name: str, builtin: str) -> None:
    found = {ep.name: ep.value for ep in group(name)}
    assert found.get("builtin") == builtin


def test_without_the_plugin_its_kind_is_unknown() -> None:
    default_registry.cache_clear()
    assert "ledgerdb" not in default_registry().kinds()
    assert {"csv", "jsonl", "memory", "sqlite", "postgresql"} <= set(default_registry().kinds())
    assert "acme-note" not in check_rules()
    assert set(writers()) == set(builtin_writers()) == {"html", "md", "typ", "pdf"}


def test_a_plugin_connector_is_honoured(plugin: Path) -> None:
    register = parse_register(REGISTER, source="register.yaml")
    connectors = open_connectors(register, base_dir=plugin, environ={})
    assert type(connectors["books"]).__name__ == "Ledger"
    assert "sqlite" in default_registry().kinds()


def test_a_plugin_check_rule_runs_in_register_check(plugin: Path) -> None:
    register = parse_register(REGISTER, source="register.yaml")
    varna = Varna(Settings(), register=register)
    findings = varna.check_register(on=date(2026, 1, 1))
    assert [f.message for f in findings if f.rule == "acme-note"] == ["checked by the acme plugin"]


def test_a_plugin_renderer_writes_documents(plugin: Path) -> None:
    varna = Varna(Settings(), register=parse_register(REGISTER, source="register.yaml"))
    assert varna.write_document(object(), fmt="shout") == b"SHOUT"
    with pytest.raises(PluginError, match="did you mean 'shout'"):
        varna.write_document(object(), fmt="shot")


def test_a_broken_plugin_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _distribution(tmp_path, "[varna.checks]\nbad = acme_varna:broken\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with pytest.raises(PluginError, match=r"entry point 'bad' of group 'varna\.checks'"):
            check_rules()
    finally:
        sys.modules.pop("acme_varna", None)
