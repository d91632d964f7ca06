"""Alembic environment: runs on the connection that :meth:`StateDB.migrate` passes in.

Online mode only; batch mode is switched on for SQLite so ``ALTER`` operations copy the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from varna.errors import StateError
from varna.state.schema import metadata


def run_migrations() -> None:
    """Run the migrations inside the caller's transaction."""
    connection = context.config.attributes.get("connection")
    if context.is_offline_mode() or not isinstance(connection, sa.Connection):
        raise StateError(
            "Varna's migrations run only through StateDB.migrate() with an open connection"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
