"""Console users and their sessions.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(100), nullable=False, comment="the sign-in name"),
        sa.Column("role", sa.String(20), nullable=False, comment="admin, dpo, case_handler, ..."),
        sa.Column(
            "special_categories",
            sa.Boolean(),
            nullable=False,
            comment="may see Art. 9 data unmasked",
        ),
        sa.Column("password_hash", sa.String(200), nullable=False, comment="argon2id PHC string"),
        sa.Column("totp_sealed", sa.Text(), nullable=True, comment="TOTP secret, sealed"),
        sa.Column("totp_step", sa.Integer(), nullable=False, comment="last TOTP step accepted"),
        sa.Column("failures", sa.Integer(), nullable=False, comment="failed sign-ins in a row"),
        sa.Column("locked_until", sa.String(32), nullable=True, comment="backoff until"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("disabled_at", sa.String(32), nullable=True, comment="when disabled"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False, comment="SHA-256 of the id"),
        sa.Column("user_name", sa.String(100), nullable=False, comment="whose"),
        sa.Column("stage", sa.String(10), nullable=False, comment="password (TOTP owed) or full"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("last_seen", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_console_sessions")),
    )
    op.create_index(
        op.f("ix_console_sessions_user_name"), "console_sessions", ["user_name"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_console_sessions_user_name"), table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("users")
