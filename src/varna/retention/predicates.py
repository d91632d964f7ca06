"""Which rows of a table expire, as connector predicates (:mod:`varna.connectors.predicates`).

The planner composes these; the connectors count and sweep with them, whatever the system is
(a SQL database compiles them to ``WHERE``, a CSV folder tests each row), so no SQL is written
here.
"""

from __future__ import annotations

from datetime import datetime

from varna.connectors import predicates as p
from varna.register.systems import FieldErasure, FieldSpec
from varna.retention.values import HASH_PREFIX


def before(column: str, moment: datetime) -> p.Predicate:
    """``column < moment``: false for NULL, so a row without the date never expires."""
    return p.Before(column, moment)


def in_parent(
    column: str, parent: str, parent_column: str, parent_where: p.Predicate
) -> p.Predicate:
    """``column IN (SELECT parent_column FROM parent WHERE parent_where)``."""
    return p.InParent(column, parent, parent_column, parent_where)


def not_excluded(primary_key: tuple[str, ...]) -> p.Predicate:
    """Leave out rows whose primary key is kept at the moment the predicate runs (restricted
    people, open requests): re-read for every batch."""
    return p.NotExcluded(primary_key)


def pending(fields: dict[str, FieldSpec]) -> p.Predicate:
    """Rows with at least one field not yet erased, so a second sweep finds nothing to do.

    ``null``, ``fixed`` and ``hash`` leave values the predicate recognises; ``mask`` leaves the
    first character followed by ``*`` (a second or third character ``*`` is taken as masked).
    All fields of a row are erased in one update, so these fields mark the row as done for the
    ``generalise`` fields too. A table whose only erased fields are ``generalise`` has no such
    mark: its expired rows are generalised again on every run (the values do not change, but
    they are counted).
    """
    parts: list[p.Predicate] = []
    for name, spec in fields.items():
        if spec.erasure is FieldErasure.null:
            parts.append(p.IsSet(name))
        elif spec.erasure is FieldErasure.fixed:
            parts.append(p.Differs(name, spec.value))
        elif spec.erasure is FieldErasure.hash:
            parts.append(p.LacksPrefix(name, HASH_PREFIX))
        elif spec.erasure is FieldErasure.mask:
            parts.append(p.Unmasked(name))
    return p.AnyOf(tuple(parts))


def not_referenced(
    column: str, child: str, child_column: str, deleted: p.Predicate | None
) -> p.Predicate:
    """No row of ``child`` that stays refers to the row (child rows where ``deleted`` holds
    are deleted earlier in the same run)."""
    return p.NotReferenced(column, child, child_column, deleted)
