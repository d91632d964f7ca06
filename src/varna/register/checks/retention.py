"""Storage limitation: every activity has a typed retention rule that meets statutory minimums."""

from __future__ import annotations

from collections.abc import Iterator

from varna.register.activities import Bookkeeping, PeriodAfter, Retention, Role, WhileActive
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.taxonomy import BOOKKEEPING_CATEGORIES
from varna.register.types import parse_period

E, W = Severity.error, Severity.warning

#: Minimum retention a statute imposes, in approximate days after its anchor.
_STATUTE_MINIMUM_DAYS = {"bokforingslagen": 7 * 365, "patientdatalagen": 10 * 365}
_STATUTE_LABEL = {
    "bokforingslagen": "Bokföringslagen (1999:1078) 7 kap. 2 §",
    "patientdatalagen": "Patientdatalagen (2008:355) 3 kap. 17 §",
}


def _min_days(retention: Retention) -> int | None:
    """How many days a rule keeps data at least; None when it keeps it open-ended."""
    if isinstance(retention, Bookkeeping):
        return retention.years * 365
    if isinstance(retention, PeriodAfter):
        return parse_period(retention.period).approx_days
    if isinstance(retention, WhileActive):
        return None
    return 0


@rule("missing-retention")
def missing(ctx: Context) -> Iterator[Finding]:
    """An activity without a typed retention rule (Art. 5(1)(e), 13(2)(a), 30(1)(f))."""
    for key, act in ctx.register.activities.items():
        if act.retention is None and act.retention_in_words is None and act.role is Role.controller:
            yield ctx.finding(
                "missing-retention",
                E,
                ("activities", key),
                "activity has no retention rule",
                citation="GDPR Art. 5(1)(e), Art. 13(2)(a), Art. 30(1)(f)",
                hint="add retention, e.g. {rule: period_after, period: 24 months, "
                "anchor: relation_ended}",
            )


@rule("retention-in-words")
def in_words(ctx: Context) -> Iterator[Finding]:
    """A period stated only in words: allowed, but Art. 13(2)(a) asks for the period or the
    criteria, and retention runs cannot delete on words."""
    for key, act in ctx.register.activities.items():
        if act.retention_in_words is not None:
            yield ctx.finding(
                "retention-in-words",
                W,
                ("activities", key, "retention_in_words"),
                "the retention period is stated only in words: people cannot tell how long the "
                "data is kept, and retention runs delete nothing for this activity",
                citation="GDPR Art. 13(2)(a), Art. 5(1)(e)",
                hint="decide the period and give a typed rule, e.g. {rule: period_after, "
                "period: 24 months, anchor: relation_ended}",
            )


@rule("retention-below-statutory-minimum")
def below_minimum(ctx: Context) -> Iterator[Finding]:
    """Retention shorter than a statutory minimum the data is bound by (Bokföringslagen 7 kap. 2 §,
    Patientdatalagen 3 kap. 17 §).
    """
    reg = ctx.register
    for key, act in reg.activities.items():
        if act.retention is None:
            continue
        statutes = {lb.statute for lb in act.legal_bases if lb.statute}
        statutes |= {reg.legal_holds[h].statute for h in act.legal_holds}
        for statute in sorted(statutes & set(_STATUTE_MINIMUM_DAYS)):
            held = any(reg.legal_holds[h].statute == statute for h in act.legal_holds)
            days = _min_days(act.retention)
            if not held and days is not None and days < _STATUTE_MINIMUM_DAYS[statute]:
                yield ctx.finding(
                    "retention-below-statutory-minimum",
                    E,
                    ("activities", key, "retention"),
                    f"retention is shorter than {_STATUTE_LABEL[statute]} requires",
                    citation=_STATUTE_LABEL[statute],
                    hint="lengthen the retention, or add a legal hold for the statute",
                )
    for key, hold in reg.legal_holds.items():
        need = _STATUTE_MINIMUM_DAYS.get(hold.statute)
        days = _min_days(hold.retention)
        if need is not None and days is not None and days < need:
            yield ctx.finding(
                "retention-below-statutory-minimum",
                E,
                ("legal_holds", key, "retention"),
                f"the hold is shorter than {_STATUTE_LABEL[hold.statute]} requires",
                citation=_STATUTE_LABEL[hold.statute],
                hint="use {rule: bookkeeping} for räkenskapsinformation",
            )


@rule("bookkeeping-without-hold")
def bookkeeping(ctx: Context) -> Iterator[Finding]:
    """Invoices or payments (räkenskapsinformation) that no Bokföringslagen rule or hold keeps."""
    reg = ctx.register
    for key, act in reg.activities.items():
        records = sorted(BOOKKEEPING_CATEGORIES.intersection(act.categories))
        if not records or isinstance(act.retention, Bookkeeping):
            continue
        if any(reg.legal_holds[h].statute == "bokforingslagen" for h in act.legal_holds):
            continue
        yield ctx.finding(
            "bookkeeping-without-hold",
            W,
            ("activities", key, "categories"),
            f"{', '.join(records)} are räkenskapsinformation, but no Bokföringslagen hold "
            "keeps them",
            citation="Bokföringslagen (1999:1078) 7 kap. 2 §; GDPR Art. 17(3)(b)",
            hint="add a legal hold with statute 'bokforingslagen' and rule 'bookkeeping'",
        )


@rule("review-cycle")
def review(ctx: Context) -> Iterator[Finding]:
    """Data under periodic review reviewed less than once a year."""
    for key, act in ctx.register.activities.items():
        if act.review_every and parse_period(act.review_every).approx_days > 366:
            yield ctx.finding(
                "review-cycle",
                W,
                ("activities", key, "review_every"),
                "data is reviewed less than once a year",
                citation="GDPR Art. 5(1)(e)",
                hint="review at least yearly",
            )
