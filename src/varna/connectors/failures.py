"""Database errors as Varna errors: which system, table and constraint, and the register fix.

A driver's exception names what failed in its own words (psycopg's ``diag``, MariaDB's error
text, SQLite's bare "FOREIGN KEY constraint failed"). :func:`connector_error` reads the names
out of it (never the row values some drivers add) and, for a foreign key the register does not
declare, names the reference to add, so an operator sees how to fix the register instead of a
driver traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from varna.connectors.catalog import ForeignKey
from varna.errors import ConnectorError, ConstraintViolation

_MARIADB_FK = re.compile(
    r"foreign key constraint fails \(`[^`]*`\.`(?P<table>[^`]*)`, CONSTRAINT `(?P<name>[^`]*)`"
    r" FOREIGN KEY \((?P<columns>[^)]*)\) REFERENCES `(?P<parent>[^`]*)` \((?P<refcols>[^)]*)\)"
)
_MARIADB_CODES = {1451: "foreign key", 1452: "foreign key", 1062: "unique", 1048: "not null"}
_PG_CLASSES = {
    "ForeignKeyViolation": "foreign key",
    "UniqueViolation": "unique",
    "NotNullViolation": "not null",
    "CheckViolation": "check",
    "RaiseException": "trigger",
    "LockNotAvailable": "lock",
    "DeadlockDetected": "lock",
    "InsufficientPrivilege": "privilege",
    "InvalidPassword": "login",
    "UndefinedFunction": "type",
}

_REFUSALS = {
    "trigger": "a trigger refused it",
    "lock": "a lock was not granted",
    "privilege": "the database user lacks the privilege",
    "login": "the login was refused",
    "type": "the database cannot compare a column with the value's type",
}

ForeignKeysOf = Callable[[], list[tuple[str, ForeignKey]]]
"""Every foreign key of the database as (table, key), looked up only when one failed."""


def reference_fix(system: str, table: str, fk: ForeignKey) -> str:
    """The register lines that declare ``fk``."""
    column = fk.columns[0] if fk.columns else "?"
    target = fk.referred_columns[0] if fk.referred_columns else "?"
    return (
        f"declare the reference in the register: systems.{system}.tables.{table}.references."
        f"{column}: {{table: {fk.referred_table}, column: {target}}}"
    )


def _names(tokens: str) -> tuple[str, ...]:
    return tuple(t.strip().strip('`"') for t in tokens.split(",") if t.strip())


def connector_error(
    exc: sa.exc.SQLAlchemyError,
    *,
    system: str,
    where: str,
    what: str,
    table: str | None,
    foreign_keys: ForeignKeysOf | None = None,
) -> ConnectorError:
    """The Varna error for a failed statement: the constraint, trigger, lock or login that
    failed when the driver names it, and how to fix the register. No value of a row."""
    orig: Any = getattr(exc, "orig", None)
    cause = type(orig or exc).__name__
    kind, constraint, child, fk = _classify(orig, cause)
    if kind == "foreign key" and table is not None and fk is None:
        fk, child = _guess_fk(table, child, constraint, foreign_keys)
    if kind is None:
        return ConnectorError(
            f"system '{system}' ({where}): {what} failed ({cause}); check that the register's "
            "table and column names exist in the database and that it answers"
        )
    named = f" '{constraint}'" if constraint else ""
    on = f" on table '{child}'" if child else ""
    if kind in ("foreign key", "unique", "not null", "check"):
        refused = f"the {kind} constraint{named}{on} refused it"
    else:
        refused = _REFUSALS[kind]
    message = f"system '{system}': {what} failed: {refused}"
    hint = _hint(kind, system, child, fk)
    return ConstraintViolation(
        f"{message} ({hint})",
        system=system,
        table=child or table,
        constraint=constraint,
        kind=kind,
        hint=hint,
    )


def _hint(kind: str, system: str, child: str | None, fk: ForeignKey | None) -> str:
    if kind == "foreign key" and fk is not None and child is not None:
        return reference_fix(system, child, fk) + "; run `varna register check` to see them all"
    if kind == "foreign key":
        return (
            "declare the database's foreign keys as references; `varna register check` lists them"
        )
    if kind == "not null":
        return "the column may not be NULL: choose another erasure strategy for it (fixed, hash)"
    if kind == "unique":
        return "the column must stay unique: choose the hash strategy for it"
    if kind == "trigger":
        return "a trigger in the database refused the change; ask its owner"
    if kind == "lock":
        return "another transaction holds the rows; run again when it is done"
    if kind in ("privilege", "login"):
        return "the system's user lacks the right; check the connection URL and its grants"
    return "a text column is compared as a date: `varna register check` names the cast"


def _classify(
    orig: Any, cause: str
) -> tuple[str | None, str | None, str | None, ForeignKey | None]:
    """(kind, constraint name, table the constraint is on, the foreign key when named)."""
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg
        kind = _PG_CLASSES.get(cause)
        return kind, diag.constraint_name, diag.table_name, None
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL
        kind = _MARIADB_CODES.get(args[0])
        found = _MARIADB_FK.search(str(args[1]))
        if found is None:
            return kind, None, None, None
        fk = ForeignKey(
            found["name"],
            _names(found["columns"]),
            found["parent"],
            _names(found["refcols"]),
        )
        return kind, found["name"], found["table"], fk
    text = str(orig or "")
    if "FOREIGN KEY constraint failed" in text:  # sqlite3 names nothing
        return "foreign key", None, None, None
    if "NOT NULL constraint failed" in text:
        return "not null", None, None, None
    if "UNIQUE constraint failed" in text:
        return "unique", None, None, None
    return None, None, None, None


def _guess_fk(
    table: str, child: str | None, constraint: str | None, foreign_keys: ForeignKeysOf | None
) -> tuple[ForeignKey | None, str | None]:
    """The failed foreign key and its table: by name when the driver gave one, else the key
    that refers to ``table`` (a delete of a referred row) or leaves it (an update)."""
    if foreign_keys is None:
        return None, child
    try:
        known = foreign_keys()
    except ConnectorError:
        return None, child
    for owner, fk in known:
        if constraint is not None and fk.name == constraint:
            return fk, owner
    if constraint is None:
        for owner, fk in known:
            if fk.referred_table == table and owner != table:
                return fk, owner
        for owner, fk in known:
            if owner == table:
                return fk, owner
    return None, child
