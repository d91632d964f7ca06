"""The subject ledger's stores: restrictions (Art. 18) and suppressions (Art. 21), SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
import sqlalchemy as sa

from varna.audit.pseudonym import pseudonymise
from varna.core.base import ledger_key
from varna.errors import StateError
from varna.state import StateDB, open_state
from varna.state.ledger import SubjectLedger
from varna.state.restrictions import Ground
from varna.state.rows import PinnedRow
from varna.state.schema import metadata

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = ledger_key(b"test-audit-key-0123456789abcdef!")


@dataclass(frozen=True)
class Id:
    kind: str
    value: str


ANNA = [Id("email", "anna@example.se"), Id("personnummer", "198112189876")]
BERIT = [Id("email", "berit@example.se")]


@pytest.fixture
def ledger(state_url: str) -> Iterator[SubjectLedger]:
    db: StateDB = open_state(state_url)
    db.migrate()
    try:
        yield SubjectLedger(db, pseudonymise=partial(pseudonymise, key=KEY))
    finally:
        db.close()


def _dump(ledger: SubjectLedger) -> dict[str, list[tuple[object, ...]]]:
    state = ledger._state
    names = ("restrictions", "restriction_subjects", "restriction_rows", "suppressions")
    with state.read() as conn:
        return {
            n: sorted(tuple(r) for r in conn.execute(sa.select(metadata.tables[n]))) for n in names
        }


def test_restriction_is_recorded_with_ground_and_rows(ledger: SubjectLedger) -> None:
    rows = [
        PinnedRow("crm", "customers", {"id": 7}),
        PinnedRow("billing", "invoices", {"no": "F1"}),
    ]
    restriction, created = ledger.restrictions.restrict(
        ANNA, ground=Ground.accuracy_contested, at=T0, rows=rows
    )
    assert created
    assert restriction.active
    assert restriction.rows == 2
    assert restriction.ground.point == "Art. 18(1)(a)"
    assert ledger.pinned_rows() == {
        ("crm", "customers"): {(7,)},
        ("billing", "invoices"): {("F1",)},
    }
    assert ledger.restrictions.active_restriction([ANNA[1]]) == restriction
    assert ledger.restrictions.active_restriction(BERIT) is None


def test_restriction_stores_no_identity_in_clear(ledger: SubjectLedger) -> None:
    ledger.restrictions.restrict(ANNA, ground=Ground.legal_claims, at=T0)
    ledger.suppressions.suppress(ANNA, at=T0, source="objection")
    text = repr(_dump(ledger))
    assert "anna" not in text
    assert "9876" not in text


def test_restricting_again_extends_the_same_restriction(ledger: SubjectLedger) -> None:
    first, _ = ledger.restrictions.restrict(ANNA[:1], ground=Ground.accuracy_contested, at=T0)
    before = _dump(ledger)
    again, created = ledger.restrictions.restrict(
        ANNA[:1], ground=Ground.accuracy_contested, at=T0 + timedelta(1)
    )
    assert not created
    assert again == first
    assert _dump(ledger) == before
    more, _ = ledger.restrictions.restrict(
        ANNA,
        ground=Ground.accuracy_contested,
        at=T0,
        rows=[PinnedRow("crm", "customers", {"id": 7})],
    )
    assert more.id == first.id
    assert more.rows == 1
    assert ledger.restrictions.active_restriction([ANNA[1]]) is not None


def test_lift_ends_the_restriction_and_frees_its_rows(ledger: SubjectLedger) -> None:
    ledger.restrictions.restrict(
        ANNA, ground=Ground.objection_pending, at=T0, rows=[PinnedRow("crm", "c", {"id": 1})]
    )
    lifted = ledger.restrictions.lift(
        ANNA[:1], at=T0 + timedelta(days=3), reason="objection assessed"
    )
    assert not lifted.active
    assert lifted.lift_reason == "objection assessed"
    assert ledger.restrictions.active_restriction(ANNA) is None
    assert ledger.pinned_rows() == {}
    again, created = ledger.restrictions.restrict(
        ANNA, ground=Ground.legal_claims, at=T0 + timedelta(days=4)
    )
    assert created
    assert again.id != lifted.id


@pytest.mark.parametrize(
    ("reason", "identities", "message"),
    [("", ANNA, "say why"), ("checked", BERIT, "no active restriction")],
    ids=["no-reason", "nothing-to-lift"],
)
def test_lift_refuses(
    ledger: SubjectLedger, reason: str, identities: list[Id], message: str
) -> None:
    ledger.restrictions.restrict(ANNA, ground=Ground.accuracy_contested, at=T0)
    with pytest.raises(StateError, match=message):
        ledger.restrictions.lift(identities, at=T0, reason=reason)


def test_suppression_screens_every_identity_and_is_idempotent(ledger: SubjectLedger) -> None:
    assert ledger.suppressions.suppress(ANNA, at=T0, source="objection") == 2
    assert ledger.suppressions.suppress(ANNA, at=T0 + timedelta(1), source="objection") == 0
    names = ledger.pseudonyms([*ANNA, *BERIT])
    assert ledger.suppressions.suppressed(names) == set(names[:2])
    assert ledger.suppressions.count() == 2


def test_restricted_screening(ledger: SubjectLedger) -> None:
    ledger.restrictions.restrict(ANNA, ground=Ground.unlawful_kept, at=T0)
    names = ledger.pseudonyms([*ANNA, *BERIT])
    assert ledger.restrictions.restricted(names) == set(names[:2])


def test_naive_time_is_refused(ledger: SubjectLedger) -> None:
    with pytest.raises(StateError, match="timezone"):
        ledger.restrictions.restrict(ANNA, ground=Ground.legal_claims, at=datetime(2026, 1, 1))
