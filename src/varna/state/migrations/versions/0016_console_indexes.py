"""Indexes for the console's overview: audit events by action (the newest retention run) and
requests by the time received (requests per month).

Revision ID: console_indexes
Revises: breaches
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "console_indexes"
down_revision: str | None = "breaches"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action", "seq"])
    op.create_index(op.f("ix_requests_received_at"), "requests", ["received_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_requests_received_at"), table_name="requests")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
