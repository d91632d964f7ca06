"""Drift: what a survey observed against what the register declares, as check findings.

The findings have the shape of ``varna register check``'s (rule, severity, location, message,
hint, citation), the location being ``system/table/column`` (or ``system/file``):

- ``discover-undeclared`` (error): personal data in a system or table the register declares
  none for. The Art. 30(1)(c) record misses it and nobody decided it should be kept
  (Art. 5(1)(c), data minimisation).
- ``discover-undeclared-category`` (warning): a declared table holds a kind of personal data in
  a column the register does not declare with that category (a personnummer in free-text care
  notes).
- ``discover-special`` (error): special-category indicators (Art. 9(1)) where the register
  declares no special category: processing needs an Art. 9(2) exception nobody recorded. An
  indicator found with no context to confirm it (a "vårdcentral" named as an employer in a CV,
  confidence below 0.7) is a warning to review, not an error.
- ``discover-not-observed`` (info): a declared category that the scanned column never showed;
  the register may be stale (or the sample too small: it says how many values were read).

An observation counts when its mean confidence is at least 0.6 and the label is in at least
5 % of the pieces read at its location, or the column's name says the same, or the detector's
confidence is high (a validated
personnummer in free text counts once). :func:`proposal` turns the drift into a register
fragment (``systems:``) for a human to review, as ``register import-fides`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from varna.discovery.columns import classify_column
from varna.discovery.scaffold.columns import CATEGORY_OF_LABEL, IDENTITY_OF_LABEL
from varna.discovery.survey import Observation, Survey
from varna.discovery.targets import Location
from varna.register.checks import Finding, Severity
from varna.register.model import Register

UNDECLARED = "discover-undeclared"
UNDECLARED_CATEGORY = "discover-undeclared-category"
SPECIAL = "discover-special"
NOT_OBSERVED = "discover-not-observed"

ART_30_5 = "GDPR Art. 30(1)(c), Art. 5(1)(c)"
ART_9 = "GDPR Art. 9(1), Art. 30(1)(c)"
ART_30_D = "GDPR Art. 30(1)(c), Art. 5(1)(d)"

MIN_SHARE = 0.05
MIN_CONFIDENCE = 0.6
SURE = 0.85
SPECIAL_SURE = 0.7
"""The confidence from which special-category indicators are an error rather than a warning:
a term alone scores 0.6; one with its context words (a patient, "har", "tar") more."""

#: Identity kind -> the category a column of that kind holds.
_IDENTITY_CATEGORY = {
    IDENTITY_OF_LABEL[label]: CATEGORY_OF_LABEL[label]
    for label in ("email", "phone", "personnummer", "ipv4", "mac_address")
}
_FAMILIES = ("contact.", "payment.", "technical.")
#: Labels a detector finds in a bare value, without context words: only their categories can
#: be reported as never observed (a bare postal code or first name is not recognised).
_BARE_LABELS = ("personnummer", "email", "phone", "iban", "card", "ipv4", "mac_address")


def significant(obs: Observation, scanned: int) -> bool:
    """Whether an observation is personal data to report, not a stray match."""
    if obs.hits == 0 or obs.confidence < MIN_CONFIDENCE:
        return False
    if scanned and obs.hits / scanned >= MIN_SHARE:
        return True
    hint = classify_column(obs.location.column) if obs.location.column else None
    return (hint is not None and hint.label == obs.label) or obs.confidence >= SURE


def _covers(declared: Iterable[str], category: str) -> bool:
    for key in declared:
        if key == category:
            return True
        if any(key.startswith(f) and category.startswith(f) for f in _FAMILIES):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Declared:
    """What the register says of one location."""

    system_declares: bool
    table_declared: bool
    categories: frozenset[str]
    """Categories of the column (of the whole table for a document or an undeclared column)."""
    column_declared: bool
    special: bool
    path: tuple[str | int, ...]


def declared_at(register: Register, location: Location) -> Declared:
    system = register.systems[location.system]
    base: tuple[str | int, ...] = ("systems", location.system)
    table = system.tables.get(location.table)
    if table is None:
        return Declared(bool(system.tables), False, frozenset(), False, False, base)
    base = (*base, "tables", location.table)
    column = location.column
    cats: set[str] = set()
    path = base
    if column is not None and column in table.fields:
        cats.add(table.fields[column].category)
        path = (*base, "fields", column)
    for kind, col in table.identity_columns():
        if col == column and kind in _IDENTITY_CATEGORY:
            cats.add(_IDENTITY_CATEGORY[kind])
    column_declared = bool(cats)
    if column is None:
        cats = {spec.category for spec in table.fields.values()}
    special = False
    for key in cats:
        try:
            special = special or register.category(key).special is not None
        except KeyError:
            continue
    return Declared(True, True, frozenset(cats), column_declared, special, path)


def _finding(
    register: Register,
    rule: str,
    severity: Severity,
    location: Location,
    declared: Declared,
    message: str,
    *,
    hint: str,
    citation: str,
) -> Finding:
    return Finding(
        rule,
        severity,
        str(location),
        message,
        citation,
        hint,
        file=register.source,
        line=register.line_of(declared.path),
        key_path=".".join(str(p) for p in declared.path),
        system=location.system,
        table=location.table,
        column=location.column,
    )


def _seen(obs: Observation, scanned: int) -> str:
    examples = ", ".join(obs.examples)
    return (
        f"{obs.label} in {obs.hits} of {scanned} values read (confidence {obs.confidence:.2f}; "
        f"e.g. {examples})"
    )


def drift_findings(register: Register, survey: Survey) -> list[Finding]:
    """The survey against the register, sorted errors first, then by location."""
    out: list[Finding] = []
    observed_categories: dict[Location, set[str]] = {}
    for (location, label), obs in sorted(survey.observations.items()):
        scanned = survey.scanned.get(location, 0)
        category = CATEGORY_OF_LABEL.get(label)
        if category is None or location.system not in register.systems:
            continue
        observed_categories.setdefault(location, set()).add(category)
        if not significant(obs, scanned):
            continue
        declared = declared_at(register, location)
        special = category.startswith("special.")
        where = "file" if location.column is None else "column"
        if special and not declared.special:
            out.append(
                _finding(
                    register,
                    SPECIAL,
                    Severity.error if obs.confidence >= SPECIAL_SURE else Severity.warning,
                    location,
                    declared,
                    f"{'' if obs.confidence >= SPECIAL_SURE else 'possible '}special-category "
                    f"data ({_seen(obs, scanned)}) where the register declares no special "
                    "category",
                    hint=f"declare '{category}' for this {where} and the Art. 9(2) exception "
                    "that allows it, or remove the data (see the proposed fragment)",
                    citation=ART_9,
                )
            )
        elif not declared.table_declared:
            out.append(
                _finding(
                    register,
                    UNDECLARED,
                    Severity.error,
                    location,
                    declared,
                    f"personal data ({_seen(obs, scanned)}) in a "
                    f"{'table' if location.column else 'file'} the register does not declare",
                    hint="declare the table and its categories (see the proposed fragment), "
                    "or remove the data if nothing needs it",
                    citation=ART_30_5,
                )
            )
        elif not special and not _covers(declared.categories, category):
            out.append(
                _finding(
                    register,
                    UNDECLARED_CATEGORY,
                    Severity.warning,
                    location,
                    declared,
                    f"personal data ({_seen(obs, scanned)}) of a category the register does "
                    f"not declare for this {where} ('{category}')",
                    hint=f"declare '{category}' here, or remove the data if nothing needs it",
                    citation=ART_30_5,
                )
            )
    out += _stale(register, survey, observed_categories)
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    return sorted(out, key=lambda f: (order[f.severity], f.location, f.rule))


def _stale(
    register: Register, survey: Survey, observed: dict[Location, set[str]]
) -> Iterable[Finding]:
    detectable = {CATEGORY_OF_LABEL[label] for label in _BARE_LABELS}
    for location, scanned in sorted(survey.scanned.items()):
        if location.column is None or location.system not in register.systems:
            continue
        table = register.systems[location.system].tables.get(location.table)
        spec = table.fields.get(location.column) if table is not None else None
        if spec is None or spec.category not in detectable:
            continue
        if _covers(observed.get(location, set()), spec.category):
            continue
        declared = declared_at(register, location)
        yield _finding(
            register,
            NOT_OBSERVED,
            Severity.info,
            location,
            declared,
            f"the register declares '{spec.category}' here but none of the {scanned} values "
            "read showed it",
            hint="check whether the column still holds it; if not, update the register "
            "(scan with --full to read every row)",
            citation=ART_30_D,
        )


def proposal(register: Register, survey: Survey) -> dict[str, Any]:
    """``systems:`` entries for the undeclared observations: what a human should review."""
    systems: dict[str, Any] = {}
    for (location, label), obs in sorted(survey.observations.items()):
        category = CATEGORY_OF_LABEL.get(label)
        scanned = survey.scanned.get(location, 0)
        if category is None or location.system not in register.systems:
            continue
        if not significant(obs, scanned):
            continue
        declared = declared_at(register, location)
        if declared.column_declared and _covers(declared.categories, category):
            continue
        if location.column is None and _covers(declared.categories, category):
            continue
        tables = systems.setdefault(location.system, {"tables": {}})["tables"]
        table = tables.setdefault(location.table, {})
        if not declared.table_declared:
            table.setdefault("primary_key", ["TODO"])
        fields = table.setdefault("fields", {})
        column = location.column or "TODO"
        if column not in fields:
            fields[column] = category
    return {"systems": systems} if systems else {}


def proposal_yaml(register: Register, survey: Survey) -> str:
    """:func:`proposal` as YAML with a header saying it is a proposal, or '' when none."""
    import yaml

    data = proposal(register, survey)
    if not data:
        return ""
    head = (
        "# Proposed by varna discover: declarations the register lacks for what the scan\n"
        "# found. Review each line (and the activities, retention and legal basis it needs)\n"
        "# before adding it to the register; 'TODO' marks what the scan cannot know.\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
