"""The scaffold planner on schemas built for one heuristic each (pure: no database)."""

from __future__ import annotations

from datetime import date

import pytest

from varna.connectors.catalog import Column, ForeignKey, Index, TableInfo, TableKind
from varna.discovery.scaffold.columns import guess_column
from varna.discovery.scaffold.model import Draft, Observed
from varna.discovery.scaffold.planner import plan_scaffold, subject_key
from varna.discovery.scaffold.writer import write_draft
from varna.register import parse_register
from varna.register.checks import Severity, run_checks


def col(name: str, type_: str = "VARCHAR(100)", *, null: bool = True) -> Column:
    return Column(name, type_, null)


def table(
    name: str,
    *columns: Column,
    pk: tuple[str, ...] = ("id",),
    fks: tuple[ForeignKey, ...] = (),
    indexes: tuple[Index, ...] = (),
    kind: TableKind = TableKind.table,
    **extra: object,
) -> TableInfo:
    ids = tuple(col(c, "INTEGER", null=False) for c in pk if c not in {x.name for x in columns})
    return TableInfo(
        name,
        kind,
        (*ids, *columns),
        pk,
        fks,
        indexes,
        **extra,  # type: ignore[arg-type]
    )


def fk(column: str, target: str, target_column: str = "id") -> ForeignKey:
    return ForeignKey(None, (column,), target, (target_column,))


SHOP = {
    "customers": table(
        "customers",
        col("email"),
        col("first_name", null=False),
        col("city"),
        col("phone"),
        col("created_at", "TIMESTAMP"),
        col("support_rep_id", "INTEGER"),
    ),
    "employees": table(
        "employees",
        col("email"),
        col("last_name"),
        col("reports_to", "INTEGER"),
        fks=(fk("reports_to", "employees"),),
    ),
    "shippers": table("shippers", col("phone")),
    "orders": table(
        "orders",
        col("customer_id", "INTEGER"),
        col("employee_id", "INTEGER"),
        col("shipper_id", "INTEGER"),
        col("ship_address"),
        col("order_date", "DATE"),
        col("shipped_date", "DATE"),
        fks=(fk("customer_id", "customers"), fk("employee_id", "employees")),
    ),
    "order_lines": table(
        "order_lines",
        col("order_id", "INTEGER"),
        col("product_id", "INTEGER"),
        fks=(fk("order_id", "orders"), fk("product_id", "products")),
    ),
    "stock_moves": table(
        "stock_moves",
        col("order_line_id", "INTEGER"),
        fks=(fk("order_line_id", "order_lines"),),
    ),
    "products": table("products", col("product_name"), col("price", "NUMERIC(10,2)")),
    "customer_view": table("customer_view", kind=TableKind.view, reads=("customers",)),
}


def shop(**samples: list[object]) -> Draft:
    parsed = {tuple(k.split("__")): v for k, v in samples.items()}
    filled = dict.fromkeys(parsed, 29)
    observed = Observed("postgresql", SHOP, samples=parsed, filled=filled)  # type: ignore[arg-type]
    return plan_scaffold(observed, system="shop", env="VARNA_SHOP_URL")


@pytest.mark.parametrize(
    ("table_name", "column", "family", "values", "category"),
    [
        ("customer", "email", "text", [], "contact.email"),
        ("kund", "personnr", "text", [], "identity.personnummer"),
        ("customers", "name", "text", [], "identity.name"),
        ("Artist", "Name", "text", ["AC/DC", "Accept", "Aerosmith", "Audioslave"], None),
        ("products", "product_name", "text", ["Chai", "Chang"], None),
        ("notes", "contact", "text", ["anna@example.se", "bo@example.se"], "contact.email"),
        ("notes", "contact", "text", ["Chai", "bo@example.se", "x", "y"], None),
        ("orders", "origin", "text", [], None),
        ("patients", "diagnosis", "text", [], "special.health"),
        ("orders", "ship_name", "text", [], None),
        # a qualified name column holds people where enough of its values are people's names
        (
            "orders",
            "ship_name",
            "text",
            ["Karen Toh", "Christina Lee", "John Edwards", "Soo Jung Lee", "Anna Svensson"],
            "identity.name",
        ),
        (
            "orders",
            "ship_name",
            "text",
            ["Vins et alcools Chevalier", "Toms Spezialitäten", "Hanari Carnes", "Wellington"],
            None,
        ),
        ("logins", "client_ip", "text", [], "technical.ip_address"),
        ("people", "BirthDate", "datetime", [], "identity.birth_date"),
        ("kunder", "ident", "text", ["811218-9876", "19121212-1212"], "identity.personnummer"),
        ("kunder", "ident", "text", ["811218-9875", "19121212-1213"], None),  # bad checksums
        ("kunder", "kontakt", "text", ["070-123 45 67", "+46 70 765 43 21"], "contact.phone"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_what_a_column_holds(
    table_name: str, column: str, family: str, values: list[object], category: str | None
) -> None:
    guess = guess_column(table_name, column, family=family, values=values)
    assert (guess.category if guess else None) == category


@pytest.mark.parametrize(
    ("source", "column", "follow", "why"),
    [
        ("orders", "customer_id", True, "foreign key"),
        ("orders", "employee_id", False, "staff"),
        ("orders", "shipper_id", False, "lookup"),
        ("employees", "reports_to", False, "same table"),
        ("order_lines", "order_id", True, "foreign key"),
        ("customers", "support_rep_id", None, ""),  # no key, no table 'support_rep'
    ],
)
def test_references_and_which_are_followed(
    source: str, column: str, follow: bool | None, why: str
) -> None:
    refs = {r.column: r for r in shop().table(source).references}
    if follow is None:
        assert column not in refs
        return
    assert refs[column].follow is follow
    assert why in refs[column].why


def test_a_reference_is_inferred_from_a_key_name_only_where_the_types_fit() -> None:
    (ref,) = [r for r in shop().table("orders").references if r.column == "shipper_id"]
    assert (ref.table, ref.target, ref.inferred) == ("shippers", "id", True)
    tables = dict(SHOP) | {"shippers": table("shippers", col("phone"), pk=("code",))}
    tables["shippers"] = TableInfo(
        "shippers",
        columns=(col("code", "VARCHAR(5)", null=False), col("phone")),
        primary_key=("code",),
    )
    draft = plan_scaffold(Observed("postgresql", tables), system="shop", env="VARNA_SHOP_URL")
    assert "shipper_id" not in {r.column for r in draft.table("orders").references}


def test_which_tables_are_declared_and_why_the_others_are_not() -> None:
    draft = shop()
    declared = [t.name for t in draft.tables]
    assert declared == ["customers", "employees", "order_lines", "orders", "shippers"]
    left = dict(draft.left_out)
    assert "view" in left["customer_view"]
    assert "no personal data" in left["products"]
    assert "no personal data" in left["stock_moves"]  # three references from the customer


def test_identities_subjects_and_a_shared_phone() -> None:
    draft = shop(customers__phone=["(123)555-0100"])
    customers = draft.table("customers")
    assert {(i.kind, i.column) for i in customers.identities} == {
        ("customer_number", "id"),
        ("email", "email"),
    }
    assert any("phone: not an identity" in n for n in customers.notes)
    unshared = shop(customers__phone=[f"070-{i}" for i in range(20)]).table("customers")
    assert ("phone", "phone") in {(i.kind, i.column) for i in unshared.identities}
    assert {t.name: t.subject for t in draft.tables} == {
        "customers": "customer",
        "employees": "employee",
        "order_lines": "customer",
        "orders": "customer",
        "shippers": "shipper",
    }


def test_erasure_strategies_satisfy_not_null_and_foreign_keys() -> None:
    people = table(
        "people",
        col("email", "VARCHAR(200)", null=False),
        col("nick_email", "VARCHAR(20)", null=False),
        col("first_name", null=False),
        col("last_name"),
        col("birth_date", "DATE", null=False),
        col("photo", "BYTEA", null=False),
        indexes=(Index("u1", ("email",), True), Index("u2", ("nick_email",), True)),
    )
    audit = table("audit_entries", col("person_id", "INTEGER"), fks=(fk("person_id", "people"),))
    draft = plan_scaffold(
        Observed("sqlite", {"people": people, "audit_entries": audit}),
        system="crm",
        env="VARNA_CRM_URL",
    )
    fields = {f.column: (f.erasure, f.value) for f in draft.table("people").fields}
    assert fields == {
        "email": ("hash", None),
        "nick_email": ("mask", None),
        "first_name": ("fixed", "-"),
        "last_name": ("null", None),
        "birth_date": ("generalise", None),
        "photo": ("keep", None),
    }
    assert draft.table("people").erasure == "delete_row"  # audit entries are the person's
    assert draft.table("audit_entries").erasure == "delete_row"
    assert shop().table("employees").erasure == "anonymise"  # orders refer to them
    assert shop().table("customers").erasure == "delete_row"


def test_anchors_and_other_dates() -> None:
    draft = shop()
    assert draft.table("orders").anchors == (("transaction_date", "order_date"),)
    assert draft.table("orders").other_dates == ("shipped_date",)
    assert draft.table("customers").anchors == (("collected", "created_at"),)


def test_partitions_are_declared_through_their_table() -> None:
    events = table(
        "events",
        col("email"),
        kind=TableKind.partitioned,
        partitions=("events_2025", "events_2026"),
    )
    part = table("events_2025", col("email"), kind=TableKind.part, parent="events")
    draft = plan_scaffold(
        Observed("postgresql", {"events": events, "events_2025": part}),
        system="app",
        env="VARNA_APP_URL",
    )
    assert [t.name for t in draft.tables] == ["events"]
    assert "events_2025" in draft.table("events").notes[0]
    assert "partition of 'events'" in dict(draft.left_out)["events_2025"]


def test_a_table_without_a_key_uses_a_unique_index_or_an_id_column_or_is_left_out() -> None:
    by_index = TableInfo(
        "members", columns=(col("email"), col("code")), indexes=(Index("u", ("code",), True),)
    )
    by_name = TableInfo("contacts", columns=(col("id", "TEXT"), col("email")))
    none = TableInfo("scraps", columns=(col("email"),))
    draft = plan_scaffold(
        Observed("csv", {"members": by_index, "contacts": by_name, "scraps": none}),
        system="files",
        env="VARNA_FILES_URL",
    )
    assert draft.table("members").primary_key == ("code",)
    assert draft.table("contacts").primary_key == ("id",)
    assert "no primary key" in dict(draft.left_out)["scraps"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Customers", "customer"),
        ("order_categories", "order_category"),
        ("Kundföretag", "kundforetag"),
        ("2fa", "t_2fa"),
        ("address", "address"),
    ],
)
def test_subject_keys(name: str, key: str) -> None:
    assert subject_key(name) == key


def test_the_draft_loads_and_its_only_errors_are_the_todos() -> None:
    text = write_draft(shop())
    assert text == write_draft(shop())  # deterministic
    register = parse_register(text, source="draft.yaml")
    findings = run_checks(register, on=date(2026, 1, 1))
    errors = [f for f in findings if f.severity is Severity.error]
    assert errors
    assert {f.rule for f in errors} == {"placeholder"}
    assert "TODO" in text
    assert register.table("shop", "orders").references["employee_id"].follow is False


def test_sqlite_text_dates_anchor_and_a_customer_number_column_is_an_identity() -> None:
    users = table(
        "end_users",
        col("customer_no", "TEXT", null=False),
        col("name", "TEXT", null=False),
        col("created_at", "TEXT", null=False),
        col("last_note_at", "TEXT"),
        col("shipped_at", "TEXT"),
        col("remark_at", "TEXT"),
    )
    samples = {
        ("end_users", "created_at"): ["2025-01-02T10:00:00", "2025-02-03 11:00:00"],
        ("end_users", "shipped_at"): ["2025-03-04"],
        ("end_users", "remark_at"): ["at the door", "by phone"],  # named like a date, is not
    }
    draft = plan_scaffold(
        Observed("sqlite", {"end_users": users}, samples=samples),  # type: ignore[arg-type]
        system="care",
        env="VARNA_CARE_URL",
    )
    table_ = draft.table("end_users")
    assert table_.anchors == (("collected", "created_at"), ("last_activity", "last_note_at"))
    assert table_.other_dates == ("shipped_at",)
    assert {(i.kind, i.column) for i in table_.identities} == {
        ("user_id", "id"),
        ("customer_number", "customer_no"),
    }
    fields = {f.column: f.category for f in table_.fields}
    assert fields == {"customer_no": "identity.customer_number", "name": "identity.name"}


def test_what_was_read_stays_out_of_reprs_and_the_draft() -> None:
    secret = "anna.svensson@example.se"
    people = table("people", col("email"), col("note_text"))
    observed = Observed("sqlite", {"people": people}, samples={("people", "email"): [secret]})
    draft = plan_scaffold(observed, system="crm", env="VARNA_CRM_URL")
    assert secret not in repr(observed)
    assert secret not in repr(draft)
    assert secret not in write_draft(draft)
