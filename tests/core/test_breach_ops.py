"""The breach register on SQLite and PostgreSQL: recording, the 72-hour clock with an injected
time, the risk deciding notification and notices, a late notification needing reasons, the
history and the audit log, concurrent changes losing nothing, the IMY form's fields."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from varna.core import Varna
from varna.core.breach_ops import Risk
from varna.errors import BreachError

AWARE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def record(varna: Varna, **fields: object) -> str:
    given = {"title": "Laptop lost on a train", "nature": ["confidentiality"], **fields}
    return varna.record_breach(given, aware_at=AWARE, actor="cli:dpo", now=AWARE).ref


@pytest.mark.parametrize(
    ("hours", "overdue", "left"),
    [
        pytest.param(0, False, "72h 00m", id="at-awareness"),
        pytest.param(71.5, False, "0h 30m", id="half-an-hour-left"),
        pytest.param(72, False, "0h 00m", id="at-the-deadline"),
        pytest.param(72.25, True, "-0h 15m", id="fifteen-minutes-late"),
        pytest.param(100, True, "-28h 00m", id="a-day-late"),
    ],
)
def test_the_clock_runs_72_hours_from_awareness(
    varna: Varna, hours: float, overdue: bool, left: str
) -> None:
    ref = record(varna)
    clock = varna.breach(ref).clock(AWARE + timedelta(hours=hours))
    assert clock.due == AWARE + timedelta(hours=72)
    assert clock.overdue is overdue
    assert clock.left_text == left


@pytest.mark.parametrize(
    ("risk", "notify", "tell", "stopped"),
    [
        pytest.param(Risk.none, False, False, "no_risk", id="no-risk-documented-only"),
        pytest.param(Risk.risk, True, False, None, id="risk-tell-imy"),
        pytest.param(Risk.high, True, True, None, id="high-tell-imy-and-people"),
    ],
)
def test_the_risk_decides_notification_and_notices(
    varna: Varna, risk: Risk, notify: bool, tell: bool, stopped: str | None
) -> None:
    ref = record(varna)
    assert varna.breach(ref).must_notify is None
    breach = varna.assess_breach(ref, risk, reason="assessed", actor="cli:dpo", now=AWARE)
    assert (breach.must_notify, breach.must_tell_people) == (notify, tell)
    late = breach.clock(AWARE + timedelta(hours=80))
    assert late.stopped == stopped
    assert late.overdue is (stopped is None)


def test_notifying_stops_the_clock_and_late_needs_reasons(varna: Varna) -> None:
    ref = record(varna)
    varna.assess_breach(ref, Risk.risk, reason="names and e-mail", actor="cli:dpo", now=AWARE)
    late = AWARE + timedelta(hours=73)
    with pytest.raises(BreachError, match=r"Art\. 33\(1\)"):
        varna.notify_breach(ref, at=late, actor="cli:dpo", now=late)
    breach = varna.notify_breach(
        ref, at=late, late_reason="the scope took a day to find", actor="cli:dpo", now=late
    )
    assert breach.clock(late + timedelta(days=1)).stopped == "notified"
    assert not breach.clock(late + timedelta(days=1)).overdue
    with pytest.raises(BreachError, match="supplement"):
        varna.notify_breach(ref, at=late, late_reason="again", actor="cli:dpo", now=late)
    varna.supplement_breach(ref, text="12 more customers found", actor="cli:dpo", now=late)
    assert [s["text"] for s in varna.breach(ref).get("supplements")] == ["12 more customers found"]


def test_every_change_is_an_event_and_an_audit_entry(varna: Varna) -> None:
    ref = record(varna)
    varna.update_breach(ref, {"consequences": "phishing"}, actor="console:dag", now=AWARE)
    varna.assess_breach(ref, Risk.none, reason="encrypted disk", actor="console:dag", now=AWARE)
    varna.close_breach(ref, note="laptop found", actor="console:dag", now=AWARE)
    breach = varna.breach(ref, history=True)
    assert [e.action for e in breach.events] == ["recorded", "updated", "assessed", "closed"]
    assert [e.version for e in breach.events] == [1, 2, 3, 4]
    assert breach.state == "closed"
    actions = [e.action for e in varna.audit.iter_events() if e.target == f"breach:{ref}"]
    assert actions == ["breach.recorded", "breach.updated", "breach.assessed", "breach.closed"]
    assert varna.verify_audit().ok
    with pytest.raises(BreachError, match="closed"):
        varna.update_breach(ref, {"consequences": "none"}, actor="console:dag", now=AWARE)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"colour": "red"}, "not a field", id="unknown-field"),
        pytest.param({"nature": ["secrecy"]}, "nature", id="unknown-nature"),
        pytest.param({"data_categories": ["shoe.size"]}, "not in the register", id="category"),
        pytest.param({"systems": ["crm.nowhere"]}, "not in the register", id="table"),
        pytest.param({"people_approx": "many"}, "whole number", id="count"),
        pytest.param({"occurred_at": "2026-12-01T08:00"}, "time zone", id="naive-time"),
    ],
)
def test_bad_fields_are_refused_with_what_to_write(
    varna: Varna, fields: dict[str, object], message: str
) -> None:
    ref = record(varna)
    with pytest.raises(BreachError, match=message):
        varna.update_breach(ref, fields, actor="cli:dpo", now=AWARE)
    assert varna.breach(ref).version == 1


def test_tables_and_a_window_are_counted_through_the_connectors(varna: Varna) -> None:
    ref = record(
        varna,
        systems=["web.access_log", "care.care_notes"],
        window_start="2000-01-01T00:00+00:00",
        window_end="2100-01-01T00:00+00:00",
    )
    breach = varna.breach(ref)
    counted = breach.get("counted")
    assert set(counted) == {"web.access_log", "care.care_notes"}
    assert all(n > 0 for n in counted.values())
    assert breach.get("records_approx") == sum(counted.values())
    assert "special.health" in breach.get("scope_categories")
    empty = record(
        varna,
        systems=["web.access_log"],
        window_start="1990-01-01T00:00+00:00",
        window_end="1990-01-02T00:00+00:00",
    )
    assert varna.breach(empty).get("counted") == {"web.access_log": 0}


def test_concurrent_changes_lose_no_event(varna: Varna) -> None:
    ref = record(varna)
    errors: list[BaseException] = []

    def work(field: str, n: int) -> None:
        try:
            for i in range(n):
                varna.update_breach(ref, {field: f"{field} {i}"}, actor="cli:dpo", now=AWARE)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(name, 8))
        for name in ("consequences", "measures_taken", "measures_proposed")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    breach = varna.breach(ref, history=True)
    assert breach.version == 1 + 3 * 8
    assert [e.version for e in breach.events] == list(range(1, 26))
    assert breach.get("consequences") == "consequences 7"
    assert breach.get("measures_taken") == "measures_taken 7"
    assert breach.get("measures_proposed") == "measures_proposed 7"


@pytest.mark.parametrize(
    ("lang", "fill", "dpo_label", "special"),
    [
        pytest.param("sv", "att fylla i", "Dataskyddsombud", "Hälsouppgifter", id="sv"),
        pytest.param("en", "to fill in", "Data protection officer", "Health", id="en"),
    ],
)
def test_the_imy_form_has_its_numbered_fields(
    varna: Varna, lang: str, fill: str, dpo_label: str, special: str
) -> None:
    ref = record(varna, data_categories=["special.health", "identity.name"], people_approx=120)
    varna.assess_breach(ref, Risk.high, reason="health data", actor="cli:dpo", now=AWARE)
    fields = varna.imy_form(ref, lang=lang)
    assert [f[0] for f in fields] == [str(n) for n in range(1, 36)]
    by_label = {label: value for _, label, value in fields}
    dpo = varna.register.controller.dpo
    assert dpo is not None
    assert dpo.name is not None
    assert by_label[dpo_label].startswith(dpo.name.get(lang))
    assert special.lower() in fields[21][2].lower()  # 22: special categories
    assert "120" in fields[19][2]
    assert fields[3][2] == fill  # the contact person: not known to Varna
    assert fields[34][2] == ref


def test_the_imy_document_renders_as_pdf(varna: Varna) -> None:
    from varna.render.writers import to_html, to_pdf

    ref = record(varna)
    doc = varna.imy_document(ref, lang="sv")
    assert "att fylla i" in to_html(doc)
    assert to_pdf(doc).startswith(b"%PDF")
