"""Webhooks and their deliveries, notices about requests (to the person, Art. 19 to recipients)
and who was told of a policy change.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_AT = 32


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", sa.String(40), nullable=False, comment="random; wh_..."),
        sa.Column("url", sa.String(2000), nullable=False, comment="where deliveries are POSTed"),
        sa.Column("events", sa.String(500), nullable=False, comment="space-separated; * for all"),
        sa.Column("secret", sa.Text(), nullable=False, comment="the signing secret, sealed"),
        sa.Column("created_at", sa.String(_AT), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("created_by", sa.String(200), nullable=False, comment="who added it"),
        sa.Column("removed_at", sa.String(_AT), nullable=True, comment="when it was removed"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(40), nullable=False, comment="random; the delivery id"),
        sa.Column("webhook_id", sa.String(40), nullable=False, comment="the receiver"),
        sa.Column("event", sa.String(100), nullable=False, comment="e.g. request.verified"),
        sa.Column("request_id", sa.String(40), nullable=True, comment="the request"),
        sa.Column("payload", sa.Text(), nullable=False, comment="the JSON body (no personal data)"),
        sa.Column("state", sa.String(20), nullable=False, comment="pending, delivered or failed"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0", comment="count"),
        sa.Column("next_at", sa.String(_AT), nullable=False, comment="next try, ISO-8601 UTC"),
        sa.Column(
            "last_status", sa.Integer(), nullable=True, comment="HTTP status of the last try"
        ),
        sa.Column("last_error", sa.String(200), nullable=True, comment="why it failed"),
        sa.Column("created_at", sa.String(_AT), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("delivered_at", sa.String(_AT), nullable=True, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(op.f("ix_webhook_deliveries_state"), "webhook_deliveries", ["state", "next_at"])
    op.create_index(
        op.f("ix_webhook_deliveries_webhook_id"),
        "webhook_deliveries",
        ["webhook_id", "created_at"],
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.String(40), nullable=False, comment="random; nt_..."),
        sa.Column("request_id", sa.String(40), nullable=False, comment="the request"),
        sa.Column("kind", sa.String(20), nullable=False, comment="person or recipient (Art. 19)"),
        sa.Column("event", sa.String(40), nullable=False, comment="the step told about"),
        sa.Column("recipient", sa.String(200), nullable=False, comment="register key"),
        sa.Column("channel", sa.String(20), nullable=False, comment="email or dpo"),
        sa.Column("state", sa.String(20), nullable=False, comment="pending, sent, queued, skipped"),
        sa.Column("draft", sa.Text(), nullable=True, comment="the notice as drafted, sealed"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0", comment="count"),
        sa.Column("created_at", sa.String(_AT), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("sent_at", sa.String(_AT), nullable=True, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint(
            "request_id", "kind", "event", "recipient", name=op.f("uq_notices_request_id")
        ),
    )
    op.create_index(op.f("ix_notices_state"), "notices", ["state", "created_at"])
    op.create_table(
        "policy_notices",
        sa.Column("version", sa.String(64), nullable=False, comment="register hash of the version"),
        sa.Column("person", sa.String(64), nullable=False, comment="pseudonym"),
        sa.Column("sent_at", sa.String(_AT), nullable=False, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("version", "person", name=op.f("pk_policy_notices")),
    )


def downgrade() -> None:
    op.drop_table("policy_notices")
    op.drop_index(op.f("ix_notices_state"), table_name="notices")
    op.drop_table("notices")
    op.drop_index(op.f("ix_webhook_deliveries_webhook_id"), table_name="webhook_deliveries")
    op.drop_index(op.f("ix_webhook_deliveries_state"), table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
