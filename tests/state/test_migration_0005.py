"""Migration 0005 merges the duplicates earlier versions could leave (check, then insert, with
no lock) before it creates the unique partial indexes, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from varna.errors import StateError
from varna.state import open_state

AT = "2026-11-{:02d}T09:00:00.000000+00:00"


def test_duplicates_are_merged_then_made_impossible(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate("0004")
        with state.write() as conn:
            for i, (subject, kind, closed) in enumerate(
                [
                    ("ps_a", "access", None),
                    ("ps_a", "access", None),
                    ("ps_a", "access", AT.format(1)),
                    ("ps_a", "erasure", None),
                    ("ps_b", "access", None),
                ],
                start=1,
            ):
                conn.execute(
                    sa.text(
                        "INSERT INTO requests (id, kind, subject, pseudonyms, received_at, due, "
                        "closed_at) VALUES (:id, :kind, :s, :p, :at, '2026-12-21', :closed)"
                    ),
                    {
                        "id": f"dsr_{i}",
                        "kind": kind,
                        "s": subject,
                        "p": f'["{subject}"]',
                        "at": AT.format(i + 1),
                        "closed": closed,
                    },
                )
            for rid, key in [("dsr_1", "[1]"), ("dsr_2", "[1]"), ("dsr_2", "[2]")]:
                conn.execute(
                    sa.text("INSERT INTO request_rows VALUES (:r, 'crm', 'customers', :k)"),
                    {"r": rid, "k": key},
                )
            for i in (1, 2):
                conn.execute(
                    sa.text(
                        "INSERT INTO restrictions (id, subject, ground, restricted_at) "
                        "VALUES (:id, 'ps_a', 'legal_claims', :at)"
                    ),
                    {"id": f"rs_{i}", "at": AT.format(i)},
                )
                conn.execute(
                    sa.text("INSERT INTO restriction_subjects VALUES (:id, :p)"),
                    {"id": f"rs_{i}", "p": f"ps_a{i}"},
                )
        state.migrate()
        with state.read() as conn:
            rows = conn.execute(
                sa.text("SELECT id, state, closed_at IS NULL, reason FROM requests ORDER BY id")
            ).all()
            kept = (
                conn.execute(
                    sa.text(
                        "SELECT row_key FROM request_rows WHERE request_id = 'dsr_1' ORDER BY 1"
                    )
                )
                .scalars()
                .all()
            )
            active = (
                conn.execute(sa.text("SELECT id FROM restrictions WHERE lifted_at IS NULL"))
                .scalars()
                .all()
            )
            names = (
                conn.execute(
                    sa.text(
                        "SELECT pseudonym FROM restriction_subjects WHERE restriction_id = 'rs_1'"
                        " ORDER BY 1"
                    )
                )
                .scalars()
                .all()
            )
        assert rows == [
            ("dsr_1", "received", True, None),
            ("dsr_2", "withdrawn", False, "merged into dsr_1 (migration 0005)"),
            ("dsr_3", "answered", False, None),
            ("dsr_4", "received", True, None),
            ("dsr_5", "received", True, None),
        ]
        assert kept == ["[1]", "[2]"]
        assert active == ["rs_1"]
        assert names == ["ps_a1", "ps_a2"]
        with (
            pytest.raises(StateError, match=r"uq_requests_open|UNIQUE constraint failed"),
            state.write() as conn,
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO requests (id, kind, subject, pseudonyms, received_at, due) "
                    "VALUES ('dsr_9', 'access', 'ps_a', '[]', :at, '2026-12-21')"
                ),
                {"at": AT.format(9)},
            )
