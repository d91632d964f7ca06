"""The issue's "done when", on the demo company, through the CLI as a DPO runs it: the plan as
of 2031-01-01, the run does exactly that, a second run does nothing, the audit log verifies."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from varna.cli.app import app
from varna.retention.executor import BATCH

runner = CliRunner()
AT = "2031-01-01"
HOLD_STARTS = "2024-01-01"  # Bokföringslagen at 2031-01-01: vouchers of 2024 and later are kept


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(120)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def query(demo: Path, system: str, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(demo / "data" / f"{system}.db") as conn:
        return list(conn.execute(sql))


def swept(output: str) -> dict[str, int]:
    return {
        m[1]: int(m[2].replace(",", ""))
        for m in re.finditer(r"^(\w+\.\w+): ([\d,]+) rows", output, re.M)
    }


def test_plan_run_and_run_again_on_the_demo_company(demo: Path) -> None:
    report = run("retention", "plan", "--at", AT)
    assert f"as of {AT}" in report
    assert "Reviewed and approved" in report
    plan = json.loads(run("retention", "plan", "--at", AT, "-f", "json"))
    planned = {f"{t['system']}.{t['table']}": t["expiring_rows"] for t in plan["tables"]}
    for table in ("support.tickets", "recruitment.applicants", "web.access_log"):
        assert planned[table] > 0, table  # expired support e-mails, applicants and web logs go
    names_held = query(
        demo, "billing", f"SELECT count(*) FROM invoices WHERE invoice_date >= '{HOLD_STARTS}'"
    )[0][0]
    assert names_held > 0

    first = run("retention", "run", "--at", AT, "--execute")
    assert swept(first) == {k: v for k, v in planned.items() if v}
    assert f"retention run done: {plan['expiring_rows']:,} rows" in first

    # invoices under the bookkeeping hold keep the buyer's name; older ones have lost it
    assert (
        query(
            demo,
            "billing",
            f"SELECT count(*) FROM invoices WHERE invoice_date >= '{HOLD_STARTS}' "
            "AND billing_name IS NOT NULL",
        )[0][0]
        == names_held
    )
    assert query(
        demo,
        "billing",
        f"SELECT count(*) FROM invoices WHERE invoice_date < '{HOLD_STARTS}' "
        "AND billing_name IS NOT NULL",
    ) == [(0,)]
    # anonymised support cases keep their dates for the statistics, nothing else
    assert (
        query(
            demo,
            "support",
            "SELECT count(*) FROM tickets WHERE body = '[raderat]' AND closed_at "
            "IS NOT NULL AND from_name IS NULL AND subject IS NULL",
        )[0][0]
        == planned["support.tickets"]
    )

    second = run("retention", "run", "--at", AT, "--execute")
    assert "retention run done: 0 rows" in second
    assert json.loads(run("retention", "plan", "--at", AT, "-f", "json"))["expiring_rows"] == 0
    verified = run("audit", "verify")
    batches = sum(-(-rows // BATCH) for rows in planned.values() if rows)
    # an intent and an outcome per committed batch, one closing event per run
    assert f"audit log OK: {2 * batches + 2} entries verified" in verified
