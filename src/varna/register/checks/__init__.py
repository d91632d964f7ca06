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

from varna.errors import Problem
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
    """The rule's code, e.g. ``no-legal-basis`` (what a door maps and a user filters on)."""
    severity: Severity
    location: str
    """Where, for people: ``file:line key.path``, or ``system/table/column`` for a live system."""
    message: str
    citation: str | None = None
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    key_path: str | None = None
    """The dotted key in the register (``activities.crm.retention``)."""
    system: str | None = None
    table: str | None = None
    column: str | None = None

    @property
    def code(self) -> str:
        return self.rule

    @classmethod
    def from_problem(cls, problem: Problem) -> Finding:
        """A load problem (the register could not be read) as an error finding."""
        system, table, column = _system_table_column(tuple(problem.path.split(".")))
        return cls(
            problem.code,
            Severity.error,
            problem.location,
            problem.message,
            None,
            problem.hint,
            file=problem.file,
            line=problem.line,
            key_path=problem.path or None,
            system=system,
            table=table,
            column=column,
        )

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
        return self.register_finding(
            self.register, rule, severity, path, message, citation=citation, hint=hint
        )

    @staticmethod
    def register_finding(
        register: Register,
        rule: str,
        severity: Severity,
        path: PathT,
        message: str,
        *,
        citation: str | None = None,
        hint: str | None = None,
        system: str | None = None,
        table: str | None = None,
        column: str | None = None,
    ) -> Finding:
        """A finding about ``path`` of ``register``, its file, line and key path as fields too;
        system, table and column are read from a path into ``systems`` unless given."""
        where = _system_table_column(path)
        return Finding(
            rule,
            severity,
            register.locate(path),
            message,
            citation,
            hint,
            file=register.source,
            line=register.line_of(path),
            key_path=".".join(str(p) for p in path) or None,
            system=system or where[0],
            table=table or where[1],
            column=column or where[2],
        )


def _system_table_column(path: PathT) -> tuple[str | None, str | None, str | None]:
    """``systems.crm.tables.customers.fields.email...`` -> (crm, customers, email)."""
    parts = [str(p) for p in path]
    if len(parts) < 2 or parts[0] != "systems":
        return None, None, None
    table = parts[3] if len(parts) > 3 and parts[2] == "tables" else None
    column = parts[5] if table and len(parts) > 5 and parts[4] in ("fields", "columns") else None
    return parts[1], table, column


def rule(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name`` (the ``rule`` of its findings)."""

    def deco(fn: CheckFn) -> CheckFn:
        RULES[name] = fn
        return fn

    return deco


def load_rules() -> dict[str, CheckFn]:
    """Import the built-in rule modules (they register themselves) and return the registry."""
    from varna.register.checks import (  # noqa: F401
        consent,
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
