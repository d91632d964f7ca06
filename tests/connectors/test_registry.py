"""Connector kinds: built-ins and plugins come through the same door."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from varna.connectors import (
    Connector,
    ConnectorRegistry,
    FilesConnector,
    MemoryConnector,
    SQLConnector,
    build_registry,
    default_registry,
    open_connectors,
)
from varna.connectors.base import introspection
from varna.errors import ConnectorError
from varna.register import Register, parse_register

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
  crm:
    name: {sv: CRM}
    kind: sqlite
    connection: {env: VARNA_CRM_URL, default: "sqlite:///data/crm.db"}
    country: SE
  exports:
    name: {sv: Exporter}
    kind: csv
    connection: {env: VARNA_EXPORTS, default: "csv://exports"}
    country: SE
  fake:
    name: {sv: Fake}
    kind: memory
    connection: {env: VARNA_FAKE, default: "memory://"}
    country: SE
"""


def test_builtin_kinds() -> None:
    assert default_registry().kinds() == [
        "csv",
        "folder",
        "jsonl",
        "mailbox",
        "mariadb",
        "memory",
        "mysql",
        "postgresql",
        "sqlite",
    ]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({}, {"crm": "data/crm.db", "exports": "exports"}, id="defaults-under-base"),
        pytest.param(
            {"VARNA_EXPORTS": "csv:///srv/out"},
            {"crm": "data/crm.db", "exports": "/srv/out"},
            id="absolute-from-env",
        ),
    ],
)
def test_open_connectors_resolves_against_the_register_folder(
    tmp_path: Path, environ: dict[str, str], expected: dict[str, str]
) -> None:
    register = parse_register(REGISTER)
    (tmp_path / "data").mkdir()
    sqlite3.connect(tmp_path / "data" / "crm.db").close()
    connectors = open_connectors(register, base_dir=tmp_path, environ=environ)
    try:
        assert isinstance(connectors["crm"], SQLConnector)
        assert str(tmp_path / expected["crm"]) in repr(connectors["crm"])
        exports = connectors["exports"]
        assert isinstance(exports, FilesConnector)
        assert exports.folder == (tmp_path / expected["exports"]).resolve()
        assert isinstance(connectors["fake"], MemoryConnector)
        assert {c.name for c in connectors.values()} == {"crm", "exports", "fake"}
    finally:
        for c in connectors.values():
            c.close()


def _open_and_describe(register: Register, base_dir: Path, system: str) -> None:
    connectors = open_connectors(register, base_dir=base_dir, environ={}, systems=[system])
    try:
        introspection(connectors[system]).describe()
    finally:
        connectors[system].close()


@pytest.mark.parametrize(
    ("system", "create", "message"),
    [
        pytest.param(
            "crm",
            [],
            "system 'crm': the SQLite database file 'crm.db' does not exist",
            id="sqlite-missing",
        ),
        pytest.param(
            "crm",
            ["data/crm.db/"],
            "system 'crm': the SQLite database file 'crm.db' does not",
            id="sqlite-folder-not-file",
        ),
        pytest.param(
            "exports",
            [],
            "system 'exports': the CSV folder 'exports' does not exist",
            id="csv-folder-missing",
        ),
        pytest.param(
            "exports",
            ["exports"],
            "system 'exports': the CSV folder 'exports' does not exist",
            id="csv-file-not-folder",
        ),
    ],
)
def test_a_missing_database_file_or_folder_is_an_error_never_created(
    tmp_path: Path, system: str, create: list[str], message: str
) -> None:
    for name in create:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if name.endswith("/") else path.write_text("")
    register = parse_register(REGISTER)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(ConnectorError, match=message) as caught:
        _open_and_describe(register, tmp_path, system)
    assert "connection variable" in str(caught.value)
    assert str(tmp_path) not in str(caught.value)
    assert caught.value.fields["system"] == system
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_plugin_adds_a_kind_through_the_same_door(tmp_path: Path) -> None:
    made: list[str] = []

    def plugin(registry: ConnectorRegistry) -> None:
        def factory(url: str, *, name: str, base_dir: Path) -> Connector:
            made.append(url)
            return MemoryConnector(name=name)

        registry.add("memory", factory, replace=True)

    register = parse_register(REGISTER)
    registry = build_registry([plugin])
    open_connectors(register, base_dir=tmp_path, environ={}, systems=["fake"], registry=registry)
    assert made == ["memory://"]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        pytest.param("sqlit", "did you mean 'sqlite'", id="typo"),
        pytest.param("mongodb", "install a connector plugin", id="unknown"),
    ],
)
def test_unknown_kinds_say_what_to_do(kind: str, message: str) -> None:
    with pytest.raises(ConnectorError, match=message):
        default_registry().factory(kind)


def test_a_kind_is_not_replaced_by_accident() -> None:
    registry = build_registry([])
    with pytest.raises(ConnectorError, match="already registered"):
        registry.add("sqlite", lambda url, *, name, base_dir: MemoryConnector())
