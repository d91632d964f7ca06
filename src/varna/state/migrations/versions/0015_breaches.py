"""The breach register (GDPR Art. 33(5)): every breach as it stands, and its events.

Revision ID: breaches
Revises: discovery_units
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "breaches"
down_revision: str | None = "discovery_units"
branch_labels: str | None = None
depends_on: str | None = None

_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "breaches",
        sa.Column("ref", sa.String(20), nullable=False, comment="B-YYYYMMDD-XXXX"),
        sa.Column("version", sa.Integer(), nullable=False, comment="events so far"),
        sa.Column("state", sa.String(10), nullable=False, comment="open or closed"),
        sa.Column("aware_at", sa.String(32), nullable=False, comment="the 72-hour clock"),
        sa.Column(
            "risk", sa.String(10), nullable=True, comment="none, risk, high; null: not assessed"
        ),
        sa.Column("notified_at", sa.String(32), nullable=True, comment="told IMY"),
        sa.Column("record", sa.Text(), nullable=False, comment="JSON: the record as it stands"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("updated_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_breaches")),
    )
    op.create_index(op.f("ix_breaches_state"), "breaches", ["state", "aware_at"])
    op.create_table(
        "breach_events",
        sa.Column("seq", _seq, autoincrement=True, nullable=False, comment="write order"),
        sa.Column("ref", sa.String(20), nullable=False, comment="the breach"),
        sa.Column("version", sa.Integer(), nullable=False, comment="the breach's version after it"),
        sa.Column(
            "action", sa.String(40), nullable=False, comment="recorded, updated, assessed..."
        ),
        sa.Column("at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("actor", sa.String(200), nullable=False, comment="who"),
        sa.Column("changes", sa.Text(), nullable=False, comment="JSON: the fields it set"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_breach_events")),
        sa.UniqueConstraint("ref", "version", name=op.f("uq_breach_events_ref")),
    )


def downgrade() -> None:
    op.drop_table("breach_events")
    op.drop_table("breaches")
