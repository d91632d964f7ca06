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
"""Distinct values read per text column: enough for the detectors, few enough to stay fast."""

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
    """Describe every table and sample its text columns (read-only)."""
    from varna.connectors.base import introspection, sweeping
    from varna.connectors.catalog import TableKind
    from varna.connectors.predicates import IsSet
    from varna.discovery.scaffold.model import Observed

    reader = introspection(connector)
    tables = reader.describe(None)
    samples: dict[tuple[str, str], list[object]] = {}
    filled: dict[tuple[str, str], int] = {}
    counter = sweeping(connector)
    for name, info in tables.items():
        if info.kind not in (TableKind.table, TableKind.partitioned):
            continue
        links = {c for fk in info.foreign_keys for c in fk.columns}
        for column in info.columns:
            if column.family != "text" or column.name in links:
                continue
            values = reader.sample(name, column.name, limit=sample_size)
            samples[(name, column.name)] = values
            if values and len(values) < sample_size:  # few values: shared by many rows?
                filled[(name, column.name)] = counter.count(name, IsSet(column.name))
    return Observed(kind=kind, tables=tables, samples=samples, filled=filled)
