"""Assertions shared by the check tables: a rule fires where and how a row says, or stays quiet."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from varna.register.checks import Finding, Severity

from ..registers import ON

_LOCATION = re.compile(r"^register\.yaml(:\d+)? ")  # no line when the key is absent


def _path(finding: Finding) -> str:
    return finding.location.partition(" ")[2]


def _show(found: list[Finding]) -> str:
    return "\n".join(f"  {f.severity} {f.rule} {f.location}: {f.citation}" for f in found) or "  -"


@pytest.fixture
def assert_fires(findings: Callable[..., list[Finding]]) -> Callable[..., None]:
    """``assert_fires(overrides, rule, severity, citation, path)``: some finding of ``rule``
    has that severity, a citation containing ``citation`` (None: no citation) and that key path,
    and a message and a hint."""

    def _assert(
        overrides: dict[str, object],
        rule: str,
        severity: Severity,
        citation: str | None,
        path: str,
        *,
        on: date = ON,
    ) -> None:
        found = [f for f in findings(overrides, on=on) if f.rule == rule]
        matches = [
            f
            for f in found
            if _path(f) == path
            and f.severity is severity
            and (f.citation is None if citation is None else citation in (f.citation or ""))
        ]
        assert matches, (
            f"expected {severity} {rule} at {path} citing {citation!r}; got:\n{_show(found)}"
        )
        for f in matches:
            assert _LOCATION.match(f.location), f.location
            assert f.message
            assert f.hint

    return _assert


@pytest.fixture
def assert_quiet(findings: Callable[..., list[Finding]]) -> Callable[..., None]:
    """``assert_quiet(overrides, rule)``: ``rule`` finds nothing in the patched register."""

    def _assert(overrides: dict[str, object], rule: str, *, on: date = ON) -> None:
        found = [f for f in findings(overrides, on=on) if f.rule == rule]
        assert not found, f"{rule} fired on a near miss:\n{_show(found)}"

    return _assert
