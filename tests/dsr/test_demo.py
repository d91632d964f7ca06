"""The issue's "done when", on the demo company: access in Swedish from every system, erase
--execute keeps the invoices, and a second access shows exactly that."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(60)


def a_customer_with_invoices(demo: Path) -> tuple[str, int]:
    with sqlite3.connect(demo / "data" / "billing.db") as billing:
        customer_no = billing.execute(
            "SELECT customer_no FROM invoices GROUP BY customer_no ORDER BY customer_no LIMIT 1"
        ).fetchone()[0]
        invoices = billing.execute(
            "SELECT count(*) FROM invoices WHERE customer_no = ?", (customer_no,)
        ).fetchone()[0]
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        (email,) = crm.execute(
            "SELECT email FROM customers WHERE customer_no = ?", (customer_no,)
        ).fetchone()
    return email, invoices


# Erasure as of AT: invoices dated before CUTOFF have left the bookkeeping hold (7 years after
# the end of the calendar year in which the fiscal year ended).
AT = "2031-06-30"
CUTOFF = "2024-01-01"


def tables(output: str) -> dict[str, int]:
    data = json.loads(output)
    return {f"{s['key']}.{t['name']}": len(t["rows"]) for s in data["systems"] for t in s["tables"]}


def test_access_then_erase_on_the_demo_company(demo: Path) -> None:
    email, invoices = a_customer_with_invoices(demo)
    text = runner.invoke(app, ["dsr", "access", "-i", f"email={email}"])
    assert text.exit_code == 0, text.output
    assert "Dina rättigheter" in text.output
    assert "Integritetsskyddsmyndigheten" in text.output
    before = tables(
        runner.invoke(app, ["dsr", "access", "-i", f"email={email}", "-f", "json"]).output
    )
    assert before["crm.customers"] == 1
    assert before["billing.invoices"] == invoices

    with sqlite3.connect(demo / "data" / "billing.db") as billing:
        named_before = billing.execute(
            f"SELECT count(*), count(CASE WHEN invoice_date >= '{CUTOFF}' THEN billing_name END),"
            f" count(CASE WHEN invoice_date < '{CUTOFF}' THEN billing_name END) FROM invoices"
            " WHERE customer_no IN (SELECT customer_no FROM invoices GROUP BY customer_no"
            " ORDER BY customer_no LIMIT 1)"
        ).fetchone()

    erased = runner.invoke(app, ["dsr", "erase", "-i", f"email={email}", "--execute", "--at", AT])
    assert erased.exit_code == 0, erased.output
    assert "kept under legal hold bookkeeping" in erased.output

    after = runner.invoke(app, ["dsr", "access", "-i", f"email={email}", "-f", "json"])
    assert json.loads(after.output)["request"]["found"] is False
    with sqlite3.connect(demo / "data" / "billing.db") as billing:
        kept = billing.execute(
            f"SELECT count(*), count(CASE WHEN invoice_date >= '{CUTOFF}' THEN billing_name END),"
            f" count(CASE WHEN invoice_date < '{CUTOFF}' THEN billing_name END) FROM invoices"
            " WHERE customer_no IN (SELECT customer_no FROM invoices GROUP BY customer_no"
            " ORDER BY customer_no LIMIT 1)"
        ).fetchone()
    # Invoices still under Bokföringslagen keep the name the hold needs; older ones, whose hold
    # ended (7 years after the end of their calendar fiscal year), lose it.
    assert kept[0] == invoices
    assert kept[1] == named_before[1]
    assert kept[2] == 0
