"""Alembic migrations of Varna's state database, run by :meth:`varna.state.StateDB.migrate`.

No ``alembic.ini`` is needed: ``StateDB.migrate`` configures Alembic from code and hands it an
open connection. To change the schema, edit :mod:`varna.state.schema` and add
``versions/NNNN_<what>.py`` with ``revision = "NNNN"`` and ``down_revision`` the previous number,
written with ``op.batch_alter_table`` for anything that alters a table (SQLite needs batch mode;
PostgreSQL runs the same code directly). ``tests/state`` checks that the migrated database matches
the schema module on SQLite and PostgreSQL.
"""
