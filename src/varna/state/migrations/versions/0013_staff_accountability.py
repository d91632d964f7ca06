"""Accountability: the staff, and who was trained on, acknowledged or reminded of which policy
version.

Revision ID: staff_accountability
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "staff_accountability"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("name", sa.String(100), nullable=False, comment="staff name, e.g. anna.berg"),
        sa.Column("email", sa.String(320), nullable=True, comment="where reminders go"),
        sa.Column("joined_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("left_at", sa.String(32), nullable=True, comment="no more reminders"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_staff_members")),
    )
    op.create_table(
        "staff_policy_events",
        sa.Column("seq", _seq, autoincrement=True, nullable=False, comment="write order"),
        sa.Column("name", sa.String(100), nullable=False, comment="the staff member"),
        sa.Column(
            "version", sa.Integer(), nullable=False, comment="policy version number, 1, 2, ..."
        ),
        sa.Column("kind", sa.String(20), nullable=False, comment="trained, acknowledged, reminded"),
        sa.Column("at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("recorded_by", sa.String(200), nullable=False, comment="who recorded it"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_staff_policy_events")),
    )
    op.create_index(op.f("ix_staff_policy_events_name"), "staff_policy_events", ["name", "version"])
    op.create_index(
        op.f("ix_staff_policy_events_version"),
        "staff_policy_events",
        ["version", "kind", "name"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("staff_policy_events")
    op.drop_table("staff_members")
