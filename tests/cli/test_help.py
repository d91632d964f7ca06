"""Help everywhere, at once: every command, group and option explains itself; the help pages the
lazy root answers from its index are the real commands' pages; help imports no engine."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from varna.cli.app import COMMANDS, app
from varna.cli.help_index import INDEX
from varna.cli.lazy import SHORT_HELP, build_index, first_sentence, help_group, load_command

runner = CliRunner()
ROOT = typer.main.get_command(app)
WIDTH = 100
GROUPS = [name for name, entry in INDEX.items() if entry.commands is not None]
#: groups that answer no arguments with their help page (``varna discover`` scans instead)
HELP_GROUPS = [name for name in GROUPS if INDEX[name].no_args_is_help]


def _walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if isinstance(command, TyperGroup):
        ctx = typer.Context(command, info_name=path[-1])
        for name in command.list_commands(ctx):
            yield from _walk(command.get_command(ctx, name), (*path, name))


TREE = list(_walk(ROOT, ("varna",)))


@pytest.mark.parametrize(("path", "command"), TREE, ids=[" ".join(p) for p, _ in TREE])
def test_commands_have_help(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    ctx = typer.Context(command, info_name=path[-1])
    silent = [p.name for p in command.get_params(ctx) if not (getattr(p, "help", "") or "").strip()]
    assert not silent, f"{' '.join(path)}: no help for {silent}"


@pytest.mark.parametrize(("path", "command"), TREE, ids=[" ".join(p) for p, _ in TREE])
def test_every_help_page_renders(path: tuple[str, ...], command: Any) -> None:
    result = runner.invoke(app, [*path[1:], "--help"], terminal_width=WIDTH)
    assert (result.exit_code, result.exception) == (0, None), result.output
    assert result.output.startswith(f"Usage: {' '.join(path)} ")
    assert " ".join(command.help.split()[:6]) in " ".join(result.output.split())


def test_help_index_is_current() -> None:
    assert build_index(COMMANDS) == INDEX, "help index is stale: run make docs"


def test_index_covers_every_command() -> None:
    assert list(INDEX) == list(COMMANDS)


@pytest.mark.parametrize("name", GROUPS, ids=GROUPS)
def test_group_help_from_index_is_the_real_help(name: str) -> None:
    parent = typer.Context(ROOT, info_name="varna", terminal_width=WIDTH)
    real = load_command(name, COMMANDS[name])
    stand_in = help_group(name, INDEX[name])
    expected = real.get_help(typer.Context(real, info_name=name, parent=parent))
    assert stand_in.get_help(typer.Context(stand_in, info_name=name, parent=parent)) == expected
    result = runner.invoke(app, [name, "--help"], terminal_width=WIDTH)
    assert result.exception is None, result.output
    assert (result.exit_code, result.output.rstrip("\n")) == (0, expected)


def test_root_help_lists_every_command_with_its_real_short_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert (result.exit_code, result.exception) == (0, None)
    ctx = typer.Context(ROOT, info_name="varna")
    for name in ["version", *COMMANDS]:
        line = next(line for line in result.output.splitlines() if line.split()[:1] == [name])
        assert ROOT.get_command(ctx, name).get_short_help_str(10_000)[:20] in line


#: imported by help or version would mean the start-up pays for an engine again
HEAVY = ("pydantic", "sqlalchemy", "rich", "phonenumbers", "yaml", "jinja2", "typst", "openpyxl")
PROBE = """
import json, sys
from varna.cli.app import main
sys.argv = ["varna", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["version"], *([g, "--help"] for g in GROUPS), *([g] for g in HELP_GROUPS)],
    ids=lambda args: " ".join(args),
)
def test_help_and_version_import_no_engine(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    modules = json.loads(done.stderr.splitlines()[-1])
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    commands = [m for m in modules if m.endswith("_cmd")]
    assert (heavy, commands) == ([], []), done.stdout
    assert done.stdout.startswith("0.1") or "Usage: varna" in done.stdout + done.stderr


def test_a_group_still_runs_its_commands() -> None:
    """The stand-in answers help only; any other use loads the real group."""
    result = runner.invoke(app, ["register", "schema"])
    assert (result.exit_code, result.exception) == (0, None)
    assert json.loads(result.output)["title"]


def test_unknown_command_is_suggested_from_the_lazy_table() -> None:
    result = runner.invoke(app, ["retenton"])
    assert result.exit_code == 2
    assert "retention" in result.output


@pytest.mark.parametrize(
    ("help_text", "short"),
    [
        pytest.param("Print Varna's version.", "Print Varna's version", id="one-sentence"),
        pytest.param(
            "Right of access (Art. 15). Read-only.", "Right of access (Art. 15)", id="art-is-no-end"
        ),
        pytest.param("Check it.\n\nThen more.", "Check it", id="first-paragraph"),
        pytest.param(
            "Run jobs from the queue\n    in the state.",
            "Run jobs from the queue in the state",
            id="joined-lines",
        ),
        pytest.param(
            "Screen them against objections and restrictions (Art. 21) and (Art. 18), always.",
            "Screen them against objections and restrictions...",
            id="cut-before-an-open-bracket",
        ),
        pytest.param(None, None, id="no-help"),
    ],
)
def test_first_sentence(help_text: str | None, short: str | None) -> None:
    assert first_sentence(help_text) == short
    assert short is None or len(short) <= SHORT_HELP
