"""Every dataset file of Fides' own test suite (``fides-datasets`` in the shared data) imports
into a bare register, and the result passes ``register check --offline``: parent categories,
categories with no Varna counterpart, custom identity kinds and nested fields included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from shared_data import SHARED_DATA, needs_shared, shared_params
from varna.cli.app import app
from varna.register import load_register
from varna.register.types import IdentityStrength

BARE = Path(__file__).resolve().parent / "fides_bare.yaml"
DATASETS = SHARED_DATA / "fides-datasets"


def _files() -> list[Any]:
    return [pytest.param(p, id=p.stem) for p in sorted(DATASETS.glob("*.yml"))]


def _import(tmp_path: Path, dataset: Path) -> tuple[Path, str]:
    """The dataset merged into the bare register: the file, and the warnings printed."""
    out = tmp_path / "varna.yaml"
    args = ["--register", str(BARE), "--subject", "customer", "--activity", "shop"]
    result = CliRunner().invoke(
        app, ["register", "import-fides", str(dataset), *args, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out, result.stderr


def test_the_shared_data_holds_all_22_files() -> None:
    if not DATASETS.exists():
        pytest.skip(f"needs the shared test data {DATASETS}")
    assert len(list(DATASETS.glob("*.yml"))) == 22


@pytest.mark.parametrize("dataset", shared_params(1, _files, "fides-datasets"))
def test_every_fides_dataset_imports_and_passes_the_check(tmp_path: Path, dataset: Path) -> None:
    out, _ = _import(tmp_path, dataset)
    check = CliRunner().invoke(
        app, ["register", "check", "--offline", "--format", "json", str(out)]
    )
    assert check.exit_code == 0, check.output
    findings = json.loads(check.stdout)
    findings = findings["findings"] if isinstance(findings, dict) else findings
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors == []
    register = load_register(out)
    # every taxonomy entry the import declared is a warning until a person decides it
    drafted = [
        *(k for k, c in register.taxonomy.categories.items() if c.todo),
        *(k for k, d in register.taxonomy.identity_kinds.items() if d.todo),
    ]
    todos = sorted(f["key_path"] for f in findings if f["rule"] == "todo")
    assert len(todos) == len(drafted)
    # the activity now covers every category the imported tables hold
    held = {ref.spec.category for ref in register.fields()}
    assert held <= set(register.activities["shop"].categories)


def _system(out: Path) -> dict[str, Any]:
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@needs_shared("fides-datasets")
@pytest.mark.parametrize(
    ("file", "path", "expected"),
    [
        # a category with a Varna category up its hierarchy takes it
        (
            "dynamodb_example_test_dataset",
            "systems.dynamodb_example_test_dataset.tables.address.fields.city",
            "contact.postal_address",
        ),
        # a parent category no Varna category covers becomes an imported category
        (
            "bigquery_enterprise_test_dataset",
            "taxonomy.categories.fides.contact",
            {
                "label": {"sv": "Contact Data", "en": "Contact Data"},
                "fideslang": "user.contact",
                "todo": "imported from fideslang user.contact, which no Varna category covers: "
                "give it a Swedish label, or move its fields to a Varna category and remove it",
            },
        ),
        (
            "postgres_example_test_dataset",
            "systems.postgres_example_test_dataset.tables.login.fields.time",
            "fides.sensor",
        ),
        ("email_dataset", "taxonomy.categories.fides.childrens.fideslang", "user.childrens"),
        ("manual_dataset", "taxonomy.categories.fides.user.fideslang", "user"),
        # a custom identity kind is weak until a person decides
        (
            "postgres_example_test_extended_dataset",
            "taxonomy.identity_kinds.loyalty_id.strength",
            "weak",
        ),
        (
            "postgres_example_test_extended_dataset",
            "systems.postgres_example_test_extended_dataset.tables.loyalty.identities",
            {"loyalty_id": "id"},
        ),
        (
            "bigquery_example_test_dataset",
            "systems.bigquery_example_test_dataset.tables.customer.identities.custom_id",
            "custom id",
        ),
        # nested fields are flattened with their paths, identities and references too
        (
            "mongo_example_test_dataset",
            "systems.mongo_test.tables.customer_details.fields.workplace_info.position",
            "work.title",
        ),
        (
            "mongo_example_test_dataset",
            "systems.mongo_test.tables.internal_customer_profile.identities",
            {
                "email": "customer_identifiers.derived_emails",
                "phone": "customer_identifiers.derived_phone",
            },
        ),
        (
            "mongo_example_test_dataset",
            "systems.mongo_test.tables.internal_customer_profile.references",
            {
                "customer_identifiers.internal_id": {
                    "table": "customer_feedback",
                    "column": "customer_information.internal_customer_id",
                    "direction": "from",
                }
            },
        ),
        # the activity named with --activity lists the categories the tables hold
        (
            "email_dataset",
            "activities.shop.categories",
            [
                "identity.name",
                "fides.user",
                "fides.childrens",
                "contact.email",
                "payment.bank_account",
            ],
        ),
    ],
)
def test_specific_mappings(tmp_path: Path, file: str, path: str, expected: Any) -> None:
    out, _ = _import(tmp_path, DATASETS / f"{file}.yml")
    node: Any = _system(out)
    keys = path.split(".")
    while keys:  # keys may hold dots (fields.workplace_info.position): longest match first
        for n in range(len(keys), 0, -1):
            key = ".".join(keys[:n])
            if isinstance(node, dict) and key in node:
                node, keys = node[key], keys[n:]
                break
        else:
            pytest.fail(
                f"{path}: no {keys[0]} in {sorted(node) if isinstance(node, dict) else node}"
            )
    assert node == expected


@needs_shared("fides-datasets")
def test_a_custom_identity_kind_never_leads_on(tmp_path: Path) -> None:
    out, _ = _import(tmp_path, DATASETS / "postgres_example_test_extended_dataset.yml")
    register = load_register(out)
    assert register.identity_strength("loyalty_id") is IdentityStrength.weak


@needs_shared("fides-datasets")
def test_descriptions_and_data_types_are_kept_as_comments(tmp_path: Path) -> None:
    out, _ = _import(tmp_path, DATASETS / "mongo_example_test_dataset.yml")
    lines = out.read_text(encoding="utf-8").splitlines()
    at = lines.index("          workplace_info.position: work.title")
    assert lines[at - 1] == "          # data_type: string"
    assert any(line.strip().startswith("# Example of a Mongo dataset") for line in lines)


@needs_shared("fides-datasets")
def test_a_reference_to_a_dataset_not_imported_is_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    out, warnings = _import(tmp_path, DATASETS / "manual_dataset.yml")
    table = _system(out)["systems"]["manual_input"]["tables"]["filing_cabinet"]
    assert "references" not in table
    assert "refers to dataset 'postgres_example_test_dataset', which is neither imported" in (
        " ".join(warnings.split())
    )
