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
``restrictions``, ``restriction_subjects``, ``restriction_rows``
    Restrictions of processing (GDPR Art. 18): who (keyed pseudonyms of every identity of the
    person, never the identities), on which ground, since when and until when, and the rows in
    the systems that hold the person's data, so that retention keeps them while it lasts.
``requests``, ``request_rows``, ``request_moves``
    Data-subject requests (GDPR Art. 12): a reference the person can quote, the kind, the state
    of its lifecycle (:mod:`varna.dsr.requests`), when received, the Art. 12(3) deadline fixed
    then and any extension with its reason, the verification, who prepared and who approved,
    the person's pseudonyms and rows (kept from retention until answered), and every move made.
    One open request per kind and person, and one active restriction per person, are unique
    partial indexes: a concurrent duplicate cannot be written whatever the code above does.
``erasure_journal``
    Erasures under way (GDPR Art. 17): the whole plan of a request before its first system is
    touched, and the systems done, so a re-run in any process finishes it after a crash.
``suppressions``
    The direct-marketing suppression list (GDPR Art. 21(3)): one keyed pseudonym per identity of
    every person who objected, so a later import can be screened without keeping their address.
``webhooks``, ``webhook_deliveries``, ``notices``, ``policy_notices``
    Who follows request events and every delivery to them; notices to the person at each step
    and to recipients (Art. 19); who was told of a material policy change (Art. 12-14).
``discovery_units``
    A discovery scan fanned out over workers (PostgreSQL): one row per table or file of the
    scan, claimed by the one job that scans it; its survey (labels, counts, masked examples,
    never values) is stored when done, and the report merges the rows of the scan.
``consent_records``
    The consent ledger (GDPR Art. 7(1)): every grant and withdrawal, one row per purpose, of a
    person (keyed pseudonym) or a browser (keyed pseudonym of its random device id), with the
    notice shown, the channel and the audit entry that proves it. Rows are never updated.
``breaches``, ``breach_events``
    The breach register (GDPR Art. 33(5)): every personal data breach, notified or not, as it
    stands (awareness, nature, counts, risk, IMY notification, closing) and, append-only, every
    change that made it so. Counts and categories only, never a person's data.
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
    # the newest event of an action (the overview's last retention run) without a scan
    sa.Index(None, "action", "seq"),
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

PSEUDONYM_LENGTH = 64
ID_LENGTH = 40
NAME_LENGTH = 200

restrictions = sa.Table(
    "restrictions",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="rs_ + 32 hex"),
    sa.Column(
        "subject", sa.String(PSEUDONYM_LENGTH), nullable=False, comment="pseudonym of the person"
    ),
    sa.Column("ground", sa.String(40), nullable=False, comment="Art. 18(1) point, e.g. a"),
    sa.Column("restricted_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("lifted_at", sa.String(AT_LENGTH), nullable=True, comment="ISO-8601 UTC or null"),
    sa.Column("lift_reason", sa.String(NAME_LENGTH), nullable=True, comment="why it was lifted"),
    sa.Index(None, "subject"),
    sa.Index(
        "uq_restrictions_active",
        "subject",
        unique=True,
        sqlite_where=sa.text("lifted_at IS NULL"),
        postgresql_where=sa.text("lifted_at IS NULL"),
    ),
)

restriction_subjects = sa.Table(
    "restriction_subjects",
    metadata,
    sa.Column(
        "restriction_id",
        sa.String(ID_LENGTH),
        sa.ForeignKey("restrictions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("pseudonym", sa.String(PSEUDONYM_LENGTH), primary_key=True, comment="one identity"),
    sa.Index(None, "pseudonym"),
)


def _pinned_rows(name: str, parent: str, key: str) -> sa.Table:
    """Rows of the organisation's systems kept for an entry of ``parent`` (by ``key``)."""
    return sa.Table(
        name,
        metadata,
        sa.Column(
            key,
            sa.String(ID_LENGTH),
            sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "system", sa.String(NAME_LENGTH), primary_key=True, comment="register system key"
        ),
        sa.Column("table_name", sa.String(NAME_LENGTH), primary_key=True, comment="table in it"),
        sa.Column("row_key", sa.String(1000), primary_key=True, comment="primary key as JSON"),
        sa.Index(None, "system", "table_name"),
    )


restriction_rows = _pinned_rows("restriction_rows", "restrictions", "restriction_id")

suppressions = sa.Table(
    "suppressions",
    metadata,
    sa.Column("pseudonym", sa.String(PSEUDONYM_LENGTH), primary_key=True, comment="one identity"),
    sa.Column("kind", sa.String(40), nullable=False, comment="identity kind, e.g. email"),
    sa.Column("added_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("source", sa.String(NAME_LENGTH), nullable=False, comment="objection, import, ..."),
)

erasure_journal = sa.Table(
    "erasure_journal",
    metadata,
    sa.Column("request_id", sa.String(ID_LENGTH), primary_key=True, comment="keyed request name"),
    sa.Column("body", sa.Text(), nullable=False, comment="plan and systems done, as JSON"),
)

REASON_LENGTH = 500

requests = sa.Table(
    "requests",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="reference, R-2026-XXXX-XXXX"),
    sa.Column("kind", sa.String(40), nullable=False, comment="access, erasure, ..."),
    sa.Column("subject", sa.String(PSEUDONYM_LENGTH), nullable=False, comment="pseudonym"),
    sa.Column("pseudonyms", sa.Text(), nullable=False, comment="JSON list of every pseudonym"),
    sa.Column("received_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("due", sa.String(10), nullable=False, comment="Art. 12(3) deadline, YYYY-MM-DD"),
    sa.Column("closed_at", sa.String(AT_LENGTH), nullable=True, comment="when it was closed"),
    sa.Column(
        "state", sa.String(40), nullable=False, server_default="received", comment="lifecycle"
    ),
    sa.Column("audit_subject", sa.String(PSEUDONYM_LENGTH), nullable=True, comment="audit name"),
    sa.Column("extended_due", sa.String(10), nullable=True, comment="extended deadline"),
    sa.Column("extension_reason", sa.String(REASON_LENGTH), nullable=True, comment="why"),
    sa.Column("assurance", sa.String(40), nullable=True, comment="verification assurance"),
    sa.Column("verified_by", sa.String(NAME_LENGTH), nullable=True, comment="method or actor"),
    sa.Column("prepared_by", sa.String(NAME_LENGTH), nullable=True, comment="role:name"),
    sa.Column("approved_by", sa.String(NAME_LENGTH), nullable=True, comment="role:name"),
    sa.Column("reason", sa.String(REASON_LENGTH), nullable=True, comment="refusal or failure"),
    sa.Column("updated_at", sa.String(AT_LENGTH), nullable=True, comment="last move"),
    sa.Index(None, "subject"),
    sa.Index(None, "received_at"),  # the overview's requests per month
    sa.Index(
        "uq_requests_open",
        "subject",
        "kind",
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    ),
)

#: The console's queue sorts by the deadline that holds, earliest first: the open requests (a
#: partial index) and all of them, so a page is read in order instead of sorting every request.
_deadline = sa.func.coalesce(requests.c.extended_due, requests.c.due)
sa.Index(
    "ix_requests_open_deadline",
    _deadline,
    requests.c.received_at,
    requests.c.id,
    sqlite_where=sa.text("closed_at IS NULL"),
    postgresql_where=sa.text("closed_at IS NULL"),
)
sa.Index("ix_requests_deadline", _deadline, requests.c.received_at, requests.c.id)

request_moves = sa.Table(
    "request_moves",
    metadata,
    sa.Column(
        "request_id",
        sa.String(ID_LENGTH),
        sa.ForeignKey("requests.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False, comment="1, 2, ..."),
    sa.Column("at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("action", sa.String(40), nullable=False, comment="receive, verify, approve, ..."),
    sa.Column("state", sa.String(40), nullable=False, comment="state after the move"),
    sa.Column("actor", sa.String(NAME_LENGTH), nullable=False, comment="role:name"),
    sa.Column("note", sa.String(REASON_LENGTH), nullable=True, comment="reason, never data"),
)

request_rows = _pinned_rows("request_rows", "requests", "request_id")

verification_codes = sa.Table(
    "verification_codes",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="random; the challenge"),
    sa.Column(
        "request_id",
        sa.String(ID_LENGTH),
        sa.ForeignKey("requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("channel", sa.String(20), nullable=False, comment="email"),
    sa.Column("address", sa.String(PSEUDONYM_LENGTH), nullable=False, comment="pseudonym"),
    sa.Column("client", sa.String(PSEUDONYM_LENGTH), nullable=False, comment="keyed client hash"),
    sa.Column("code_hash", sa.String(HASH_LENGTH), nullable=False, comment="HMAC of the code"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("expires_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("tries", sa.Integer(), nullable=False, server_default="0", comment="wrong codes"),
    sa.Column("used_at", sa.String(AT_LENGTH), nullable=True, comment="when it verified"),
    sa.Index(None, "address", "created_at"),
    sa.Index(None, "client", "created_at"),
    sa.Index(None, "request_id"),
)
"""One-time codes sent to prove control of an address (GDPR Art. 12(6)): only a keyed hash of
the code, the address and the client are kept."""

request_contacts = sa.Table(
    "request_contacts",
    metadata,
    sa.Column(
        "request_id",
        sa.String(ID_LENGTH),
        sa.ForeignKey("requests.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("sealed", sa.Text(), nullable=False, comment="encrypted identities and address"),
    sa.Column("updated_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
)
"""How to reach the person who asked, and the identities they gave, encrypted under a key
derived from the installation key, until the request is answered."""

request_answers = sa.Table(
    "request_answers",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="random; the download name"),
    sa.Column(
        "request_id",
        sa.String(ID_LENGTH),
        sa.ForeignKey("requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "filename", sa.String(NAME_LENGTH), nullable=False, comment="what the file is called"
    ),
    sa.Column("media_type", sa.String(100), nullable=False, comment="e.g. application/pdf"),
    sa.Column("sealed", sa.LargeBinary(), nullable=False, comment="the encrypted document"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("expires_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("downloads", sa.Integer(), nullable=False, server_default="0", comment="count"),
    sa.Index(None, "request_id"),
)
"""The answer to a request (the extract, the portability archive, a receipt), encrypted, kept
for the person to download until it expires; every download is audited."""

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="the key's public prefix"),
    sa.Column("name", sa.String(NAME_LENGTH), nullable=False, comment="what it is for"),
    sa.Column("secret_hash", sa.String(HASH_LENGTH), nullable=False, comment="SHA-256 of the key"),
    sa.Column("scopes", sa.String(200), nullable=False, comment="space-separated scopes"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("created_by", sa.String(NAME_LENGTH), nullable=False, comment="who made it"),
    sa.Column("revoked_at", sa.String(AT_LENGTH), nullable=True, comment="when it was revoked"),
)
"""Keys of the REST API: only a hash of each key is kept; the key is shown once."""

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("api_key", sa.String(ID_LENGTH), primary_key=True, comment="whose key"),
    sa.Column("key_hash", sa.String(HASH_LENGTH), primary_key=True, comment="Idempotency-Key"),
    sa.Column("request_id", sa.String(ID_LENGTH), nullable=False, comment="the request made"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
)
"""Submissions through the API by idempotency key: a retried submission returns the first
request instead of making another."""

rate_windows = sa.Table(
    "rate_windows",
    metadata,
    sa.Column("key", sa.String(HASH_LENGTH), primary_key=True, comment="keyed hash; no address"),
    sa.Column("window", sa.BigInteger, primary_key=True, comment="the window's number"),
    sa.Column("hits", sa.Integer, nullable=False, comment="requests counted in it"),
)
"""Requests per client and surface in fixed windows, shared by every process of a PostgreSQL
installation (the web rate limits): the client's address only as a keyed hash, and only until
its window is swept."""

webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="random; wh_..."),
    sa.Column("url", sa.String(2000), nullable=False, comment="where deliveries are POSTed"),
    sa.Column("events", sa.String(500), nullable=False, comment="space-separated; * for all"),
    sa.Column("secret", sa.Text(), nullable=False, comment="the signing secret, sealed"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("created_by", sa.String(NAME_LENGTH), nullable=False, comment="who added it"),
    sa.Column("removed_at", sa.String(AT_LENGTH), nullable=True, comment="when it was removed"),
)
"""Receivers of request events (a ticket system): the signing secret is sealed with a key
derived from the installation key, since it must be usable for signing."""

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="random; the delivery id"),
    sa.Column("webhook_id", sa.String(ID_LENGTH), nullable=False, comment="the receiver"),
    sa.Column("event", sa.String(100), nullable=False, comment="e.g. request.verified"),
    sa.Column("request_id", sa.String(ID_LENGTH), nullable=True, comment="the request"),
    sa.Column("payload", sa.Text(), nullable=False, comment="the JSON body (no personal data)"),
    sa.Column("state", sa.String(20), nullable=False, comment="pending, delivered or failed"),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0", comment="count"),
    sa.Column("next_at", sa.String(AT_LENGTH), nullable=False, comment="next try, ISO-8601 UTC"),
    sa.Column("last_status", sa.Integer(), nullable=True, comment="HTTP status of the last try"),
    sa.Column("last_error", sa.String(NAME_LENGTH), nullable=True, comment="why it failed"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("delivered_at", sa.String(AT_LENGTH), nullable=True, comment="ISO-8601 UTC"),
    sa.Index(None, "state", "next_at"),
    sa.Index(None, "webhook_id", "created_at"),
)
"""Every delivery of an event to a webhook, written in the transaction of the move it reports,
and its tries (the delivery log)."""

notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True, comment="random; nt_..."),
    sa.Column("request_id", sa.String(ID_LENGTH), nullable=False, comment="the request"),
    sa.Column("kind", sa.String(20), nullable=False, comment="person or recipient (Art. 19)"),
    sa.Column("event", sa.String(40), nullable=False, comment="the step told about"),
    sa.Column("recipient", sa.String(NAME_LENGTH), nullable=False, comment="register key"),
    sa.Column("channel", sa.String(20), nullable=False, comment="email or dpo"),
    sa.Column("state", sa.String(20), nullable=False, comment="pending, sent, queued, skipped"),
    sa.Column("draft", sa.Text(), nullable=True, comment="the notice as drafted, sealed"),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0", comment="count"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("sent_at", sa.String(AT_LENGTH), nullable=True, comment="ISO-8601 UTC"),
    sa.UniqueConstraint("request_id", "kind", "event", "recipient"),
    sa.Index(None, "state", "created_at"),
)
"""Notices about a request: to the person at each step (Art. 12), and to each recipient of the
affected data after an erasure, rectification or restriction (Art. 19), written in the move's
transaction and sent by a job; one per request, step and recipient."""

policy_notices = sa.Table(
    "policy_notices",
    metadata,
    sa.Column("version", sa.String(64), primary_key=True, comment="register hash of the version"),
    sa.Column("person", sa.String(PSEUDONYM_LENGTH), primary_key=True, comment="pseudonym"),
    sa.Column("sent_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
)
"""Who was told of a policy version with material changes: a keyed pseudonym of the normalised
address per person, so a resumed run never sends twice."""
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True, comment="the sign-in name"),
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
    sa.Column("locked_until", sa.String(AT_LENGTH), nullable=True, comment="backoff until"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("disabled_at", sa.String(AT_LENGTH), nullable=True, comment="when disabled"),
)
"""Console users: the password only as an argon2id hash, the TOTP secret sealed under the
installation key, the failed sign-ins that make the next attempt wait."""

console_sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("id_hash", sa.String(HASH_LENGTH), primary_key=True, comment="SHA-256 of the id"),
    sa.Column("user_name", sa.String(100), nullable=False, index=True, comment="whose"),
    sa.Column("stage", sa.String(10), nullable=False, comment="password (TOTP owed) or full"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("last_seen", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
)
"""Console sessions: only a hash of the random id the browser holds; a session ends when it is
deleted (sign-out, idle, its absolute lifetime, the user disabled)."""
consent_records = sa.Table(
    "consent_records",
    metadata,
    sa.Column("seq", SeqType, primary_key=True, autoincrement=True, comment="write order"),
    sa.Column("event", sa.String(ID_LENGTH), nullable=False, comment="one grant or withdrawal"),
    sa.Column("subject", sa.String(PSEUDONYM_LENGTH), nullable=False, comment="pseudonym"),
    sa.Column("subject_kind", sa.String(10), nullable=False, comment="person or device"),
    sa.Column("purpose", sa.String(100), nullable=False, comment="purpose or cookie category"),
    sa.Column("granted", sa.Boolean(), nullable=False, comment="true: given, false: withdrawn"),
    sa.Column("notice", sa.String(HASH_LENGTH), nullable=False, comment="hash of the notice"),
    sa.Column("policy_version", sa.String(100), nullable=True, comment="the policy shown"),
    sa.Column("vendors", sa.Text(), nullable=False, comment="JSON list of vendors"),
    sa.Column("channel", sa.String(10), nullable=False, comment="banner, form, api, import"),
    sa.Column("at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("actor", sa.String(NAME_LENGTH), nullable=False, comment="who recorded it"),
    sa.Column("audit_seq", SeqType, nullable=False, comment="the audit entry that proves it"),
    sa.Index(None, "subject", "purpose", "at"),
    sa.Index(None, "event"),
)

staff_members = sa.Table(
    "staff_members",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True, comment="staff name, e.g. anna.berg"),
    sa.Column("email", sa.String(320), nullable=True, comment="where reminders go"),
    sa.Column("joined_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("left_at", sa.String(AT_LENGTH), nullable=True, comment="no more reminders"),
)
"""The staff whose training on and acknowledgement of the policy is followed (Art. 39(1)(b))."""

staff_policy_events = sa.Table(
    "staff_policy_events",
    metadata,
    sa.Column("seq", SeqType, primary_key=True, autoincrement=True, comment="write order"),
    sa.Column("name", sa.String(100), nullable=False, comment="the staff member"),
    sa.Column("version", sa.Integer(), nullable=False, comment="policy version number, 1, 2, ..."),
    sa.Column("kind", sa.String(20), nullable=False, comment="trained, acknowledged, reminded"),
    sa.Column("at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("recorded_by", sa.String(NAME_LENGTH), nullable=False, comment="who recorded it"),
    sa.Index(None, "name", "version"),
    sa.Index(None, "version", "kind", "name", unique=True),
)
"""Who was trained on, acknowledged or reminded of which policy version, and when
(Art. 5(2), 24); once per person, version and kind."""

discovery_units = sa.Table(
    "discovery_units",
    metadata,
    sa.Column("scan_id", sa.String(ID_LENGTH), primary_key=True, comment="one scan"),
    sa.Column("system", sa.String(NAME_LENGTH), primary_key=True, comment="register system"),
    sa.Column("unit", sa.String(1000), primary_key=True, comment="table or file"),
    sa.Column("sample", sa.Integer(), nullable=True, comment="rows per table; null: all"),
    sa.Column("runs", sa.Integer(), nullable=False, comment="times a job scanned it"),
    sa.Column("survey", sa.Text(), nullable=True, comment="JSON survey; null until scanned"),
    sa.Column("done_at", sa.String(AT_LENGTH), nullable=True, comment="ISO-8601 UTC"),
)
"""Units of fanned-out discovery scans: which job scanned what, and what it observed (no
values: labels, counts, confidence and masked examples)."""
breaches = sa.Table(
    "breaches",
    metadata,
    sa.Column("ref", sa.String(20), primary_key=True, comment="B-YYYYMMDD-XXXX"),
    sa.Column("version", sa.Integer(), nullable=False, comment="events so far"),
    sa.Column("state", sa.String(10), nullable=False, comment="open or closed"),
    sa.Column("aware_at", sa.String(AT_LENGTH), nullable=False, comment="the 72-hour clock"),
    sa.Column("risk", sa.String(10), nullable=True, comment="none, risk, high; null: not assessed"),
    sa.Column("notified_at", sa.String(AT_LENGTH), nullable=True, comment="told IMY"),
    sa.Column("record", sa.Text(), nullable=False, comment="JSON: the record as it stands"),
    sa.Column("created_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("updated_at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Index(None, "state", "aware_at"),
)
"""Personal data breaches (GDPR Art. 33(5)): every breach, notified or not, as it stands now;
``breach_events`` keeps how it came to stand so. No personal data: counts and categories."""
breach_events = sa.Table(
    "breach_events",
    metadata,
    sa.Column("seq", SeqType, primary_key=True, autoincrement=True, comment="write order"),
    sa.Column("ref", sa.String(20), nullable=False, comment="the breach"),
    sa.Column("version", sa.Integer(), nullable=False, comment="the breach's version after it"),
    sa.Column("action", sa.String(40), nullable=False, comment="recorded, updated, assessed..."),
    sa.Column("at", sa.String(AT_LENGTH), nullable=False, comment="ISO-8601 UTC"),
    sa.Column("actor", sa.String(NAME_LENGTH), nullable=False, comment="who"),
    sa.Column("changes", sa.Text(), nullable=False, comment="JSON: the fields it set"),
    sa.UniqueConstraint("ref", "version"),
)
"""Every change of a breach, append-only: rows are never updated or deleted."""
