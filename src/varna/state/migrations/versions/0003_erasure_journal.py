"""Erasures under way, in the state database so any worker can finish them after a crash.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "erasure_journal",
        sa.Column("request_id", sa.String(40), nullable=False, comment="keyed request name"),
        sa.Column("body", sa.Text(), nullable=False, comment="plan and systems done, as JSON"),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_erasure_journal")),
    )


def downgrade() -> None:
    op.drop_table("erasure_journal")
