"""The consent ledger: every grant and withdrawal, per purpose, with its proof.

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consent_records",
        sa.Column("seq", _seq, autoincrement=True, nullable=False, comment="write order"),
        sa.Column("event", sa.String(40), nullable=False, comment="one grant or withdrawal"),
        sa.Column("subject", sa.String(64), nullable=False, comment="pseudonym"),
        sa.Column("subject_kind", sa.String(10), nullable=False, comment="person or device"),
        sa.Column("purpose", sa.String(100), nullable=False, comment="purpose or cookie category"),
        sa.Column("granted", sa.Boolean(), nullable=False, comment="true: given, false: withdrawn"),
        sa.Column("notice", sa.String(64), nullable=False, comment="hash of the notice"),
        sa.Column("policy_version", sa.String(100), nullable=True, comment="the policy shown"),
        sa.Column("vendors", sa.Text(), nullable=False, comment="JSON list of vendors"),
        sa.Column("channel", sa.String(10), nullable=False, comment="banner, form, api, import"),
        sa.Column("at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("actor", sa.String(200), nullable=False, comment="who recorded it"),
        sa.Column("audit_seq", _seq, nullable=False, comment="the audit entry that proves it"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_consent_records")),
    )
    op.create_index(
        op.f("ix_consent_records_subject"), "consent_records", ["subject", "purpose", "at"]
    )
    op.create_index(op.f("ix_consent_records_event"), "consent_records", ["event"])


def downgrade() -> None:
    op.drop_table("consent_records")
