"""Identity lookups on SQLite, PostgreSQL and MariaDB: e-mail case-insensitive, values typed
against the column before any query (MariaDB would read ``5abc`` as 5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from varna.connectors.sql import SQLConnector
from varna.dsr.identity import normalise_identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.traversal import collect_rows
from varna.errors import RequestError
from varna.register import Register, parse_register

from .conftest import DATABASES
from .shop import TODAY

_URL_FIXTURES = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}

REGISTER = """
varna: 1
controller:
  name: Exempel AB
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: info@exempel.se}
  policy: {languages: [sv]}
subjects: {}
taxonomy:
  identity_kinds:
    member_id: {label: {sv: Medlems-id}, strength: unique}
activities: {}
systems:
  club:
    name: {sv: Klubben}
    kind: sqlite
    country: SE
    tables:
      members:
        primary_key: [id]
        identities: {member_id: id, email: email}
        fields: {email: contact.email, name: identity.name}
      visits:
        primary_key: [id]
        references: {member_id: {table: members, column: id, same_person: true}}
        fields: {place: content.free_text}
"""


@pytest.fixture(params=DATABASES)
def club(request: pytest.FixtureRequest) -> Iterator[SQLConnector]:
    """Two members, e-mails stored in upper and mixed case, on each database."""
    url = str(request.getfixturevalue(_URL_FIXTURES[request.param]))
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.execute(
            sa.text("CREATE TABLE members (id INTEGER PRIMARY KEY, email VARCHAR(200), name TEXT)")
        )
        conn.execute(
            sa.text("CREATE TABLE visits (id INTEGER PRIMARY KEY, member_id INTEGER, place TEXT)")
        )
        conn.execute(
            sa.text(
                "INSERT INTO members VALUES (1, 'JANE.DOE@EXAMPLE.COM', 'Jane'),"
                " (5, 'Olle.Berg@Example.se', 'Olle')"
            )
        )
        conn.execute(sa.text("INSERT INTO visits VALUES (10, 1, 'a'), (50, 5, 'b'), (51, 5, 'c')"))
    engine.dispose()
    connector = SQLConnector(url, name="club")
    try:
        yield connector
    finally:
        connector.close()


def register() -> Register:
    return parse_register(REGISTER)


def rows(connector: SQLConnector, kind: str, value: str) -> dict[str, list[int]]:
    identity = normalise_identity(kind, value, today=TODAY)
    plan = plan_request(register(), [identity], kind=RequestKind.access)
    found = collect_rows(plan, {"club": connector}, today=TODAY)
    return {t: sorted(int(r.key["id"]) for r in rs) for (_, t), rs in found.rows.items()}


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        pytest.param(
            "email",
            "jane.doe@example.com",
            {"members": [1], "visits": [10]},
            id="lower-finds-upper",
        ),
        pytest.param(
            "email",
            "OLLE.BERG@EXAMPLE.SE",
            {"members": [5], "visits": [50, 51]},
            id="upper-finds-mixed",
        ),
        pytest.param("email", "nobody@example.com", {}, id="email-unknown"),
        pytest.param("member_id", "5", {"members": [5], "visits": [50, 51]}, id="integer-text"),
        pytest.param("member_id", " 1 ", {"members": [1], "visits": [10]}, id="integer-spaces"),
    ],
)
def test_lookups_are_normalised_on_both_sides(club, kind, value, expected) -> None:
    assert rows(club, kind, value) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("5abc", id="trailing-letters"),
        pytest.param("1; DROP TABLE members", id="statement"),
        pytest.param("1.0", id="decimal-text"),
        pytest.param("0x5", id="hex"),
    ],
)
def test_a_value_the_key_column_cannot_hold_is_an_error_before_any_query(club, value) -> None:
    identity = normalise_identity("member_id", value, today=TODAY)
    plan = plan_request(register(), [identity], kind=RequestKind.access)
    with pytest.raises(RequestError, match=r"not a valid int, as column club:members\.id") as err:
        collect_rows(plan, {"club": club}, today=TODAY)
    assert value not in str(err.value)
    assert rows(club, "member_id", "5")["members"] == [5]  # the table is still there


def test_the_index_reader_names_the_index_a_case_insensitive_lookup_uses(club) -> None:
    assert "lower(email)" not in club.indexed_columns("members")
    engine = sa.create_engine(club._engine.url, poolclass=sa.NullPool)
    mysql = engine.dialect.name in ("mysql", "mariadb")
    # MariaDB has no expression index: a *_ci column's plain index serves the lookup
    target = "email" if mysql else "lower(email)"
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE INDEX ix_members_email_ci ON members ({target})"))
    engine.dispose()
    assert "lower(email)" in club.indexed_columns("members")
