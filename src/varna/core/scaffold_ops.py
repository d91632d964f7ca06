"""Operations of the service: a draft register from a live system (``register scaffold``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.base import VarnaBase
from varna.errors import ConnectorError

if TYPE_CHECKING:
    from varna.connectors.base import Connector
    from varna.discovery.scaffold.model import Draft, Observed

SAMPLE_SIZE = 20
"""Distinct values per text column the detectors read: enough to judge, few enough to be fast."""
ROWS_READ = 200
"""Rows read per table: values repeated across them (one phone for every customer) are shared."""

_SQL_KINDS = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}
_SQL_KINDS |= {"mysql": "mysql", "mariadb": "mariadb"}
_FILE_KINDS = frozenset({"csv", "jsonl"})


@dataclass(frozen=True, slots=True)
class ScaffoldResult:
    """The draft register's text, and the plan it was written from."""

    text: str
    draft: Draft


def system_key(text: str) -> str:
    """A register key from a database or folder name: ``Chinook_Sqlite`` -> ``chinook_sqlite``."""
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]
    if not key:
        return "system"
    return key if key[0].isalpha() else f"s_{key}"


class ScaffoldOps(VarnaBase):
    """Operation: read a live system and write a draft register for it."""

    def scaffold_register(
        self, url: str, *, system: str | None = None, sample_size: int = SAMPLE_SIZE
    ) -> ScaffoldResult:
        """A draft register for the database or folder at ``url`` (``sqlite:///shop.db``,
        ``postgresql+psycopg://host/db``, ``mysql+pymysql://host/db``, ``csv:///folder``,
        ``jsonl:///folder``): tables, keys, references, identities, categories, erasure
        strategies and anchors, with a TODO wherever a person must decide. Read-only."""
        from varna.discovery.scaffold.planner import plan_scaffold
        from varna.discovery.scaffold.writer import write_draft
        from varna.register.loader import parse_register

        kind, name = _kind_and_name(url)
        key = system_key(system or name)
        connector = _open(url, kind, key)
        try:
            observed = _observe(connector, kind, sample_size=sample_size)
        finally:
            connector.close()
        default = url if kind == "sqlite" or kind in _FILE_KINDS else None
        draft = plan_scaffold(
            observed, system=key, env=f"VARNA_{key.upper()}_URL", default_url=default
        )
        text = write_draft(draft)
        parse_register(text, source="scaffold.yaml")  # a draft that does not load is a bug
        return ScaffoldResult(text, draft)


def _kind_and_name(url: str) -> tuple[str, str]:
    scheme, sep, rest = url.partition("://")
    kind = scheme.split("+", 1)[0].lower()
    if not sep or (kind not in _SQL_KINDS and kind not in _FILE_KINDS):
        raise ConnectorError(
            "cannot scaffold from this URL: give a database URL (sqlite:///file.db, "
            "postgresql+psycopg://host/db, mysql+pymysql://host/db) or a folder "
            "(csv:///folder, jsonl:///folder)",
            code="scaffold-url",
        )
    path = rest.split("?", 1)[0].rstrip("/")
    name = Path(path.rsplit("/", 1)[-1]).stem if path else kind
    return _SQL_KINDS.get(kind, kind), name


def _open(url: str, kind: str, system: str) -> Connector:
    from varna.connectors.registry import default_registry

    if kind == "sqlite":
        file = url.partition("://")[2].removeprefix("/").split("?", 1)[0]
        if not file or file == ":memory:" or not Path(file).is_file():
            raise ConnectorError(
                f"system '{system}': the SQLite file does not exist; give the path of an "
                "existing database (sqlite:///relative.db or sqlite:////absolute.db)",
                system=system,
                code="scaffold-missing-file",
            )
    connector = default_registry().factory(kind)(url, name=system, base_dir=Path.cwd())
    if kind in _FILE_KINDS:
        folder = getattr(connector, "folder", None)
        if folder is None or not Path(folder).is_dir():
            connector.close()
            raise ConnectorError(
                f"system '{system}': the folder does not exist; give an existing folder of "
                f".{kind} files",
                system=system,
                code="scaffold-missing-folder",
            )
    return connector


def _observe(connector: Connector, kind: str, *, sample_size: int) -> Observed:
    """Describe every table and read a few rows of its text columns (read-only): one query
    per table where the connector can (``sample_rows``), all in one transaction."""
    from varna.connectors.base import introspection
    from varna.connectors.catalog import TableKind
    from varna.discovery.scaffold.model import Observed

    reader = introspection(connector)
    tables = reader.describe(None)
    samples: dict[tuple[str, str], list[object]] = {}
    filled: dict[tuple[str, str], int] = {}
    distinct: dict[tuple[str, str], int] = {}
    with connector.transaction():
        for name, info in tables.items():
            if info.kind not in (TableKind.table, TableKind.partitioned):
                continue
            links = {c for fk in info.foreign_keys for c in fk.columns}
            wanted = [c.name for c in info.columns if c.family == "text" and c.name not in links]
            if not wanted:
                continue
            rows = _rows(connector, name, wanted, sample_size=sample_size)
            for column in wanted:
                values = [r.get(column) for r in rows]
                present = [v for v in values if v is not None and str(v).strip() != ""]
                unique = list(dict.fromkeys(present))
                samples[(name, column)] = unique[:sample_size]
                filled[(name, column)] = len(present)
                distinct[(name, column)] = len(unique)
    return Observed(kind=kind, tables=tables, samples=samples, filled=filled, distinct=distinct)


def _rows(
    connector: Connector, table: str, columns: list[str], *, sample_size: int
) -> list[dict[str, object]]:
    """Up to ``ROWS_READ`` rows of ``columns``; per column for a connector that cannot."""
    sample_rows = getattr(connector, "sample_rows", None)
    if callable(sample_rows):
        rows: list[dict[str, object]] = sample_rows(table, columns, limit=ROWS_READ)
        return rows
    from varna.connectors.base import introspection

    reader = introspection(connector)
    per_column = {c: reader.sample(table, c, limit=sample_size) for c in columns}
    depth = max((len(v) for v in per_column.values()), default=0)
    return [
        {c: (v[i] if i < len(v) else None) for c, v in per_column.items()} for i in range(depth)
    ]
