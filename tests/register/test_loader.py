"""Loading a register: golden files, ``file:line key.path`` problems, and no crash on any input.

Golden files: every ``tests/data/registers/valid/*.yaml`` loads and passes the checks without an
error; every ``tests/data/registers/invalid/*.yaml`` states, in ``# error: LINE PATH: TEXT``
comments, exactly the problems it must raise (``-`` for no line; no path for the whole file).
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.errors import Problem, RegisterLoadError
from varna.register import Register, load_register, parse_register
from varna.register.checks import Severity, run_checks
from varna.register.types import CATEGORY_PATTERN, KEY_PATTERN, PERIOD_PATTERN

from .registers import BASE, DATA, MINIMAL, ON

VALID = sorted((DATA / "valid").glob("*.yaml"))
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")
_EXPECTED = re.compile(r"^# error: (?P<line>\d+|-)(?: (?P<path>\S+))?: (?P<text>.+)$")


def _problems(text: str, source: str = "register.yaml") -> tuple[Problem, ...]:
    with pytest.raises(RegisterLoadError) as caught:
        parse_register(text, source=source)
    return caught.value.problems


def _expected(file: Path) -> list[tuple[int | None, str, str]]:
    head = file.read_bytes().decode("utf-8", errors="replace")
    rows = []
    for line in head.splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECTED.match(line)
        if match:
            number = None if match["line"] == "-" else int(match["line"])
            rows.append((number, match["path"] or "", match["text"]))
    return rows


# -- golden files ---------------------------------------------------------------------------


def test_there_are_golden_files():
    assert len(VALID) >= 5
    assert len(INVALID) >= 15


@pytest.mark.parametrize("file", VALID, ids=lambda p: p.stem)
def test_valid_register_loads_and_has_no_errors(file):
    register = load_register(file)
    assert register.source == str(file)
    errors = [f for f in run_checks(register, on=ON) if f.severity is Severity.error]
    assert errors == []


@pytest.mark.parametrize("file", INVALID, ids=lambda p: p.stem)
def test_invalid_register_raises_exactly_the_stated_problems(file):
    expected = _expected(file)
    assert expected, f"{file.name} states no '# error: LINE PATH: TEXT' comment"
    with pytest.raises(RegisterLoadError) as caught:
        load_register(file)
    problems = list(caught.value.problems)
    shown = "\n".join(str(p) for p in problems)
    assert len(problems) == len(expected), shown
    for line, path, text in expected:
        hit = [
            p
            for p in problems
            if p.line == line and p.path == path and text in f"{p.message} ({p.hint})"
        ]
        assert hit, f"no problem '{line} {path}: {text}' in:\n{shown}"
        problems.remove(hit[0])
    lines = [p.line or 0 for p in caught.value.problems]
    assert lines == sorted(lines), "problems are not sorted by line"
    assert all(p.file == str(file) for p in caught.value.problems)


# -- messages -------------------------------------------------------------------------------


def test_misspelt_category_message_is_the_one_from_the_issue():
    text = MINIMAL_TEXT.replace(
        "email: {category: contact.email, erasure: mask}", "email: contact.mail"
    )
    line = text.splitlines().index("          email: contact.mail") + 1
    (problem,) = _problems(text)
    assert str(problem) == (
        f"register.yaml:{line} systems.crm.tables.customers.fields.email.category: "
        "unknown category 'contact.mail' (did you mean 'contact.email'?)"
    )
    assert problem.code == "unresolved-reference"


def test_load_error_lists_every_problem_in_its_message():
    text = MINIMAL_TEXT.replace("kind: sqlite", "kind: Sqlite").replace(
        "country: SE", "country: se"
    )
    with pytest.raises(RegisterLoadError) as caught:
        parse_register(text, source="register.yaml")
    message = str(caught.value)
    assert message.startswith("register has 2 problems\n")
    assert all(str(p) in message for p in caught.value.problems)


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("19800101-1235", id="12-digit-bad-luhn"),
        pytest.param("800101-1235", id="10-digit-bad-luhn"),
        pytest.param("8001011235", id="no-separator"),
        pytest.param("19801301-1234", id="month-13"),
        pytest.param("800101+12345", id="too-long"),
    ],
)
def test_no_message_contains_the_digits_of_a_personnummer(number):
    text = MINIMAL_TEXT.replace("556677-8899", number)
    with pytest.raises(RegisterLoadError) as caught:
        parse_register(text, source="register.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "controller.org_number"
    digits = re.sub(r"\D", "", number)
    shown = str(caught.value)
    for piece in {number, digits, digits[-10:], digits[:6], digits[-4:]}:
        assert piece not in shown


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        pytest.param(
            "  customer_contract:\n    name:",
            "  customer_contract:\n    nmae: {sv: x}\n    name:",
            "activities.customer_contract.nmae",
            "did you mean 'name'?",
            id="activity",
        ),
        pytest.param(
            "  contact: {email: info@exempel.se}",
            "  contact: {emial: info@exempel.se, email: info@exempel.se}",
            "controller.contact.emial",
            "did you mean 'email'?",
            id="controller-contact",
        ),
        pytest.param(
            "        primary_key: [id]",
            "        primary_key: [id]\n        identites: {}",
            "systems.crm.tables.customers.identites",
            "did you mean 'identities'?",
            id="table",
        ),
        pytest.param(
            "erasure: mask}",
            "erasure: mask, provided_by_subjects: true}",
            "systems.crm.tables.customers.fields.email.provided_by_subjects",
            "did you mean 'provided_by_subject'?",
            id="field",
        ),
        pytest.param(
            "period: 24 months,",
            "period: 24 months, then: 1 month,",
            "activities.customer_contract.retention.then",
            "allowed keys: anchor, period, rule",
            id="retention-union-member",
        ),
        pytest.param(
            "varna: 1",
            "varna: 1\nsystem: {}",
            "system",
            "did you mean 'systems'?",
            id="root",
        ),
    ],
)
def test_unknown_key_names_the_allowed_keys(old, new, path, hint):
    problems = _problems(MINIMAL_TEXT.replace(old, new, 1))
    found = [p for p in problems if p.path == path]
    assert found, problems
    assert found[0].message == f"unknown key '{path.rsplit('.', 1)[-1]}'"
    assert found[0].hint == hint


def test_missing_file():
    with pytest.raises(RegisterLoadError) as caught:
        load_register(DATA / "does-not-exist.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.message) == (None, "file not found")
    assert "VARNA_REGISTER" in (problem.hint or "")


def test_a_directory_is_not_a_register(tmp_path):
    with pytest.raises(RegisterLoadError) as caught:
        load_register(tmp_path)
    assert caught.value.problems[0].message.startswith("cannot be read")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="comment"),
        pytest.param("just text", id="scalar"),
        pytest.param("- a\n- b\n", id="list"),
        pytest.param("---\n...\n", id="empty-document"),
    ],
)
def test_a_register_must_be_a_mapping(text):
    (problem,) = _problems(text)
    assert (problem.line, problem.message) == (1, "the register must be a YAML mapping")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("varna: 1\ncontroller: [\n", 3, id="unclosed-flow-list"),
        pytest.param("varna: 1\n  controller: x\n", 2, id="bad-indentation"),
        pytest.param("varna: 1\nsubjects: {a: b}\n---\nvarna: 1\n", 3, id="two-documents"),
        pytest.param("varna: 1\nx: *missing\n", 2, id="unknown-alias"),
        pytest.param("varna: 1\nx: !custom y\n", 2, id="unknown-tag"),
        pytest.param("varna: 1\nx: 'a\x07'\n", 2, id="control-character"),
        pytest.param("varna: 1\n\nx: [\x00]\n", 3, id="nul"),
    ],
)
def test_yaml_syntax_errors_have_a_line(text, line):
    (problem,) = _problems(text)
    assert problem.line == line
    assert problem.message.startswith("not valid YAML")
    assert problem.path == ""


def test_norway_and_on_stay_strings():
    text = MINIMAL_TEXT.replace("country: SE", "country: NO")
    assert parse_register(text).systems["crm"].country == "NO"


def test_dates_in_yaml_are_parsed_by_the_model():
    register = parse_register(MINIMAL_TEXT)
    assert register.controller.policy.effective_date == date(2026, 1, 1)


def test_line_of_walks_up_to_the_nearest_key():
    register = load_register(MINIMAL)
    lines = MINIMAL_TEXT.splitlines()
    assert register.line_of(("systems", "crm")) == lines.index("  crm:") + 1
    assert register.line_of(("systems", "crm", "no", "such", "key")) == lines.index("  crm:") + 1
    assert register.line_of(("cookies",)) is None
    assert register.locate(("systems", "crm")).startswith(f"{MINIMAL}:")


def test_a_parsed_register_is_immutable():
    register = load_register(MINIMAL)
    with pytest.raises(ValueError, match="frozen"):
        register.controller.name = "Annat AB"  # type: ignore[misc]


def test_yaml_null_erasure_means_the_null_strategy():
    text = MINIMAL_TEXT.replace("erasure: mask}", "erasure: null}")
    spec = parse_register(text).systems["crm"].tables["customers"].fields["email"]
    assert spec.erasure == "null"


# -- no crash on any input ------------------------------------------------------------------


def _attempt(load: Any, *args: Any, **kwargs: Any) -> tuple[Register | None, tuple[Problem, ...]]:
    """The register, or the problems: any other exception fails the test."""
    try:
        return load(*args, **kwargs), ()
    except RegisterLoadError as exc:
        return None, exc.problems


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*path, index))
    return out


PATHS = [p for p in _paths(BASE) if p]
KEYS = sorted({str(p[-1]) for p in PATHS if isinstance(p[-1], str)})
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates().map(str),
    st.sampled_from(
        [
            "",
            " ",
            "SE",
            "UK",
            "XX",
            "NO",
            "se",
            "24 months",
            "0 days",
            "contact.email",
            "contact.mail",
            "identity.personnummer",
            "special.health",
            "consent",
            "contract",
            "legal_obligation",
            "processor",
            "privacy_shield",
            "period_after",
            "bookkeeping",
            "while_active",
            "fixed",
            "null",
            "customer",
            "customer_contract",
            "crm:customers.id",
            "customers.id",
            "2026-02-30",
            "556677-8899",
            "19800101-1235",
            "postgresql://u:p@h/db",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=3),
    ),
    max_leaves=8,
)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _mutate(data: dict[str, Any], path: tuple[Any, ...], value: Any, add: str | None) -> None:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if isinstance(node, dict | list):
        target = node[path[-1]]
        if add is not None and isinstance(target, dict):
            target[add] = value
        else:
            node[path[-1]] = value


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(PATHS), VALUES, st.none() | st.sampled_from(KEYS)),
        min_size=1,
        max_size=3,
    )
)
def test_any_value_at_any_key_gives_a_register_or_load_problems(mutations):
    data = copy.deepcopy(BASE)
    for path, value, add in mutations:
        try:
            _mutate(data, path, value, add)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    text = yaml.safe_dump(data, allow_unicode=True)
    register, problems = _attempt(parse_register, text, source="fuzz.yaml")
    if register is None:
        assert problems
        assert all(p.file == "fuzz.yaml" and p.message for p in problems)
        return
    run_checks(register, on=ON)  # a register that loads can be checked without a crash


def _shaped(value: Any) -> st.SearchStrategy[Any]:
    """Values shaped like ``value``: they pass the schema more often and so reach the checks."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-5, max_value=100)
    if not isinstance(value, str):
        return st.just(value)
    for pattern in (r"[A-Z]{2}", PERIOD_PATTERN, CATEGORY_PATTERN, KEY_PATTERN):
        if re.fullmatch(pattern.strip("^$"), value):
            return st.from_regex(pattern, fullmatch=True).filter(lambda v: len(v) <= 40)
    return st.text(max_size=20)


LEAVES = [p for p in PATHS if not isinstance(_at(BASE, p), dict | list)]


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.data())
def test_well_shaped_values_load_and_check_without_a_crash(data):
    register_data = copy.deepcopy(BASE)
    for path in data.draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=3)):
        _mutate(register_data, path, data.draw(_shaped(_at(BASE, path))), None)
    text = yaml.safe_dump(register_data, allow_unicode=True)
    register, problems = _attempt(parse_register, text)
    assert (register is None) == bool(problems)
    if register is not None:
        run_checks(register, on=ON)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_register_or_load_problems(text):
    register, problems = _attempt(parse_register, text)
    assert (register is None) == bool(problems)


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(st.binary(max_size=100))
def test_any_bytes_on_disk_give_a_register_or_load_problems(tmp_path_factory, raw):
    file = tmp_path_factory.mktemp("fuzz") / "register.yaml"
    file.write_bytes(MINIMAL_TEXT.encode()[:200] + raw)
    register, problems = _attempt(load_register, file)
    assert (register is None) == bool(problems)
