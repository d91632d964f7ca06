"""Erasure that finishes the job, on SQLite, PostgreSQL and MariaDB with real foreign keys:
``detach`` repoints a store's manager to a placeholder so the staff member's row can go,
``delete_if_unshared`` deletes an address only one person used and keeps (and counts) one a store
shares, processor tables are kept for the controller to decide, every row that stays says why
and the counts add up. A foreign key the register does not declare stops the erasure; the
entry is abandoned (audited, with the reason and where it stopped) and a fresh erasure then
finishes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit import AuditLog
from varna.connectors import ConnectorPool
from varna.dsr.erasure import Fate, KeptReason
from varna.dsr.executor import abandon_erasure, erase
from varna.dsr.identity import Identity
from varna.dsr.journal import StateErasureJournal
from varna.dsr.proof import AuditRecorder
from varna.dsr.receipt import describe_erasure
from varna.errors import ConstraintViolation, RequestError
from varna.register import Register, parse_register
from varna.state import StateDB, open_state

KEY = b"k" * 32
NOW = datetime(2026, 3, 1, tzinfo=UTC)
REGISTER = """
varna: 1
controller:
  name: Exempel Butik AB
  org_number: 556677-8899
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: dataskydd@exempel.se}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  employee: {label: {sv: Anställda, en: Employees}}
activities:
  staff_admin:
    name: {sv: Personal, en: Staff}
    purpose: {sv: Personal., en: Staff.}
    legal_bases: [contract]
    categories: [identity.name, contact.email, contact.postal_address]
    retention: {rule: while_active, anchor: relation_ended, then: 12 months}
  hosting:
    name: {sv: Drift åt kunder, en: Hosting for customers}
    purpose: {sv: Driva tjänsten åt kunder., en: To run the service for customers.}
    role: processor
    on_behalf_of:
      - name: {sv: Kunderna, en: The customers}
        categorical: true
    categories: [contact.email]
systems:
  shop:
    name: {sv: Butiken, en: Shop}
    kind: sqlite
    connection: {env: VARNA_SHOP_URL}
    country: SE
    tables:
      staff:
        primary_key: [id]
        activities: [staff_admin]
        identities: {email: email}
        references:
          address_id: {table: address, column: id, erasure: delete_if_unshared}
        fields:
          name: identity.name
          email: contact.email
      notes:
        primary_key: [id]
        activities: [staff_admin]
        references: {staff_id: staff.id}
        fields: {body: identity.name}
      stores:
        primary_key: [id]
        activities: [staff_admin]
        references:
          manager_id:
            table: staff
            column: id
            follow: false
            erasure: detach
            placeholder: 0
            not_null: true
          address_id: {table: address, column: id, follow: false}
      address:
        primary_key: [id]
        activities: [staff_admin]
        fields: {street: contact.postal_address}
      hosted:
        primary_key: [id]
        activities: [hosting]
        identities: {email: email}
        fields: {email: contact.email}
"""
TABLES = [
    "CREATE TABLE address (id INTEGER PRIMARY KEY, street VARCHAR(40))",
    "CREATE TABLE staff (id INTEGER PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), "
    "address_id INTEGER, "
    "CONSTRAINT staff_address FOREIGN KEY (address_id) REFERENCES address (id))",
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(40), staff_id INTEGER NOT NULL, "
    "CONSTRAINT note_staff FOREIGN KEY (staff_id) REFERENCES staff (id))",
    "CREATE TABLE stores (id INTEGER PRIMARY KEY, manager_id INTEGER NOT NULL, address_id INTEGER, "
    "CONSTRAINT store_manager FOREIGN KEY (manager_id) REFERENCES staff (id), "
    "CONSTRAINT store_address FOREIGN KEY (address_id) REFERENCES address (id))",
    "CREATE TABLE hosted (id INTEGER PRIMARY KEY, email VARCHAR(80))",
]
ROWS: dict[str, list[dict[str, Any]]] = {
    "address": [{"id": 1, "street": "Shared 1"}, {"id": 2, "street": "Own 2"}],
    "staff": [
        {"id": 0, "name": "Removed staff member", "email": None, "address_id": None},
        {"id": 1, "name": "Ada", "email": "ada@example.invalid", "address_id": 1},
        {"id": 2, "name": "Bo", "email": "bo@example.invalid", "address_id": 2},
    ],
    "notes": [{"id": 1, "body": "a", "staff_id": 1}, {"id": 2, "body": "b", "staff_id": 2}],
    "stores": [
        {"id": 1, "manager_id": 1, "address_id": 1},
        {"id": 2, "manager_id": 2, "address_id": 1},
    ],
    "hosted": [{"id": 1, "email": "ada@example.invalid"}],
}
KINDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]
FIXTURES = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
ADA = [Identity("email", "ada@example.invalid")]
BO = [Identity("email", "bo@example.invalid")]


def _load(url: str, extra: tuple[str, ...] = ()) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for ddl in [*TABLES, *extra]:
            conn.exec_driver_sql(ddl)
        for name, rows in ROWS.items():
            columns = list(rows[0])
            marks = ", ".join(f":{c}" for c in columns)
            conn.execute(
                sa.text(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"), rows
            )
    engine.dispose()


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        found = {
            name: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY id"))]
            for name in ROWS
        }
    engine.dispose()
    return found


def _register(kind: str, text: str = REGISTER) -> Register:
    text = text.replace("kind: sqlite", f"kind: {'mysql' if kind == 'mariadb' else kind}")
    return parse_register(text, source="shop.yaml")


@pytest.fixture(params=KINDS)
def shop(request: pytest.FixtureRequest) -> tuple[str, str]:
    kind: str = request.param
    return kind, str(request.getfixturevalue(FIXTURES[kind]))


def _pool(register: Register, url: str, tmp_path: Path) -> ConnectorPool:
    return ConnectorPool(register, base_dir=tmp_path, environ={"VARNA_SHOP_URL": url})


def _fates(plan: Any) -> dict[tuple[str, int], tuple[str, str | None]]:
    return {
        (r.table, int(next(iter(r.key.values())))): (
            r.fate.value,
            r.kept_reason.value if r.kept_reason else None,
        )
        for r in plan.rows
    }


@pytest.mark.parametrize(
    ("who", "fates", "after"),
    [
        (
            ADA,
            {
                ("staff", 1): ("delete", None),
                ("notes", 1): ("delete", None),
                ("stores", 1): ("anonymise", "detached"),
                ("address", 1): ("keep", "shared"),
                ("hosted", 1): ("keep", "processor"),
            },
            {
                "staff": [0, 2],
                "notes": [2],
                "stores": [(1, 0), (2, 2)],
                "address": [1, 2],
                "hosted": [1],
            },
        ),
        (
            BO,
            {
                ("staff", 2): ("delete", None),
                ("notes", 2): ("delete", None),
                ("stores", 2): ("anonymise", "detached"),
                ("address", 2): ("delete", None),
            },
            {
                "staff": [0, 1],
                "notes": [1],
                "stores": [(1, 1), (2, 0)],
                "address": [1],
                "hosted": [1],
            },
        ),
    ],
    ids=["shared-address-kept", "unshared-address-deleted"],
)
def test_detach_and_delete_if_unshared(
    shop: tuple[str, str],
    tmp_path: Path,
    who: list[Identity],
    fates: dict[tuple[str, int], tuple[str, str | None]],
    after: dict[str, list[Any]],
) -> None:
    kind, url = shop
    _load(url)
    register = _register(kind)
    pool = _pool(register, url, tmp_path)
    try:
        outcome = erase(register, who, pool, now=NOW, hash_key=KEY, execute=True)
        again = erase(register, who, pool, now=NOW, hash_key=KEY)
    finally:
        pool.close()
    assert _fates(outcome.plan) == fates
    data = _dump(url)
    assert [r[0] for r in data["staff"]] == after["staff"]
    assert [r[0] for r in data["notes"]] == after["notes"]
    assert [(r[0], int(r[1])) for r in data["stores"]] == after["stores"]
    assert [r[0] for r in data["address"]] == after["address"]
    assert [r[0] for r in data["hosted"]] == after["hosted"]
    counts = outcome.plan.counts()
    assert counts["deleted"] + counts["changed"] + counts["untouched"] == counts["rows"]
    receipt = outcome.receipts[0]
    assert receipt.rows == len(outcome.plan.rows)
    assert sum(receipt.kept_reasons.values()) == sum(
        1 for r in outcome.plan.rows if r.fate is not Fate.delete
    )
    assert not again.plan.has_work


def test_a_shared_row_says_how_many_share_it_and_nothing_is_called_erased(
    shop: tuple[str, str], tmp_path: Path
) -> None:
    kind, url = shop
    _load(url)
    register = _register(kind)
    pool = _pool(register, url, tmp_path)
    try:
        plan = erase(register, ADA, pool, now=NOW, hash_key=KEY).plan
    finally:
        pool.close()
    address = next(r for r in plan.rows if r.table == "address")
    assert (address.kept_reason, address.shared_with) == (KeptReason.shared, 2)
    text = "\n".join(describe_erasure(plan))
    assert "shared with 2 other rows (stores: 2)" in text
    assert "kept: processor, controller decides" in text
    assert "already erased" not in text
    assert "in all 5 rows: 2 deleted, 1 changed, 2 untouched" in text
    data = plan.as_dict()
    assert data["kept_reasons"] == {"detached": 1, "shared": 1, "processor": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            REGISTER.replace("            placeholder: 0\n", ""),
            "'erasure: detach' on a NOT NULL column needs a 'placeholder'",
        ),
        (
            REGISTER.replace(
                "{table: address, column: id, erasure: delete_if_unshared}",
                "{table: address, column: id, erasure: delete_if_unshared, follow: false}",
            ),
            "'erasure: delete_if_unshared' needs the reference followed",
        ),
        (
            REGISTER.replace(
                "address_id: {table: address, column: id, follow: false}",
                "address_id: {table: address, column: id, follow: false, placeholder: 3}",
            ),
            "'placeholder' is used only with 'erasure: detach'",
        ),
    ],
    ids=["detach-not-null-without-placeholder", "unshared-not-followed", "stray-placeholder"],
)
def test_the_loader_refuses_strategies_that_cannot_work(text: str, message: str) -> None:
    from varna.errors import RegisterLoadError

    with pytest.raises(RegisterLoadError) as info:
        parse_register(text, source="shop.yaml")
    assert message in str(info.value)
    assert "shop.yaml:" in str(info.value)
    assert "systems.shop.tables" in str(info.value)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[StateDB]:
    db = open_state(f"sqlite:///{tmp_path / 'state.db'}")
    db.migrate()
    yield db
    db.close()


# An undeclared link the erasure does not know: the store's second contact. SQLite enforces no
# foreign key through Varna's connector, so a trigger refuses the delete as a foreign key would.
UNDECLARED: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, staff_id INTEGER)",
        "CREATE TRIGGER contact_staff BEFORE DELETE ON staff "
        "WHEN EXISTS (SELECT 1 FROM contacts WHERE staff_id = OLD.id) "
        "BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END",
    ),
    "postgresql": (
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, staff_id INTEGER, "
        "CONSTRAINT contact_staff FOREIGN KEY (staff_id) REFERENCES staff (id))",
    ),
    "mariadb": (
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, staff_id INTEGER, "
        "CONSTRAINT contact_staff FOREIGN KEY (staff_id) REFERENCES staff (id))",
    ),
}
DECLARED = REGISTER.replace(
    "      hosted:\n",
    "      contacts:\n"
    "        primary_key: [id]\n"
    "        activities: [staff_admin]\n"
    "        references: {staff_id: staff.id}\n"
    "      hosted:\n",
)


def test_abandon_after_a_foreign_key_failure_then_a_fresh_erasure_finishes(
    shop: tuple[str, str], tmp_path: Path, state: StateDB
) -> None:
    kind, url = shop
    _load(url, UNDECLARED[kind])
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO contacts (id, staff_id) VALUES (1, 1)"))
    engine.dispose()
    journal = StateErasureJournal(state)
    log = AuditLog(state, key=KEY)
    recorder = AuditRecorder(log, key=KEY, actor="staff:test")
    register = _register(kind)
    pool = _pool(register, url, tmp_path)
    try:
        with pytest.raises(ConstraintViolation) as info:
            erase(
                register,
                ADA,
                pool,
                now=NOW,
                hash_key=KEY,
                journal=journal,
                recorder=recorder,
                execute=True,
            )
    finally:
        pool.close()
    entry_id = str(info.value.fields["journal_entry"])
    assert f"--abandon {entry_id}" in str(info.value)
    assert "ada@" not in str(info.value)
    stopped = journal.stopped(entry_id)
    assert stopped is not None
    assert (stopped["error"], stopped["system"], stopped["kind"]) == (
        "ConstraintViolation",
        "shop",
        "foreign key",
    )
    if kind != "sqlite":
        assert stopped["constraint"] == "contact_staff"
    # every run replays the stuck plan and fails again, even with the register fixed
    fixed = _register(kind, DECLARED)
    pool = _pool(fixed, url, tmp_path)
    try:
        with pytest.raises(ConstraintViolation):
            erase(fixed, ADA, pool, now=NOW, hash_key=KEY, journal=journal, execute=True)
        with pytest.raises(RequestError, match="needs --reason"):
            abandon_erasure(journal, entry_id, reason=" ", at=NOW, recorder=recorder)
        entry = abandon_erasure(
            journal, entry_id, reason="undeclared contacts.staff_id", at=NOW, recorder=recorder
        )
        assert entry["stopped"] == stopped
        assert journal.entry(entry_id) is None
        with pytest.raises(RequestError, match="no unfinished erasure"):
            abandon_erasure(journal, entry_id, reason="again", at=NOW, recorder=recorder)
        outcome = erase(
            fixed,
            ADA,
            pool,
            now=NOW,
            hash_key=KEY,
            journal=journal,
            recorder=recorder,
            execute=True,
        )
    finally:
        pool.close()
    assert outcome.resumed is None  # a fresh plan, not the abandoned one
    assert [r[0] for r in _dump(url)["staff"]] == [0, 2]
    events = [(e.action, e.details) for e in log.iter_events()]
    abandoned = [d for a, d in events if a == "dsr.erasure.abandoned"]
    assert len(abandoned) == 1
    assert abandoned[0]["reason"] == "undeclared contacts.staff_id"
    assert abandoned[0]["stopped"] == stopped
    assert [a for a, _ in events].count("dsr.erasure.executed") == 1
    assert list(log.verify().findings) == []  # the abandoned intent is closed, nothing unfinished
