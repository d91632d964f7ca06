"""The audit log: ``audit_events`` and its one-row ``audit_head``.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", _seq, autoincrement=False, nullable=False, comment="1, 2, 3, ... no gaps"),
        sa.Column("at", sa.String(32), nullable=False, comment="ISO-8601 UTC, microseconds"),
        sa.Column("actor", sa.String(200), nullable=False, comment="who acted: a user or a job"),
        sa.Column(
            "action", sa.String(100), nullable=False, comment="dotted, e.g. dsr.access.executed"
        ),
        sa.Column("subject", sa.String(64), nullable=True, comment="keyed pseudonym of the person"),
        sa.Column(
            "target", sa.String(200), nullable=True, comment="what was acted on, e.g. crm.customers"
        ),
        sa.Column(
            "details", sa.Text(), nullable=False, comment="canonical JSON, never personal data"
        ),
        sa.Column("prev_hash", sa.String(64), nullable=False, comment="hash of seq - 1"),
        sa.Column("hash", sa.String(64), nullable=False, comment="HMAC-SHA256 of this entry"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_subject"), "audit_events", ["subject"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", _seq, nullable=False, comment="seq of the newest entry, 0 if none"),
        sa.Column("last_hash", sa.String(64), nullable=True, comment="hash of that entry"),
        sa.Column("mac", sa.String(64), nullable=True, comment="HMAC over last_seq, last_hash"),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": None, "mac": None}])


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_index(op.f("ix_audit_events_subject"), table_name="audit_events")
    op.drop_table("audit_events")
