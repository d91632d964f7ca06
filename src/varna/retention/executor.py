"""Apply a retention plan: set-based SQL in short batches, children first, resumable.

Per table and batch, one statement in its own transaction:

- delete: ``DELETE FROM t WHERE pk IN (SELECT pk FROM (SELECT pk FROM t WHERE expired LIMIT n)
  AS batch)`` (the derived table lets MariaDB take a LIMIT and read the table it deletes from);
- anonymise: the batch's primary keys are read in key order (``pk > last``), then one
  ``UPDATE ... WHERE pk IN (...)`` sets ``null`` and ``fixed`` fields, or, when a field needs
  Python (``hash``, ``mask``, ``generalise``), one executemany ``UPDATE`` for the batch.

The predicates come from the plan and already leave out what is done (deleted rows are gone,
erased fields no longer match), so a run cut short is finished by the next, and a second run
finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from varna.retention.engines import Engines
from varna.retention.models import Action, RetentionPlan, Sweep, TablePlan
from varna.retention.values import IN_SQL, erased

BATCH = 10_000
Progress = Callable[[TablePlan, int], None]


@dataclass(slots=True)
class RetentionResult:
    """What a run did: rows per (system, table) and the action taken."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    actions: dict[tuple[str, str], Action] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.total,
            "tables": [
                {"system": s, "table": t, "action": self.actions[(s, t)].value, "rows": n}
                for (s, t), n in self.counts.items()
            ],
        }


def execute_retention(
    plan: RetentionPlan,
    *,
    engines: Engines,
    hash_key: bytes,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> RetentionResult:
    """Carry out ``plan`` table by table in its order; returns the rows changed per table."""
    result = RetentionResult()
    for table in plan.tables:
        if table.sweep is None or table.action is Action.none:
            continue
        key = (table.system, table.table)
        result.actions[key] = table.action
        step = (lambda n, t=table: progress(t, n)) if progress else None
        engine = engines.engine(table.system)
        if table.action is Action.delete_row:
            done = _delete(engine, table.sweep, batch, step)
        else:
            done = _anonymise(engine, table.sweep, batch, step, hash_key)
        result.counts[key] = done
    return result


def _keys(sweep: Sweep) -> list[sa.ColumnClause[Any]]:
    return [sweep.target.c[c] for c in sweep.primary_key]


def _key_expr(sweep: Sweep) -> sa.ColumnElement[Any]:
    keys = _keys(sweep)
    return keys[0] if len(keys) == 1 else sa.tuple_(*keys)


def _batch_of(engine: sa.Engine, sweep: Sweep, batch: int) -> sa.ColumnElement[bool]:
    """``pk IN`` the first ``batch`` expired keys.

    PostgreSQL plans ``IN (SELECT ... LIMIT n)`` as a hash join over the whole table; with a
    single-column key ``pk = ANY(ARRAY(SELECT ... LIMIT n))`` computes the keys once and looks
    each up by the primary-key index (1,000,000 of 10,000,000 rows: 65 s -> 8 s).
    """
    keys = _keys(sweep)
    chosen = sa.select(*keys).where(sweep.where).limit(batch)
    if engine.dialect.name == "postgresql" and len(keys) == 1:
        return keys[0] == sa.any_(sa.func.array(chosen.scalar_subquery()))
    derived = chosen.subquery("batch")
    return _key_expr(sweep).in_(sa.select(*derived.c))


def _delete(engine: sa.Engine, sweep: Sweep, batch: int, step: Callable[[int], None] | None) -> int:
    statement = sa.delete(sweep.target).where(_batch_of(engine, sweep, batch))
    done = 0
    while True:
        with engine.begin() as conn:
            count = conn.execute(statement).rowcount
        done += count
        if step and count:
            step(count)
        if count < batch:
            return done


def _anonymise(
    engine: sa.Engine,
    sweep: Sweep,
    batch: int,
    step: Callable[[int], None] | None,
    hash_key: bytes,
) -> int:
    keys = _keys(sweep)
    in_python = [n for n, s in sweep.fields.items() if s.erasure not in IN_SQL]
    constant = {n: erased(s, None, hash_key=hash_key) for n, s in sweep.fields.items()}
    last: tuple[Any, ...] | None = None
    done = 0
    while True:
        where = sweep.where
        if last is not None:
            where = sa.and_(where, _key_expr(sweep) > _literal_key(last))
        query = sa.select(*keys, *(sweep.target.c[n] for n in in_python))
        query = query.where(where).order_by(*keys).limit(batch)
        with engine.begin() as conn:
            rows = [tuple(r) for r in conn.execute(query)]
            if not rows:
                return done
            width = len(keys)
            if in_python:
                _update_each(conn, sweep, rows, width, in_python, hash_key, constant)
            else:
                picked = [r[:width] for r in rows]
                match = _key_expr(sweep).in_(picked if width > 1 else [k[0] for k in picked])
                conn.execute(sa.update(sweep.target).where(match).values(constant))
        last = rows[-1][:width]
        done += len(rows)
        if step:
            step(len(rows))
        if len(rows) < batch:
            return done


def _literal_key(key: tuple[Any, ...]) -> Any:
    return key[0] if len(key) == 1 else sa.tuple_(*(sa.literal(v) for v in key))


def _update_each(
    conn: sa.Connection,
    sweep: Sweep,
    rows: list[tuple[Any, ...]],
    width: int,
    in_python: list[str],
    hash_key: bytes,
    constant: dict[str, Any],
) -> None:
    """One executemany UPDATE for the batch: SQL values fixed, Python values per row."""
    names = [f"k_{i}" for i in range(width)]
    match = sa.and_(
        *(
            sweep.target.c[c] == sa.bindparam(n)
            for c, n in zip(sweep.primary_key, names, strict=True)
        )
    )
    values: dict[str, Any] = {n: sa.bindparam(f"v_{n}") for n in in_python}
    values.update({n: v for n, v in constant.items() if n not in in_python})
    statement = sa.update(sweep.target).where(match).values(values)
    params = []
    for row in rows:
        param = dict(zip(names, row[:width], strict=True))
        for i, name in enumerate(in_python):
            param[f"v_{name}"] = erased(sweep.fields[name], row[width + i], hash_key=hash_key)
        params.append(param)
    conn.execute(statement, params)
