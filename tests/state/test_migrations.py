"""The Alembic migrations build exactly the schema in ``varna.state.schema``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from varna.errors import StateError
from varna.state import open_state
from varna.state.database import head_revision
from varna.state.schema import metadata

HEAD = "rate_windows"
"""The newest migration: 0012 consent ledger, 0013 staff accountability, 0014 discovery units,
0015 breaches, 0016 console indexes."""


def test_head_is_the_newest_migration() -> None:
    assert head_revision() == HEAD


def test_fresh_database_has_no_revision(state_url: str) -> None:
    with open_state(state_url) as state:
        assert state.revision() is None


def test_migrate_to_head_is_idempotent(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate()
        state.migrate()
        assert state.revision() == HEAD


# SQLite's reflection skips the expression indexes on the deadline (and says so); PostgreSQL
# compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index"
)
def test_migrated_schema_matches_metadata(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate()
        with state.read() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []


@pytest.mark.parametrize(
    ("table", "rows"),
    [("audit_events", []), ("audit_head", [(1, 0, None, None)])],
    ids=["events-empty", "head-row"],
)
def test_initial_rows(state_url: str, table: str, rows: list[tuple[object, ...]]) -> None:
    with open_state(state_url) as state:
        state.migrate()
        with state.read() as conn:
            assert [tuple(r) for r in conn.execute(sa.select(metadata.tables[table]))] == rows


def test_head_is_a_single_row(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate()
        head = metadata.tables["audit_head"]
        with pytest.raises(StateError, match=r"(?i)check constraint"), state.write() as conn:
            conn.execute(sa.insert(head).values(id=2, last_seq=0))


def test_downgrade_to_base_and_back(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate()
        state.downgrade("base")
        assert state.revision() is None
        state.migrate()
        assert state.revision() == HEAD
