"""Engines for the register's SQL systems, and the row counts the planner asks for."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from varna.connectors.urls import resolve_url, safe_url
from varna.errors import ConnectorError
from varna.register.model import Register

SQL_KINDS = frozenset({"sqlite", "postgresql", "mysql", "mariadb"})


class Engines:
    """One SQLAlchemy engine per SQL system, opened on first use; ``close()`` disposes them."""

    def __init__(self, register: Register, *, base_dir: Path, environ: Mapping[str, str]) -> None:
        self._register = register
        self._base_dir = base_dir
        self._environ = environ
        self._engines: dict[str, sa.Engine] = {}

    def __repr__(self) -> str:
        return f"Engines({sorted(self._engines)!r})"

    def engine(self, system: str) -> sa.Engine:
        if system not in self._engines:
            spec = self._register.systems[system]
            if spec.kind not in SQL_KINDS:
                raise ConnectorError(f"system '{system}' ({spec.kind}) is not an SQL database")
            url = resolve_url(system, spec, base_dir=self._base_dir, environ=self._environ)
            try:
                self._engines[system] = sa.create_engine(url, poolclass=sa.NullPool)
            except (sa.exc.ArgumentError, ImportError) as exc:
                raise ConnectorError(f"system '{system}': bad URL {safe_url(url)}") from exc
        return self._engines[system]

    @contextmanager
    def connect(self, system: str) -> Iterator[sa.Connection]:
        """A connection, with database errors turned into ``ConnectorError``."""
        try:
            with self.engine(system).connect() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            kind = type(exc.orig).__name__
            raise ConnectorError(
                f"system '{system}': the database refused a statement ({kind})"
            ) from exc

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


class SqlCounts:
    """A ``CountSource`` that asks the databases: one ``COUNT(*)`` per call."""

    def __init__(self, engines: Engines) -> None:
        self._engines = engines

    def count(
        self, system: str, target: sa.TableClause, where: sa.ColumnElement[bool] | None
    ) -> int:
        query = sa.select(sa.func.count()).select_from(target)
        if where is not None:
            query = query.where(where)
        with self._engines.connect(system) as conn:
            return int(conn.execute(query).scalar_one())

    def examples(
        self,
        system: str,
        target: sa.TableClause,
        primary_key: Sequence[str],
        where: sa.ColumnElement[bool],
        *,
        limit: int,
    ) -> list[tuple[Any, ...]]:
        columns = [target.c[c] for c in primary_key]
        query = sa.select(*columns).where(where).order_by(*columns).limit(limit)
        with self._engines.connect(system) as conn:
            return [tuple(row) for row in conn.execute(query)]
