"""The tables of Varna's own state database, as SQLAlchemy Core.

This module describes the *current* schema; the migrations in ``migrations/versions`` build it
step by step and a test checks that both agree. A new table is a new ``Table`` here plus a new
migration, never an edit of an old migration.

Tables so far:

``audit_events``
    The append-only, hash-chained audit log: the evidence that lets the controller demonstrate
    compliance (GDPR Art. 5(2) accountability) and keep the Art. 30 record honest. Written only by
    :mod:`varna.audit`; rows are never updated or deleted.
``audit_head``
    One row holding the last sequence number and hash of the log, updated in the same transaction
    as every append. Appends lock this row, which serialises writers so the chain never forks; it
    also lets ``verify`` notice a truncated tail, which a chain alone cannot show.
"""

from __future__ import annotations

import sqlalchemy as sa

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

#: A 64-bit sequence number; on SQLite an ``INTEGER PRIMARY KEY`` so it is the rowid itself and
#: a scan in ``seq`` order reads the table b-tree directly (no separate index).
SeqType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

HASH_LENGTH = 64  # hex of HMAC-SHA256
AT_LENGTH = 32  # "2025-01-31T12:00:00.000000+00:00"

audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column(
        "seq", SeqType, primary_key=True, autoincrement=False, comment="1, 2, 3, ... no gaps"
    ),
    sa.Column("at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC, microseconds"),
    sa.Column("actor", sa.String(200), nullable=False, comment="who acted: a user or a job"),
    sa.Column("action", sa.String(100), nullable=False, comment="dotted, e.g. dsr.access.executed"),
    sa.Column("subject", sa.String(64), nullable=True, comment="keyed pseudonym of the person"),
    sa.Column(
        "target", sa.String(200), nullable=True, comment="what was acted on, e.g. crm.customers"
    ),
    sa.Column("details", sa.Text(), nullable=False, comment="canonical JSON, never personal data"),
    sa.Column("prev_hash", sa.String(HASH_LENGTH), nullable=False, comment="hash of seq - 1"),
    sa.Column("hash", sa.String(HASH_LENGTH), nullable=False, comment="HMAC-SHA256 of this entry"),
    sa.Index(None, "subject"),
)

audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("last_seq", SeqType, nullable=False, comment="seq of the newest entry, 0 if none"),
    sa.Column("last_hash", sa.String(HASH_LENGTH), nullable=True, comment="hash of that entry"),
    sa.Column(
        "mac", sa.String(HASH_LENGTH), nullable=True, comment="HMAC over last_seq, last_hash"
    ),
    sa.CheckConstraint("id = 1", name="single_row"),
)

#: The primary key of the only row of ``audit_head``.
AUDIT_HEAD_ID = 1
