"""Placeholders: values written to fill a gap ("OKÄND", "000 00", ``example.invalid``) that a
published policy would state as facts. A register that holds one is not ready to publish."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from varna.register.checks import Context, Finding, Severity, rule

PathT = tuple[str | int, ...]

#: What marks a value as standing in for a fact nobody has given (Swedish and English).
PLACEHOLDER_PATTERNS = (
    re.compile(r"\b(?:OKÄND|OKÄNT|UNKNOWN|TODO|TBD|FIXME|PLACEHOLDER|XXX+)\b"),
    re.compile(
        r"\b(?:ej|inte) angiv(?:en|et|na)\b|\bnot (?:given|stated|specified)\b", re.IGNORECASE
    ),
    re.compile(r"\bpolicyn anger (?:inget|inte|ingen)\b", re.IGNORECASE),
    re.compile(r"^0{3} ?0{2}$"),
    re.compile(r"\.invalid(?:[/:]|$)", re.IGNORECASE),
    re.compile(r"^(?:lorem ipsum|n/?a|-+|…|\?+)$", re.IGNORECASE),
)


def is_placeholder(value: str) -> bool:
    """Whether ``value`` reads as a stand-in rather than a fact."""
    return any(p.search(value.strip()) for p in PLACEHOLDER_PATTERNS)


def strings(node: Any, path: PathT) -> Iterator[tuple[PathT, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from strings(getattr(node, name), (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from strings(value, (*path, index))


#: Parts of the register no document publishes (erasure values such as ``raderad@x.invalid``).
_TECHNICAL = {"systems"}


def placeholders(ctx: Context) -> list[tuple[PathT, str]]:
    """Every (path, value) in the published parts of the register that is a placeholder."""
    return [
        (p, v)
        for p, v in strings(ctx.register, ())
        if p and p[0] not in _TECHNICAL and p[-1] != "todo" and is_placeholder(v)
    ]


@rule("placeholder")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """A value that stands in for a fact (``OKÄND``, ``000 00``, ``.invalid``): the policy would
    publish it as true (Art. 5(1)(a), 12(1))."""
    for path, _ in placeholders(ctx):
        yield ctx.finding(
            "placeholder",
            Severity.error,
            path,
            "the value is a placeholder, not a fact: a published policy would state it as true",
            citation="GDPR Art. 5(1)(a), Art. 12(1)",
            hint="give the real value, or leave it unset (null) so the policy says it is not given",
        )


@rule("todo")
def todo(ctx: Context) -> Iterator[Finding]:
    """A taxonomy entry a tool drafted (``todo:`` set by import-fides or scaffold): a person must
    still decide it, such as the strength of an identity kind or the label of a category."""
    taxonomy = ctx.register.taxonomy
    entries: list[tuple[PathT, str | None]] = [
        (("taxonomy", "categories", k), c.todo) for k, c in taxonomy.categories.items()
    ]
    entries += [
        (("taxonomy", "identity_kinds", k), d.todo) for k, d in taxonomy.identity_kinds.items()
    ]
    for path, note in entries:
        if note is not None:
            yield ctx.finding(
                "todo",
                Severity.warning,
                (*path, "todo"),
                f"to decide: {note}",
                hint="decide, then remove the todo line",
            )
