"""Discovery scans fanned out over workers: one row per table or file, and its survey.

Revision ID: discovery_units
Revises: staff_accountability
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "discovery_units"
down_revision: str | None = "staff_accountability"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "discovery_units",
        sa.Column("scan_id", sa.String(40), nullable=False, comment="one scan"),
        sa.Column("system", sa.String(200), nullable=False, comment="register system"),
        sa.Column("unit", sa.String(1000), nullable=False, comment="table or file"),
        sa.Column("sample", sa.Integer(), nullable=True, comment="rows per table; null: all"),
        sa.Column("runs", sa.Integer(), nullable=False, comment="times a job scanned it"),
        sa.Column("survey", sa.Text(), nullable=True, comment="JSON survey; null until scanned"),
        sa.Column("done_at", sa.String(32), nullable=True, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("scan_id", "system", "unit", name=op.f("pk_discovery_units")),
    )


def downgrade() -> None:
    op.drop_table("discovery_units")
