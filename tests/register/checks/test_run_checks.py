"""The rule registry and ``run_checks``: every rule is covered, the clean baseline is clean, and
findings come out deterministic and sorted."""

from __future__ import annotations

import json

import pytest

from varna.register import load_register, parse_register
from varna.register.checks import Finding, Severity, load_rules, run_checks

from ..registers import MINIMAL, ON

#: The rules the checks must have; each module's table test covers the rules of its module.
EXPECTED_RULES = {
    "todo",
    "no-legal-basis",
    "basis-incomplete",
    "consent-for-contract-data",
    "special-category",
    "personnummer-justification",
    "marketing-consent",
    "automated-decision",
    "portability-not-applicable",
    "processor-role",
    "missing-retention",
    "retention-below-statutory-minimum",
    "bookkeeping-without-hold",
    "review-cycle",
    "third-country-transfer",
    "processor-agreement",
    "kept-without-purpose",
    "activity-without-system",
    "retention-anchor",
    "unfindable-table",
    "system-kind",
    "missing-translation",
    "outdated-authority",
    "security-measures",
    "controller-identity",
    "placeholder",
    "retention-in-words",
    "recipient-location",
    "cookie-consent",
    "cookie-necessary",
    "cookie-transfer",
    "consent-purpose-twice",
    "consent-withdrawal",
    "bookkeeping-period",
    "special-category-exception",
    "dpo-required",
    "retention-excessive",
    "invalid-mechanism-named",
}
TESTED_MODULES = {
    "consent",
    "cookies",
    "inventory",
    "lawfulness",
    "placeholders",
    "plausibility",
    "retention",
    "texts",
    "transfers",
}
ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


def _messy_text() -> str:
    """The minimal register with an error, warnings and a note, in an order the sort must fix."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("    - {sv: Behörighetsstyrning}\n", "    []\n").replace(
        "  measures:\n    []", "  measures: []"
    )
    text = text.replace("legal_bases: [contract]", "legal_bases: [legitimate_interests]")
    text = text.replace("kind: sqlite", "kind: oracle")
    return text.replace("          name: identity.name\n", "          phone: contact.phone\n")


def test_the_registry_holds_every_rule():
    assert set(load_rules()) == EXPECTED_RULES


@pytest.mark.parametrize("name", sorted(EXPECTED_RULES))
def test_every_rule_lives_in_a_module_with_a_table_test(name):
    module = load_rules()[name].__module__
    assert module.rsplit(".", 1)[-1] in TESTED_MODULES, module


@pytest.mark.parametrize("name", sorted(EXPECTED_RULES))
def test_every_rule_says_what_it_checks(name):
    assert (load_rules()[name].__doc__ or "").strip(), f"rule {name} has no docstring"


def test_the_minimal_register_is_the_clean_baseline():
    assert run_checks(load_register(MINIMAL), on=ON) == []


def test_findings_are_deterministic():
    text = _messy_text()
    first = run_checks(parse_register(text, source="messy.yaml"), on=ON)
    second = run_checks(parse_register(text, source="messy.yaml"), on=ON)
    assert first == second
    assert len(first) >= 4


def test_findings_are_sorted_errors_first_then_by_line():
    found = run_checks(parse_register(_messy_text(), source="messy.yaml"), on=ON)
    severities = [ORDER[f.severity] for f in found]
    assert severities == sorted(severities)
    assert {f.severity for f in found} >= {Severity.error, Severity.warning}
    for severity in Severity:
        lines = [_line(f) for f in found if f.severity is severity]
        assert lines == sorted(lines), severity


def _line(finding: Finding) -> int:
    head = finding.location.split(" ", 1)[0]
    return int(head.rsplit(":", 1)[1]) if ":" in head else 0


def test_a_finding_points_at_the_line_of_its_key():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "legal_bases: [contract]", "legal_bases: [legal_obligation]"
    )
    (found,) = [
        f
        for f in run_checks(parse_register(text, source="r.yaml"), on=ON)
        if f.rule == "basis-incomplete"
    ]
    line = text.splitlines().index("    legal_bases: [legal_obligation]") + 1
    assert found.location == f"r.yaml:{line} activities.customer_contract.legal_bases.0"


def test_a_finding_serialises_with_plain_values():
    found = run_checks(parse_register(_messy_text(), source="messy.yaml"), on=ON)
    as_dicts = [f.as_dict() for f in found]
    keys = {"rule", "severity", "location", "message", "citation", "hint", "file", "line"}
    keys |= {"key_path", "system", "table", "column"}
    assert all(set(d) == keys for d in as_dicts)
    assert all(d["file"] == "messy.yaml" for d in as_dicts)
    assert {d["severity"] for d in as_dicts} <= {"error", "warning", "info"}
    json.dumps(as_dicts)
