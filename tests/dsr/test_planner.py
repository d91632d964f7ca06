"""The traversal plan: seeds, links both ways, discovered identity kinds, what is left out."""

from __future__ import annotations

import pytest

from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, describe_plan, plan_request
from varna.errors import RequestError

from .shop import shop_register

EMAIL = Identity("email", "anna@example.se")


def test_seeds_are_the_tables_with_the_requested_kind() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    requested = {(x.system, x.table, x.column) for x in plan.lookups if x.requested}
    assert requested == {
        ("crm", "customers", "email"),
        ("support", "tickets", "requester"),
        ("support", "agents", "email"),
    }


def test_identities_found_on_the_way_seed_other_tables() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    discovered = {(x.kind, x.system, x.table, x.column) for x in plan.lookups if not x.requested}
    assert discovered == {
        ("personnummer", "crm", "customers", "pnr"),
        ("personnummer", "billing", "invoices", "buyer_pnr"),
        ("customer_number", "crm", "customers", "id"),
    }


@pytest.mark.parametrize(
    ("table", "depth"),
    [
        pytest.param("crm:customers", 0, id="seed"),
        pytest.param("support:tickets", 0, id="seed-other-system"),
        pytest.param("crm:notes", 1, id="child"),
        pytest.param("billing:invoices", 1, id="discovered-kind"),
        pytest.param("billing:credit_notes", 2, id="through-a-cycle"),
    ],
)
def test_tables_in_order_of_distance(table: str, depth: int) -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    depths = {f"{t.system}:{t.table}": t.depth for t in plan.tables}
    assert depths[table] == depth


def test_references_are_followed_both_ways_and_across_systems() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    pairs = {(f"{x.system}:{x.table}.{x.column}", x.direction) for x in plan.links}
    assert ("support:tickets.customer_id", "to_parent") in pairs
    assert ("crm:customers.id", "to_child") in pairs
    assert ("billing:invoices.credit_note", "to_parent") in pairs
    assert ("billing:invoices.no", "to_child") in pairs


def test_follow_false_is_never_a_link() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    columns = {(x.table, x.column) for x in plan.links} | {
        (x.to_table, x.to_column) for x in plan.links
    }
    assert ("customers", "referred_by") not in columns
    assert ("tickets", "agent_id") not in columns
    assert len(plan.not_followed) == 2
    assert all("follow: false" in text for text in plan.not_followed)


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        pytest.param(RequestKind.access, set(), id="access"),
        pytest.param(RequestKind.erasure, {"ended_at"}, id="erasure-reads-anchors"),
    ],
)
def test_columns_read(kind: RequestKind, extra: set[str]) -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=kind)
    columns = set(plan.table("crm", "customers").columns)
    assert columns == {"id", "email", "pnr", "referred_by", "name"} | extra


def test_a_kind_no_table_has_reaches_nothing() -> None:
    plan = plan_request(
        shop_register(), [Identity("phone", "+46701234567")], kind=RequestKind.access
    )
    assert plan.tables == ()
    assert len(plan.unreached) == 6


@pytest.mark.parametrize(
    ("identities", "message"),
    [
        pytest.param([], "at least one identity", id="none"),
        pytest.param([Identity("shoe_size", "42")], "unknown identity kind", id="unknown"),
    ],
)
def test_bad_requests(identities: list[Identity], message: str) -> None:
    with pytest.raises(RequestError, match=message):
        plan_request(shop_register(), identities, kind=RequestKind.access)


def test_the_plan_reads_well_and_its_json_holds_no_value() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    text = "\n".join(describe_plan(plan))
    assert text.startswith("access request by email: 6 table(s) to search")
    assert "billing:invoices.buyer_pnr = personnummer (found on the way) [unique]" in text
    assert "crm:customers.email = email [shareable]" in text
    assert "anna@example.se" not in text
    assert "anna@example.se" not in str(plan.as_dict())
    assert plan.as_dict()["identity_kinds"] == ["email"]


IP = Identity("ip_address", "203.0.113.7")
DEVICE = Identity("device_id", "d-1")


@pytest.mark.parametrize(
    ("kind", "identities", "refused"),
    [
        pytest.param(RequestKind.erasure, [IP], True, id="erase-by-ip"),
        pytest.param(RequestKind.erasure, [IP, DEVICE], True, id="erase-by-two-weak"),
        pytest.param(RequestKind.rectification, [IP], True, id="rectify-by-ip"),
        pytest.param(RequestKind.restriction, [DEVICE], True, id="restrict-by-device"),
        pytest.param(RequestKind.erasure, [IP, EMAIL], False, id="erase-by-ip-and-email"),
        pytest.param(RequestKind.access, [IP], False, id="access-by-ip"),
        pytest.param(RequestKind.portability, [IP], False, id="portability-by-ip"),
    ],
)
def test_changes_by_weak_identities_alone_are_refused(kind, identities, refused) -> None:
    if refused:
        with pytest.raises(RequestError, match=f"{kind.value} by .* alone is refused") as err:
            plan_request(shop_register(), identities, kind=kind)
        assert "203.0.113.7" not in str(err.value)
    else:
        plan_request(shop_register(), identities, kind=kind)


def test_strengths_and_same_person_links_are_in_the_plan() -> None:
    plan = plan_request(shop_register(), [EMAIL], kind=RequestKind.access)
    assert plan.strength("personnummer") == "unique"
    assert plan.strength("email") == "shareable"
    assert plan.strength("ip_address") == "weak"
    assert {x["strength"] for x in plan.as_dict()["lookups"]} == {"shareable", "unique"}
    # the ticket's customer_id is a reference not marked same_person: not the row's own person
    assert plan.table("support", "tickets").own == frozenset({"requester"})
    assert not any(link.same_person for link in plan.links)
