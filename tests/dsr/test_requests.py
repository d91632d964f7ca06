"""Requests received and not yet answered: the Art. 12(3) deadline, the rows kept from
retention meanwhile, the list of open requests, and closing on execution."""

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


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def customers(demo: Path) -> list[str]:
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        return [r[0] for r in crm.execute("SELECT email FROM customers ORDER BY id")]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-20", "2026-12-21"),  # 20 December 2026 is a Sunday: the next working day
        ("2027-01-31", "2027-03-01"),  # no 31 February: the last day of the month, a Sunday
        ("2026-05-04", "2026-06-04"),
    ],
)
def test_deadline_is_counted_as_eu_law_counts(demo: Path, received: str, due: str) -> None:
    email = customers(demo)[0]
    out = json.loads(
        run(
            "dsr", "receive", "-i", f"email={email}", "-k", "access", "--at", received, "-f", "json"
        )
    )
    assert out["due"] == due
    assert out["created"] is True


def test_open_requests_are_listed_kept_and_closed(demo: Path) -> None:
    emails = customers(demo)
    plain = json.loads(run("retention", "plan", "--at", "2031-01-01", "-f", "json"))
    for email in emails:  # receive requests until one pins rows that would expire
        run("dsr", "receive", "-i", f"email={email}", "-k", "restriction", "--at", "2026-11-20")
        plan = json.loads(run("retention", "plan", "--at", "2031-01-01", "-f", "json"))
        if plan["expiring_rows"] < plain["expiring_rows"]:
            break
    else:
        pytest.fail("no demo customer has rows that expire by 2031")
    again = json.loads(
        run(
            "dsr",
            "receive",
            "-i",
            f"email={email}",
            "-k",
            "restriction",
            "--at",
            "2026-11-21",
            "-f",
            "json",
        )
    )
    assert again["created"] is False
    listed = json.loads(run("dsr", "requests", "--at", "2026-12-25", "-f", "json"))
    mine = [r for r in listed if r["id"] == again["id"]]
    assert mine[0]["days_left"] == -4
    assert "OVERDUE by 4 day(s)" in run("dsr", "requests", "--at", "2026-12-25")
    # executing the restriction answers the request: it leaves the list, the restriction keeps
    run("dsr", "restrict", "-i", f"email={email}", "--at", "2026-11-23", "--execute")
    listed = json.loads(run("dsr", "requests", "-f", "json"))
    assert again["id"] not in [r["id"] for r in listed]
    after = json.loads(run("retention", "plan", "--at", "2031-01-01", "-f", "json"))
    assert after["expiring_rows"] == plan["expiring_rows"]
    assert "audit log OK" in run("audit", "verify")


def test_four_eyes_erasure_from_the_command_line(demo: Path) -> None:
    email = customers(demo)[0]
    got = json.loads(
        run(
            "dsr",
            "receive",
            "-i",
            f"email={email}",
            "-k",
            "erasure",
            "--at",
            "2026-11-20",
            "-f",
            "json",
        )
    )
    ref = got["id"]
    assert ref.startswith("R-2026-")
    refused = runner.invoke(app, ["dsr", "erase", "-i", f"email={email}", "--execute"])
    assert refused.exit_code == 1
    assert "approved by a second staff member" in refused.output
    assert email not in refused.output
    run("dsr", "verify", ref, "--assurance", "eid", "--method", "BankID", "--as", "anna")
    assert "awaiting_approval" in run("dsr", "prepare", ref, "--as", "anna")
    same = runner.invoke(app, ["dsr", "approve", ref, "--as", "anna"])
    assert same.exit_code == 1
    assert "four eyes" in same.output
    assert "approved by dpo:dina" in run("dsr", "approve", ref, "--as", "dina", "--role", "dpo")
    out = run("dsr", "erase", "-i", f"email={email}", "--execute", "--as", "bo")
    assert f"request {ref} (erasure) answered" in out
    assert ref not in run("dsr", "requests", "-f", "json")
    shown = run("dsr", "show", ref)
    assert "erasure, answered" in shown
    assert "approved by dpo:dina" in shown
    assert "prepared by case_handler:anna" in shown
    assert email not in shown
    assert "audit log OK" in run("audit", "verify")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param(["refuse", "{ref}", "--reason", "unfounded"], 0, "refused", id="refuse"),
        pytest.param(["refuse", "{ref}", "--reason", " "], 1, "say why", id="refuse-no-reason"),
        pytest.param(
            ["refuse", "{ref}", "--reason", "x", "--role", "person"],
            1,
            "may not refuse",
            id="refuse-as-person",
        ),
        pytest.param(
            ["extend", "{ref}", "--reason", "many systems", "--at", "2026-11-25"],
            0,
            "answer by 2027-02-22",
            id="extend",
        ),
        pytest.param(
            ["extend", "{ref}", "--reason", "late", "--at", "2026-12-28"],
            1,
            "within the first month",
            id="extend-too-late",
        ),
        pytest.param(["withdraw", "{ref}", "--role", "person"], 0, "withdrawn", id="withdraw"),
        pytest.param(
            ["approve", "R-2026-NONE-XXXX"],
            1,
            "no request R-2026-NONE-XXXX",
            id="unknown-reference",
        ),
    ],
)
def test_request_commands(demo: Path, args: list[str], code: int, needle: str) -> None:
    email = customers(demo)[1]
    got = json.loads(
        run(
            "dsr",
            "receive",
            "-i",
            f"email={email}",
            "-k",
            "access",
            "--at",
            "2026-11-20",
            "-f",
            "json",
        )
    )
    result = runner.invoke(app, ["dsr", *[a.format(ref=got["id"]) for a in args]])
    assert result.exit_code == code, result.output
    assert needle in result.output
