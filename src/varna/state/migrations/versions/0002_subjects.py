"""Restrictions of processing (Art. 18) and the direct-marketing suppression list (Art. 21(3)).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "restrictions",
        sa.Column("id", sa.String(40), nullable=False, comment="rs_ + 32 hex"),
        sa.Column("subject", sa.String(64), nullable=False, comment="pseudonym of the person"),
        sa.Column("ground", sa.String(40), nullable=False, comment="Art. 18(1) point, e.g. a"),
        sa.Column("restricted_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("lifted_at", sa.String(32), nullable=True, comment="ISO-8601 UTC or null"),
        sa.Column("lift_reason", sa.String(200), nullable=True, comment="why it was lifted"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restrictions")),
    )
    op.create_index(op.f("ix_restrictions_subject"), "restrictions", ["subject"])
    op.create_table(
        "restriction_subjects",
        sa.Column("restriction_id", sa.String(40), nullable=False),
        sa.Column("pseudonym", sa.String(64), nullable=False, comment="one identity"),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_subjects_restriction_id_restrictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "restriction_id", "pseudonym", name=op.f("pk_restriction_subjects")
        ),
    )
    op.create_index(
        op.f("ix_restriction_subjects_pseudonym"), "restriction_subjects", ["pseudonym"]
    )
    op.create_table(
        "restriction_rows",
        sa.Column("restriction_id", sa.String(40), nullable=False),
        sa.Column("system", sa.String(200), nullable=False, comment="register system key"),
        sa.Column("table_name", sa.String(200), nullable=False, comment="table in it"),
        sa.Column("row_key", sa.String(1000), nullable=False, comment="primary key as JSON"),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_rows_restriction_id_restrictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "restriction_id", "system", "table_name", "row_key", name=op.f("pk_restriction_rows")
        ),
    )
    op.create_index(
        op.f("ix_restriction_rows_system"), "restriction_rows", ["system", "table_name"]
    )
    op.create_table(
        "suppressions",
        sa.Column("pseudonym", sa.String(64), nullable=False, comment="one identity"),
        sa.Column("kind", sa.String(40), nullable=False, comment="identity kind, e.g. email"),
        sa.Column("added_at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("source", sa.String(200), nullable=False, comment="objection, import, ..."),
        sa.PrimaryKeyConstraint("pseudonym", name=op.f("pk_suppressions")),
    )


def downgrade() -> None:
    op.drop_table("suppressions")
    op.drop_index(op.f("ix_restriction_rows_system"), table_name="restriction_rows")
    op.drop_table("restriction_rows")
    op.drop_index(op.f("ix_restriction_subjects_pseudonym"), table_name="restriction_subjects")
    op.drop_table("restriction_subjects")
    op.drop_index(op.f("ix_restrictions_subject"), table_name="restrictions")
    op.drop_table("restrictions")
