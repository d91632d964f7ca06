"""Semantic checks of a register: what a DPO reviewing it should be told.

Each rule is a small function registered with :func:`rule`; it receives the register and the
date the check is made for, and yields :class:`Finding` objects that carry a severity, a location
(``file:line key.path``), a message, a hint and the legal citation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from varna.register.model import Register

PathT = tuple[str | int, ...]


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found."""

    rule: str
    severity: Severity
    location: str
    message: str
    citation: str | None = None
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Severity) else v) for k, v in asdict(self).items()}


CheckFn = Callable[["Context"], Iterator[Finding]]
RULES: dict[str, CheckFn] = {}


@dataclass(frozen=True, slots=True)
class Context:
    """What a check sees: the register, and the date the check is made for."""

    register: Register
    on: date

    def finding(
        self,
        rule: str,
        severity: Severity,
        path: PathT,
        message: str,
        *,
        citation: str | None = None,
        hint: str | None = None,
    ) -> Finding:
        return Finding(rule, severity, self.register.locate(path), message, citation, hint)


def rule(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name`` (the ``rule`` of its findings)."""

    def deco(fn: CheckFn) -> CheckFn:
        RULES[name] = fn
        return fn

    return deco


def load_rules() -> dict[str, CheckFn]:
    """Import the built-in rule modules (they register themselves) and return the registry."""
    from varna.register.checks import (  # noqa: F401
        cookies,
        inventory,
        lawfulness,
        placeholders,
        plausibility,
        retention,
        texts,
        transfers,
    )

    return RULES


def run_checks(register: Register, *, on: date) -> list[Finding]:
    """Run every rule; findings sorted errors first, then by location."""
    load_rules()
    ctx = Context(register, on)
    found = [f for fn in RULES.values() for f in fn(ctx)]
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    return sorted(found, key=lambda f: (order[f.severity], _line_key(f.location), f.rule))


def _line_key(location: str) -> tuple[int, str]:
    head = location.split(" ", 1)[0]
    line = head.rsplit(":", 1)[-1]
    return (int(line) if line.isdigit() else 0, location)
