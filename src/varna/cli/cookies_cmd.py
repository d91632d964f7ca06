"""``varna cookies``: the consent banner generated from the register, and the scan of a live site
against the register's cookie declarations (Lag (2022:482) om elektronisk kommunikation
9 kap. 28 §)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from varna.cli.errors import cli_errors, err_console
from varna.cli.options import AtOption, FormatOption, OutputFormat, RegisterOption, build, moment

cookies_app = typer.Typer(
    help="Cookies: the consent banner from the register, and a scan of the live site.",
    no_args_is_help=True,
)


@cookies_app.command("banner")
def banner(
    register: RegisterOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write the script to this file (default: standard output)."
        ),
    ] = None,
) -> None:
    """The consent banner script, to host as a static file (``varna serve`` also serves it at
    /consent/banner.js)."""
    with cli_errors():
        made = build(register).consent_banner()
    if out is None:
        typer.echo(made.script, nl=False)
        return
    out.write_text(made.script, encoding="utf-8")
    err_console.print(
        f"wrote {escape(str(out))} ({len(made.script.encode()):,} bytes, "
        f"{made.gzipped_size:,} gzipped); notice {made.notice}"
    )


@cookies_app.command("scan")
def scan(
    url: Annotated[str, typer.Argument(help="The site's start page, e.g. https://example.se/.")],
    register: RegisterOption = None,
    pages: Annotated[
        int, typer.Option("--pages", "-n", min=1, help="Pages to visit under the start page.")
    ] = 10,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write report.json, report.html and banner.png here."),
    ] = None,
    chromium: Annotated[
        Path, typer.Option(help="The Chromium executable Playwright drives.")
    ] = Path("/usr/bin/chromium"),
    output: FormatOption = OutputFormat.text,
    at: AtOption = None,
) -> None:
    """Visit the site before any choice, after "accept all" and after "reject all", and report
    undeclared cookies, cookies before consent and cookies that survive "reject" (exit 1 on an
    error finding)."""
    from rich.progress import Progress

    from varna.cli.register_cmd import _print_findings
    from varna.register.checks import Severity

    with (
        cli_errors(),
        Progress(console=err_console, transient=True, disable=output is OutputFormat.json) as bar,
    ):
        task = bar.add_task("scanning", total=pages * 3)

        def progress(phase: str, page: str) -> None:
            bar.update(task, advance=1, description=f"{phase:6} {escape(page)}")

        result = build(register).scan_cookies(
            url, pages=pages, out=out, chromium=chromium, now=moment(at), progress=progress
        )
    if output is OutputFormat.json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result.findings)
        if out is not None:
            err_console.print(f"report: {escape(str(out / 'report.html'))}")
    if any(f.severity is Severity.error for f in result.findings):
        raise typer.Exit(1)
