"""Plausibility: what a register may state but a DPO would not believe. An Art. 9(2) letter that
cannot fit the processing, no DPO although special categories are processed at scale, applicants'
data kept for years."""

from __future__ import annotations

import re
from collections.abc import Iterator

from varna.register.activities import (
    Activity,
    Art9Exception,
    Bookkeeping,
    PeriodAfter,
    Role,
    SourceKind,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.model import Register
from varna.register.taxonomy import SpecialKind
from varna.register.types import parse_period

E, W = Severity.error, Severity.warning

#: Sources where a person may have made data manifestly public themselves (Art. 9(2)(e)).
_PUBLIC_SOURCES = {SourceKind.public_register, SourceKind.information_service}

#: Subjects or purposes that are about employment (Art. 9(2)(b)) or recruitment.
_EMPLOYMENT = re.compile(
    r"employ|staff|personal\b|anställ|medarbet|applicant|sökande|kandidat|rekryt|recruit",
    re.IGNORECASE,
)
_APPLICANTS = re.compile(r"applicant|sökande|kandidat|rekryt|recruit|jobbsök", re.IGNORECASE)

#: Days applicants' data may reasonably be kept after a recruitment closes: about two years, the
#: time within which discrimination claims over a recruitment are brought (Diskrimineringslagen).
APPLICANT_DAYS = 2 * 366


def _special(reg: Register, act: Activity) -> list[str]:
    return [
        c
        for c in act.categories
        if (kind := reg.category(c).special) is not None
        and kind is not SpecialKind.criminal_offences
    ]


def _texts(reg: Register, act: Activity) -> str:
    subjects = [reg.subjects[s] for s in act.subjects if s in reg.subjects]
    words = [act.name.sv, act.name.en or "", act.purpose.sv, act.purpose.en or ""]
    words += [f"{s.label.sv} {s.label.en or ''}" for s in subjects]
    return " ".join(words + list(act.subjects))


@rule("special-category-exception")
def exception_fits(ctx: Context) -> Iterator[Finding]:
    """An Art. 9(2) letter that cannot fit: (e) "manifestly made public" for data the person gave
    the organisation or that its own systems produce; (b) employment law for people who are not
    staff or applicants; (c) vital interests, which applies only when the person cannot consent."""
    reg = ctx.register
    for key, act in reg.activities.items():
        cond = act.special_category_condition
        if cond is None or not _special(reg, act):
            continue
        path = ("activities", key, "special_category_condition", "exception")
        public = any(s.publicly_accessible or s.kind in _PUBLIC_SOURCES for s in act.sources)
        if cond.exception is Art9Exception.e and not public:
            yield ctx.finding(
                "special-category-exception",
                E,
                path,
                "Art. 9(2)(e) needs data the person has manifestly made public; this activity's "
                "data comes from the person or the organisation's own systems",
                citation="GDPR Art. 9(2)(e)",
                hint="use the exception that fits, e.g. (a) explicit consent or (h) care under "
                "professional secrecy, or stop processing the special categories",
            )
        elif cond.exception is Art9Exception.b and not _EMPLOYMENT.search(_texts(reg, act)):
            yield ctx.finding(
                "special-category-exception",
                W,
                path,
                "Art. 9(2)(b) covers obligations in employment and social-security law, but the "
                "activity is not about staff or applicants",
                citation="GDPR Art. 9(2)(b)",
                hint="check the exception, and name the statute in special_category_condition",
            )
        elif cond.exception is Art9Exception.c:
            yield ctx.finding(
                "special-category-exception",
                W,
                path,
                "Art. 9(2)(c) applies only where the person is physically or legally incapable "
                "of giving consent",
                citation="GDPR Art. 9(2)(c)",
                hint="use (a) explicit consent where the person can give it",
            )


@rule("dpo-required")
def dpo_required(ctx: Context) -> Iterator[Finding]:
    """No data protection officer although special categories are processed (Art. 37(1)(c)): an
    error when an activity is marked large-scale, a warning when the scale is not assessed."""
    reg = ctx.register
    if reg.controller.dpo is not None:
        return
    for key, act in reg.activities.items():
        if act.role is not Role.controller or not _special(reg, act) or act.large_scale is False:
            continue
        assessed = act.large_scale is True
        yield ctx.finding(
            "dpo-required",
            E if assessed else W,
            ("activities", key, "large_scale" if assessed else "categories"),
            "special categories are processed on a large scale, but no data protection officer "
            "is appointed"
            if assessed
            else "special categories are processed and no data protection officer is appointed; "
            "the scale is not assessed",
            citation="GDPR Art. 37(1)(c), Art. 9",
            hint="appoint a DPO (controller.dpo)"
            if assessed
            else "assess the scale (large_scale: true/false); on a large scale a DPO is mandatory",
        )


def _max_days(act: Activity) -> int | None:
    """The longest the activity's rule keeps data after its anchor, in approximate days."""
    rule_ = act.retention
    if isinstance(rule_, PeriodAfter):
        return parse_period(rule_.period).approx_days
    if isinstance(rule_, WhileActive) and rule_.then:
        return parse_period(rule_.then).approx_days
    if isinstance(rule_, Bookkeeping):
        return (rule_.years + 1) * 365
    if isinstance(rule_, UntilWithdrawn) and rule_.grace:
        return parse_period(rule_.grace).approx_days
    return None


@rule("retention-excessive")
def excessive(ctx: Context) -> Iterator[Finding]:
    """Applicants' data kept much longer than the roughly two years within which claims over a
    recruitment are brought (Art. 5(1)(e))."""
    reg = ctx.register
    for key, act in reg.activities.items():
        days = _max_days(act)
        if days is None or days <= APPLICANT_DAYS or not _APPLICANTS.search(_texts(reg, act)):
            continue
        yield ctx.finding(
            "retention-excessive",
            W,
            ("activities", key, "retention"),
            f"applicants' data is kept about {days // 365} years; claims over a recruitment are "
            "brought within a much shorter time",
            citation="GDPR Art. 5(1)(e); Diskrimineringslagen (2008:567)",
            hint="keep applicants' data about two years after the recruitment closes at most, "
            "or keep it longer only with the applicant's consent to a talent pool",
        )
