"""Restriction (Art. 18) through the engine on every database: the register's restriction
column is set and cleared whatever its type, the person's rows are pinned in the ledger, and
rows that are not the person's (a shared address) are neither pinned nor marked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit.pseudonym import pseudonymise
from varna.connectors.sql import SQLConnector
from varna.core.base import ledger_key
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import MemoryRecorder
from varna.dsr.restriction import lift, plan_restriction, restrict
from varna.dsr.traversal import collect_rows
from varna.register import Register, parse_register
from varna.state import open_state
from varna.state.ledger import SubjectLedger
from varna.state.restrictions import Ground

from .conftest import DATABASES
from .shop import SHOP_YAML

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ANNA = Identity("email", "anna@example.se")
SYSTEMS = """systems:
  app:
    name: {sv: Appen, en: The app}
    kind: sql
    connection: {env: VARNA_TEST_APP, default: "sqlite:///app.db"}
    country: SE
    tables:
      people:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        identities: {email: email}
        references: {address_id: addresses.id}
        restriction_column: restricted
        fields:
          email: contact.email
          name: identity.name
      orders:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        references: {person_id: people.id}
        fields:
          note: correspondence.support_case
      addresses:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        fields:
          street: contact.postal_address
"""


def register() -> Register:
    return parse_register(SHOP_YAML.split("systems:\n")[0] + SYSTEMS)


def fill(url: str, flag: sa.types.TypeEngine[Any]) -> None:
    meta = sa.MetaData()
    addresses = sa.Table(
        "addresses",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("street", sa.Text),
    )
    people = sa.Table(
        "people",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100)),
        sa.Column("name", sa.String(100)),
        sa.Column("address_id", sa.Integer),
        sa.Column("restricted", flag, nullable=False),
    )
    orders = sa.Table(
        "orders",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer),
        sa.Column("note", sa.Text),
    )
    engine = sa.create_engine(url)
    meta.create_all(engine)
    off = False if isinstance(flag, sa.Boolean) else 0
    with engine.begin() as conn:
        conn.execute(sa.insert(addresses), [{"id": 1, "street": "Storgatan 1"}])
        conn.execute(
            sa.insert(people),
            [
                {
                    "id": 1,
                    "email": "anna@example.se",
                    "name": "Anna",
                    "address_id": 1,
                    "restricted": off,
                },
                {
                    "id": 2,
                    "email": "bo@example.se",
                    "name": "Bo",
                    "address_id": 1,
                    "restricted": off,
                },
            ],
        )
        conn.execute(sa.insert(orders), [{"id": 5, "person_id": 1}, {"id": 6, "person_id": 2}])
    engine.dispose()


def flags(url: str) -> dict[int, bool]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, restricted FROM people ORDER BY id")).all()
    engine.dispose()
    return {int(i): bool(f) for i, f in rows}


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
    return str(request.getfixturevalue(fixture[request.param]))


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[SubjectLedger]:
    state = open_state(sqlite_url.replace(".db", "-state.db"))
    state.migrate()
    key = ledger_key(b"test-audit-key-0123456789abcdef!")
    yield SubjectLedger(state, pseudonymise=partial(pseudonymise, key=key))
    state.close()


@pytest.mark.parametrize("flag", [sa.Boolean(), sa.Integer()], ids=["boolean", "integer"])
def test_restrict_and_lift_on_each_database(
    db_url: str, ledger: SubjectLedger, flag: sa.types.TypeEngine[Any]
) -> None:
    fill(db_url, flag)
    reg, connector = register(), SQLConnector(db_url, name="app")
    try:
        recorder = MemoryRecorder()
        dry = restrict(
            reg,
            [ANNA],
            {"app": connector},
            ledger.restrictions,
            ground=Ground.legal_claims,
            now=NOW,
        )
        assert flags(db_url) == {1: False, 2: False}
        assert dry.restriction is None
        done = restrict(
            reg,
            [ANNA],
            {"app": connector},
            ledger.restrictions,
            ground=Ground.legal_claims,
            now=NOW,
            recorder=recorder,
            execute=True,
        )
        assert flags(db_url) == {1: True, 2: False}
        assert done.written == {"app": 1}
        assert ledger.pinned_rows() == {("app", "people"): {(1,)}, ("app", "orders"): {(5,)}}
        assert [e[0] for e in recorder.events] == [
            "dsr.restriction.recorded",
            "dsr.restriction.executed",
        ]
        again = restrict(
            reg,
            [ANNA],
            {"app": connector},
            ledger.restrictions,
            ground=Ground.legal_claims,
            now=NOW,
            execute=True,
        )
        assert again.written == {}
        assert not again.created
        lifted = lift(
            reg,
            [ANNA],
            {"app": connector},
            ledger.restrictions,
            reason="claim settled",
            now=NOW,
            execute=True,
        )
        assert lifted.restriction is not None
        assert not lifted.restriction.active
        assert flags(db_url) == {1: False, 2: False}
        assert ledger.pinned_rows() == {}
    finally:
        connector.close()


def test_plan_is_pure_and_skips_shared_rows(sqlite_url: str) -> None:
    fill(sqlite_url, sa.Integer())
    reg, connector = register(), SQLConnector(sqlite_url, name="app")
    try:
        found = collect_rows(
            plan_request(reg, [ANNA], kind=RequestKind.restriction),
            {"app": connector},
            today=NOW.date(),
        )
    finally:
        connector.close()
    plan = plan_restriction(reg, found, now=NOW)
    assert plan.counts() == {
        "app:people": {"rows": 1, "marks": 1},
        "app:orders": {"rows": 1, "marks": 0},
    }
    assert plan.unmarked_tables == ("app:orders",)
    assert plan_restriction(reg, found, now=NOW) == plan
