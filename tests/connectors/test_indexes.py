"""The live index check: every identity and reference column a request looks up by is led by
an index, on each database; unreachable systems are named, never created."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from dsr.shop import SHOP_YAML  # tests/ is on the path: the shop register's parties
from varna.connectors.base import Connector
from varna.connectors.indexes import RULE, UNREACHABLE, index_findings, lookup_columns
from varna.connectors.sql import SQLConnector
from varna.errors import ConnectorError
from varna.register import Register, parse_register

DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]

SYSTEMS = """systems:
  app:
    name: {sv: Appen, en: The app}
    kind: sqlite
    connection: {env: VARNA_TEST_APP, default: "sqlite:///app.db"}
    country: SE
    tables:
      people:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        identities: {email: email, personnummer: pnr}
        fields:
          email: contact.email
          pnr: identity.personnummer
      orders:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        references:
          person_no: people.id
          agent: {table: people, column: id, follow: false}
        fields:
          note: correspondence.support_case
"""


def register() -> Register:
    return parse_register(SHOP_YAML.split("systems:\n")[0] + SYSTEMS, source="varna.yaml")


def create(url: str, *, indexes: list[str], email_collation: str = "") -> None:
    """The two tables; an index spec ``people.email`` is a plain index, ``people.lower(email)``
    an expression index, and ``people.EMAIL`` whichever serves a case-insensitive lookup on this
    database (an expression index; a plain one on MariaDB, whose default collation is *_ci)."""
    engine = sa.create_engine(url)
    mariadb = engine.dialect.name in ("mysql", "mariadb")
    collate = f" COLLATE {email_collation}" if email_collation else ""
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(99){collate}, "
                "pnr VARCHAR(12))"
            )
        )
        conn.execute(
            sa.text(
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, person_no INTEGER, agent INTEGER, "
                "note TEXT)"
            )
        )
        for n, (table, column) in enumerate(spec.split(".") for spec in indexes):
            if column == "EMAIL":
                column = "email" if mariadb else "lower(email)"
            conn.execute(sa.text(f"CREATE INDEX ix_{table}_{n} ON {table} ({column})"))
    engine.dispose()


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
    return str(request.getfixturevalue(fixture[request.param]))


def test_lookup_columns_cover_identities_and_both_ends_of_followed_references() -> None:
    seen = {(s, t, c) for s, t, c, _, _ in lookup_columns(register())}
    assert seen == {
        ("app", "people", "lower(email)"),  # e-mail is compared case-insensitively
        ("app", "people", "pnr"),
        ("app", "orders", "person_no"),
        ("app", "people", "id"),
    }


@pytest.mark.parametrize(
    ("indexes", "missing"),
    [
        ([], {"people.email", "people.pnr", "orders.person_no"}),
        (["people.EMAIL"], {"people.pnr", "orders.person_no"}),
        (["people.EMAIL", "people.pnr", "orders.person_no"], set()),
    ],
    ids=["none", "one", "all"],
)
def test_missing_indexes_are_warned(db_url: str, indexes: list[str], missing: set[str]) -> None:
    create(db_url, indexes=indexes)
    connector = SQLConnector(db_url, name="app")
    try:
        findings = index_findings(register(), {"app": connector})
    finally:
        connector.close()
    assert {f.rule for f in findings} <= {RULE}
    named = {f.message.split(" ")[0].removeprefix("app:") for f in findings}
    assert named == missing
    for f in findings:
        assert f.location.startswith("varna.yaml:")
        assert f.hint is not None
        assert f.hint.startswith("CREATE INDEX")


def test_unreachable_sqlite_file_is_reported_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(ConnectorError, match=r"'absent\.db' does not exist"):
        SQLConnector(f"sqlite:///{path}", name="app")

    class Unreachable(dict[str, Connector]):
        def get(self, key: str, default: object = None) -> Connector:
            return SQLConnector(f"sqlite:///{path}", name=key)

    findings = index_findings(register(), Unreachable())
    assert [(f.rule, f.severity.value) for f in findings] == [(UNREACHABLE, "info")]
    assert "'absent.db' does not exist" in findings[0].message
    assert not path.exists()


def test_register_check_on_the_demo_names_a_dropped_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from varna.cli.app import app
    from varna.demo.builder import build_demo

    demo = build_demo(tmp_path / "demo", subjects=20)
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    clean = runner.invoke(app, ["register", "check", str(demo.register_path), "-f", "json"])
    found = json.loads(clean.output)["findings"]
    assert [f["rule"] for f in found if f["severity"] != "info"] == ["activity-without-system"]
    assert {f["rule"] for f in found if f["severity"] == "info"} == {"undeclared-columns"}
    engine = sa.create_engine(f"sqlite:///{demo.directory / 'data' / 'crm.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_customers_email_lower"))
    engine.dispose()
    live = runner.invoke(app, ["register", "check", str(demo.register_path)])
    assert live.exit_code == 0, live.output
    assert "crm:customers.email (identity email) has no index on lower-cased values" in live.output
    assert 'CREATE INDEX "ix_customers_email_lower" ON "customers" (lower("email"))' in (
        live.output.replace("\n", "")
    )
    offline = runner.invoke(app, ["register", "check", str(demo.register_path), "--offline"])
    assert "has no index" not in offline.output


CASE_ROWS = [
    pytest.param("sqlite", ["people.email"], "", 'ON "people" (lower("email"))', id="sqlite-plain"),
    pytest.param("sqlite", ["people.lower(email)"], "", None, id="sqlite-lower"),
    pytest.param("sqlite", [], "", 'ON "people" (lower("email"))', id="sqlite-none"),
    pytest.param(
        "postgresql",
        ["people.email"],
        "",
        'ON "people" (lower("email"))',
        id="pg-plain",
        marks=pytest.mark.postgres,
    ),
    pytest.param(
        "postgresql", ["people.lower(email)"], "", None, id="pg-lower", marks=pytest.mark.postgres
    ),
    pytest.param(
        "mariadb", ["people.email"], "", None, id="mariadb-plain-ci", marks=pytest.mark.mariadb
    ),
    pytest.param(
        "mariadb",
        ["people.email"],
        "utf8mb4_bin",
        "COLLATE utf8mb4_unicode_ci",
        id="mariadb-plain-bin",
        marks=pytest.mark.mariadb,
    ),
    pytest.param(
        "mariadb",
        [],
        "",
        "CREATE INDEX `ix_people_email`",
        id="mariadb-none",
        marks=pytest.mark.mariadb,
    ),
]


@pytest.mark.parametrize(("database", "indexes", "collation", "advice"), CASE_ROWS)
def test_case_insensitive_identities_need_an_index_on_lowered_values(
    request: pytest.FixtureRequest,
    database: str,
    indexes: list[str],
    collation: str,
    advice: str | None,
) -> None:
    fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
    url = str(request.getfixturevalue(fixture[database]))
    create(url, indexes=[*indexes, "people.pnr", "orders.person_no"], email_collation=collation)
    connector = SQLConnector(url, name="app")
    try:
        findings = index_findings(register(), {"app": connector})
    finally:
        connector.close()
    emails = [f for f in findings if f.column == "email"]
    assert [f for f in findings if f not in emails] == []
    if advice is None:
        assert emails == []
        return
    (finding,) = emails
    assert finding.rule == RULE
    assert "app:people.email (identity email) has no index on lower-cased values" in (
        finding.message
    )
    assert finding.hint is not None
    assert advice in finding.hint
