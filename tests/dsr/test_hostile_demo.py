"""The demo company with ordinary hostile data (shared IPs, a relative's ticket, a family e-mail,
upper-case e-mails): no request crosses to another person."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from varna.connectors import Connector, open_connectors
from varna.demo.builder import build_demo
from varna.demo.hostile import Customer, HostileCases, add_hostile_data
from varna.dsr.access import AccessResult, execute_access
from varna.dsr.executor import erase
from varna.dsr.identity import normalise_identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.traversal import Found, collect_rows
from varna.errors import RequestError
from varna.register import Register, load_register

from .shop import NOW, TODAY

KEY = b"hostile-demo-key-0123456789abcdef"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HostileCases]:
    directory = tmp_path_factory.mktemp("hostile") / "demo"
    build_demo(directory, subjects=400)
    return directory, add_hostile_data(directory)


@pytest.fixture
def world(
    hostile: tuple[Path, HostileCases],
) -> Iterator[tuple[Register, dict[str, Connector], HostileCases]]:
    directory, cases = hostile
    register = load_register(directory / "varna.yaml")
    connectors = open_connectors(register, base_dir=directory, environ={})
    try:
        yield register, connectors, cases
    finally:
        for connector in connectors.values():
            connector.close()


def find(register: Register, connectors: dict[str, Connector], *given: tuple[str, str]) -> Found:
    identities = [normalise_identity(kind, value, today=TODAY) for kind, value in given]
    plan = plan_request(register, identities, kind=RequestKind.access)
    return collect_rows(plan, connectors, today=TODAY)


def pnrs(found: Found) -> set[str]:
    """Every personnummer in the rows found (CRM and payments), normalised."""
    out = set()
    for row in found.all_rows():
        for column in ("personnummer", "payer_personnummer"):
            value = row.values.get(column)
            if value:
                out.add(normalise_identity("personnummer", value, today=TODAY).value)
    return out


def customer_numbers(found: Found) -> set[str]:
    return {str(r.values["customer_no"]) for r in found.all_rows() if r.values.get("customer_no")}


def pnr(customer: Customer) -> str:
    return normalise_identity("personnummer", customer.personnummer, today=TODAY).value


def test_access_by_a_shared_ip_returns_no_ones_personnummer(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("ip_address", cases.shared_ip))
    assert pnrs(found) == set()
    assert customer_numbers(found) == set()  # the logged-in lines name customers: conflicts
    assert {(c.system, c.table, c.kind) for c in found.conflicts} == {
        ("web", "access_log", "customer_number")
    }
    assert len(found.conflicts) == 2
    anonymous = found.rows[("web", "access_log")]
    assert [r.weak for r in anonymous] == [True]
    assert not anonymous[0].theirs
    assert cases.shared_ip not in repr(found.conflicts)


def test_a_customer_who_shared_the_ip_gets_only_their_own_lines(world) -> None:
    register, connectors, cases = world
    first, second = cases.ip_customers
    found = find(
        register,
        connectors,
        ("customer_number", first.customer_no),
        ("ip_address", cases.shared_ip),
    )
    assert pnrs(found) == {pnr(first)}
    assert second.customer_no not in customer_numbers(found)
    assert any(c.table == "access_log" for c in found.conflicts)  # the other's line, left out


def test_the_relatives_email_never_reaches_the_customers_crm_record(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("email", cases.relative_email))
    assert ("crm", "customers") not in found.rows
    assert pnrs(found) == set()
    assert ("billing", "payments") not in found.rows
    assert [(c.system, c.table, c.kind, c.column) for c in found.conflicts] == [
        ("support", "tickets", "customer_number", "customer_no")
    ]
    assert "customer_number" not in {i.kind for i in found.identities}


def test_the_customer_still_sees_the_ticket_written_about_them(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("email", cases.relative_customer.email))
    senders = {r.values["from_email"] for r in found.rows[("support", "tickets")]}
    assert cases.relative_email in senders  # about the customer: part of their data
    assert found.conflicts == []
    assert cases.relative_email not in {i.value for i in found.identities}  # never followed


def test_a_family_email_alone_is_a_conflict_for_a_human(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("email", cases.family_email))
    assert pnrs(found) == set()
    assert ("crm", "customers") not in found.rows
    assert {(c.table, c.kind) for c in found.conflicts} == {("customers", "customer_number")}
    assert len(found.conflicts) == 2  # both members' CRM rows, and nothing reached from them
    assert all("more than one" in c.reason for c in found.conflicts)


@pytest.mark.parametrize("member", [0, 1], ids=["first", "second"])
def test_a_family_member_with_their_personnummer_gets_only_their_own_rows(world, member) -> None:
    register, connectors, cases = world
    me, other = cases.family_customers[member], cases.family_customers[1 - member]
    found = find(register, connectors, ("email", cases.family_email), ("personnummer", pnr(me)))
    assert pnrs(found) == {pnr(me)}
    assert other.customer_no not in customer_numbers(found)
    assert me.customer_no in customer_numbers(found)
    assert [c.kind for c in found.conflicts if c.table == "customers"] == ["personnummer"]


def test_a_lower_case_email_finds_upper_and_mixed_case_data(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("email", cases.mixed_case_customer.email))
    assert pnrs(found) == {pnr(cases.mixed_case_customer)}
    assert found.count("crm", "customers") == 1
    assert found.count("marketing", "newsletter_signups") >= 1
    stored = {r.values["email"] for r in found.rows[("crm", "customers")]}
    assert stored == {cases.mixed_case_customer.email.upper()}


def test_every_row_says_which_identity_reached_it(world) -> None:
    register, connectors, cases = world
    found = find(register, connectors, ("email", cases.mixed_case_customer.email))
    how = {(r.system, r.table): r.reached_by for r in found.all_rows()}
    assert how[("crm", "customers")] == "identity email (crm:customers.email)"
    assert how[("billing", "invoices")].startswith("identity ")
    assert all(how.values())


def test_erasure_by_an_ip_alone_is_refused(world) -> None:
    register, connectors, cases = world
    ip = normalise_identity("ip_address", cases.shared_ip, today=TODAY)
    with pytest.raises(RequestError, match="erasure by ip_address alone is refused"):
        erase(register, [ip], connectors, now=NOW, hash_key=KEY, execute=False)


def test_erasure_by_the_relatives_email_leaves_the_customer_alone(world, hostile) -> None:
    register, connectors, cases = world
    email = normalise_identity("email", cases.relative_email, today=TODAY)
    plan = erase(register, [email], connectors, now=NOW, hash_key=KEY, execute=False).plan
    assert [r.table for r in plan.rows] == []  # the only row is the conflicting ticket
    assert [c.table for c in plan.conflicts] == ["tickets"]
    assert plan.as_dict()["conflicts"][0]["identity_kind"] == "customer_number"
    directory, _ = hostile
    with sqlite3.connect(directory / "data" / "crm.db") as crm:
        assert crm.execute(
            "SELECT count(*) FROM customers WHERE customer_no = ?",
            (cases.relative_customer.customer_no,),
        ).fetchone() == (1,)


def test_access_result_lists_conflicts_without_values(world) -> None:
    register, connectors, cases = world
    email = normalise_identity("email", cases.family_email, today=TODAY)
    result: AccessResult = execute_access(register, [email], connectors, now=NOW)
    data = result.as_dict()
    assert data["conflicts"]
    assert {c["identity_kind"] for c in data["conflicts"]} == {"customer_number"}
    text = repr(data["conflicts"])
    for member in cases.family_customers:
        assert member.personnummer not in text
        assert member.customer_no not in text
    assert cases.family_email not in text


def test_erasure_with_an_ip_keeps_the_anonymous_lines_and_leaves_the_other_customer_out(
    world,
) -> None:
    register, connectors, cases = world
    first, second = cases.ip_customers
    given = [
        normalise_identity("customer_number", first.customer_no, today=TODAY),
        normalise_identity("ip_address", cases.shared_ip, today=TODAY),
    ]
    plan = erase(register, given, connectors, now=NOW, hash_key=KEY, execute=False).plan
    logs = [r for r in plan.rows if r.table == "access_log"]
    reasons = {r.reason for r in logs}
    assert "kept: found only by a weak identifier many people share" in reasons
    assert "deleted" in reasons  # the customer's own lines
    assert [(c.table, c.kind) for c in plan.conflicts] == [("access_log", "customer_number")]
    assert all(r.reached_by for r in plan.rows)
    assert second.customer_no not in str(plan.as_dict())
