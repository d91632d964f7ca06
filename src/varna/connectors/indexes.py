"""Is every lookup a request makes served by an index? A check against the live systems.

A data-subject request finds a person by equality on identity columns (``email``,
``personnummer``) and follows references by equality on both ends (an invoice's
``customer_no`` to find a customer's invoices, the customer's ``customer_no`` to find the
invoice's customer). Without an index each of those is a full scan: on the demo company at
1,000,000 people an access request then takes seconds instead of milliseconds (docs/dsr.md).

:func:`index_findings` asks each SQL system which columns lead an index (or the primary key, or
a unique constraint) and reports every lookup column that none does, with the ``CREATE INDEX``
that fixes it. Systems that are not SQL (CSV folders, the in-memory fake) have no indexes and
are skipped; a system that cannot be reached gets an informational finding, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from varna.connectors.base import Connector
from varna.errors import ConnectorError
from varna.register.checks import Finding, Severity
from varna.register.model import Register

RULE = "unindexed-lookup"
UNREACHABLE = "index-check-skipped"

PathT = tuple[str | int, ...]


def lookup_columns(register: Register) -> Iterator[tuple[str, str, str, str, PathT]]:
    """(system, table, column, why, register path) for every column a request looks up by."""
    for skey, tname, table in register.tables():
        base: PathT = ("systems", skey, "tables", tname)
        for kind, column in table.identity_columns():
            yield skey, tname, column, f"identity {kind}", (*base, "identities", kind)
        for column, ref in table.references.items():
            if not ref.follow:
                continue
            path: PathT = (*base, "references", column)
            target = f"{ref.system or skey}:{ref.table}.{ref.column}"
            yield skey, tname, column, f"reference to {target}", path
            to = ref.system or skey
            yield to, ref.table, ref.column, f"referred to by {skey}:{tname}.{column}", path


def index_findings(register: Register, connectors: Mapping[str, Connector]) -> list[Finding]:
    """A warning per lookup column that no index leads; info per system not inspected."""
    findings: list[Finding] = []
    indexed: dict[tuple[str, str], frozenset[str] | None] = {}
    skipped: set[str] = set()
    reported: set[tuple[str, str, str]] = set()
    for system, table, column, why, path in lookup_columns(register):
        inspect = getattr(connectors.get(system), "indexed_columns", None)
        if inspect is None or system in skipped:
            continue
        if (system, table) not in indexed:
            try:
                indexed[(system, table)] = frozenset(inspect(table))
            except ConnectorError as exc:
                skipped.add(system)
                findings.append(
                    Finding(
                        UNREACHABLE,
                        Severity.info,
                        register.locate(("systems", system)),
                        f"indexes not checked: {exc}",
                        hint="set the system's connection variable, or run the check with "
                        "--offline to skip the systems",
                    )
                )
                continue
        columns = indexed[(system, table)]
        if columns is None or column in columns or (system, table, column) in reported:
            continue
        reported.add((system, table, column))
        findings.append(
            Finding(
                RULE,
                Severity.warning,
                register.locate(path),
                f"{system}:{table}.{column} ({why}) has no index: every request scans the table",
                hint=f'CREATE INDEX "ix_{table}_{column}" ON "{table}" ("{column}")',
            )
        )
    return findings
