"""Is every lookup a request makes served by an index? A check against the live systems.

A data-subject request finds a person by equality on identity columns (``email``,
``personnummer``) and follows references by equality on both ends (an invoice's
``customer_no`` to find a customer's invoices, the customer's ``customer_no`` to find the
invoice's customer). Without an index each of those is a full scan: on the demo company at
1,000,000 people an access request then takes seconds instead of milliseconds (docs/dsr.md).

:func:`index_findings` asks each system's connector to describe the tables (one bulk
introspection per system: :class:`~varna.connectors.base.Introspection`) and reports every
lookup column that no index, primary key or unique constraint leads, with the ``CREATE INDEX``
that fixes it. A partitioned table is indexed through its partitions, so the advice names them.

An e-mail identity is compared case-insensitively (``lower(email) = ...``, see
``varna.dsr.identity``), which a plain index on ``email`` does not serve on PostgreSQL or SQLite:
there the check wants an expression index on ``lower(email)`` and advises
``CREATE INDEX ... ON t (lower(email))``. On MySQL/MariaDB the comparison goes through the
column's collation, so a plain index serves it when the collation ignores case (``*_ci``, the
default); for a case-sensitive collation the advice is to change it.
Systems without indexes (CSV folders, the in-memory fake: ``supports_indexes`` is false) are
skipped; a system that cannot be reached gets an informational finding, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from varna.connectors.base import Connector, introspection
from varna.connectors.catalog import TableInfo, TableKind
from varna.errors import ConnectorError
from varna.register.checks import Context, Finding, Severity
from varna.register.model import Register

RULE = "unindexed-lookup"
UNREACHABLE = "index-check-skipped"
#: Identity kinds a request compares case-insensitively (``varna.dsr.identity``, which the
#: connectors layer may not import: keep the two in step).
CASE_INSENSITIVE_KINDS = frozenset({"email"})
_COLLATING = ("mysql", "mariadb")

PathT = tuple[str | int, ...]


def lookup_columns(register: Register) -> Iterator[tuple[str, str, str, str, PathT]]:
    """(system, table, column, why, register path) for every column a request looks up by."""
    for skey, tname, table in register.tables():
        base: PathT = ("systems", skey, "tables", tname)
        for kind, column in table.identity_columns():
            lookup = f"lower({column})" if kind in CASE_INSENSITIVE_KINDS else column
            yield skey, tname, lookup, f"identity {kind}", (*base, "identities", kind)
        for column, ref in table.references.items():
            if not ref.follow:
                continue
            path: PathT = (*base, "references", column)
            target = f"{ref.system or skey}:{ref.table}.{ref.column}"
            yield skey, tname, column, f"reference to {target}", path
            to = ref.system or skey
            yield to, ref.table, ref.column, f"referred to by {skey}:{tname}.{column}", path


def _described(
    register: Register, connectors: Mapping[str, Connector], system: str
) -> dict[str, TableInfo]:
    """The system's declared tables (and lookup targets) as the database describes them."""
    connector = connectors.get(system)
    if connector is None or not getattr(connector, "supports_indexes", False):
        return {}
    wanted = {t for s, t, *_ in lookup_columns(register) if s == system}
    return introspection(connector).describe(sorted(wanted))


def index_findings(
    register: Register,
    connectors: Mapping[str, Connector],
    *,
    described: Mapping[str, Mapping[str, TableInfo]] | None = None,
) -> list[Finding]:
    """A warning per lookup column that no index leads; info per system not inspected.

    ``described`` (system -> table -> description) reuses descriptions already read.
    """
    findings: list[Finding] = []
    tables: dict[str, Mapping[str, TableInfo] | None] = dict(described or {})
    reported: set[tuple[str, str, str]] = set()
    for system, table, column, why, path in lookup_columns(register):
        if system not in tables:
            try:
                tables[system] = _described(register, connectors, system)
            except ConnectorError as exc:
                tables[system] = None
                findings.append(
                    Context.register_finding(
                        register,
                        UNREACHABLE,
                        Severity.info,
                        ("systems", system),
                        f"indexes not checked: {exc}",
                        hint="set the system's connection variable, or run the check with "
                        "--offline to skip the systems",
                    )
                )
        if system in (described or {}) and not getattr(
            connectors.get(system), "supports_indexes", True
        ):
            continue  # descriptions reused from the schema check: no index to ask for
        info = (tables[system] or {}).get(table)
        if info is None or (system, table, column) in reported:
            continue
        kind = str(getattr(connectors.get(system), "kind", "")) if column != _bare(column) else ""
        if kind in _COLLATING:  # lower(col) is compared through the column's collation
            if _collation_serves(connectors, system, table, column):
                continue
        elif column in info.leading_columns() or _partitions_indexed(info, column, tables[system]):
            continue
        reported.add((system, table, column))
        findings.append(
            Context.register_finding(
                register,
                RULE,
                Severity.warning,
                path,
                f"{system}:{table}.{_bare(column)} ({why}) has no index"
                + (" on lower-cased values" if column != _bare(column) else "")
                + ": every request scans the table",
                system=system,
                table=table,
                column=_bare(column),
                hint=_advice(info, column, kind=kind),
            )
        )
    return findings


def _bare(column: str) -> str:
    """``email`` for ``lower(email)``; a plain column as it is."""
    return column[6:-1] if column.startswith("lower(") and column.endswith(")") else column


def _collation_serves(
    connectors: Mapping[str, Connector], system: str, table: str, column: str
) -> bool:
    """MySQL/MariaDB: an index leads ``column`` and its collation ignores case (``*_ci``);
    the connector reports that as ``lower(column)`` among its indexed columns."""
    connector = connectors.get(system)
    indexed = getattr(connector, "indexed_columns", None)
    if not callable(indexed):
        return False
    try:
        return column in indexed(table)
    except ConnectorError:
        return False


def _partitions_indexed(
    info: TableInfo, column: str, tables: Mapping[str, TableInfo] | None
) -> bool:
    """A partitioned table whose every partition has an index led by ``column``."""
    if info.kind is not TableKind.partitioned or not info.partitions or tables is None:
        return False
    parts = [tables.get(p) for p in info.partitions]
    return all(p is not None and column in p.leading_columns() for p in parts)


def _advice(info: TableInfo, column: str, *, kind: str = "") -> str:
    bare = _bare(column)
    if kind in _COLLATING:
        plain = f"CREATE INDEX `ix_{info.name}_{bare}` ON `{info.name}` (`{bare}`)"
        return (
            f"{plain}, with a case-insensitive collation on the column (ALTER TABLE "
            f"`{info.name}` MODIFY `{bare}` ... COLLATE utf8mb4_unicode_ci) if it has a *_bin "
            "or *_cs one"
        )
    if bare != column:
        name, target = f"ix_{info.name}_{bare}_lower", f'lower("{bare}")'
    else:
        name, target = f"ix_{info.name}_{bare}", f'"{bare}"'
    if info.kind is TableKind.partitioned:
        return (
            f'CREATE INDEX "{name}" ON "{info.name}" ({target}) (PostgreSQL '
            f"creates it on every partition: {', '.join(info.partitions) or 'none yet'})"
        )
    return f'CREATE INDEX "{name}" ON "{info.name}" ({target})'
