"""The request as a first-class object: lifecycle state, extension, verification, four eyes,
its moves; one open request per kind and person and one active restriction per person.

Before the unique partial indexes are created, duplicates left by earlier versions (which
checked, then inserted, without a lock) are merged: the earliest open request of a kind and
person keeps the later ones' rows and the later ones are closed as withdrawn with a note; the
earliest active restriction of a person keeps the later ones' identities and rows and the later
ones are lifted with a note.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_NOTE = "merged into {} (migration 0005)"
_NEW_COLUMNS = [
    ("state", sa.String(40), "lifecycle", "received"),
    ("audit_subject", sa.String(64), "audit name", None),
    ("extended_due", sa.String(10), "extended deadline", None),
    ("extension_reason", sa.String(500), "why", None),
    ("assurance", sa.String(40), "verification assurance", None),
    ("verified_by", sa.String(200), "method or actor", None),
    ("prepared_by", sa.String(200), "role:name", None),
    ("approved_by", sa.String(200), "role:name", None),
    ("reason", sa.String(500), "refusal or failure", None),
    ("updated_at", sa.String(32), "last move", None),
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _merge_rows(conn: sa.Connection, table: str, key: str, keep: str, drop: str) -> None:
    conn.execute(
        sa.text(
            f"INSERT INTO {table} ({key}, system, table_name, row_key) "
            f"SELECT CAST(:keep AS VARCHAR(40)), system, table_name, row_key FROM {table} d "
            f"WHERE d.{key} = :drop "
            f"AND NOT EXISTS (SELECT 1 FROM {table} k WHERE k.{key} = :keep "
            "AND k.system = d.system AND k.table_name = d.table_name AND k.row_key = d.row_key)"
        ),
        {"keep": keep, "drop": drop},
    )


def _merge_duplicate_requests(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT id, subject, kind FROM requests WHERE closed_at IS NULL "
            "ORDER BY received_at, id"
        )
    ).all()
    first: dict[tuple[str, str], str] = {}
    for rid, subject, kind in rows:
        keep = first.setdefault((subject, kind), rid)
        if keep == rid:
            continue
        _merge_rows(conn, "request_rows", "request_id", keep, rid)
        conn.execute(
            sa.text(
                "UPDATE requests SET state = 'withdrawn', closed_at = :at, reason = :note "
                "WHERE id = :id"
            ),
            {"at": _now(), "note": _NOTE.format(keep), "id": rid},
        )


def _merge_duplicate_restrictions(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT id, subject FROM restrictions WHERE lifted_at IS NULL "
            "ORDER BY restricted_at, id"
        )
    ).all()
    first: dict[str, str] = {}
    for rid, subject in rows:
        keep = first.setdefault(subject, rid)
        if keep == rid:
            continue
        _merge_rows(conn, "restriction_rows", "restriction_id", keep, rid)
        conn.execute(
            sa.text(
                "INSERT INTO restriction_subjects (restriction_id, pseudonym) "
                "SELECT CAST(:keep AS VARCHAR(40)), pseudonym FROM restriction_subjects d "
                "WHERE d.restriction_id = :drop "
                "AND NOT EXISTS (SELECT 1 FROM restriction_subjects k "
                "WHERE k.restriction_id = :keep AND k.pseudonym = d.pseudonym)"
            ),
            {"keep": keep, "drop": rid},
        )
        conn.execute(
            sa.text("UPDATE restrictions SET lifted_at = :at, lift_reason = :note WHERE id = :id"),
            {"at": _now(), "note": _NOTE.format(keep)[:200], "id": rid},
        )


def upgrade() -> None:
    for name, type_, comment, default in _NEW_COLUMNS:
        op.add_column(
            "requests",
            sa.Column(
                name,
                type_,
                nullable=default is None,
                server_default=default,
                comment=comment,
            ),
        )
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # SQLite keeps no column comments
        op.alter_column(
            "requests",
            "id",
            existing_type=sa.String(40),
            existing_nullable=False,
            comment="reference, R-2026-XXXX-XXXX",
            existing_comment="rq_ + 32 hex",
        )
        op.alter_column(
            "requests",
            "closed_at",
            existing_type=sa.String(32),
            existing_nullable=True,
            comment="when it was closed",
            existing_comment="when it was answered",
        )
    conn.execute(sa.text("UPDATE requests SET state = 'answered' WHERE closed_at IS NOT NULL"))
    _merge_duplicate_requests(conn)
    _merge_duplicate_restrictions(conn)
    op.create_index(
        "uq_requests_open",
        "requests",
        ["subject", "kind"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index(
        "uq_restrictions_active",
        "restrictions",
        ["subject"],
        unique=True,
        sqlite_where=sa.text("lifted_at IS NULL"),
        postgresql_where=sa.text("lifted_at IS NULL"),
    )
    op.create_table(
        "request_moves",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False, comment="1, 2, ..."),
        sa.Column("at", sa.String(32), nullable=False, comment="ISO-8601 UTC"),
        sa.Column("action", sa.String(40), nullable=False, comment="receive, verify, approve, ..."),
        sa.Column("state", sa.String(40), nullable=False, comment="state after the move"),
        sa.Column("actor", sa.String(200), nullable=False, comment="role:name"),
        sa.Column("note", sa.String(500), nullable=True, comment="reason, never data"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_moves_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "seq", name=op.f("pk_request_moves")),
    )


def downgrade() -> None:
    op.drop_table("request_moves")
    op.drop_index("uq_restrictions_active", table_name="restrictions")
    op.drop_index("uq_requests_open", table_name="requests")
    with op.batch_alter_table("requests") as batch:
        for name, *_ in reversed(_NEW_COLUMNS):
            batch.drop_column(name)
    if op.get_bind().dialect.name == "postgresql":
        for column, type_, nullable, old, new in [
            ("id", sa.String(40), False, "rq_ + 32 hex", "reference, R-2026-XXXX-XXXX"),
            ("closed_at", sa.String(32), True, "when it was answered", "when it was closed"),
        ]:
            op.alter_column(
                "requests",
                column,
                existing_type=type_,
                existing_nullable=nullable,
                comment=old,
                existing_comment=new,
            )
