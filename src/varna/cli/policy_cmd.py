"""``varna policy``: render the privacy policy, diff two registers, publish a version."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from varna.cli.errors import cli_errors, err_console
from varna.cli.jsonout import echo_json
from varna.cli.options import FormatOption, OutputFormat, RegisterOption, build, parse_day
from varna.core import Varna
from varna.render import (
    PolicyFormat,
    RegisterDiff,
)

policy_app = typer.Typer(
    help="The privacy policy: render it, diff two registers, publish a version.",
    no_args_is_help=True,
)


class LangChoice(StrEnum):
    sv = "sv"
    en = "en"


OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file (default: standard output).")
]


def write_output(content: bytes, out: Path | None, *, binary: bool) -> None:
    """Write to ``out``, or to standard output; a binary format on a terminal needs ``--out``."""
    if out is not None:
        out.write_bytes(content)
        err_console.print(f"wrote {escape(str(out))} ({len(content):,} bytes)")
        return
    stream = typer.get_binary_stream("stdout")
    if binary and stream.isatty():
        raise typer.BadParameter("a binary format needs --out FILE", param_hint="--out")
    stream.write(content)
    stream.flush()


@policy_app.command("render")
def render(
    register: RegisterOption = None,
    lang: Annotated[LangChoice, typer.Option("--lang", "-l", help="Language.")] = LangChoice.sv,
    fmt: Annotated[
        PolicyFormat, typer.Option("--format", "-f", help="html, md or pdf (typ: Typst source).")
    ] = PolicyFormat.html,
    out: OutOption = None,
) -> None:
    """Render the privacy policy (GDPR Art. 13 and 14) from the register."""
    with cli_errors():
        rendered = build(register).render_policy(lang=lang.value, fmt=fmt)
    for warning in rendered.warnings:
        err_console.print(f"[yellow]note:[/] {escape(warning)}")
    if rendered.fallbacks:
        count = len(rendered.fallbacks)
        err_console.print(f"[yellow]note:[/] {count} text(s) have no English; Swedish was used")
    write_output(rendered.content, out, binary=fmt is PolicyFormat.pdf)


@policy_app.command("diff")
def diff(
    old: Annotated[Path, typer.Argument(help="The register as it was.")],
    new: Annotated[Path, typer.Argument(help="The register as it is now.")],
    output: FormatOption = OutputFormat.text,
) -> None:
    """Show the semantic difference between two registers; mark what is material."""
    with cli_errors():
        result = Varna.diff_registers(old, new)
    if output is OutputFormat.json:
        echo_json(result.as_dict())
    else:
        _print_diff(result)


def _print_diff(result: RegisterDiff) -> None:
    console = Console(highlight=False, soft_wrap=True)
    if not result.changes:
        console.print("No semantic changes.")
        return
    for change in result.changes:
        mark = "[bold red]material[/]" if change.material else "[dim]minor   [/]"
        console.print(f"{mark} {escape(change.path)}: {escape(change.summary)}")
    material = sum(c.material for c in result.changes)
    console.print(f"{len(result.changes)} change(s), {material} material")
    if result.material:
        channels = (
            ", ".join(result.channels) or "no channel (set controller.policy.notify_changes_by)"
        )
        subjects = ", ".join(result.notify_subjects) or "all"
        console.print(f"notify before it applies: {escape(channels)}; subjects: {escape(subjects)}")


@policy_app.command("publish")
def publish(
    register: RegisterOption = None,
    effective: Annotated[
        str | None,
        typer.Option("--effective", help="Date it takes effect (YYYY-MM-DD); default: register's."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Publish although register check finds errors; the override and who made it "
            "are recorded in the audit log.",
        ),
    ] = False,
) -> None:
    """Record a published version: effective date, content hashes, the changelog and the check
    result. Refused while register check finds errors or placeholders, unless --force."""
    day = parse_day(effective)
    with cli_errors():
        varna = build(register)
        result = varna.publish_policy(
            now=datetime.now(UTC), actor=f"cli:{getpass.getuser()}", effective=day, force=force
        )
    v = result.version
    label = f"version {v.version}" if v.version else "policy"
    if not result.created:
        typer.echo(f"{label} in force from {v.effective_date} is already published; nothing to do.")
        return
    material = sum(c.material for c in v.changes)
    typer.echo(f"Published {label} in force from {v.effective_date}.")
    typer.echo(f"  {len(v.changes)} change(s) since the previous version, {material} material.")
    for change in v.changes:
        typer.echo(f"  {'*' if change.material else '-'} {change.path}: {change.summary}")
    if v.check is not None:
        c = v.check
        typer.echo(f"  Register check: {c.errors} error(s), {c.warnings} warning(s).")
        if c.forced_by:
            err_console.print(
                f"[red]published despite {c.errors} error(s), forced by {escape(c.forced_by)}; "
                "recorded in the audit log[/]"
            )
    if v.material:
        channels = ", ".join(v.notify_channels) or "no channel set"
        typer.echo(f"  Notify via {channels}: {', '.join(v.notify_subjects) or 'all subjects'}.")
