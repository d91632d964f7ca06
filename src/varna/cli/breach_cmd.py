"""``varna breach``: the breach register (GDPR Art. 33, 34): record, list, show, assess, notify,
supplement, notice, close. Each command is one ``Varna`` call."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build, check_target

breach_app = typer.Typer(
    help="The breach register (Art. 33, 34): record, list, show, assess, notify, supplement, "
    "notice, close.",
    no_args_is_help=True,
)

FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="A field as name=value (lists comma-separated), e.g. nature=confidentiality or "
        "systems=crm.customers; repeatable (docs/breaches.md).",
    ),
]


class RiskChoice(StrEnum):
    none = "none"
    risk = "risk"
    high = "high"


class TypeChoice(StrEnum):
    complete = "complete"
    phases = "phases"


LIST_FIELDS = ("nature", "systems", "subject_categories", "data_categories")


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _now() -> datetime:
    return datetime.now(UTC)


def _time(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        typer.echo(f"{option}: write a time like 2026-12-01T14:30+01:00", err=True)
        raise typer.Exit(2) from None
    if moment.tzinfo is None:
        typer.echo(f"{option}: give the time zone too (2026-12-01T14:30+01:00)", err=True)
        raise typer.Exit(2)
    return moment


def _fields(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            typer.echo(f"--set {name}: write it as name=value", err=True)
            raise typer.Exit(2)
        name = name.strip()
        out[name] = (
            [v.strip() for v in value.split(",") if v.strip()] if name in LIST_FIELDS else value
        )
    return out


def _print(breach: Any, output: OutputFormat) -> None:
    now = _now()
    if output is OutputFormat.json:
        typer.echo(json.dumps(breach.as_dict(now=now), indent=2, ensure_ascii=False))
        return
    clock = breach.clock(now)
    state = "OVERDUE" if clock.overdue else (clock.stopped or f"{clock.left_text} left")
    typer.echo(
        f"{breach.ref}  {breach.state}  risk={breach.risk or 'not assessed'}  {state}  "
        f"{breach.get('title') or ''}"
    )


@breach_app.command("record")
def record(
    aware_at: Annotated[
        str, typer.Option("--aware-at", help="When you became aware (the clock starts here).")
    ],
    title: Annotated[str, typer.Option("--title", help="What happened, in a line, no names.")],
    fields: FieldOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Record a breach (Art. 33(5)); its 72-hour clock starts at --aware-at."""
    given = {"title": title, **_fields(fields)}
    when = _time(aware_at, "--aware-at")
    with cli_errors():
        breach = build().record_breach(given, aware_at=when, actor=_by(), now=_now())
    _print(breach, output)


@breach_app.command("list")
def listing(
    open_only: Annotated[bool, typer.Option("--open", help="Only open breaches.")] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Every breach with its clock, earliest awareness first."""
    with cli_errors():
        found = build().breaches(open_only=open_only)
    if output is OutputFormat.json:
        now = _now()
        typer.echo(json.dumps([b.as_dict(now=now) for b in found], indent=2, ensure_ascii=False))
        return
    for breach in found:
        _print(breach, output)


class ImyFormat(StrEnum):
    html = "html"
    pdf = "pdf"


@breach_app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="The breach, e.g. B-20261201-K4QZ.")],
    imy: Annotated[
        ImyFormat | None, typer.Option("--imy", help="Write the IMY notification instead.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="File for --imy.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="sv or en.")] = "sv",
    force: Annotated[bool, typer.Option("--force", help="Replace --out.")] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """One breach with its history; with --imy, the IMY notification as HTML or PDF."""
    with cli_errors():
        varna = build()
        if imy is None:
            breach = varna.breach(ref, history=True)
        else:
            from varna.render.writers import to_html, to_pdf

            if out is not None:
                check_target(out, force=force)
            doc = varna.imy_document(ref, lang=lang if lang in ("sv", "en") else "sv")
            data = to_pdf(doc) if imy is ImyFormat.pdf else to_html(doc).encode()
            if out is None:
                sys.stdout.buffer.write(data)
            else:
                out.write_bytes(data)
                typer.echo(f"wrote {out.name}")
            return
    if output is OutputFormat.json:
        typer.echo(json.dumps(breach.as_dict(now=_now()), indent=2, ensure_ascii=False))
        return
    _print(breach, output)
    for key, value in sorted(breach.record.items()):
        typer.echo(f"  {key}: {value}")
    for event in breach.events:
        typer.echo(f"  v{event.version} {event.at[:16]} {event.action} by {event.actor}")


@breach_app.command("assess")
def assess(
    ref: Annotated[str, typer.Argument(help="The breach.")],
    risk: Annotated[RiskChoice, typer.Option("--risk", help="none, risk or high.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (Art. 33(5)).")],
    output: FormatOption = OutputFormat.text,
) -> None:
    """Record the risk assessment: risk or high -> notify IMY; high -> tell the people."""
    from varna.core.breach_ops import Risk

    with cli_errors():
        breach = build().assess_breach(
            ref, Risk(risk.value), reason=reason, actor=_by(), now=_now()
        )
    _print(breach, output)


@breach_app.command("notify")
def notify(
    ref: Annotated[str, typer.Argument(help="The breach.")],
    at: Annotated[str | None, typer.Option("--at", help="When IMY was notified (now).")] = None,
    kind: Annotated[TypeChoice, typer.Option("--type", help="complete or phases.")] = (
        TypeChoice.complete
    ),
    late_reason: Annotated[
        str, typer.Option("--late-reason", help="Why later than 72 h (Art. 33(1)).")
    ] = "",
    imy_reference: Annotated[str, typer.Option("--imy-reference", help="IMY's number.")] = "",
    output: FormatOption = OutputFormat.text,
) -> None:
    """Record that IMY was notified through its e-service."""
    from varna.core.breach_ops import NotificationType

    when = _time(at, "--at") if at else _now()
    with cli_errors():
        breach = build().notify_breach(
            ref,
            at=when,
            kind=NotificationType(kind.value),
            late_reason=late_reason,
            imy_reference=imy_reference,
            actor=_by(),
            now=_now(),
        )
    _print(breach, output)


@breach_app.command("supplement")
def supplement(
    ref: Annotated[str, typer.Argument(help="The breach.")],
    text: Annotated[str, typer.Option("--text", help="What the supplement adds.")],
    output: FormatOption = OutputFormat.text,
) -> None:
    """Add information given to IMY later (Art. 33(4))."""
    with cli_errors():
        breach = build().supplement_breach(ref, text=text, actor=_by(), now=_now())
    _print(breach, output)


@breach_app.command("notice")
def notice(
    ref: Annotated[str, typer.Argument(help="The breach.")],
    to: Annotated[
        Path,
        typer.Option("--to", help="A file of recipients: one 'address[,sv|en]' a line."),
    ],
    output: FormatOption = OutputFormat.text,
) -> None:
    """E-mail the Art. 34 notice to the people in --to (high risk only)."""
    recipients = []
    for line in to.read_text(encoding="utf-8").splitlines():
        address, _, lang = line.strip().partition(",")
        if address:
            recipients.append((address.strip(), lang.strip() or "sv"))
    with cli_errors():
        done = build().send_breach_notices(ref, recipients, actor=_by(), now=_now())
    if output is OutputFormat.json:
        typer.echo(json.dumps(done))
    else:
        typer.echo(f"{ref}: {done['sent']} notices sent, {done['failed']} failed")


@breach_app.command("close")
def close(
    ref: Annotated[str, typer.Argument(help="The breach.")],
    note: Annotated[str, typer.Option("--note", help="How it ended.")] = "",
    output: FormatOption = OutputFormat.text,
) -> None:
    """Close a breach; it stays in the register (Art. 33(5))."""
    with cli_errors():
        breach = build().close_breach(ref, note=note, actor=_by(), now=_now())
    _print(breach, output)
