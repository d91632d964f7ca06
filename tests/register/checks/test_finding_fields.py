"""Findings carry their place as fields: file, line, key path, and system/table/column when the
key path is inside a system."""

from __future__ import annotations

from datetime import date

import pytest

from varna.register import load_register
from varna.register.checks import Context, Severity
from varna.register.checks import _system_table_column as parts

from ..registers import MINIMAL


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(("activities", "crm"), (None, None, None), id="not-a-system"),
        pytest.param(("systems", "crm"), ("crm", None, None), id="system"),
        pytest.param(("systems", "crm", "tables", "c"), ("crm", "c", None), id="table"),
        pytest.param(
            ("systems", "crm", "tables", "c", "fields", "email", "category"),
            ("crm", "c", "email"),
            id="column",
        ),
        pytest.param(("systems", "crm", "connection"), ("crm", None, None), id="system-key"),
    ],
)
def test_system_table_column_from_the_key_path(
    path: tuple[str, ...], expected: tuple[str | None, str | None, str | None]
) -> None:
    assert parts(path) == expected


def test_a_finding_has_file_line_and_key_path() -> None:
    register = load_register(MINIMAL)
    finding = Context(register, date(2026, 1, 1)).finding(
        "some-rule", Severity.warning, ("controller",), "a message"
    )
    assert finding.code == "some-rule"
    assert finding.file == register.source
    assert finding.line is not None
    assert finding.line > 0
    assert finding.key_path == "controller"
    assert finding.location.startswith(f"{finding.file}:{finding.line}")
    assert finding.as_dict()["key_path"] == "controller"
