"""Data portability: only what the person provided, on consent or contract; a stable zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from varna.connectors import MemoryConnector
from varna.dsr.identity import Identity
from varna.dsr.portability import execute_export, portable_fields, write_export
from varna.dsr.proof import MemoryRecorder
from varna.register import parse_register

from .shop import NOW, SHOP_YAML, shop_connectors, shop_register

ANNA = [Identity("email", "anna@example.se")]


def test_only_provided_fields_on_consent_or_contract() -> None:
    data = execute_export(shop_register(), ANNA, shop_connectors(), now=NOW)
    assert {(t.system, t.table): t.columns for t in data.tables} == {
        ("crm", "customers"): ("name", "email", "pnr"),
        ("crm", "notes"): ("text",),
        ("support", "tickets"): ("requester", "body"),
    }  # invoices rest on a legal obligation: not portable


@pytest.mark.parametrize(
    ("basis", "portable"),
    [
        pytest.param("[consent]", True, id="consent"),
        pytest.param("[contract]", True, id="contract"),
        pytest.param("[legitimate_interests]", False, id="legitimate-interests"),
        pytest.param("[{basis: legal_obligation, statute: bokforingslagen}]", False, id="law"),
    ],
)
def test_the_basis_decides(basis: str, portable: bool) -> None:
    text = SHOP_YAML.replace("legal_bases: [contract]", f"legal_bases: {basis}")
    fields = portable_fields(parse_register(text), "crm", "customers")
    assert bool(fields) is portable


def test_processing_for_another_controller_is_not_ours_to_export() -> None:
    text = SHOP_YAML.replace(
        "    legal_bases: [contract]\n", "    role: processor\n    legal_bases: [contract]\n", 1
    )
    assert portable_fields(parse_register(text), "crm", "customers") == []


def test_the_zip_holds_json_and_csv_and_is_the_same_every_time(tmp_path: Path) -> None:
    recorder = MemoryRecorder()
    data = execute_export(shop_register(), ANNA, shop_connectors(), now=NOW, recorder=recorder)
    one = write_export(data, tmp_path / "a.zip").read_bytes()
    two = write_export(data, tmp_path / "b.zip").read_bytes()
    assert one == two
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.namelist() == [
            "export.json",
            "crm/customers.csv",
            "support/tickets.csv",
            "crm/notes.csv",
        ]
        export = json.loads(archive.read("export.json"))
        rows = list(csv.reader(io.StringIO(archive.read("crm/customers.csv").decode())))
    assert export["schema"] == "varna.export/1"
    assert rows == [["name", "email", "pnr"], ["Anna Andersson", "anna@example.se", "195704289999"]]
    assert [t for _, t, _ in recorder.events] == ["crm", "support", "billing"]
    assert recorder.events[2][2] == {"rows": {}}


def test_hostile_table_names_cannot_escape_the_zip(tmp_path: Path) -> None:
    text = SHOP_YAML.replace("      notes:\n", "      ../../evil:\n").replace(
        "references: {customer_id: customers.id}",
        "references: {customer_id: {table: customers, column: id}}",
    )
    register = parse_register(text)
    connectors = shop_connectors()
    crm = connectors["crm"].snapshot()
    crm["../../evil"] = crm.pop("notes")
    connectors["crm"] = MemoryConnector(crm, name="crm")
    data = execute_export(register, ANNA, connectors, now=NOW)
    with zipfile.ZipFile(write_export(data, tmp_path / "x.zip")) as archive:
        assert "crm/_.._evil.csv" in archive.namelist()
        assert all(".." not in name.split("/") for name in archive.namelist())
