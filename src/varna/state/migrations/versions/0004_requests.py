"""Data-subject requests received and not yet answered, with their rows kept from retention.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.String(40), nullable=False, comment="rq_ + 32 hex"),
        sa.Column("kind", sa.String(40), nullable=False, comment="access, erasure, ..."),
        sa.Column("subject", sa.String(64), nullable=False, comment="pseudonym"),
        sa.Column("pseudonyms", sa.Text(), nullable=False, comment="JSON list of every pseudonym"),
        sa.Column("received_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("due", sa.String(10), nullable=False, comment="Art. 12(3) deadline, YYYY-MM-DD"),
        sa.Column("closed_at", sa.String(32), nullable=True, comment="when it was answered"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
    )
    op.create_index(op.f("ix_requests_subject"), "requests", ["subject"])
    op.create_table(
        "request_rows",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("system", sa.String(200), nullable=False, comment="register system key"),
        sa.Column("table_name", sa.String(200), nullable=False, comment="table in it"),
        sa.Column("row_key", sa.String(1000), nullable=False, comment="primary key as JSON"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_rows_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "system", "table_name", "row_key", name=op.f("pk_request_rows")
        ),
    )
    op.create_index(op.f("ix_request_rows_system"), "request_rows", ["system", "table_name"])


def downgrade() -> None:
    op.drop_index(op.f("ix_request_rows_system"), table_name="request_rows")
    op.drop_table("request_rows")
    op.drop_index(op.f("ix_requests_subject"), table_name="requests")
    op.drop_table("requests")
