"""Inventory: the systems hold only what some activity needs, and requests and retention can run."""

from __future__ import annotations

from collections.abc import Iterator

from varna.register.activities import WhileActive
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.model import Register
from varna.register.systems import BUILTIN_SYSTEM_KINDS, Table

E, W, NOTE = Severity.error, Severity.warning, Severity.info


@rule("kept-without-purpose")
def kept_without_purpose(ctx: Context) -> Iterator[Finding]:
    """A category stored in a table that no activity of the table covers (Art. 5(1)(b)-(c))."""
    reg = ctx.register
    for skey, tname, table in reg.tables():
        acts = table.activities or list(reg.activities)
        covered = {c for a in acts if a in reg.activities for c in reg.activities[a].categories}
        if not table.activities and table.fields:
            yield ctx.finding(
                "kept-without-purpose",
                W,
                ("systems", skey, "tables", tname),
                "table names no activity it serves",
                citation="GDPR Art. 5(1)(b), Art. 30(1)(b)",
                hint="list the activities in activities: [...]",
            )
        for fname, spec in table.fields.items():
            if spec.category not in covered:
                yield ctx.finding(
                    "kept-without-purpose",
                    E,
                    ("systems", skey, "tables", tname, "fields", fname, "category"),
                    f"'{spec.category}' is stored here but no activity of this table covers it",
                    citation="GDPR Art. 5(1)(b), Art. 5(1)(c)",
                    hint="add the category to an activity of the table, or stop storing it",
                )


@rule("activity-without-system")
def activity_without_system(ctx: Context) -> Iterator[Finding]:
    """An activity whose categories live in no declared system, or no systems at all."""
    reg = ctx.register
    if not reg.systems:
        yield ctx.finding(
            "activity-without-system",
            NOTE,
            ("systems",),
            "no systems are declared: data-subject requests and retention cannot run",
            citation="GDPR Art. 5(2), Art. 30(1)",
            hint="declare the systems, tables and fields where the data lives",
        )
        return
    stored: dict[str, set[str]] = {}
    for _, _, table in reg.tables():
        acts = table.activities or list(reg.activities)
        for a in acts:
            stored.setdefault(a, set()).update(f.category for f in table.fields.values())
    for key, act in reg.activities.items():
        missing = sorted(set(act.categories) - stored.get(key, set()))
        if missing:
            yield ctx.finding(
                "activity-without-system",
                W,
                ("activities", key, "categories"),
                f"categories not found in any system of this activity: {', '.join(missing)}",
                citation="GDPR Art. 30(1), Art. 15(1)",
                hint="declare the tables that hold them, or remove them from the activity",
            )


@rule("retention-anchor")
def anchors(ctx: Context) -> Iterator[Finding]:
    """A table serves an activity whose retention counts from an event the table maps to no
    column."""
    reg = ctx.register
    for skey, tname, table in reg.tables():
        for akey in table.activities:
            act = reg.activities.get(akey)
            anchor = getattr(act.retention, "anchor", None) if act else None
            if anchor is None or anchor in table.anchors or _inherits(reg, skey, table, anchor):
                continue
            open_ended = isinstance(act.retention, WhileActive) if act else False
            yield ctx.finding(
                "retention-anchor",
                W if open_ended else E,
                ("systems", skey, "tables", tname, "anchors"),
                f"activity '{akey}' counts retention from '{anchor}', but the table "
                "names no column for it"
                + (": rows are kept until the end is recorded" if open_ended else ""),
                citation="GDPR Art. 5(1)(e)",
                hint=f"add anchors: {{{anchor}: <timestamp column>}}",
            )


def _inherits(reg: Register, skey: str, table: Table, anchor: str) -> bool:
    """A child table (invoice lines) follows a parent in the same system that maps the anchor."""
    tables = reg.systems[skey].tables
    return any(
        ref.system in (None, skey) and anchor in tables[ref.table].anchors
        for ref in table.references.values()
        if ref.table in tables
    )


@rule("unfindable-table")
def unfindable(ctx: Context) -> Iterator[Finding]:
    """Personal data in a table with no identity column and no reference: requests cannot find a
    person's rows.
    """
    reg = ctx.register
    for skey, tname, table in reg.tables():
        if table.fields and not table.identities and not table.references:
            yield ctx.finding(
                "unfindable-table",
                W,
                ("systems", skey, "tables", tname),
                "personal data with no identity column and no reference: a person's rows "
                "cannot be found for a request",
                citation="GDPR Art. 15, Art. 17",
                hint="add identities (e.g. {email: email}) or references to another table",
            )


@rule("system-kind")
def system_kind(ctx: Context) -> Iterator[Finding]:
    """A system kind with no built-in connector, or tables without a connection."""
    for skey, system in ctx.register.systems.items():
        if system.kind not in BUILTIN_SYSTEM_KINDS:
            yield ctx.finding(
                "system-kind",
                W,
                ("systems", skey, "kind"),
                f"no built-in connector for kind '{system.kind}'",
                hint="use one of "
                + ", ".join(sorted(BUILTIN_SYSTEM_KINDS))
                + ", or install a connector plugin",
            )
        if system.tables and system.connection is None and system.kind != "mailbox":
            yield ctx.finding(
                "system-kind",
                W,
                ("systems", skey),
                "system has tables but no connection",
                hint="add connection: {env: VARNA_<SYSTEM>_URL}",
            )
