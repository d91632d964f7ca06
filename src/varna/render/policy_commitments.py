"""What the register states in the organisation's own terms: negative and conditional commitments
(by the part of the policy they belong to), further contacts, channels per right with their
formalities, and alternative Art. 22(2) grounds."""

from __future__ import annotations

from varna.register.activities import AutomatedDecision
from varna.register.model import CommitmentKind, Topic
from varna.render.context import Context
from varna.render.document import Block, Paragraph, bullets, para
from varna.render.wording import lower_first, sentence, upper_first

_LETTERS = {"contract": "a", "law": "b", "explicit_consent": "c"}


def commitment_blocks(ctx: Context, topic: Topic) -> list[Block]:
    """The commitments on ``topic``, each as the organisation states it."""
    w = ctx.w
    out: list[Block] = []
    for i, c in enumerate(ctx.register.commitments):
        if c.topic is not topic:
            continue
        text = w.text(c.text, f"commitments.{i}.text")
        if c.kind is CommitmentKind.conditional and c.condition is not None:
            condition = w.text(c.condition, f"commitments.{i}.condition").rstrip(" ,.")
            text = w.say("commitments.conditional", condition=condition, text=lower_first(text))
        out.append(para(sentence(upper_first(text))))
    return out


def other_contacts(ctx: Context) -> list[Block]:
    """Further addresses the controller gives, after the main contact."""
    contacts = ctx.register.controller.other_contacts
    if not contacts:
        return []
    lines = [para(*line) for c in contacts for line in ctx.reach(c)]
    return [para(ctx.w.say("controller.other_contacts")), bullets(lines)]


def channel_blocks(ctx: Context) -> list[Block]:
    """One line per channel: the rights, the way, and what the request must be."""
    w, items = ctx.w, []
    for i, channel in enumerate(ctx.register.controller.request_channels):
        rights = upper_first(
            w.join([lower_first(w.say(f"right.{r.value}")) for r in channel.rights])
        )
        via = w.text(channel.via, f"controller.request_channels.{i}.via").rstrip(".")
        formality = w.say(f"formality.{channel.formality.value}") if channel.formality else ""
        line: list[Paragraph] = [
            para(w.say("channels.line", rights=rights, via=via, formality=formality))
        ]
        if channel.contact is not None:
            line += [para(*part) for part in ctx.reach(channel.contact)]
        items.extend(line)
    if not items:
        return []
    return [para(w.say("channels.intro")), bullets(items)]


def grounds_sentence(ctx: Context, decision: AutomatedDecision) -> Paragraph | None:
    """``Vi fattar sådana beslut bara när ... eller när ...``: every Art. 22(2) ground given,
    when there are alternatives."""
    if decision.basis is None or not decision.alternative_bases:
        return None
    w = ctx.w
    grounds = list(dict.fromkeys([decision.basis, *decision.alternative_bases]))
    phrases = [w.say(f"automated.ground.{g}") for g in grounds]
    articles = w.join([w.article(f"22(2)({_LETTERS[g]})") for g in grounds])
    text = w.say(
        "automated.grounds", grounds=w.join(phrases, conj=w.gettext("or")), articles=articles
    )
    return para(text)
