"""Withdrawing consent does what the policy promises (GDPR Art. 7(3), 17(1)(b)), on the demo
company: the newsletter-only rows go, the invoices stay, the ledger proves both moves, lists
are screened; and the state of consent at any past time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from varna.core import Varna
from varna.core.consent_ops import notice_hash
from varna.errors import RequestError

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=40)
NOTICE = notice_hash("Ja, jag vill få nyhetsbrevet per e-post.", "2026-05")


def query(demo: Path, system: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(demo / "data" / f"{system}.db") as conn:
        return list(conn.execute(sql, args))


def subscriber_with_invoices(demo: Path) -> tuple[str, str]:
    """A newsletter subscriber who is also a customer with invoices: (e-mail, customer no)."""
    emails = {
        r[0].lower() for r in query(demo, "marketing", "SELECT email FROM newsletter_signups")
    }
    customers = query(
        demo, "crm", "SELECT email, customer_no FROM customers WHERE email IS NOT NULL"
    )
    billed = {r[0] for r in query(demo, "billing", "SELECT DISTINCT customer_no FROM invoices")}
    for email, number in customers:
        if email.lower() in emails and number in billed:
            return email, number
    raise AssertionError("the demo has no subscriber with invoices")


def counts(demo: Path, email: str, number: str) -> dict[str, int]:
    return {
        "newsletter": query(
            demo,
            "marketing",
            "SELECT count(*) FROM newsletter_signups WHERE lower(email) = ?",
            email.lower(),
        )[0][0],
        "invoices": query(
            demo, "billing", "SELECT count(*) FROM invoices WHERE customer_no = ?", number
        )[0][0],
        "customers": query(
            demo, "crm", "SELECT count(*) FROM customers WHERE customer_no = ?", number
        )[0][0],
    }


def test_withdrawal_erases_newsletter_only_data_and_keeps_invoices(
    varna: Varna, demo: Path
) -> None:
    email, number = subscriber_with_invoices(demo)
    who = [f"email={email}"]
    before = counts(demo, email, number)
    assert before["newsletter"] >= 1
    assert before["invoices"] >= 1
    varna.grant_consent(who, ["newsletter_email"], notice=NOTICE, now=T0, actor="test")

    plan = varna.withdraw_consent(who, ["newsletter_email"], now=T1, actor="test")
    assert plan.recorded is None
    assert plan.tables == ["marketing:newsletter_signups"]
    assert plan.suppress is True
    assert counts(demo, email, number) == before  # a dry run changes nothing
    assert varna.consent_status(who, "newsletter_email", at=T1).current is True

    done = varna.withdraw_consent(
        who, ["newsletter_email"], now=T1, actor="test", channel="form", execute=True
    )
    assert done.recorded is not None
    after = counts(demo, email, number)
    assert after == {**before, "newsletter": 0}
    # the recipients of the erased data are told (Art. 19): the mailing service and the host
    notices = varna.request_notices(done.recorded.id)
    assert sorted(n.recipient for n in notices) == ["email_service", "hosting"]
    assert done.notices == 2
    assert {n.event for n in notices} == {"consent_withdrawn"}
    draft = varna.recipient_draft(notices[0].id, done.recorded.id, lang="sv")
    assert email in draft["body"]
    assert "artikel 19" in draft["subject"]
    assert varna.ledger.suppressions.suppressed(
        varna.ledger.pseudonyms(varna.parse_identities(who, now=T1))
    )

    history = varna.consent_history(who, until=T1 + timedelta(days=1))
    assert [(e.purpose, e.granted, e.at, e.channel) for e in history] == [
        ("newsletter_email", True, T0, "api"),
        ("newsletter_email", False, T1, "form"),
    ]
    # each entry is proved by an entry of the audit log, and the chain still verifies
    events = {e.seq: e for e in varna.audit.iter_events()}
    assert events[history[0].audit_seq].action == "consent.granted"
    assert events[history[1].audit_seq].action == "consent.withdrawn"
    assert events[history[1].audit_seq].details["event"] == history[1].event
    assert email.lower() not in str(events[history[1].audit_seq].details).lower()
    assert varna.audit.verify().ok

    again = varna.withdraw_consent(who, ["newsletter_email"], now=T1, actor="test", execute=True)
    assert again.erasure.rows == ()
    assert again.receipts == []


AS_OF = [
    pytest.param(T0 - timedelta(minutes=1), False, "never_asked", id="before-the-grant"),
    pytest.param(T0 + timedelta(days=1), True, "granted", id="after-the-grant"),
    pytest.param(T1 + timedelta(minutes=1), False, "withdrawn", id="after-the-withdrawal"),
]


@pytest.mark.parametrize(("at", "current", "state"), AS_OF)
def test_state_of_consent_at_a_past_time(
    varna: Varna, demo: Path, at: datetime, current: bool, state: str
) -> None:
    email, _ = subscriber_with_invoices(demo)
    who = [f"email={email}"]
    varna.grant_consent(who, ["newsletter_email"], notice=NOTICE, now=T0, actor="test")
    varna.withdraw_consent(who, ["newsletter_email"], now=T1, actor="test", execute=True)
    found = varna.consent_status(who, "newsletter_email", at=at)
    assert (found.current, found.state) == (current, state)


RENEWAL = [
    pytest.param(T0 + timedelta(days=360), None, True, "granted", id="eleven-months-on"),
    pytest.param(T0 + timedelta(days=366), None, False, "expired", id="twelve-months-on"),
    pytest.param(T0 + timedelta(days=30), NOTICE, True, "granted", id="same-notice"),
    pytest.param(T0 + timedelta(days=30), "f" * 64, False, "notice_changed", id="new-notice"),
]


@pytest.mark.parametrize(("at", "notice", "current", "state"), RENEWAL)
def test_consent_is_asked_again_after_a_year_or_a_new_notice(
    varna: Varna, at: datetime, notice: str | None, current: bool, state: str
) -> None:
    who = ["email=ny.prenumerant@example.se"]
    varna.grant_consent(who, ["newsletter_email"], notice=NOTICE, now=T0, actor="test")
    found = varna.consent_status(who, "newsletter_email", at=at, notice=notice)
    assert (found.current, found.state) == (current, state)
    assert found.renew_at == datetime(2027, 5, 4, 10, 0, tzinfo=UTC)


def test_screening_a_list_keeps_only_current_consent(varna: Varna) -> None:
    varna.grant_consent(
        ["email=ja@example.se"], ["newsletter_email"], notice=NOTICE, now=T0, actor="test"
    )
    varna.grant_consent(
        ["email=slutat@example.se"], ["newsletter_email"], notice=NOTICE, now=T0, actor="test"
    )
    varna.withdraw_consent(
        ["email=slutat@example.se"], ["newsletter_email"], now=T1, actor="test", execute=True
    )
    rows = [{"e-post": a} for a in ("JA@example.se", "slutat@example.se", "aldrig@example.se")]
    with_purpose = varna.screen(rows, {"email": "e-post"}, now=T1, purpose="newsletter_email")
    assert [r["e-post"] for r in with_purpose.kept] == ["JA@example.se"]
    assert (with_purpose.suppressed, with_purpose.without_consent) == (1, 1)
    without = varna.screen(rows, {"email": "e-post"}, now=T1)
    assert [r["e-post"] for r in without.kept] == ["JA@example.se", "aldrig@example.se"]


BAD = [
    pytest.param({"purposes": ["horoscopes"]}, "not a consent purpose", id="unknown-purpose"),
    pytest.param({"purposes": []}, "at least one consent purpose", id="no-purpose"),
    pytest.param({"notice": "short"}, "hash of the notice", id="notice-not-a-hash"),
    pytest.param({"channel": "carrier_pigeon"}, "is not one of", id="unknown-channel"),
    pytest.param({"identities": ["email=not-an-address"]}, "email", id="malformed-identity"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_is_a_clear_error_without_the_identity(
    varna: Varna, change: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {
        "identities": ["email=anna@example.se"],
        "purposes": ["newsletter_email"],
        "notice": NOTICE,
        "channel": "form",
        **change,
    }
    with pytest.raises(RequestError, match=message) as caught:
        varna.grant_consent(
            args["identities"],
            args["purposes"],
            notice=args["notice"],
            channel=args["channel"],
            now=T0,
            actor="test",
        )
    assert "anna@example.se" not in str(caught.value)
    assert varna.consents.count() == 0


BANNER = [
    pytest.param({"device_id": "short"}, "device_id", id="short-device-id"),
    pytest.param({"device_id": "x" * 20 + "/.."}, "device_id", id="device-id-with-slashes"),
    pytest.param({"choices": {"necessary": False}}, "necessary", id="necessary-refused"),
    pytest.param({"choices": {"tracking": True}}, "unknown category", id="unknown-category"),
]


@pytest.mark.parametrize(("change", "message"), BANNER)
def test_banner_choice_is_checked(varna: Varna, change: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {
        "device_id": "d" * 24,
        "choices": {"necessary": True, "statistics": True},
        "notice": NOTICE,
        "policy_version": "3",
        **change,
    }
    with pytest.raises(RequestError, match=message):
        varna.record_banner_choice(now=T0, **args)


def test_banner_choice_records_every_category(varna: Varna) -> None:
    done = varna.record_banner_choice(
        device_id="d" * 24,
        choices={"necessary": True, "statistics": True},
        notice=NOTICE,
        policy_version="3",
        now=T0,
    )
    assert done.purposes == ("preferences", "statistics", "marketing")
    event = list(varna.audit.iter_events())[-1]
    assert event.action == "consent.banner.recorded"
    assert event.details["choices"] == {
        "preferences": False,
        "statistics": True,
        "marketing": False,
    }
    assert "d" * 24 not in str(event.details)


def test_concurrent_grants_from_two_services_keep_ledger_and_chain_whole(
    varna: Varna, demo: Path
) -> None:
    """Two services (own engines, as two processes have) write at once: every event is kept,
    each with its own audit entry, and the chain verifies."""
    from concurrent.futures import ThreadPoolExecutor

    other = Varna(varna.settings, environ={})

    def grant(service: Varna, base: int) -> None:
        for i in range(10):
            service.grant_consent(
                [f"email=p{base + i}@example.se"],
                ["newsletter_email"],
                notice=NOTICE,
                now=T0,
                actor="test",
            )

    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(grant, [varna, other], [0, 100]))
    finally:
        other.close()
    assert varna.consents.count() == 20
    seqs = {
        e.audit_seq
        for i in (0, 100)
        for e in varna.consent_history([f"email=p{i + n}@example.se" for n in range(10)], until=T1)
    }
    assert len(seqs) == 20
    assert varna.audit.verify().ok
