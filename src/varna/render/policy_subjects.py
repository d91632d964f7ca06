"""The heart of the policy: one section per category of data subjects (as seed 000 arranges it).

For each category, a table of the processing that concerns it: the purpose, the personal data,
the legal basis (Art. 13(1)(c), with the statute or the legitimate interest) and how long the data
is kept (Art. 13(2)(a)); then where data not collected from the person comes from (Art. 14(2)(f))
and whether providing it is required (Art. 13(2)(e)).
"""

from __future__ import annotations

from varna.register.activities import Activity, Basis, SourceKind
from varna.render import phrases
from varna.render.context import Context
from varna.render.document import (
    Block,
    Cell,
    Paragraph,
    Section,
    bold,
    bullets,
    cell,
    link,
    para,
    table,
)
from varna.render.labels import REQUIREMENTS, SOURCES, label
from varna.render.wording import lower_first, sentence, upper_first
from varna.texts.glossary import term


def subject_sections(ctx: Context) -> list[Section]:
    """A section for each subject category that some controller activity concerns."""
    out = []
    for key, subject in ctx.register.subjects.items():
        activities = [(k, a) for k, a in ctx.activities() if key in a.subjects]
        if not activities:
            continue
        blocks: list[Block] = []
        if subject.description:
            blocks.append(para(ctx.w.text(subject.description, f"subjects.{key}.description")))
        blocks.append(_processing_table(ctx, key, activities))
        if any(a.direct_marketing for _, a in activities):
            blocks.append(
                para(
                    ctx.w.gettext("You can object to direct marketing at any time: see "),
                    link(
                        ctx.w.gettext("Say no to direct marketing"),
                        "#direct-marketing",
                    ),
                    ".",
                )
            )
        subsections = [
            s for s in (_sources(ctx, key, activities), _provision(ctx, key, activities)) if s
        ]
        title = ctx.w.text(subject.label, f"subjects.{key}.label")
        out.append(Section(title, f"subject-{key}", tuple(blocks), tuple(subsections)))
    return out


def _processing_table(ctx: Context, subject: str, activities: list[tuple[str, Activity]]) -> Block:
    w = ctx.w
    header = [
        w.gettext("Purpose"),
        w.gettext("Personal data"),
        upper_first(term("legal_basis", w.texts)),
        w.gettext("How long we keep it"),
    ]
    rows = [
        [_purpose(ctx, k, a), _data(ctx, k, a), _bases(ctx, k, a, subject), _retention(ctx, k, a)]
        for k, a in activities
    ]
    return table(header, rows, (1.5, 1.2, 1.4, 1.1))


def _purpose(ctx: Context, key: str, activity: Activity) -> Cell:
    purpose = ctx.w.text(activity.purpose, f"activities.{key}.purpose")
    return cell(para(bold(ctx.name(key))), sentence(purpose))


def _data(ctx: Context, key: str, activity: Activity) -> Cell:
    labels = [ctx.category_label(c, with_description=True) for c in activity.categories]
    if not labels:
        ctx.warn(f"activities.{key}: no data categories; the policy lists none")
    return cell(bullets(labels))


def _bases(ctx: Context, key: str, activity: Activity, subject: str) -> Cell:
    """The bases that apply to ``subject``: a basis limited to other groups is left out."""
    w = ctx.w
    lines: list[str] = []
    for item in activity.legal_bases:
        if not item.subjects or subject in item.subjects:
            lines.extend(phrases.basis(item, w))
    if not lines:
        ctx.warn(f"activities.{key}: no legal basis; the policy says none is stated")
        lines.append(w.gettext("No legal basis is stated."))
    if activity.special_category_condition:
        lines.extend(phrases.special_condition(activity.special_category_condition, w))
    if activity.personnummer_justification:
        text = w.text(activity.personnummer_justification, f"activities.{key}")
        lines.append(w.gettext("Personal identity number: ") + sentence(lower_first(text)))
    return tuple(para(line) for line in lines)


def _retention(ctx: Context, key: str, activity: Activity) -> Cell:
    w = ctx.w
    out: list[Paragraph] = []
    stated = activity.retention_in_words
    if stated is not None:
        text = w.text(stated.text, f"activities.{key}.retention_in_words").rstrip(".")
        out.append(para(w.say("retention.in_words", text=text)))
        if stated.justification is not None:
            why = w.text(stated.justification, f"activities.{key}.retention_in_words")
            out.append(para(sentence(why)))
    elif activity.retention is None:
        ctx.warn(f"activities.{key}: no retention rule; the policy says it is not established")
        out.append(para(w.say("retention.unknown")))
    else:
        consent = any(b.basis is Basis.consent for b in activity.legal_bases)
        phrase = phrases.retention(activity.retention, ctx.register, w, consent=consent)
        out.append(para(sentence(phrase)))
    for part in activity.category_retention:
        cats = upper_first(w.join([lower_first(ctx.category_label(c)) for c in part.categories]))
        if part.retention is not None:
            phrase = phrases.kept(part.retention, ctx.register, w)
        else:
            assert part.retention_in_words is not None
            phrase = w.text(part.retention_in_words.text).rstrip(".")
        out.append(para(w.say("retention.category", categories=cats, kept=phrase)))
    for hold_key in activity.legal_holds:
        hold = ctx.register.legal_holds.get(hold_key)
        if hold is None or hold.retention == activity.retention:
            continue
        cats = w.join([lower_first(ctx.category_label(c)) for c in hold.categories])
        kept = phrases.kept(hold.retention, ctx.register, w)
        law = phrases.statute(hold.statute, w)
        out.append(
            para(
                w.gettext(
                    "{cats} are however kept {kept}, under {law}.",
                    cats=upper_first(cats),
                    kept=kept,
                    law=law,
                )
            )
        )
    return tuple(out)


def _sources(ctx: Context, subject: str, activities: list[tuple[str, Activity]]) -> Section | None:
    w = ctx.w
    items: list[Paragraph] = []
    only_direct = True
    for key, activity in activities:
        if not activity.sources:
            ctx.warn(
                f"activities.{key}: no sources; the policy cannot say where the data comes from"
            )
            continue
        kinds = [s.kind for s in activity.sources]
        only_direct &= kinds == [SourceKind.data_subject]
        named = []
        for source in activity.sources:
            if source.kind is SourceKind.generated:
                continue
            text = (
                lower_first(w.text(source.name)) if source.name else label(SOURCES, source.kind, w)
            )
            if source.publicly_accessible:
                public = w.gettext("a publicly accessible source")
                text = f"{text[:-1]}; {public})" if text.endswith(")") else f"{text} ({public})"
            named.append(text)
        if not named:
            text = w.gettext("the data arises as you use our services")
        elif SourceKind.generated in kinds:
            text = w.gettext(
                "the data comes from {sources} and arises as you use our services",
                sources=w.join(named),
            )
        else:
            text = w.gettext("the data comes from {sources}", sources=w.join(named))
        items.append(para(bold(ctx.name(key) + ": "), sentence(text)))
    if not items:
        return None
    title = w.gettext("Where the data comes from")
    if only_direct:
        text = w.gettext("You give us the data yourself.")
        return Section(title, f"sources-{subject}", (para(text),))
    return Section(title, f"sources-{subject}", (bullets(items),))


def _provision(
    ctx: Context, subject: str, activities: list[tuple[str, Activity]]
) -> Section | None:
    w = ctx.w
    items = []
    for key, activity in activities:
        if activity.provision is None:
            continue
        text = label(REQUIREMENTS, activity.provision.requirement, w)
        if activity.provision.consequence:
            text += " " + sentence(w.text(activity.provision.consequence, f"activities.{key}"))
        items.append(para(bold(ctx.name(key) + ": "), text))
    if not items:
        return None
    title = w.gettext("Do you have to provide the data?")
    return Section(title, f"provision-{subject}", (bullets(items),))
