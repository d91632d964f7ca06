"""Drift against the register: the demo's plants are found and named without their values,
the rules fire as documented, Chinook (a database designed by others) is read, and
``varna discover`` prints findings in the register check's shape and exits 1 on errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dsr.chinook import REGISTER as CHINOOK_REGISTER
from dsr.chinook import load_chinook
from varna.cli.app import app
from varna.core import Varna
from varna.demo.builder import DemoResult, build_demo
from varna.demo.shared import APPLICANTS_FILE
from varna.discovery.drift import NOT_OBSERVED, SPECIAL, UNDECLARED, UNDECLARED_CATEGORY
from varna.discovery.report import DiscoveryReport
from varna.discovery.survey import Survey
from varna.discovery.targets import Location
from varna.register.checks import Severity
from varna.register.loader import load_register
from varna.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo", subjects=400, seed=7, workers=1)


@pytest.fixture(scope="module")
def demo_report(demo: DemoResult) -> DiscoveryReport:
    varna = Varna(Settings(), register_path=demo.register_path)
    return varna.discover(environ={}, sample=None)


def _planted_values(demo: DemoResult) -> list[str]:
    """Every personnummer, e-mail and phone number in the demo (none may be printed)."""
    values: list[str] = []
    with sqlite3.connect(demo.directory / "data" / "crm.db") as db:
        for row in db.execute("SELECT personnummer, email, phone FROM customers"):
            values += [v for v in row if v]
    return values


def test_the_demo_plants_are_found_and_named(demo_report: DiscoveryReport) -> None:
    found = {(f.rule, f.location) for f in demo_report.findings}
    assert (UNDECLARED_CATEGORY, "care/care_notes/note") in found
    for column in ("Personnummer", "E-post", "Telefon", "Namn"):
        assert (UNDECLARED, f"shared/{APPLICANTS_FILE}/{column}") in found
    # the price list's version, article and invoice numbers and date are no personal data
    assert not [f for f in demo_report.findings if "prislista" in f.location]
    pnr = next(
        f
        for f in demo_report.findings
        if f.location == "care/care_notes/note" and "personnummer" in f.message
    )
    assert pnr.severity is Severity.warning
    assert pnr.citation == "GDPR Art. 30(1)(c), Art. 5(1)(c)"
    assert pnr.key_path == "systems.care.tables.care_notes.fields.note"
    assert pnr.line is not None
    assert pnr.hint


def test_the_report_never_holds_a_value(demo: DemoResult, demo_report: DiscoveryReport) -> None:
    rendered = [demo_report.render(fmt) for fmt in ("text", "json", "html")]
    values = _planted_values(demo)
    assert values
    for text in rendered:
        assert not [v for v in values if v in text]
    assert "19xxxxxx" in rendered[0] or "19xxxxxxxxx" in rendered[0]


def test_the_proposal_declares_what_is_missing(demo_report: DiscoveryReport) -> None:
    proposal = yaml.safe_load(demo_report.proposal)
    shared = proposal["systems"]["shared"]["tables"][APPLICANTS_FILE]
    assert shared["primary_key"] == ["TODO"]
    assert shared["fields"]["Personnummer"] == "identity.personnummer"
    assert shared["fields"]["E-post"] == "contact.email"
    note = proposal["systems"]["care"]["tables"]["care_notes"]
    assert note == {"fields": {"note": "identity.personnummer"}}


REGISTER = """\
varna: 1
controller:
  name: Test AB
  org_number: 559123-4561
  address: {street: Gatan 1, postal_code: "111 11", city: Stockholm}
  contact: {email: a@example.se}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
activities: {}
systems:
  app:
    name: {sv: App, en: App}
    kind: sqlite
    connection: {env: APP_URL}
    country: SE
    tables:
      people:
        primary_key: [id]
        fields:
          email: contact.email
          notes: contact.postal_address
          health_notes: special.health
"""


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "varna.yaml"
    path.write_text(REGISTER, encoding="utf-8")
    return path


def _survey(*rows: tuple[str, str | None, str, int, int, float]) -> Survey:
    survey = Survey()
    for table, column, label, hits, scanned, score in rows:
        location = Location("app", table, column)
        survey.scanned[location] = scanned
        if hits:
            from varna.discovery.survey import Observation

            survey.observations[(location, label)] = Observation(
                location, label, hits, score * hits, ["19xxxxxx-xxx1"]
            )
    return survey


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # personal data in a table the register does not know
        (("orders", "comment", "personnummer", 3, 100, 1.0), (UNDECLARED, Severity.error)),
        # a kind of personal data the column is not declared with
        (("people", "notes", "personnummer", 3, 100, 1.0), (UNDECLARED_CATEGORY, Severity.warning)),
        # an Art. 9 indicator where no special category is declared: with its context
        (("people", "notes", "health", 30, 100, 0.8), (SPECIAL, Severity.error)),
        # ... and a term alone ("vårdcentral" as an employer in a CV): to review
        (("people", "notes", "health", 30, 100, 0.6), (SPECIAL, Severity.warning)),
        # a declared category the values never showed
        (("people", "email", "email", 0, 100, 0.0), (NOT_OBSERVED, Severity.info)),
    ],
)
def test_each_rule(
    register: Path,
    row: tuple[str, str | None, str, int, int, float],
    expected: tuple[str, Severity],
) -> None:
    from varna.discovery.drift import drift_findings

    findings = drift_findings(load_register(register), _survey(row))
    assert [(f.rule, f.severity) for f in findings] == [expected]
    assert findings[0].location == f"app/{row[0]}/{row[1]}"


@pytest.mark.parametrize(
    "row",
    [
        ("people", "email", "email", 90, 100, 0.95),  # declared
        ("people", "health_notes", "health", 20, 100, 0.6),  # declared special
        ("people", "notes", "postal_code", 50, 100, 0.8),  # the same family as declared
        ("orders", "comment", "person_name", 1, 100, 0.55),  # a stray weak match
        ("people", "notes", "phone", 1, 1000, 0.8),  # one phone in a thousand notes
    ],
)
def test_what_does_not_fire(register: Path, row: tuple[str, str, str, int, int, float]) -> None:
    from varna.discovery.drift import drift_findings

    assert drift_findings(load_register(register), _survey(row)) == []


def test_surveys_merge_to_the_same_as_one(demo: DemoResult) -> None:
    varna = Varna(Settings(), register_path=demo.register_path)
    whole = varna.discover(environ={}, systems=["care", "shared"], sample=None).survey
    merged = Survey()
    for system, units in varna.discovery_units(environ={}, systems=["care", "shared"]):
        for unit in units:
            part = varna.scan_discovery_unit(system, unit, environ={}, sample=None)
            merged.merge(Survey.from_dict(json.loads(json.dumps(part.as_dict()))))
    assert merged.as_dict() == whole.as_dict()


@pytest.fixture
def chinook(sqlite_url: str) -> dict[str, str]:
    load_chinook(sqlite_url)
    return {"VARNA_CHINOOK_URL": sqlite_url}


def test_chinook_customers_are_declared_and_composers_are_not(chinook: dict[str, str]) -> None:
    varna = Varna(Settings(), register_path=CHINOOK_REGISTER)
    report = varna.discover(environ=chinook, sample=1000)
    seen = {(o["location"], o["label"]) for o in report.observed()}
    assert ("store/Customer/Email", "email") in seen
    assert ("store/Employee/Email", "email") in seen
    flagged = {f.location for f in report.findings if f.rule == UNDECLARED}
    assert "store/Track/Composer" in flagged
    assert not {loc for loc in flagged if loc.startswith("store/Customer/")}


def test_the_command_prints_json_and_exits_1_on_errors(
    demo: DemoResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.json"
    args = ["discover", "shared", "-r", str(demo.register_path), "--format", "json", "-o"]
    result = runner.invoke(app, [*args, str(out)])
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {f["rule"] for f in data["findings"]} == {UNDECLARED}
    assert data["units"] == {"shared": ["priser/prislista_2026.txt", APPLICANTS_FILE]}
    clean = runner.invoke(app, ["discover", "web", "-r", str(demo.register_path), "--sample", "50"])
    assert clean.exit_code == 0, clean.output
    assert "Scanned 1 tables and files in 1 systems, a sample of 50 rows a table." in clean.output
