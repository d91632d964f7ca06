"""Published texts: every policy language present, current names, security measures stated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from varna.register.checks import Context, Finding, Severity, rule
from varna.register.types import Language, Text

W = Severity.warning

PathT = tuple[str | int, ...]


def _texts(node: Any, path: PathT) -> Iterator[tuple[PathT, Text]]:
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, (*path, index))


@rule("missing-translation")
def translations(ctx: Context) -> Iterator[Finding]:
    """A published text without English while the policy is published in English (Art. 12(1))."""
    if Language.en not in ctx.register.controller.policy.languages:
        return
    for path, text in _texts(ctx.register, ()):
        if text.en is None:
            yield ctx.finding(
                "missing-translation",
                W,
                path,
                "text has no English version, but the policy is published in English",
                citation="GDPR Art. 12(1)",
                hint="add en: ... (a plain string is Swedish only: write {sv: ..., en: ...}; "
                "a proper name reads the same in both)",
            )


@rule("outdated-authority")
def outdated_authority(ctx: Context) -> Iterator[Finding]:
    """Texts naming Datainspektionen, which is Integritetsskyddsmyndigheten (IMY) since 1 January
    2021.
    """
    authority = ctx.register.controller.supervisory_authority
    for field in ("website", "email"):
        value = getattr(authority, field) or ""
        if "datainspektionen" in value.lower():
            yield ctx.finding(
                "outdated-authority",
                W,
                ("controller", "supervisory_authority", field),
                "points to Datainspektionen, which is Integritetsskyddsmyndigheten (IMY) since "
                "1 January 2021",
                citation="GDPR Art. 13(2)(d), Art. 77",
                hint="use https://www.imy.se and imy@imy.se",
            )
    for path, text in _texts(ctx.register, ()):
        if "datainspektionen" in (text.sv + (text.en or "")).lower():
            yield ctx.finding(
                "outdated-authority",
                W,
                path,
                "names Datainspektionen, which is Integritetsskyddsmyndigheten (IMY) since "
                "1 January 2021",
                citation="GDPR Art. 13(2)(d), Art. 77",
                hint="write Integritetsskyddsmyndigheten",
            )


@rule("security-measures")
def security(ctx: Context) -> Iterator[Finding]:
    """No security measures described (Art. 30(1)(g), 32)."""
    if not ctx.register.security.measures:
        yield ctx.finding(
            "security-measures",
            W,
            ("security",),
            "no security measures are described",
            citation="GDPR Art. 30(1)(g), Art. 32(1)",
            hint="describe the measures under security.measures",
        )


_FACTS = (
    ("name", "name", "set controller.name to the legal name"),
    ("address", "postal address", "set controller.address: {street, postal_code, city}"),
    ("contact", "contact details", "set controller.contact: {email: ..., phone: ...}"),
)


@rule("controller-identity")
def controller_identity(ctx: Context) -> Iterator[Finding]:
    """The controller's organisation number, the DPO's contact or the policy's date is missing
    (Art. 13(1)(a)-(b), Art. 12(1))."""
    c = ctx.register.controller
    for fact, what, hint in _FACTS:
        if getattr(c, fact) is None:
            yield ctx.finding(
                "controller-identity",
                Severity.error,
                ("controller", fact),
                f"the controller's {what} is not given: the policy says so, and people cannot "
                "tell who is responsible or how to reach them",
                citation="GDPR Art. 13(1)(a), Art. 14(1)(a), Art. 30(1)(a)",
                hint=hint,
            )
    if c.org_number is None:
        yield ctx.finding(
            "controller-identity",
            W,
            ("controller",),
            "the controller's organisation number is not stated",
            citation="GDPR Art. 13(1)(a), Art. 30(1)(a)",
            hint="add org_number: NNNNNN-NNNC",
        )
    if c.policy.version is None or c.policy.effective_date is None:
        yield ctx.finding(
            "controller-identity",
            W,
            ("controller", "policy"),
            "the policy has no version or effective date: people cannot tell which text applied",
            citation="GDPR Art. 12(1), Art. 5(2)",
            hint="set policy.version and policy.effective_date",
        )
