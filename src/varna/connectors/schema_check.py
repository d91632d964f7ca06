"""Does the register describe the live systems? ``varna register check`` without ``--offline``.

Each system's connector describes its tables once (:class:`~varna.connectors.base.Introspection`;
systems are asked in parallel) and the register is compared with the answer:

- every declared table, column (primary key, identities, references, anchors, fields,
  restriction column) and reference target exists, or an **error** with a did-you-mean;
- the declared primary key is the database's (**warning** otherwise);
- a reference joins columns of compatible types (PostgreSQL compares no integer with text);
- an anchor is a date; a date kept as text is flagged with the cast retention applies and the
  column type to migrate to (``date-as-text``);
- every foreign key in the database that the register does not declare is a **warning** naming
  the reference to add (an undeclared key makes an erasure or a sweep fail, or leaves rows of
  the person behind), also for tables the register does not declare that refer to one it does;
- columns of declared tables that the register does not declare are listed (**info**: extracts
  show them as "other data in the row");
- a declared partitioned table is understood (**info**, the partitions named; the index check
  advises on them); a declared partition is a **warning** (declare the partitioned table);
- views and materialised views that read tables holding declared personal data are listed
  (a materialised view keeps copies after an erasure until it is refreshed: **warning**).

A system that cannot be reached gives one **info** finding and is skipped; so is a connector
without introspection. The findings are the register checks' own :class:`Finding` objects.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from varna.connectors.base import Connector, introspection
from varna.connectors.catalog import TableInfo, TableKind
from varna.connectors.pg_sessions import CatalogueSessions
from varna.connectors.sql import SQLConnector
from varna.errors import ConnectorError
from varna.register.checks import Context, Finding, Severity
from varna.register.model import Register
from varna.register.systems import Table

PathT = tuple[str | int, ...]
WORKERS = 8

UNREACHABLE = "live-check-skipped"
MISSING_TABLE = "live-missing-table"
MISSING_COLUMN = "live-missing-column"
PRIMARY_KEY = "live-primary-key"
REFERENCE_TYPES = "live-reference-types"
ANCHOR_TYPE = "live-anchor-type"
DATE_AS_TEXT = "date-as-text"
UNDECLARED_REFERENCE = "undeclared-foreign-key"
UNDECLARED_COLUMNS = "undeclared-columns"
PARTITIONED = "partitioned-table"
VIEWS = "view-over-personal-data"

RULE_DOCS = {
    UNREACHABLE: "A system that could not be asked (its SQLite file or folder does not exist, "
    "the server does not answer): its live checks are skipped; informational only.",
    MISSING_TABLE: "A declared table, or a reference's target table, that the system does not "
    "have; the hint suggests the nearest name (case-insensitive first).",
    MISSING_COLUMN: "A declared column (primary key, identity, reference, anchor, field, "
    "restriction column) or a reference's target column that the table does not have, with a "
    "did-you-mean.",
    PRIMARY_KEY: "The register's primary key differs from the database's; the hint is the "
    "database's.",
    REFERENCE_TYPES: "A reference joining columns of different type families (integer with "
    "text): PostgreSQL refuses the comparison.",
    ANCHOR_TYPE: "A retention anchor on a column that is neither a date nor text.",
    DATE_AS_TEXT: "A retention anchor on a text column (PostgreSQL, MariaDB): retention casts "
    "it; the hint names the cast and the column type to migrate to.",
    UNDECLARED_REFERENCE: "A foreign key in the database that the register does not declare "
    "(also from an undeclared table into a declared one): erasures and sweeps fail on it or "
    "leave the person's rows behind. The hint is the reference to add.",
    UNDECLARED_COLUMNS: "Columns of a declared table that the register does not declare "
    "(informational: extracts show them as other data in the row).",
    PARTITIONED: "A declared partitioned table (informational, its partitions named) or a "
    "declared partition (warning: declare the partitioned table).",
    VIEWS: "A view (informational) or materialised view (warning: it keeps copies after an "
    "erasure until refreshed) that reads declared personal data.",
}
"""Every live rule and what it finds, for docs/checks.md."""

_NUMERIC = {"integer", "number"}
_DATES = {"date", "datetime"}
_CASTS = {
    "postgresql": "CAST({c} AS timestamp); migrate with ALTER TABLE {t} ALTER COLUMN {c} "
    "TYPE timestamp USING {c}::timestamp",
    "mysql": "CAST({c} AS DATETIME); migrate with ALTER TABLE {t} MODIFY {c} DATETIME",
}


@dataclass(frozen=True, slots=True)
class SystemSchema:
    """What one system said about itself: every name, and the tables described."""

    kind: str
    names: Mapping[str, TableInfo]
    described: Mapping[str, TableInfo]


def read_schemas(
    register: Register, connectors: Mapping[str, Connector], *, workers: int = WORKERS
) -> dict[str, SystemSchema | ConnectorError]:
    """Each system's schema (or why it could not be read), up to ``workers`` systems asked at
    once (setting ``VARNA_CHECK_WORKERS``); the result is in register order whatever order the
    answers came in. Systems on one PostgreSQL server share its connections
    (:mod:`varna.connectors.pg_sessions`)."""
    sessions = CatalogueSessions()

    def read(system: str) -> SystemSchema | ConnectorError:
        opened: Connector | None = None
        try:
            opened = connectors[system]  # a missing SQLite file fails here, when opened
            connector = introspection(opened)
            # Every table: a foreign key into a declared table is found on the referring one.
            if isinstance(connector, SQLConnector):
                described = connector.describe(None, sessions=sessions)
            else:
                described = connector.describe(None)
            return SystemSchema(str(getattr(connector, "kind", "")), described, described)
        except ConnectorError as exc:
            return exc
        finally:
            # Hand the connection back: 200 systems must not hold 200 server connections.
            # A SQL connector opens a new one if it is used again.
            closing = getattr(opened, "close", None)
            if callable(closing):
                closing()

    systems = [s for s, spec in register.systems.items() if spec.tables]
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(systems)))) as pool:
            return dict(zip(systems, pool.map(read, systems), strict=True))
    finally:
        sessions.close()


def live_findings(
    register: Register,
    schemas: Mapping[str, SystemSchema | ConnectorError],
) -> list[Finding]:
    """Every finding of the live-schema check, system by system."""
    out: list[Finding] = []
    for system, schema in schemas.items():
        if isinstance(schema, ConnectorError):
            out.append(
                Context.register_finding(
                    register,
                    UNREACHABLE,
                    Severity.info,
                    ("systems", system),
                    f"live schema not checked: {schema}",
                    hint="set the system's connection variable, or run the check with "
                    "--offline to skip the systems",
                )
            )
            continue
        out += _SystemCheck(register, system, schema, schemas).findings()
    return out


def _did_you_mean(name: str, known: list[str]) -> str | None:
    lowered = {k.lower(): k for k in known}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


class _SystemCheck:
    def __init__(
        self,
        register: Register,
        system: str,
        schema: SystemSchema,
        schemas: Mapping[str, SystemSchema | ConnectorError],
    ) -> None:
        self.register = register
        self.system = system
        self.schema = schema
        self.schemas = schemas
        self.out: list[Finding] = []

    def add(
        self, rule: str, severity: Severity, path: PathT, message: str, hint: str | None = None
    ) -> None:
        self.out.append(
            Context.register_finding(self.register, rule, severity, path, message, hint=hint)
        )

    def findings(self) -> list[Finding]:
        tables = self.register.systems[self.system].tables
        for name, table in tables.items():
            base: PathT = ("systems", self.system, "tables", name)
            info = self.schema.described.get(name)
            if info is None:
                guess = _did_you_mean(name, sorted(self.schema.names))
                self.add(
                    MISSING_TABLE,
                    Severity.error,
                    base,
                    f"{self.system}: there is no table or view '{name}' in the system",
                    hint=f"did you mean '{guess}'?" if guess else "check the table's name",
                )
                continue
            self._columns(name, table, info, base)
            self._references(name, table, info, base)
            self._anchors(name, table, info, base)
            self._shape(name, table, info, base)
        self._undeclared_foreign_keys(tables)
        self._views(tables)
        return self.out

    # -- declared names -----------------------------------------------------------------------
    def _declared(self, table: Table) -> Iterator[tuple[str, PathT]]:
        for i, column in enumerate(table.primary_key):
            yield column, ("primary_key", i)
        for kind, column in table.identity_columns():
            yield column, ("identities", kind)
        for column in table.references:
            yield column, ("references", column)
        for event, column in table.anchors.items():
            yield column, ("anchors", event)
        for column in table.fields:
            yield column, ("fields", column)
        if table.restriction_column:
            yield table.restriction_column, ("restriction_column",)

    def _columns(self, name: str, table: Table, info: TableInfo, base: PathT) -> None:
        known = info.column_names
        seen: set[str] = set()
        for column, path in self._declared(table):
            if column in seen:
                continue
            seen.add(column)
            if info.column(column) is None:
                guess = _did_you_mean(column, known)
                self.add(
                    MISSING_COLUMN,
                    Severity.error,
                    (*base, *path),
                    f"{self.system}:{name} has no column '{column}'",
                    hint=f"did you mean '{guess}'?" if guess else f"columns: {', '.join(known)}",
                )
        referred = {
            ref.column
            for other in self.register.systems[self.system].tables.values()
            for ref in other.references.values()
            if ref.table == name and ref.system in (None, self.system)
        }
        undeclared = [c for c in known if c not in seen and c not in referred]
        if undeclared:
            self.add(
                UNDECLARED_COLUMNS,
                Severity.info,
                base,
                f"{self.system}:{name} has columns the register does not declare: "
                f"{', '.join(undeclared)} (extracts show them as other data in the row)",
                hint="declare those that hold personal data under fields",
            )

    def _target(self, system: str, table: str) -> TableInfo | None:
        schema = self.schemas.get(system)
        return schema.described.get(table) if isinstance(schema, SystemSchema) else None

    def _references(self, name: str, table: Table, info: TableInfo, base: PathT) -> None:
        for column, ref in table.references.items():
            path = (*base, "references", column)
            to_system = ref.system or self.system
            target = self._target(to_system, ref.table)
            if target is None:
                schema = self.schemas.get(to_system)
                if isinstance(schema, SystemSchema) and ref.table not in schema.described:
                    guess = _did_you_mean(ref.table, sorted(schema.names))
                    self.add(
                        MISSING_TABLE,
                        Severity.error,
                        path,
                        f"reference to {ref.label()}: {to_system} has no table '{ref.table}'",
                        hint=f"did you mean '{guess}'?" if guess else None,
                    )
                continue
            far = target.column(ref.column)
            if far is None:
                guess = _did_you_mean(ref.column, target.column_names)
                self.add(
                    MISSING_COLUMN,
                    Severity.error,
                    path,
                    f"reference to {ref.label()}: {to_system}:{ref.table} has no column "
                    f"'{ref.column}'",
                    hint=f"did you mean '{guess}'?" if guess else None,
                )
                continue
            near = info.column(column)
            if near is None:
                continue
            families = {near.family, far.family}
            if len(families) > 1 and not families <= _NUMERIC and "other" not in families:
                self.add(
                    REFERENCE_TYPES,
                    Severity.warning,
                    path,
                    f"{self.system}:{name}.{column} ({near.type}) refers to {ref.label()} "
                    f"({far.type}): the types differ, so lookups compare {near.family} with "
                    f"{far.family}",
                    hint="PostgreSQL refuses such a comparison; point the reference at a "
                    "column of the same type",
                )

    def _anchors(self, name: str, table: Table, info: TableInfo, base: PathT) -> None:
        for event, column in table.anchors.items():
            found = info.column(column)
            if found is None or found.family in _DATES:
                continue
            path = (*base, "anchors", event)
            if found.family == "text":
                if self.schema.kind in ("sqlite", "csv", "jsonl", "memory"):
                    continue  # dates are text here; ISO 8601 text compares correctly
                cast = _CASTS.get(self.schema.kind, "CAST({c} AS timestamp)")
                self.add(
                    DATE_AS_TEXT,
                    Severity.warning,
                    path,
                    f"{self.system}:{name}.{column} ({found.type}) is the anchor '{event}' but "
                    "holds dates as text: retention casts it, and rows whose text is not a "
                    "date stop the sweep",
                    hint=cast.format(c=column, t=name),
                )
            else:
                self.add(
                    ANCHOR_TYPE,
                    Severity.error,
                    path,
                    f"{self.system}:{name}.{column} ({found.type}) is the anchor '{event}' but "
                    "is not a date: retention cannot compare it with a cut-off date",
                    hint="map the anchor to a date or timestamp column",
                )

    def _shape(self, name: str, table: Table, info: TableInfo, base: PathT) -> None:
        declared = tuple(table.primary_key)
        if info.primary_key and info.primary_key != declared:
            self.add(
                PRIMARY_KEY,
                Severity.warning,
                (*base, "primary_key"),
                f"{self.system}:{name}: the register's primary key ({', '.join(declared)}) is "
                f"not the database's ({', '.join(info.primary_key)})",
                hint=f"primary_key: [{', '.join(info.primary_key)}]",
            )
        if info.kind is TableKind.partitioned:
            self.add(
                PARTITIONED,
                Severity.info,
                base,
                f"{self.system}:{name} is partitioned into {len(info.partitions)} partitions "
                f"({', '.join(info.partitions) or 'none yet'}): requests and retention address "
                "the partitioned table; indexes are advised on its partitions",
            )
        elif info.kind is TableKind.part and info.parent:
            self.add(
                PARTITIONED,
                Severity.warning,
                base,
                f"{self.system}:{name} is a partition of {info.parent}: rows of the other "
                "partitions are missed",
                hint=f"declare the partitioned table '{info.parent}' instead",
            )

    # -- what the database knows and the register does not -------------------------------------
    def _undeclared_foreign_keys(self, tables: Mapping[str, Table]) -> None:
        for owner, info in sorted(self.schema.described.items()):
            if info.kind is TableKind.part:
                continue  # a partition's keys repeat its parent's
            for fk in info.foreign_keys:
                if owner not in tables and fk.referred_table not in tables:
                    continue
                column, target = fk.columns[0], fk.referred_columns[0]
                declared = tables.get(owner)
                ref = declared.references.get(column) if declared else None
                if (
                    ref is not None
                    and ref.table == fk.referred_table
                    and ref.system in (None, self.system)
                ):
                    continue
                named = f" '{fk.name}'" if fk.name else ""
                fix = (
                    f"systems.{self.system}.tables.{owner}.references.{column}: "
                    f"{{table: {fk.referred_table}, column: {target}}}"
                )
                if declared is None:
                    path: PathT = ("systems", self.system, "tables", fk.referred_table)
                    message = (
                        f"{self.system}:{owner} (not in the register) refers to "
                        f"{fk.referred_table} through foreign key{named}: deleting or erasing "
                        f"rows of {fk.referred_table} fails while rows of {owner} refer to them"
                    )
                    hint = f"declare table {owner} with {fix}"
                else:
                    path = ("systems", self.system, "tables", owner)
                    message = (
                        f"{self.system}:{owner}.{column} has foreign key{named} to "
                        f"{fk.referred_table}.{target} that the register does not declare"
                    )
                    hint = f"declare it: {fix}"
                self.add(UNDECLARED_REFERENCE, Severity.warning, path, message, hint=hint)

    def _views(self, tables: Mapping[str, Table]) -> None:
        personal = {n for n, t in tables.items() if t.fields or t.identities}
        for name, info in sorted(self.schema.names.items()):
            if info.kind not in (TableKind.view, TableKind.materialized_view):
                continue
            reads = sorted(set(info.reads) & personal)
            if not reads:
                continue
            materialised = info.kind is TableKind.materialized_view
            self.add(
                VIEWS,
                Severity.warning if materialised else Severity.info,
                ("systems", self.system, "tables", reads[0]),
                f"{self.system}: {'materialised ' if materialised else ''}view {name} reads "
                f"declared personal data of {', '.join(reads)}",
                hint=(
                    f"a materialised view keeps copies after an erasure: refresh {name} after "
                    "erasures and sweeps, or declare it"
                    if materialised
                    else "a view shows what its tables hold; nothing to erase in it"
                ),
            )
