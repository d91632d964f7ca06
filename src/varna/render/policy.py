"""The privacy policy (GDPR Art. 13 and 14), composed from the register.

:func:`compose_policy` builds the :class:`~varna.render.document.Document` in Swedish or English;
the writers turn it into HTML, Markdown or PDF. The order follows the best of the seed policies:
who is responsible, the right to object to direct marketing (Art. 21(4): clearly and separately),
one section per category of data subjects, recipients, transfers, retention, automated decisions,
rights and how to exercise them, complaints, security, cookies and changes. Where the register is
silent on something the law asks for, the policy says so plainly and the composition carries a
warning for the person rendering it; it never invents a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from varna.register.activities import Role
from varna.register.model import Register, Topic
from varna.render.context import Context
from varna.render.document import Block, Document, Paragraph, Section, bullets, link, para
from varna.render.labels import NOTICE_CHANNELS, label
from varna.render.policy_commitments import commitment_blocks, other_contacts
from varna.render.policy_rights import (
    automated_section,
    complaint_section,
    direct_marketing_callout,
    rights_section,
)
from varna.render.policy_sharing import (
    cookies_section,
    recipients_section,
    retention_section,
    security_section,
    transfers_section,
)
from varna.render.policy_subjects import subject_sections
from varna.render.wording import Lang, lower_first, upper_first


@dataclass(frozen=True, slots=True)
class Composition:
    """A composed document and what the person rendering it should know."""

    document: Document
    warnings: tuple[str, ...]
    """Where the register is silent on something the law asks the policy to say."""
    fallbacks: tuple[str, ...]
    """Register texts without English, where Swedish was used in the English policy."""


def compose_policy(register: Register, lang: Lang = "sv", *, on: date | None = None) -> Composition:
    """The privacy policy of ``register`` in ``lang``.

    ``on`` is the date transfers are judged on (adequacy decisions come and go); it defaults to the
    policy's effective date, else today.
    """
    policy = register.controller.policy
    ctx = Context.build(register, lang, on=on or policy.effective_date or date.today())
    w = ctx.w
    sections: list[Section | None] = [
        _about(ctx),
        _controller(ctx),
        *subject_sections(ctx),
        recipients_section(ctx),
        transfers_section(ctx),
        retention_section(ctx),
        automated_section(ctx),
        rights_section(ctx),
        complaint_section(ctx),
        security_section(ctx),
        cookies_section(ctx),
        _changes(ctx),
    ]
    if lang not in {str(x) for x in policy.languages}:
        ctx.warn(f"controller.policy.languages: the policy is not published in '{lang}'")
    if policy.effective_date is None:
        ctx.warn("controller.policy.effective_date: unset; the policy states no date")
    document = Document(
        title=w.gettext("Privacy notice"),
        lang=lang,
        header=register.controller.name or "",
        meta=(para(" · ".join([x for x in [register.controller.name, *_edition(ctx)] if x])),),
        sections=tuple(s for s in sections if s is not None),
        footer=upper_first(", ".join(_edition(ctx))),
        contents=True,
    )
    return Composition(document, tuple(ctx.warnings), tuple(f for f in w.fallbacks if f))


def _edition(ctx: Context) -> list[str]:
    """``version 3``, ``gäller från 1 januari 2026``: what the register says of this edition."""
    w, policy = ctx.w, ctx.register.controller.policy
    out = [f"version {policy.version}"] if policy.version else []
    if policy.effective_date:
        when = w.date(policy.effective_date)
        out.append(w.gettext("in force from {when}", when=when))
    return out


def _org(ctx: Context) -> str:
    number = ctx.register.controller.org_number
    return ctx.w.gettext(" (company registration number {number})", number=number) if number else ""


def _about(ctx: Context) -> Section:
    w, c = ctx.w, ctx.register.controller
    groups = [
        para(link(w.text(s.label), f"#subject-{k}"))
        for k, s in ctx.register.subjects.items()
        if any(k in a.subjects for _, a in ctx.activities())
    ]
    who = (
        w.say("about.controller", name=c.name, org=_org(ctx))
        if c.name
        else w.say("about.controller_unnamed")
    )
    blocks: list[Block] = [
        para(who),
        para(w.say("about.scope")),
        bullets(groups),
    ]
    blocks += commitment_blocks(ctx, Topic.general)
    processing = list(ctx.activities(role=Role.processor))
    if processing:
        names = [lower_first(w.text(p.name)) for _, a in processing for p in a.on_behalf_of]
        blocks.append(para(w.say("about.processor", for_whom=w.join(names))))
    callout = direct_marketing_callout(ctx)
    sub = (Section(callout.title, "direct-marketing", (callout,)),) if callout else ()
    return Section(w.gettext("About this notice"), "about", tuple(blocks), sub)


def _controller(ctx: Context) -> Section:
    w, c = ctx.w, ctx.register.controller
    lines: list[Paragraph] = [
        para(c.name + _org(ctx)) if c.name else para(w.say("controller.no_name")),
        para(w.gettext("Postal address: "), ctx.address(c.address))
        if c.address
        else para(w.say("controller.no_address")),
    ]
    for fact in ("name", "address", "contact"):
        if getattr(c, fact) is None:
            ctx.warn(f"controller.{fact}: not given; the policy says so")
    if c.contact is None:
        lines.append(para(w.say("controller.no_contact")))
    else:
        reach = ctx.reach(c.contact.model_copy(update={"address": None}))
        lines += [para(*line) for line in reach]
        if not reach:
            lines.append(para(w.say("controller.no_contact")))
    blocks: list[Block] = [bullets(lines), *other_contacts(ctx)]
    if c.dpo is not None:
        blocks.append(para(w.say("controller.dpo")))
        blocks.append(bullets([para(*line) for line in ctx.reach(c.dpo)]))
    if c.representative is not None:
        rep = w.gettext("Our representative in the EU (Article 27):")
        blocks.append(para(rep))
        blocks.append(bullets([para(*line) for line in ctx.reach(c.representative)]))
    title = w.gettext("Controller and contact details")
    return Section(title, "controller", tuple(blocks))


def _changes(ctx: Context) -> Section:
    w, policy = ctx.w, ctx.register.controller.policy
    blocks: list[Block] = []
    if policy.url:
        # Translators: follows a sentence; the policy's address and a full stop follow
        current = w.gettext(" The current version is always at ")
        blocks.append(para(w.say("changes.intro"), current, link(policy.url, policy.url), "."))
    else:
        blocks.append(para(w.say("changes.intro")))
    if policy.notify_changes_by:
        channels = w.join([label(NOTICE_CHANNELS, c, w) for c in policy.notify_changes_by])
        blocks.append(para(w.say("changes.notify", channels=channels)))
    if policy.effective_date:
        when = w.date(policy.effective_date)
        version = f" ({policy.version})" if policy.version else ""
        blocks.append(
            para(
                w.gettext(
                    "This version{version} is in force from {when}.", version=version, when=when
                )
            )
        )
    blocks += commitment_blocks(ctx, Topic.changes)
    return Section(w.gettext("Changes to this notice"), "changes", tuple(blocks))
