"""Write a :class:`~varna.discovery.scaffold.model.Draft` as register YAML, with its reasons.

The text is built line by line so that every guess carries its reason as a comment and every
decision left to a person is a ``TODO``: in a value where the register has room for one (the
placeholder check then reports it, and the policy cannot be published until it is filled), in a
comment where it has not. Output is deterministic: the same system gives the same text.
"""

from __future__ import annotations

import json
import re

from varna.discovery.scaffold.model import Draft, DraftField, DraftSubject, DraftTable
from varna.texts import N_, texts_for

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})

HEADER = """\
# A draft register for the system '{system}' ({kind}), written by `varna register scaffold`.
#
# Every guess says why in a comment; every TODO is a decision only a person can make: who the
# controller is, who the people in each table are, and each activity's purpose, legal basis and
# retention. `varna register check` reports each TODO (rule: placeholder) until it is filled,
# and the policy cannot be published before. Then check the guesses: identities and their
# strength, references marked `follow: false`, erasure strategies, anchors. The heuristics are
# explained in docs/describe-a-database.md.
"""


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else a double-quoted (JSON) string."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _text(sv: str, en: str) -> str:
    return f"{{sv: {scalar(sv)}, en: {scalar(en)}}}"


#: The placeholders a person replaces, in the catalogs' Swedish and English.
WHY = N_("TODO: why the data is processed")
BASIS = N_("TODO: confirm the legal basis")
HOW_LONG = N_("TODO: how long the data is kept")
MEASURES = N_("TODO: security measures")
ART9 = N_("TODO: which exception of Art. 9(2) applies")
NAMED = N_("TODO: {name}")


def _todo(message: str, **fields: object) -> str:
    """A placeholder as a text in both languages (the register's ``{sv: ..., en: ...}``)."""
    return _text(
        texts_for("sv").gettext(message, **fields), texts_for("en").gettext(message, **fields)
    )


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def _comment(why: str) -> str:
    return f"  # {' '.join(why.split())}" if why else ""


def activity_key(subject: str) -> str:
    return f"{subject}_data"[:64]


def write_draft(draft: Draft) -> str:
    """The draft as the text of a register file."""
    out = [HEADER.format(system=draft.system, kind=draft.kind), "varna: 1"]
    out += [
        "controller:",
        "  name: TODO  # the organisation's legal name",
        "  address: {street: TODO, postal_code: TODO, city: TODO}  # the registered address",
        "  contact: {email: TODO}  # how people reach you about their data",
        "  policy: {languages: [sv, en]}",
        "",
        "subjects:" + ("" if draft.subjects else " {}  # no personal data found"),
    ]
    for subject in draft.subjects:
        tables = ", ".join(subject.tables)
        out += [
            f"  {subject.key}:  # the people in {tables}",
            f"    label: {_todo(NAMED, name=subject.key)}",
        ]
    out += ["", "activities:" + ("" if draft.subjects else " {}")]
    for subject in draft.subjects:
        out += _activity(draft, subject)
    out += [
        "",
        "security:",
        "  measures:",
        f"    - {_todo(MEASURES)}",
        "",
        "systems:",
        f"  {draft.system}:",
        f"    name: {_todo(NAMED, name=draft.system)}",
        f"    kind: {scalar(draft.kind)}",
    ]
    connection = f"env: {draft.env}"
    if draft.default_url:
        connection += f", default: {scalar(draft.default_url)}"
    out += [
        f"    connection: {{{connection}}}",
        "    country: SE  # TODO: where the data is stored (ISO 3166-1 alpha-2)",
    ]
    for name, why in draft.left_out:
        out.append(f"    # not declared: {name}: {why}")
    out.append("    tables:" + ("" if draft.tables else " {}"))
    for table in draft.tables:
        out += _table(table)
    return "\n".join(out) + "\n"


def _activity(draft: Draft, subject: DraftSubject) -> list[str]:
    key = activity_key(subject.key)
    anchors = [
        f"{t.name}.{column} ({anchor})"
        for t in draft.tables
        if t.subject == subject.key
        for anchor, column in t.anchors
    ]
    lines = [
        f"  {key}:",
        f"    name: {_todo(NAMED, name=subject.key)}",
        f"    purpose: {_todo(WHY)}",
        "    # TODO: the legal basis (Art. 6(1)); 'contract' is a first guess, not a decision",
        "    legal_bases:",
        "      - basis: contract",
        f"        note: {_todo(BASIS)}",
        f"    subjects: [{subject.key}]",
        f"    categories: {_flow(list(subject.categories))}",
    ]
    if subject.special:
        lines += [
            "    # TODO: special categories (Art. 9(1)) need an exception of Art. 9(2)",
            "    special_category_condition:",
            "      exception: a",
            f"      note: {_todo(ART9)}",
        ]
    lines.append("    # TODO: how long the data is kept, as a rule, for example")
    example = anchors[0].split(" (")[1].rstrip(")") if anchors else "relation_ended"
    lines.append(f"    #   retention: {{rule: period_after, period: 24 months, anchor: {example}}}")
    if anchors:
        lines.append(f"    # anchors the tables offer: {', '.join(anchors)}")
    lines.append(f"    retention_in_words: {{text: {_todo(HOW_LONG)}}}")
    return lines


def _table(table: DraftTable) -> list[str]:
    lines = [f"      {scalar(table.name)}:"]
    lines += [f"        # {note}" for note in table.notes]
    lines += [
        f"        primary_key: {_flow(list(table.primary_key))}",
        f"        subjects: [{table.subject}]",
        f"        activities: [{activity_key(table.subject)}]",
    ]
    if table.identities:
        lines.append("        identities:")
        kinds: dict[str, list[str]] = {}
        whys: dict[str, list[str]] = {}
        for identity in table.identities:
            kinds.setdefault(identity.kind, []).append(identity.column)
            whys.setdefault(identity.kind, []).append(identity.why)
        for kind, columns in kinds.items():
            value = scalar(columns[0]) if len(columns) == 1 else _flow(columns)
            lines.append(f"          {kind}: {value}{_comment('; '.join(whys[kind]))}")
    if table.references:
        lines.append("        references:")
        for ref in table.references:
            target = f"table: {scalar(ref.table)}, column: {scalar(ref.target)}"
            follow = "" if ref.follow else ", follow: false"
            lines.append(f"          {scalar(ref.column)}: {{{target}{follow}}}{_comment(ref.why)}")
    if table.anchors:
        pairs = ", ".join(f"{anchor}: {scalar(column)}" for anchor, column in table.anchors)
        lines.append(f"        anchors: {{{pairs}}}")
    if table.other_dates:
        lines.append(
            f"        # other date columns, possible anchors: {', '.join(table.other_dates)}"
        )
    lines.append(f"        erasure: {table.erasure}{_comment(table.erasure_why)}")
    if table.fields:
        lines.append("        fields:")
        lines += [_field(f) for f in table.fields]
    return lines


def _field(spec: DraftField) -> str:
    name = scalar(spec.column)
    if spec.erasure == "null":
        return f"          {name}: {spec.category}{_comment(spec.why)}"
    value = f", value: {scalar(spec.value)}" if spec.value is not None else ""
    body = f"{{category: {spec.category}, erasure: {spec.erasure}{value}}}"
    return f"          {name}: {body}{_comment(spec.why)}"
