"""``varna ropa``: the record of processing activities (GDPR Art. 30)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import RegisterOption, build, parse_day
from varna.cli.policy_cmd import LangChoice, OutOption, write_output
from varna.render import RecordFormat

ropa_app = typer.Typer(
    help="The record of processing activities (GDPR Art. 30).", no_args_is_help=True
)


@ropa_app.command("export")
def export(
    fmt: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="xlsx, csv, html or pdf.")
    ] = RecordFormat.xlsx,
    register: RegisterOption = None,
    out: OutOption = None,
    lang: Annotated[LangChoice, typer.Option("--lang", "-l", help="Language.")] = LangChoice.sv,
    on: Annotated[
        str | None, typer.Option("--on", help="The record as of this date (YYYY-MM-DD).")
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter", help="CSV field separator (default: ';' in Swedish, ',' in English)."
        ),
    ] = None,
) -> None:
    """Export the Art. 30 record: one row per activity, 30(1) and 30(2)."""
    day = parse_day(on) or date.today()
    with cli_errors():
        rendered = build(register).render_record(
            on=day, lang=lang.value, fmt=fmt, delimiter=delimiter
        )
    binary = fmt in (RecordFormat.xlsx, RecordFormat.pdf)
    write_output(rendered.content, out, binary=binary)
