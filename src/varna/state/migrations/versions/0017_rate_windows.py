"""The web rate limits' windows, shared by every process (PostgreSQL installations).

Revision ID: rate_windows
Revises: console_indexes
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rate_windows"
down_revision: str | None = "console_indexes"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "rate_windows",
        sa.Column("key", sa.String(64), nullable=False, comment="keyed hash; no address"),
        sa.Column("window", sa.BigInteger(), nullable=False, comment="the window's number"),
        sa.Column("hits", sa.Integer(), nullable=False, comment="requests counted in it"),
        sa.PrimaryKeyConstraint("key", "window", name=op.f("pk_rate_windows")),
    )


def downgrade() -> None:
    op.drop_table("rate_windows")
