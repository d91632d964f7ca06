"""Storage limitation: every activity has a typed retention rule that meets statutory minimums."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from varna.law.bookkeeping import FiscalYear, bookkeeping_keep_until
from varna.register.activities import (
    Bookkeeping,
    PeriodAfter,
    Retention,
    Role,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.taxonomy import BOOKKEEPING_CATEGORIES
from varna.register.types import Unit, parse_period

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
        # Bokföringslagen is computed in calendar days by bookkeeping-period.
        for statute in sorted(statutes & set(_STATUTE_MINIMUM_DAYS) - {"bokforingslagen"}):
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
        if hold.statute == "bokforingslagen":
            continue
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


#: Anchors that date a record itself: a rule counted from one is meant as a bookkeeping period.
_RECORD_DATES = {"transaction_date", "collected"}


def _plus(day: date, text: str | None) -> date:
    """``day`` plus a period, in calendar months and years (31 January + 1 month = 28/29 Feb)."""
    if not text:
        return day
    period = parse_period(text)
    if period.unit in (Unit.days, Unit.weeks):
        return day + timedelta(days=period.amount * (7 if period.unit is Unit.weeks else 1))
    months = period.amount * (12 if period.unit is Unit.years else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def bookkeeping_shortfall(retention: Retention, fiscal_year: FiscalYear) -> int:
    """Days by which ``retention``, counted from a record's date, lets the record go before
    Bokföringslagen 7 kap. 2 § does, in the worst case: a record from the first day of a fiscal
    year, and a relation that ends (or consent withdrawn) the same day. 0 when it keeps enough.

    The law keeps a record until the end of the seventh calendar year after the one in which its
    fiscal year ended, so from the first day of a calendar fiscal year that is almost eight years:
    "7 years from the transaction date" falls short by up to a year."""
    if isinstance(retention, Bookkeeping):
        return 0
    if isinstance(retention, PeriodAfter):
        period: str | None = retention.period
    elif isinstance(retention, WhileActive):
        period = retention.then
    elif isinstance(retention, UntilWithdrawn):
        period = retention.grace
    worst = 0
    for year in range(2020, 2028):  # a whole leap-year cycle, and then some
        first = date(year, fiscal_year.start_month, 1)
        need = bookkeeping_keep_until(first, fiscal_year=fiscal_year)
        worst = max(worst, (need - _plus(first, period)).days)
    return worst


@rule("bookkeeping-period")
def bookkeeping_period(ctx: Context) -> Iterator[Finding]:
    """A bookkeeping period shorter than Bokföringslagen 7 kap. 2 § requires, counted in days
    from the end of the fiscal year: räkenskapsinformation (invoices, payments) kept for a period
    from its own date, or any period under the named statute or a hold on such records, whether or
    not the statute is named."""
    reg = ctx.register
    start = reg.controller.fiscal_year_start.month
    fiscal_year = FiscalYear(start)
    for key, act in reg.activities.items():
        records = BOOKKEEPING_CATEGORIES.intersection(act.categories)
        named = any(lb.statute == "bokforingslagen" for lb in act.legal_bases)
        if act.retention is None or act.role is not Role.controller:
            continue
        # A bookkeeping period: the statute is named, or records are kept from their date. Records
        # kept for another reason with no hold are bookkeeping-without-hold's concern.
        if not (named or (records and getattr(act.retention, "anchor", None) in _RECORD_DATES)):
            continue
        holds = [reg.legal_holds[h] for h in act.legal_holds if h in reg.legal_holds]
        if any(records <= set(h.categories) and h.statute == "bokforingslagen" for h in holds):
            continue  # a Bokföringslagen hold on the records decides; it is checked on its own
        short = bookkeeping_shortfall(act.retention, fiscal_year)
        if short > 0:
            yield _short(ctx, ("activities", key, "retention"), short, sorted(records))
    for key, hold in reg.legal_holds.items():
        records = BOOKKEEPING_CATEGORIES.intersection(hold.categories)
        if not records and hold.statute != "bokforingslagen":
            continue
        short = bookkeeping_shortfall(hold.retention, fiscal_year)
        if short > 0:
            yield _short(ctx, ("legal_holds", key, "retention"), short, sorted(records))


def _short(ctx: Context, path: tuple[str, ...], days: int, records: list[str]) -> Finding:
    what = ", ".join(records) or "the records"
    return ctx.finding(
        "bookkeeping-period",
        E,
        path,
        f"{what} may go up to {days} days before Bokföringslagen lets them: they must be kept "
        "until the end of the seventh year after the calendar year in which the fiscal year ended",
        citation="Bokföringslagen (1999:1078) 7 kap. 2 §; GDPR Art. 17(3)(b)",
        hint="use {rule: bookkeeping}, or a legal hold with statute 'bokforingslagen'",
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
