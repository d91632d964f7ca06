"""Bad input on the command line ends in a clear error on stderr, never a traceback; an output
file that cannot be written is refused before anything is done or audited."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()
AT = "2026-11-23"


def _email(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        row = conn.execute("SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id")
        return str(row.fetchone()[0])


def _audit_events() -> int:
    exported = runner.invoke(app, ["audit", "export", "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    return len([line for line in exported.stdout.splitlines() if line.strip()])


def _prepare(tmp: Path, spec: str) -> None:
    """``file:name`` a file, ``dir:name`` a folder, ``none`` nothing."""
    kind, _, name = spec.partition(":")
    if kind == "file":
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text("kept\n", encoding="utf-8")
    elif kind == "dir":
        (tmp / name).mkdir(parents=True)


ROWS = [
    pytest.param(
        ["dsr", "access", "-f", "json", "-o", "{tmp}/out"],
        "file:out/registerutdrag.json",
        1,
        "'registerutdrag.json' already exists; pass --force",
        id="access-existing-file",
    ),
    pytest.param(
        ["dsr", "access", "-f", "json", "-o", "{tmp}/out", "--force"],
        "file:out/registerutdrag.json",
        0,
        None,
        id="access-existing-file-forced",
    ),
    pytest.param(
        ["dsr", "access", "-f", "html", "-o", "{tmp}/out"],
        "file:out",
        1,
        "'out' is a file, not a folder",
        id="access-out-is-a-file",
    ),
    pytest.param(
        ["dsr", "access", "-f", "text", "-o", "{tmp}/out"],
        "dir:out/registerutdrag.txt",
        1,
        "'registerutdrag.txt' is a folder",
        id="access-target-is-a-folder",
    ),
    pytest.param(
        ["dsr", "export", "-o", "{tmp}/zip"],
        "file:zip",
        1,
        "'zip' is a file, not a folder",
        id="export-out-is-a-file",
    ),
    pytest.param(
        ["dsr", "erase", "--execute", "--receipt", "{tmp}/receipts"],
        "dir:receipts",
        1,
        "--receipt: 'receipts' is a folder",
        id="erase-receipt-is-a-folder",
    ),
    pytest.param(
        ["dsr", "erase", "--execute", "--receipt", "{tmp}/kvitto.pdf"],
        "file:kvitto.pdf",
        1,
        "'kvitto.pdf' already exists",
        id="erase-receipt-exists",
    ),
    pytest.param(
        [
            "dsr",
            "rectify",
            "--execute",
            "-s",
            "crm:customers.city=Lund",
            "--receipt",
            "{tmp}/kvitto.pdf",
        ],
        "file:kvitto.pdf",
        1,
        "'kvitto.pdf' already exists",
        id="rectify-receipt-exists",
    ),
    pytest.param(
        ["dsr", "restrict", "--execute", "--ground", "accuracy", "--receipt", "{tmp}/kvitto.pdf"],
        "file:kvitto.pdf",
        1,
        "'kvitto.pdf' already exists",
        id="restrict-receipt-exists",
    ),
]


@pytest.mark.parametrize(("args", "existing", "code", "message"), ROWS)
def test_outputs_are_checked_before_the_request_is_audited(
    demo_company: Callable[[int], Path],
    tmp_path: Path,
    args: list[str],
    existing: str,
    code: int,
    message: str | None,
) -> None:
    demo = demo_company(20)
    email = _email(demo)
    _prepare(tmp_path, existing)
    before = _audit_events()
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, [*argv[:2], "-i", f"email={email}", "--at", AT, *argv[2:]])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if message is None:
        assert _audit_events() > before
        return
    assert message in result.stderr
    assert result.stdout == ""
    assert str(tmp_path) not in result.stderr  # the file is named, not the machine's folders
    assert _audit_events() == before  # nothing was done, so nothing was recorded
    assert _email(demo) == email  # and nothing erased


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("email\nåsa@example.se\n".encode("latin-1"), "list.csv:2:", id="latin-1"),
        pytest.param(b"email\n\x00\xff\xfe\n", "list.csv:2:", id="binary"),
    ],
)
def test_a_list_that_is_not_utf8_is_an_error_at_its_line(
    demo_company: Callable[[int], Path], tmp_path: Path, content: bytes, message: str
) -> None:
    demo_company(10)
    source = tmp_path / "list.csv"
    source.write_bytes(content)
    result = runner.invoke(app, ["marketing", "screen", str(source), "-c", "email=email"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert message in result.stderr
    assert "UTF-8" in result.stderr


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "out-file"])
def test_screened_lists_escape_formulas(
    demo_company: Callable[[int], Path], tmp_path: Path, to_file: bool
) -> None:
    demo_company(10)
    source = tmp_path / "list.csv"
    source.write_text(
        'email,name\nx@example.se,"=HYPERLINK(""http://evil"")"\ny@example.se,@SUM(A1)\n',
        encoding="utf-8",
    )
    out = tmp_path / "screened.csv"
    extra = ["-o", str(out)] if to_file else []
    result = runner.invoke(app, ["marketing", "screen", str(source), "-c", "email=email", *extra])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8") if to_file else result.stdout
    assert "'=HYPERLINK" in text
    assert "'@SUM(A1)" in text
    assert "\n=" not in text
    assert ",=" not in text
    again = runner.invoke(app, ["marketing", "screen", str(source), "-c", "email=email", *extra])
    if to_file:  # the screened list is not overwritten without --force
        assert again.exit_code == 1
        assert "already exists" in again.stderr
