"""API keys and idempotency keys of the REST API.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), nullable=False, comment="the key's public prefix"),
        sa.Column("name", sa.String(200), nullable=False, comment="what it is for"),
        sa.Column("secret_hash", sa.String(64), nullable=False, comment="SHA-256 of the key"),
        sa.Column("scopes", sa.String(200), nullable=False, comment="space-separated scopes"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("created_by", sa.String(200), nullable=False, comment="who made it"),
        sa.Column("revoked_at", sa.String(32), nullable=True, comment="when it was revoked"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("api_key", sa.String(40), nullable=False, comment="whose key"),
        sa.Column("key_hash", sa.String(64), nullable=False, comment="Idempotency-Key"),
        sa.Column("request_id", sa.String(40), nullable=False, comment="the request made"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("api_key", "key_hash", name=op.f("pk_idempotency_keys")),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("api_keys")
