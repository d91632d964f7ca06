"""One-time verification codes, the requester's sealed contact details and the answers kept for
download.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.String(40), nullable=False, comment="random; the challenge"),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False, comment="email"),
        sa.Column("address", sa.String(64), nullable=False, comment="pseudonym"),
        sa.Column("client", sa.String(64), nullable=False, comment="keyed client hash"),
        sa.Column("code_hash", sa.String(64), nullable=False, comment="HMAC of the code"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("expires_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("tries", sa.Integer(), server_default="0", nullable=False, comment="wrong codes"),
        sa.Column("used_at", sa.String(32), nullable=True, comment="when it verified"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_verification_codes_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_codes")),
    )
    op.create_index(
        op.f("ix_verification_codes_address"), "verification_codes", ["address", "created_at"]
    )
    op.create_index(
        op.f("ix_verification_codes_client"), "verification_codes", ["client", "created_at"]
    )
    op.create_index(op.f("ix_verification_codes_request_id"), "verification_codes", ["request_id"])
    op.create_table(
        "request_contacts",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False, comment="encrypted identities and address"),
        sa.Column("updated_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_contacts_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_request_contacts")),
    )
    op.create_table(
        "request_answers",
        sa.Column("id", sa.String(40), nullable=False, comment="random; the download name"),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False, comment="what the file is called"),
        sa.Column("media_type", sa.String(100), nullable=False, comment="e.g. application/pdf"),
        sa.Column("sealed", sa.LargeBinary(), nullable=False, comment="the encrypted document"),
        sa.Column("created_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("expires_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("downloads", sa.Integer(), server_default="0", nullable=False, comment="count"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_answers_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_answers")),
    )
    op.create_index(op.f("ix_request_answers_request_id"), "request_answers", ["request_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_request_answers_request_id"), table_name="request_answers")
    op.drop_table("request_answers")
    op.drop_table("request_contacts")
    op.drop_index(op.f("ix_verification_codes_request_id"), table_name="verification_codes")
    op.drop_index(op.f("ix_verification_codes_client"), table_name="verification_codes")
    op.drop_index(op.f("ix_verification_codes_address"), table_name="verification_codes")
    op.drop_table("verification_codes")
