"""The console through its pages on the demo company: sign-in with a password and a TOTP code,
backoff, idle logout with the test's clock, four eyes on an erasure, what an auditor sees, the
audit log verified, and every route held to the one permission map for every role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.user_ops import PERMISSIONS, ConsoleRole, ConsoleUser, Permission
from varna.dsr.requests import Kind
from varna.settings import Settings
from varna.web.app import create_app
from varna.web.console import OPEN_ROUTES, router

from .conftest import Inbox
from .console_people import (
    NOW,
    PASSWORD,
    SPECIAL,
    STAFF,
    Staff,
    a_customer,
    form_token,
    make_staff,
    received,
    sign_in,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "console.md"


class Console:
    def __init__(self, client: TestClient, varna: Varna, staff: Staff, demo: Path) -> None:
        self.client, self.varna, self.staff, self.demo = client, varna, staff, demo

    def as_(self, name: str) -> TestClient:
        self.client.cookies.clear()
        sign_in(self.client, self.staff, name)
        return self.client

    def post(self, path: str, **data: str) -> object:
        token = form_token(self.client.get("/console").text)
        return self.client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def console(demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]) -> Iterator[Console]:
    demo = demo_company(40)
    _, url = smtp
    # the overview shows when the sweep runs next: the default schedule, not the suite's
    varna = Varna(Settings(smtp_url=url, retention_schedule="0 3 * * *"))  # type: ignore[arg-type]
    staff = make_staff(varna)
    with TestClient(create_app(varna)) as client:
        yield Console(client, varna, staff, demo)
    varna.close()


def test_sign_in_needs_the_password_and_the_code(console: Console) -> None:
    client = console.client
    assert client.get("/console", follow_redirects=False).headers["location"] == (
        "/console/sign-in"
    )
    sign_in(client, console.staff, "dpo.dag")
    page = client.get("/console", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "<h1>Overview</h1>" in page.text
    assert page.headers["cache-control"] == "no-store"
    cookie = next(c for c in client.cookies.jar if c.name == "varna_console")
    assert cookie.has_nonstandard_attr("HttpOnly")


def test_a_password_alone_opens_nothing(console: Console) -> None:
    client = console.client
    token = form_token(client.get("/console/sign-in").text)
    client.post(
        "/console/sign-in",
        data={"name": "dpo.dag", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    answer = client.get("/console/requests", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"


@pytest.mark.parametrize(
    ("name", "password", "status", "reason"),
    [
        pytest.param("dpo.dag", "not the password", 401, "credentials", id="wrong-password"),
        pytest.param("nobody", PASSWORD, 401, "credentials", id="unknown-user"),
    ],
)
def test_a_wrong_sign_in_is_refused_without_saying_why(
    console: Console, name: str, password: str, status: int, reason: str
) -> None:
    client = console.client
    token = form_token(client.get("/console/sign-in").text)
    answer = client.post(
        "/console/sign-in", data={"name": name, "password": password, "csrf_token": token}
    )
    assert answer.status_code == status
    assert f'data-reason="{reason}"' in answer.text


def test_failed_sign_ins_back_off(console: Console) -> None:
    client = console.client
    token = form_token(client.get("/console/sign-in").text)
    for _ in range(3):
        client.post(
            "/console/sign-in",
            data={"name": "dpo.dag", "password": "wrong password!", "csrf_token": token},
        )
    answer = client.post(
        "/console/sign-in", data={"name": "dpo.dag", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "5"


def test_a_wrong_code_is_refused(console: Console) -> None:
    client = console.client
    token = form_token(client.get("/console/sign-in").text)
    client.post(
        "/console/sign-in", data={"name": "dpo.dag", "password": PASSWORD, "csrf_token": token}
    )
    wrong = "000000" if console.staff.code("dpo.dag") != "000000" else "111111"
    answer = client.post("/console/code", data={"code": wrong, "csrf_token": token})
    assert answer.status_code == 401
    assert 'data-reason="code"' in answer.text


def test_a_form_from_another_site_is_refused(console: Console) -> None:
    client = console.client
    client.get("/console/sign-in")
    answer = client.post(
        "/console/sign-in",
        data={"name": "dpo.dag", "password": PASSWORD, "csrf_token": "x" * 43},
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("minutes", "signed_in"),
    [pytest.param(14, True, id="14-min"), pytest.param(16, False, id="16-min-idle")],
)
def test_idle_logout(console: Console, minutes: int, signed_in: bool) -> None:
    client = console.as_("handler.anna")
    console.staff.clock.advance(minutes=minutes)
    answer = client.get("/console/requests", follow_redirects=False)
    assert (answer.status_code == 200) is signed_in
    if not signed_in:
        assert answer.headers["location"] == "/console/sign-in"
        events = [e.action for e in console.varna.audit.iter_events()]
        assert events[-1] == "console.session.ended"


def test_sign_out_ends_the_session(console: Console) -> None:
    client = console.as_("handler.anna")
    kept = dict(client.cookies)
    assert console.post("/console/sign-out").status_code == 303  # type: ignore[attr-defined]
    client.cookies.update(kept)  # the old cookie no longer opens anything
    assert client.get("/console", follow_redirects=False).status_code == 303


def state_of(console: Console, ref: str) -> str:
    return console.varna.show(ref).status.record.state


def test_four_eyes_the_preparer_cannot_approve_an_erasure(console: Console) -> None:
    ref = received(console.varna, a_customer(console.demo), Kind.erasure)
    console.as_("handler.anna")
    console.post(f"/console/requests/{ref}/verify", reason="ID card shown at the desk")
    console.post(f"/console/requests/{ref}/plan")
    assert state_of(console, ref) == "awaiting_approval"
    own = console.post(f"/console/requests/{ref}/approve")
    assert own.status_code == 409  # type: ignore[attr-defined]
    assert 'data-reason="four_eyes"' in own.text  # type: ignore[attr-defined]
    assert state_of(console, ref) == "awaiting_approval"
    console.as_("handler.bo")
    done = console.post(f"/console/requests/{ref}/approve")
    assert done.status_code == 303  # type: ignore[attr-defined]
    record = console.varna.show(ref).status.record
    assert record.state == "answered"
    assert record.prepared_by == "case_handler:handler.anna"
    assert record.approved_by == "case_handler:handler.bo"


@pytest.mark.parametrize(
    ("action", "reason", "state", "shown"),
    [
        pytest.param(
            "refuse", "manifestly unfounded", "refused", "manifestly unfounded", id="refuse"
        ),
        pytest.param(
            "extend", "many systems to search", "received", "many systems to search", id="extend"
        ),
        pytest.param("refuse", "", "received", 'data-reason="reason"', id="refuse-no-reason"),
    ],
)
def test_refuse_and_extend_need_reasons(
    console: Console, action: str, reason: str, state: str, shown: str
) -> None:
    ref = received(console.varna, a_customer(console.demo), Kind.access)
    console.as_("dpo.dag")
    answer = console.post(f"/console/requests/{ref}/{action}", reason=reason)
    assert state_of(console, ref) == state
    refused = answer.status_code == 409  # type: ignore[attr-defined]
    page = answer.text if refused else console.client.get(f"/console/requests/{ref}").text  # type: ignore[attr-defined]
    assert refused is (not reason)
    assert shown in page


def test_a_case_handler_sees_the_plan_and_the_view_is_audited(console: Console) -> None:
    ref = received(console.varna, a_customer(console.demo), Kind.access)
    client = console.as_("handler.anna")
    page = client.get(f"/console/requests/{ref}").text
    assert '<table class="plan">' in page
    assert re.search(r"<td>crm</td><td>customers</td>", page)
    last = list(console.varna.audit.iter_events())[-1]
    assert last.action == "console.request.viewed"
    assert last.actor == "console:handler.anna"
    assert last.target == f"request:{ref}"


def test_an_auditor_sees_pseudonyms_only(console: Console) -> None:
    email = a_customer(console.demo)
    ref = received(console.varna, email, Kind.access)
    client = console.as_("auditor.aud")
    page = client.get(f"/console/requests/{ref}").text
    assert console.varna.show(ref).status.record.subject[:16] in page
    assert '<table class="plan">' not in page
    assert email not in page
    assert email.split("@")[0] not in page
    assert 'class="request move' not in page  # no moves offered


def test_the_audit_log_is_verified_from_the_console(console: Console) -> None:
    console.as_("auditor.aud")
    page = console.post("/console/audit/verify")
    assert page.status_code == 200  # type: ignore[attr-defined]
    assert 'data-ok="true"' in page.text  # type: ignore[attr-defined]


def test_the_audit_log_is_browsed_by_pseudonym_without_keeping_the_identity(
    console: Console,
) -> None:
    email = a_customer(console.demo)
    received(console.varna, email, Kind.access)
    console.as_("auditor.aud")
    page = console.post("/console/audit/subject", identity=f"email={email}", reason="complaint")
    assert page.status_code == 200  # type: ignore[attr-defined]
    events = page.text.split('id="audit-events"')[1].split("</table>")[0]  # type: ignore[attr-defined]
    assert "<code>dsr.request.received</code>" in events
    assert email not in page.text  # type: ignore[attr-defined]
    assert "ps_" in events
    last = list(console.varna.audit.iter_events())[-1]
    assert last.action == "console.audit.browsed"
    assert last.actor == "console:auditor.aud"
    assert last.details["reason"] == "complaint"
    assert email not in repr(last)


@pytest.mark.parametrize(
    ("identity", "reason", "error"),
    [
        pytest.param("email=x@example.se", "", "Give a reason", id="no-reason"),
        pytest.param("nonsense", "complaint", "not an identity", id="bad-identity"),
        pytest.param("email=x@example.se", "asked by y@example.se", "must not name", id="pd"),
    ],
)
def test_browsing_the_audit_log_needs_an_identity_and_a_reason(
    console: Console, identity: str, reason: str, error: str
) -> None:
    console.as_("auditor.aud")
    before = console.varna.audit.head().last_seq
    page = console.client.post(
        "/console/audit/subject",
        data={
            "identity": identity,
            "reason": reason,
            "csrf_token": form_token(console.client.get("/console").text),
        },
        headers={"accept-language": "en"},
    )
    assert page.status_code == 422
    assert error in page.text
    assert console.varna.audit.head().last_seq == before


def test_the_audit_log_is_exported_and_the_export_recorded(console: Console) -> None:
    import json

    answer = console.as_("dpo.dag").get("/console/audit/export")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert lines[-1]["action"] == "console.audit.exported"
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))


def test_the_overview_lists_what_is_overdue(console: Console) -> None:
    from datetime import timedelta

    from .console_people import NOW

    old = received(
        console.varna, a_customer(console.demo), Kind.access, now=NOW - timedelta(days=40)
    )
    fresh = received(console.varna, a_customer(console.demo, 1), Kind.access)
    page = console.as_("dpo.dag").get("/console", headers={"accept-language": "en"}).text
    overdue = page.split("<caption>Overdue</caption>")[1].split("</table>")[0]
    assert old in overdue
    assert fresh not in overdue


def test_the_overview_draws_accessible_charts_with_their_figures(console: Console) -> None:
    for offset in range(3):
        received(console.varna, a_customer(console.demo, offset), Kind.access)
    page = console.as_("auditor.aud").get("/console", headers={"accept-language": "en"}).text
    for slug, title in (("month", "Requests per month"), ("right", "Requests per right")):
        svg = page.split(f'id="chart-{slug}"')[1].split("</svg>")[0]
        assert f'aria-labelledby="chart-{slug}-title chart-{slug}-desc"' in svg
        assert f'<title id="chart-{slug}-title">{title}</title>' in svg
        assert f'<desc id="chart-{slug}-desc">' in svg
    assert "<script" not in page
    assert "<style" not in page
    month = page.split('id="per-month"')[1].split("</table>")[0]
    assert '<th scope="row">2026-12</th><td>3</td>' in month
    right = page.split('id="per-right"')[1].split("</table>")[0]
    assert "Access (Art. 15)</th><td>3</td>" in right
    assert 'id="next-retention">Next run: 2026-12-03 03:00 UTC.' in page


# -- the route x role matrix ---------------------------------------------------------------------


def console_routes() -> list[tuple[str, str, Permission | None]]:
    """Every console route with the permission its dependency declares (None: open)."""
    found = []
    for route in router.routes:
        assert isinstance(route, APIRoute)
        for method in sorted(route.methods):
            declared = [
                d.call.permission  # type: ignore[union-attr]
                for d in route.dependant.dependencies
                if hasattr(d.call, "permission")
            ]
            assert len(declared) <= 1, route.path
            found.append((method, route.path, declared[0] if declared else None))
    return found


def test_every_console_route_declares_a_permission_or_is_open(console: Console) -> None:
    routes = console_routes()
    assert len(routes) >= 12
    for method, path, permission in routes:
        assert (permission is None) == ((method, path) in OPEN_ROUTES), (method, path)


def documented_map() -> dict[str, set[str]]:
    """The role x permission table of docs/console.md: role -> permissions marked yes."""
    lines = DOCS.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| permission |"))
    roles = [c.strip(" `") for c in lines[start].strip("|").split("|")[1:]]
    table: dict[str, set[str]] = {r: set() for r in roles}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        for role, cell in zip(roles, cells[1:], strict=True):
            if cell == "yes":
                table[role].add(cells[0].strip("`"))
    return table


def documented_pages() -> dict[str, str]:
    """The pages table of docs/console.md: each path with the permission it names."""
    lines = DOCS.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| path | permission |"))
    pages: dict[str, str] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        for path in re.findall(r"`(/console[^`]*)`", cells[0]):
            pages[path.split("?")[0]] = cells[1].strip("`")
    return pages


def test_the_pages_table_documents_every_route_with_its_permission() -> None:
    routes = {path: (p.value if p else "-") for _, path, p in console_routes()}
    routes.pop("/console/language/{lang}")  # the header's language links, not a page
    assert documented_pages() == routes


def test_the_documented_table_is_the_permission_map() -> None:
    table = documented_map()
    assert table == {r.value: {p.value for p in PERMISSIONS[r]} for r in ConsoleRole}


@pytest.mark.parametrize("name", list(STAFF))
def test_every_route_for_every_role_is_as_the_map_says(console: Console, name: str) -> None:
    from .publishing import publish

    ref = received(console.varna, a_customer(console.demo), Kind.access)
    publish(console.varna, day=date(2026, 1, 1))
    console.varna.add_staff("matrix.staff", email=None, actor="test", now=NOW)
    key_id = console.varna.create_api_key(
        name="matrix", scopes=["read"], created_by="test", now=NOW
    ).key.id
    breach = console.varna.record_breach(
        {"title": "matrix test"}, aware_at=NOW, actor="test", now=NOW
    ).ref
    role = STAFF[name]
    client = console.as_(name)
    token = form_token(client.get("/console/sign-in", follow_redirects=True).text)
    checked = 0
    for method, path, permission in console_routes():
        if permission is None:
            continue
        if path.startswith("/console/breaches"):
            url = path.replace("{ref}", breach).replace("{step}", "update")
        else:
            url = path.replace("{ref}", ref).replace("{action}", "extend")
            url = url.replace("{name}", "engineer.eve").replace("{change}", "reset-2fa")
            url = url.replace("{key_id}", key_id)
        if method == "GET":
            answer = client.get(url, follow_redirects=False)
        else:
            form = {"csrf_token": token, "reason": "matrix test", "on": "2026-12-02"}
            form["identity"] = "email=matrix@example.se"
            form["kind"] = "trained"
            form["name"] = "matrix.staff"
            if path == "/console/settings/users":
                form |= {"name": "new.user", "role": "auditor", "password": PASSWORD}
            form |= {"title": "matrix test", "aware_at": "2026-12-02T09:00"}
            form["plan_hash"] = console.varna.console_retention(
                ConsoleUser("x", ConsoleRole.dpo), on=date(2026, 12, 2)
            ).plan_hash
            answer = client.post(url, data=form, follow_redirects=False)
        allowed = permission in ConsoleUser(name, role, name in SPECIAL).permissions
        assert (answer.status_code != 403) is allowed, (name, method, path, answer.status_code)
        if allowed:
            assert answer.status_code in (200, 303), (name, method, path, answer.status_code)
        checked += 1
    assert checked == 26


def test_every_guarded_route_sends_a_stranger_to_sign_in(console: Console) -> None:
    client = console.client
    for method, path, permission in console_routes():
        if permission is None:
            continue
        url = path.replace("{ref}", "R-2026-0000").replace("{action}", "extend")
        url = url.replace("{name}", "x").replace("{change}", "disable").replace("{key_id}", "k")
        url = url.replace("{step}", "update")
        answer = client.request(method, url, follow_redirects=False)
        assert answer.status_code == 303, (method, path)
        assert answer.headers["location"] == "/console/sign-in"


# -- console sessions on the REST API ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("dpo.dag", 200, id="dpo-reads"),
        pytest.param("auditor.aud", 200, id="auditor-reads"),
        pytest.param("engineer.eve", 403, id="engineer-no-requests"),
        pytest.param(None, 401, id="no-session"),
    ],
)
def test_a_console_session_reads_the_api_as_its_role(
    console: Console, name: str | None, status: int
) -> None:
    received(console.varna, a_customer(console.demo), Kind.access)
    client = console.as_(name) if name else console.client
    assert client.get("/api/v1/requests").status_code == status


def test_four_eyes_holds_between_console_and_api(console: Console) -> None:
    ref = received(console.varna, a_customer(console.demo), Kind.erasure)
    client = console.as_("handler.anna")
    console.post(f"/console/requests/{ref}/verify", reason="ID card shown at the desk")
    console.post(f"/console/requests/{ref}/plan")
    assert client.post(f"/api/v1/requests/{ref}/approve").status_code == 403  # no CSRF header
    csrf = client.cookies.get("varna_csrf")
    assert csrf
    own = client.post(f"/api/v1/requests/{ref}/approve", headers={"x-csrf-token": csrf})
    assert own.status_code == 422
    assert "four eyes" in own.json()["detail"]
    client = console.as_("handler.bo")
    client.get("/console")
    csrf = client.cookies.get("varna_csrf")
    assert csrf
    approved = client.post(f"/api/v1/requests/{ref}/approve", headers={"x-csrf-token": csrf})
    assert approved.status_code == 200
    assert approved.json()["approved_by"] == "case_handler:handler.bo"


def test_the_dpo_signs_off_the_retention_plan(console: Console) -> None:
    client = console.as_("dpo.dag")
    page = client.get("/console/retention?on=2027-01-01", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Nobody has signed off" in page.text
    plan_hash = re.search(r'name="plan_hash" value="([0-9a-f]{64})"', page.text)
    assert plan_hash
    stale = console.post("/console/retention/sign-off", on="2027-01-01", plan_hash="0" * 64)
    assert stale.status_code == 403  # type: ignore[attr-defined]
    done = console.post(
        "/console/retention/sign-off", on="2027-01-01", plan_hash=plan_hash.group(1)
    )
    assert done.status_code == 200  # type: ignore[attr-defined]
    assert "Godkänd av console:dpo.dag" in done.text  # type: ignore[attr-defined]
    last = list(console.varna.audit.iter_events())[-1]
    assert last.action == "retention.plan.signed_off"
    assert last.target == "retention:2027-01-01"


def test_the_policy_page_lists_published_versions(console: Console) -> None:
    from .publishing import publish

    publish(console.varna, day=date(2026, 1, 1))
    page = console.as_("auditor.aud").get("/console/policy", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "<h2>Version 1" in page.text
    assert "In force from 2026-01-01" in page.text


def test_the_queue_comes_in_pages_keeping_its_filters(console: Console) -> None:
    from varna.core.console_ops import QUEUE_PAGE

    for i in range(QUEUE_PAGE + 1):
        console.varna.receive([f"email=queue{i}@example.invalid"], kind=Kind.access, now=NOW)
    console.varna.receive(["email=other@example.invalid"], kind=Kind.erasure, now=NOW)
    client = console.as_("auditor.aud")
    first = client.get("/console/requests?kind=access", headers={"accept-language": "en"}).text
    assert first.count('<th scope="row"><a href="/console/requests/') == QUEUE_PAGE
    assert f"{QUEUE_PAGE + 1} requests, earliest deadline first" in first
    assert 'rel="next" href="/console/requests?kind=access&amp;page=1"' in first
    assert 'rel="prev"' not in first
    second = client.get("/console/requests?kind=access&page=1").text
    assert second.count('<th scope="row"><a href="/console/requests/') == 1
    assert 'rel="prev" href="/console/requests?kind=access&amp;page=0"' in second
    assert 'rel="next"' not in second
    everything = client.get("/console/requests").text
    assert 'rel="next" href="/console/requests?page=1"' in everything
