"""Commands loaded on first use, so that ``varna --help``, ``varna version`` and
``varna <group> --help`` import no engine, no database driver and no document library.

The root group knows its sub-commands as a table (name -> :class:`Target`, where the command
lives). Help is answered from :mod:`varna.cli.help_index`, which is generated from the real
commands (``python -m varna.cli.lazy``); the module behind a name is imported only when one of its
commands runs. A test renders every help page both ways and compares them, so the index cannot
drift from the code.

Help is printed in click's plain layout (no rich panels): importing rich and its markdown parser
alone costs about as much as the whole start-up budget.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import typer
import typer.main
from typer._click import Command, Context, HelpFormatter
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

#: help layout of every command: click's plain text (see the module docstring)
MARKUP = None


class Target(NamedTuple):
    """Where a top-level command lives: ``module:attribute`` (a ``typer.Typer`` sub-app or a
    command function), and modules imported first because they add commands to it."""

    ref: str
    extends: tuple[str, ...] = ()


class CommandHelp(NamedTuple):
    """What a group's help page shows of one of its commands."""

    name: str
    help: str | None
    short_help: str | None
    hidden: bool
    deprecated: bool


class GroupHelp(NamedTuple):
    """What ``varna <name> --help`` and the root help page show of a top-level command.
    ``commands`` is None for a plain command (its help page needs the real options)."""

    help: str | None
    short_help: str | None
    epilog: str | None
    hidden: bool
    deprecated: bool
    no_args_is_help: bool
    commands: tuple[CommandHelp, ...] | None


#: the end of a help text's first sentence: a full stop before a capital or the end ("Art. 15"
#: and "e.g. a" go on)
_SENTENCE_END = re.compile(r"\.(?=\s+[A-ZÅÄÖ]|\s*$)")


#: the longest one-line help, so that each command takes one line of a help page
SHORT_HELP = 60


def first_sentence(text: str | None) -> str | None:
    """The one-line help of a command: the first sentence of its help's first paragraph, cut
    at a word to ``SHORT_HELP`` characters."""
    if not text:
        return None
    paragraph = " ".join(inspect.cleandoc(text).split("\n\n")[0].split())
    end = _SENTENCE_END.search(paragraph)
    sentence = paragraph if end is None else paragraph[: end.start()]
    if len(sentence) <= SHORT_HELP:
        return sentence
    words = sentence[: SHORT_HELP - 2].split()[:-1]  # whole words only
    while words and (words[-1].endswith(".") or words[-1].count("(") > words[-1].count(")")):
        words.pop()  # not "(Art..." nor "e.g...."
    return " ".join(words).rstrip(",;:") + "..."


def _set_short_help(command: Command) -> None:
    """Give ``command`` and its sub-commands their first sentence as one-line help (click
    would cut "Right of access (Art. 15): ..." after "Art.")."""
    if not command.short_help:
        command.short_help = first_sentence(command.help)
    for sub in getattr(command, "commands", {}).values():
        _set_short_help(sub)


@cache
def load_command(name: str, target: Target) -> TyperCommand | TyperGroup:
    """Import the module behind ``name`` and build its click command, as ``add_typer`` or
    ``app.command()`` on the root app would have."""
    for module in target.extends:
        importlib.import_module(module)
    module_name, _, attribute = target.ref.partition(":")
    obj = getattr(importlib.import_module(module_name), attribute)
    command: Command
    if isinstance(obj, typer.Typer):
        command = typer.main.get_group_from_info(
            TyperInfo(obj, name=name),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=MARKUP,
        )
    else:
        command = typer.main.get_command_from_info(
            CommandInfo(name=name, callback=obj),
            pretty_exceptions_short=True,
            rich_markup_mode=MARKUP,
        )
    assert isinstance(command, TyperCommand | TyperGroup)
    _set_short_help(command)
    return command


def help_group(name: str, entry: GroupHelp) -> TyperGroup:
    """A stand-in for a group that can print its help page and nothing else."""
    assert entry.commands is not None
    commands: dict[str, Any] = {
        c.name: TyperCommand(
            c.name,
            help=c.help,
            short_help=c.short_help,
            hidden=c.hidden,
            deprecated=c.deprecated,
            rich_markup_mode=MARKUP,
        )
        for c in entry.commands
    }
    return TyperGroup(
        name=name,
        commands=commands,
        help=entry.help,
        short_help=entry.short_help,
        epilog=entry.epilog,
        hidden=entry.hidden,
        deprecated=entry.deprecated,
        no_args_is_help=entry.no_args_is_help,
        rich_markup_mode=MARKUP,
    )


def _quick_help_option(option: Any) -> Any:
    """``--help`` not given reads as the bool False: typer then skips the value coercion that
    imports pydantic (a tenth of a second before ``varna version`` could answer)."""
    if option is not None and option.default is None:
        option.default = False
    return option


class QuickCommand(TyperCommand):
    """A command of the root group that answers without importing pydantic."""

    def get_help_option(self, ctx: Context) -> Any:
        return _quick_help_option(super().get_help_option(ctx))


class LazyGroup(TyperGroup):
    """A root group whose sub-commands are imported when they run (see the module docstring).
    Subclasses set ``targets``."""

    targets: ClassVar[dict[str, Target]] = {}

    def get_help_option(self, ctx: Context) -> Any:
        return _quick_help_option(super().get_help_option(ctx))

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.commands, *(n for n in self.targets if n not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        target = self.targets.get(cmd_name)
        return None if target is None else load_command(cmd_name, target)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, rest = args[0], args[1:]
        entry = _index().get(name) if name in self.targets else None
        help_only = all(arg in ctx.help_option_names for arg in rest)
        # with no arguments at all, only a group that answers them with its help page
        help_only = help_only and (bool(rest) or entry is None or entry.no_args_is_help)
        if entry is not None and entry.commands is not None and help_only:
            return name, help_group(name, entry), rest
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as exc:  # a typo: suggest from every name, loaded or not
            matches = get_close_matches(name, self.list_commands(ctx))
            if matches:
                exc.message = (
                    f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
                )
            raise

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The commands table, with the short help of unloaded commands from the index."""
        index = _index()
        rows: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            entry = index.get(name) if name not in self.commands else None
            if entry is None:
                command = self.get_command(ctx, name)
                if command is not None:
                    _set_short_help(command)
            else:
                command = TyperCommand(
                    name, help=entry.help, short_help=entry.short_help, deprecated=entry.deprecated
                )
                command.hidden = entry.hidden
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])


def _index() -> dict[str, GroupHelp]:
    from varna.cli.help_index import INDEX

    return INDEX


def build_index(targets: dict[str, Target]) -> dict[str, GroupHelp]:
    """The help index, from the real commands behind ``targets``."""
    index: dict[str, GroupHelp] = {}
    for name, target in targets.items():
        command = load_command(name, target)
        commands = None
        if isinstance(command, TyperGroup) and not command.params:
            commands = tuple(
                CommandHelp(sub, c.help, c.short_help, c.hidden, bool(c.deprecated))
                for sub, c in command.commands.items()
            )
        index[name] = GroupHelp(
            help=command.help,
            short_help=command.short_help,
            epilog=command.epilog,
            hidden=command.hidden,
            deprecated=bool(command.deprecated),
            no_args_is_help=command.no_args_is_help,
            commands=commands,
        )
    return index


def render_index(index: dict[str, GroupHelp]) -> str:
    """``help_index.py``: the index as Python source."""
    lines = [
        "# ruff: noqa: E501",
        '"""Generated by ``python -m varna.cli.lazy`` from the commands; do not edit.',
        "",
        'The help pages of the top-level commands, so that help needs no engine (see lazy.py)."""',
        "",
        "from varna.cli.lazy import CommandHelp, GroupHelp",
        "",
        "INDEX: dict[str, GroupHelp] = {",
    ]
    for name, entry in index.items():
        lines.append(f"    {name!r}: {entry!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


INDEX_PATH = Path(__file__).with_name("help_index.py")


def write_index() -> Path:
    """Regenerate ``help_index.py`` from the commands."""
    from varna.cli.app import COMMANDS

    INDEX_PATH.write_text(render_index(build_index(COMMANDS)), encoding="utf-8")
    return INDEX_PATH


if __name__ == "__main__":
    sys.stdout.write(f"{write_index()}\n")
