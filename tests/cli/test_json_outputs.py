"""``--format json`` is for scripts: stdout holds exactly one JSON document for every command that
offers it (paths of written files inside it), notes and errors go to stderr, and no bad input
ends in a traceback."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from cli.test_help import TREE
from varna.cli.app import app

runner = CliRunner()
AT = "2026-11-23"


def _json_commands() -> set[str]:
    """Every command whose --format offers json, read from its help page."""
    found = set()
    for path, command in TREE:
        if not any("--format" in (getattr(p, "opts", None) or []) for p in command.params):
            continue
        page = runner.invoke(app, [*path[1:], "--help"], terminal_width=200).stdout
        line = next(x for x in page.splitlines() if "--format" in x)
        if "json" in line.split("--format", 1)[1].split()[0].strip("<>[]").split("|"):
            found.add(" ".join(path[1:]))
    return found


def _emails(demo: Path, count: int) -> list[str]:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        rows = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT ?", (count,)
        ).fetchall()
    return [str(r[0]) for r in rows]


def _one_document(result: Result, args: list[str]) -> object:
    assert "Traceback" not in result.output, args
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    try:
        return json.loads(result.stdout)
    except ValueError as exc:
        raise AssertionError(f"{args}: stdout is not one JSON document:\n{result.stdout}") from exc


ANY_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")
ONE_SPELLING = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _keys(document: object, path: tuple[str, ...]) -> dict[tuple[str, str], list[object]]:
    """(system, table) -> the key values of the rows, from an access or an erasure document."""
    out: dict[tuple[str, str], list[object]] = {}
    assert isinstance(document, dict)
    if path == ("plan",):
        for row in document["plan"]["rows"]:
            out.setdefault((row["system"], row["table"]), []).extend(row["key"].values())
        return out
    for system in document["systems"]:
        for table in system["tables"]:
            for row in table["rows"]:
                out.setdefault((system["key"], table["name"]), []).extend(row["key"].values())
    return out


def test_every_json_command_prints_one_json_document(
    demo_company: Callable[[int], Path], tmp_path: Path
) -> None:
    demo = demo_company(40)
    register = str(demo / "varna.yaml") if (demo / "varna.yaml").exists() else None
    first, second, third = _emails(demo, 3)
    ran: set[str] = set()
    refs: dict[str, str] = {}
    documents: list[object] = []

    def run(*args: str, code: int = 0) -> object:
        result = runner.invoke(app, [*args, "-f", "json"])
        assert result.exit_code == code, (args, result.output)
        ran.add(" ".join(a for a in args[:2] if not a.startswith("-") and "=" not in a))
        if code != 0:
            assert result.stdout == "", args  # errors go to stderr
            return None
        document = _one_document(result, list(args))
        documents.append(document)
        return document

    run("register", "check")
    if register is None:
        register = next(str(p) for p in demo.glob("*.yaml"))
    run("policy", "diff", register, register)
    run("dsr", "plan", "-i", f"email={first}", "--at", AT)
    run("dsr", "access", "-i", f"email={first}", "--at", AT)
    written = run("dsr", "access", "-i", f"email={first}", "--at", AT, "-o", str(tmp_path / "x"))
    assert isinstance(written, dict)
    assert Path(written["written"][0]).is_file()
    run("dsr", "erase", "-i", f"email={second}", "--at", AT)
    erased = run(
        "dsr", "erase", "-i", f"email={second}", "--at", AT, "--execute",
        "--receipt", str(tmp_path / "receipt.pdf"),
    )  # fmt: skip
    assert isinstance(erased, dict)
    assert erased["receipt"] == str(tmp_path / "receipt.pdf")
    assert (tmp_path / "receipt.pdf").is_file()
    run("dsr", "restrict", "-i", f"email={third}", "--at", AT)
    run("dsr", "object", "-i", f"email={third}", "--at", AT)
    for kind in ("access", "erasure", "restriction", "objection", "portability"):
        made = run("dsr", "receive", "-i", f"email={third}", "-k", kind, "--at", AT)
        assert isinstance(made, dict)
        refs[kind] = str(made["id"])
    run("dsr", "verify", refs["access"], "--assurance", "staff_document", "--method", "passport")
    run("dsr", "show", refs["access"])
    run("dsr", "requests")
    run("dsr", "extend", refs["access"], "--reason", "many systems")
    run("dsr", "prepare", refs["erasure"], code=1)  # not verified yet: refused, on stderr
    run("dsr", "approve", refs["erasure"], code=1)
    run("dsr", "decide", refs["restriction"], "--reason", "checked", code=1)
    run("dsr", "refuse", refs["objection"], "--reason", "manifestly unfounded")
    run("dsr", "withdraw", refs["portability"])
    run("retention", "plan", "--at", AT)
    run("retention", "run", "--at", AT)
    swept = run("retention", "run", "--at", AT, "--execute")
    assert isinstance(swept, dict)
    assert swept["executed"] is True
    run("apikey", "list")
    run("user", "list")
    run("staff", "list")
    run("webhook", "list")
    run("webhook", "log")
    run("consent", "status", "-i", f"email={first}", "-p", "newsletter_email", "--at", AT)
    run("consent", "history", "-i", f"email={first}", "--at", AT)
    run("notify", "policy", code=1)  # nothing published yet: refused, on stderr
    assert runner.invoke(app, ["policy", "publish"]).exit_code == 0
    told = run("notify", "policy")
    assert isinstance(told, dict)
    assert told["executed"] is False
    run("cookies", "scan", "http://127.0.0.1:9/", "--pages", "1", code=4)  # unreachable: stderr
    aware = f"{AT}T09:00+00:00"
    breach = run("breach", "record", "--aware-at", aware, "--title", "Laptop lost")
    assert isinstance(breach, dict)
    run("breach", "list")
    run("breach", "show", breach["ref"])
    run("breach", "assess", breach["ref"], "--risk", "risk", "--reason", "names")
    run("breach", "notify", breach["ref"], "--at", aware)
    run("breach", "supplement", breach["ref"], "--text", "more found")
    people = demo / "breach-people.txt"
    people.write_text("someone@example.org\n")
    run("breach", "notice", breach["ref"], "--to", str(people), code=1)  # not a high risk
    run("breach", "close", breach["ref"], "--note", "handled")
    assert ran == _json_commands()
    # timestamps with an offset are spelt one way in every command
    stamps = [s for d in documents for s in _strings(d) if ANY_TIMESTAMP.fullmatch(s)]
    assert stamps, "no command printed a timestamp"
    assert [s for s in stamps if not ONE_SPELLING.fullmatch(s)] == []
    # primary keys keep their database type: the same in the access output and the erasure plan
    accessed = _keys(run("dsr", "access", "-i", f"email={first}", "--at", AT), ())
    planned = _keys(run("dsr", "erase", "-i", f"email={first}", "--at", AT), ("plan",))
    common = sorted(set(accessed) & set(planned))
    assert common
    for where in common:
        assert sorted(map(repr, accessed[where])) == sorted(map(repr, planned[where])), where
    assert {type(v) for w in common for v in planned[w]} == {int}  # the demo's keys are integers
