"""``varna register import-fides``: fideslang datasets become register systems; bad datasets give
``file:line key: what (how to fix)``; the merged register loads and passes the check."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from shared_data import SHARED_DATA, needs_shared
from varna.cli.app import app
from varna.errors import RegisterLoadError
from varna.register import load_register
from varna.register.checks import Severity, run_checks
from varna.register.fides import category_index, load_fides_datasets, map_category, merge_systems
from varna.register.loader import parse_register as load_register_text
from varna.register.types import IdentityStrength

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = SHARED_DATA / "fides-postgres-example" / "postgres_example_test_dataset.yml"
BASE = ROOT / "examples" / "fides-base.yaml"
SYSTEM = "postgres_example_test_dataset"


def _dataset(tmp_path: Path, body: str, name: str = "ds.yml") -> Path:
    file = tmp_path / name
    file.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return file


SHOP = """
dataset:
  - fides_key: shop_db
    name: Shop
    collections:
      - name: users
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: {primary_key: true}
          - name: email
            data_categories: [user.contact.email]
            fides_meta: {identity: email}
          - name: backup_email
            data_categories: [user.contact.email]
            fides_meta: {identity: email}
          - name: city
            data_categories: [user.contact.address.city]
          - name: nick
            data_categories: [user.name]
            fides_meta:
              length: 5
              masking_strategy_override:
                strategy: string_rewrite
                configuration: {rewrite_value: anonymous}
          - name: token
            data_categories: [user.contact.email]
            fides_meta:
              masking_strategy_override: {strategy: hash}
          - name: created
            data_categories: [system.operations]
      - name: events
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true}
          - name: user_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - {dataset: shop_db, field: users.id, direction: from}
          - name: billing_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - {dataset: billing_db, field: accounts.id}
"""


def test_a_dataset_maps_to_a_system_field_by_field(tmp_path: Path) -> None:
    imported = load_fides_datasets([_dataset(tmp_path, SHOP)], country="NO", kind="mariadb")
    system = imported.systems["shop_db"]
    assert (system["kind"], system["country"]) == ("mariadb", "NO")
    assert system["connection"] == {"env": "VARNA_SHOP_DB_URL"}
    users = system["tables"]["users"]
    assert users["primary_key"] == ["id"]
    assert users["identities"] == {"email": ["email", "backup_email"]}
    assert users["erasure"] == "anonymise"
    assert users["fields"] == {
        "id": {"category": "identity.customer_number", "erasure": "keep"},
        "email": "contact.email",
        "backup_email": "contact.email",
        "city": "contact.postal_address",  # user.contact.address.city -> its parent's category
        "nick": {"category": "identity.name", "erasure": "fixed", "value": "anony"},
        "token": {"category": "contact.email", "erasure": "hash"},
    }  # created is system.operations: not personal data
    events = system["tables"]["events"]
    assert events["references"] == {
        "user_id": {"table": "users", "column": "id", "direction": "from"},
        "billing_id": {"system": "billing_db", "table": "accounts", "column": "id"},
    }
    assert "fields" not in events
    assert imported.notes == []


@pytest.mark.parametrize(
    ("fideslang", "varna"),
    [
        ("user.contact.email", "contact.email"),
        ("user.contact.address.city", "contact.postal_address"),
        ("user.contact.address.postal_code", "contact.postal_area"),
        ("user.financial.bank_account", "payment.bank_account"),
        ("user.name.first", "identity.name"),
        ("user.sensor", None),
        ("user", None),
        ("user.authorization.biometric", "special.biometric"),
        ("user.contact.fax_number", "contact.phone"),
    ],
    ids=[
        "exact",
        "parent",
        "exact-deep",
        "financial",
        "child-of-mapped",
        "unmapped",
        "root",
        "alias-special",
        "alias",
    ],
)
def test_categories_map_through_the_taxonomy(fideslang: str, varna: str | None) -> None:
    assert map_category(fideslang, category_index(None)) == varna


def test_the_registers_own_categories_come_first() -> None:
    register = load_register(BASE)
    index = category_index(register)
    assert map_category("user.sensor", index) == "usage.sensor"
    assert map_category("user.biometric.fingerprint", index) == "special.biometric"


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            SHOP.replace("      - name: events\n", "      - nme: events\n"),
            ":31 dataset.0.collections.1.name",
            "Field required",
        ),
        (
            "dataset: {fides_key: x}\n",
            "",
            "not a fideslang dataset file",
        ),
        (
            "a: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]\n"
                for n in range(8)
            )
            + "dataset: []\n",
            ":5",
            "alias uses",
        ),
        ("dataset: []\nx: " + "9" * 30 + "\n", ":2", "beyond 64 bits"),
    ],
    ids=["schema", "not-a-list", "alias-bomb", "integer-beyond-64-bits"],
)
def test_bad_datasets_are_reported_at_their_line(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    file = _dataset(tmp_path, body)
    with pytest.raises(RegisterLoadError) as caught:
        load_fides_datasets([file])
    text = str(caught.value)
    assert text.startswith("fideslang dataset has ")
    assert f"{file}{where}" in text
    assert message in text


@needs_shared("fides-postgres-example")
def test_a_dataset_already_in_the_register_is_refused(tmp_path: Path) -> None:
    register = load_register(BASE)
    first = load_fides_datasets([EXAMPLE], register=register)
    assert list(first.systems) == [SYSTEM]
    with pytest.raises(
        RegisterLoadError, match="system 'postgres_example_test_dataset' is already"
    ):
        load_fides_datasets([EXAMPLE, EXAMPLE], register=register)


@needs_shared("fides-postgres-example")
def test_a_collection_without_primary_key_is_keyed_by_all_fields_and_kept(tmp_path: Path) -> None:
    imported = load_fides_datasets([EXAMPLE], register=load_register(BASE))
    visit = imported.systems[SYSTEM]["tables"]["visit"]
    assert visit["primary_key"] == ["email", "last_visit"]
    assert visit["fields"] == {"email": {"category": "contact.email", "erasure": "keep"}}
    assert sorted(n.path for n in imported.notes) == [
        "dataset.0.collections.10",
        "dataset.0.collections.5",
    ]


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["register", "import-fides", *args])


def test_cli_prints_a_systems_fragment(tmp_path: Path) -> None:
    result = _cli(str(_dataset(tmp_path, SHOP)))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert list(data) == ["systems"]
    assert list(data["systems"]["shop_db"]["tables"]) == ["users", "events"]


@needs_shared("fides-postgres-example")
def test_cli_merges_into_a_register_that_passes_the_check(tmp_path: Path) -> None:
    out = tmp_path / "varna.yaml"
    args = ["--register", str(BASE), "--subject", "customer", "--activity", "shop"]
    result = _cli(str(EXAMPLE), *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(BASE.read_text(encoding="utf-8").rstrip("\n"))  # comments kept
    register = load_register(out)
    assert sorted(register.systems[SYSTEM].tables) == sorted(
        [
            "address",
            "customer",
            "employee",
            "login",
            "order_item",
            "orders",
            "payment_card",
            "product",
            "report",
            "service_request",
            "visit",
        ]
    )
    check = CliRunner().invoke(app, ["register", "check", "--offline", str(out)])
    assert check.exit_code == 0, check.output
    assert "\n0 error(s)" in check.stdout


def test_cli_reports_bad_input_with_exit_1(tmp_path: Path) -> None:
    file = _dataset(tmp_path, SHOP.replace("      - name: events\n", "      - nme: events\n"))
    result = _cli(str(file))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert f"{file}:31 dataset.0.collections.1.name: Field required" in out


BARE = Path(__file__).resolve().parent / "fides_bare.yaml"

SENSOR = """
dataset:
  - fides_key: gym
    collections:
      - name: visits
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true, identity: badge}
          - name: pulse
            data_categories: [user.sensor]
          - name: email
            data_categories: [user.contact.email]
"""


def _bare(**replace: str) -> str:
    text = BARE.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    ("register", "expect"),
    [
        (_bare(), "taxonomy:\n  categories:\n    fides.sensor:"),
        (
            _bare(subjects="taxonomy: {}\nsubjects"),
            "taxonomy:\n  categories:\n    fides.sensor:",
        ),
        (
            _bare(
                subjects="taxonomy:\n    anchors:\n        opened:\n"
                "            label: {sv: Öppnat}\nsubjects"
            ),
            "            label: {sv: Öppnat}\n    categories:\n        fides.sensor:",
        ),
        (
            _bare(**{"categories: [identity.name]": "categories:\n      - identity.name"}),
            "      - identity.name\n      - fides.sensor\n      - contact.email\n",
        ),
    ],
    ids=["no-taxonomy", "empty-flow-taxonomy", "taxonomy-indented-by-4", "block-list-activity"],
)
def test_the_merge_adds_taxonomy_and_activity_categories(
    tmp_path: Path, register: str, expect: str
) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(register, encoding="utf-8")
    imported = load_fides_datasets(
        [_dataset(tmp_path, SENSOR)], register=load_register(base), activities=["shop"]
    )
    text = merge_systems(register, imported, source="merged.yaml")
    assert expect in text
    merged = load_register_text(text)
    assert merged.category("fides.sensor").fideslang == "user.sensor"
    assert merged.identity_strength("badge") is IdentityStrength.weak
    assert merged.activities["shop"].categories == [
        "identity.name",
        "fides.sensor",
        "contact.email",
    ]
    assert merged.systems["gym"].tables["visits"].identities == {"badge": "id"}


def test_a_register_that_declares_the_category_is_used_first(tmp_path: Path) -> None:
    register = _bare(
        subjects="taxonomy:\n  categories:\n    health.pulse:\n      label: {sv: Puls}\n"
        "      fideslang: user.sensor\nsubjects"
    )
    base = tmp_path / "base.yaml"
    base.write_text(register, encoding="utf-8")
    imported = load_fides_datasets([_dataset(tmp_path, SENSOR)], register=load_register(base))
    assert imported.categories == {}
    assert imported.systems["gym"]["tables"]["visits"]["fields"]["pulse"] == "health.pulse"


def test_an_inline_taxonomy_is_refused_with_a_fix(tmp_path: Path) -> None:
    register = _bare(subjects="taxonomy: {anchors: {}}\nsubjects")
    imported = load_fides_datasets([_dataset(tmp_path, SENSOR)])
    with pytest.raises(RegisterLoadError, match=r"taxonomy is written inline \(write 'taxonomy:'"):
        merge_systems(register, imported, source="merged.yaml")


@pytest.mark.parametrize(
    ("todo", "warned"),
    [("TODO: decide the strength", True), (None, False)],
    ids=["todo-warns", "decided-is-quiet"],
)
def test_register_check_warns_while_a_todo_is_set(todo: str | None, warned: bool) -> None:
    kind = {"label": {"sv": "Bricka"}, "strength": "weak"} | ({"todo": todo} if todo else {})
    text = _bare(
        subjects=yaml.safe_dump({"taxonomy": {"identity_kinds": {"badge": kind}}}) + "subjects"
    )
    findings = run_checks(load_register_text(text), on=date(2026, 6, 1))
    todos = [f for f in findings if f.rule == "todo"]
    assert [(f.severity, f.key_path) for f in todos] == (
        [(Severity.warning, "taxonomy.identity_kinds.badge.todo")] if warned else []
    )
    assert not [f for f in findings if f.rule == "placeholder"]  # a todo is not published


def test_aliases_name_fideslang_categories_and_builtin_ones() -> None:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    from varna.register.taxonomy import BUILTIN_CATEGORIES, FIDESLANG_ALIASES

    fideslang = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    for key, varna in FIDESLANG_ALIASES.items():
        assert key in fideslang
        assert varna in BUILTIN_CATEGORIES
        assert map_category(key, category_index(None)) == varna


INHERITED = """
dataset:
  - fides_key: crm
    data_categories: [user.contact]
    data_uses: [marketing]
    collections:
      - name: people
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: {primary_key: true}
          - name: phone
          - name: profile
            data_categories: [user.behavior]
            fields:
              - name: page
              - name: city
                data_categories: [user.contact.address.city]
      - name: notes
        data_categories: [system.operations]
        fields:
          - name: id
            fides_meta: {primary_key: true}
          - name: text
"""


def test_categories_are_inherited_and_data_uses_are_warned(tmp_path: Path) -> None:
    imported = load_fides_datasets([_dataset(tmp_path, INHERITED)])
    tables = imported.systems["crm"]["tables"]
    assert tables["people"]["fields"] == {
        "id": {"category": "identity.customer_number", "erasure": "keep"},
        "phone": "fides.contact",  # the dataset's category
        "profile.page": "usage.behaviour",  # the enclosing field's
        "profile.city": "contact.postal_address",  # its own
    }
    assert "fields" not in tables["notes"]  # the collection's system.* category
    assert list(imported.categories) == ["fides.contact"]
    assert [(n.path, n.line) for n in imported.notes] == [("dataset.0.data_uses", 4)]
    fragment = yaml.safe_load(imported.as_yaml())
    assert list(fragment) == ["taxonomy", "systems"]
    assert fragment["taxonomy"]["categories"]["fides.contact"]["fideslang"] == "user.contact"
