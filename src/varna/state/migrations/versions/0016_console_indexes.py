"""Indexes for the console: audit events by action (the overview's newest retention run),
requests by the time received (requests per month) and by the deadline that holds (the queue's
order; one for the open requests only).

Revision ID: console_indexes
Revises: breaches
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "console_indexes"
down_revision: str | None = "breaches"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action", "seq"])
    op.create_index(op.f("ix_requests_received_at"), "requests", ["received_at"])
    deadline = sa.text("coalesce(extended_due, due)")
    op.create_index(
        "ix_requests_open_deadline",
        "requests",
        [deadline, "received_at", "id"],
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index("ix_requests_deadline", "requests", [deadline, "received_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_requests_deadline", table_name="requests")
    op.drop_index("ix_requests_open_deadline", table_name="requests")
    op.drop_index(op.f("ix_requests_received_at"), table_name="requests")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
