"""The row counts the planner asks for, answered by the systems' connectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from varna.connectors.base import Connector, sweeping
from varna.connectors.predicates import Exclusions, Predicate


class ConnectorCounts:
    """A ``CountSource`` that asks each system's connector: one count per call."""

    def __init__(self, connectors: Mapping[str, Connector]) -> None:
        self._connectors = connectors

    def __repr__(self) -> str:
        return f"ConnectorCounts({len(self._connectors)} systems)"

    def count(
        self, system: str, table: str, where: Predicate | None, *, exclusions: Exclusions
    ) -> int:
        return sweeping(self._connectors[system]).count(table, where, exclusions=exclusions)

    def examples(
        self,
        system: str,
        table: str,
        primary_key: Sequence[str],
        where: Predicate,
        *,
        limit: int,
        exclusions: Exclusions,
    ) -> list[tuple[Any, ...]]:
        return sweeping(self._connectors[system]).keys(
            table, where, primary_key=primary_key, limit=limit, exclusions=exclusions
        )
