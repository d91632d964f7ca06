"""References between parts of the register: every key used must be defined somewhere."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from varna.register.model import Register

PathT = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A key used in the register that names nothing."""

    path: PathT
    message: str
    hint: str | None


def _check(
    value: str, known: Iterable[str], what: str, path: PathT, define: str, where: str = ""
) -> Iterator[Unresolved]:
    pool = sorted(known)
    if value in pool:
        return
    close = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"define it under '{define}'"
    yield Unresolved(path, f"unknown {what} '{value}'{where}", hint)


def find_unresolved(reg: Register) -> list[Unresolved]:
    """Every reference in ``reg`` that does not resolve, with a suggestion."""
    out: list[Unresolved] = []
    cats, subjects = reg.category_keys(), set(reg.subjects)
    recipients, holds, activities = set(reg.recipients), set(reg.legal_holds), set(reg.activities)
    anchors, kinds = reg.anchor_keys(), reg.identity_kinds()

    for key, act in reg.activities.items():
        base: PathT = ("activities", key)
        for i, c in enumerate(act.categories):
            out += _check(c, cats, "category", (*base, "categories", i), "taxonomy.categories")
        for i, s in enumerate(act.subjects):
            out += _check(s, subjects, "subject category", (*base, "subjects", i), "subjects")
        for i, r in enumerate(act.recipients):
            out += _check(r, recipients, "recipient", (*base, "recipients", i), "recipients")
        for i, h in enumerate(act.legal_holds):
            out += _check(h, holds, "legal hold", (*base, "legal_holds", i), "legal_holds")
        anchor = getattr(act.retention, "anchor", None)
        if anchor is not None:
            out += _check(
                anchor,
                anchors,
                "retention anchor",
                (*base, "retention", "anchor"),
                "taxonomy.anchors",
            )

    for key, hold in reg.legal_holds.items():
        base = ("legal_holds", key)
        for i, c in enumerate(hold.categories):
            out += _check(c, cats, "category", (*base, "categories", i), "taxonomy.categories")
        anchor = getattr(hold.retention, "anchor", None)
        if anchor is not None:
            out += _check(
                anchor,
                anchors,
                "retention anchor",
                (*base, "retention", "anchor"),
                "taxonomy.anchors",
            )

    for key, rec in reg.recipients.items():
        for i, sub in enumerate(rec.sub_processors):
            out += _check(
                sub, recipients, "recipient", ("recipients", key, "sub_processors", i), "recipients"
            )

    for i, c in enumerate(reg.security.restricted_categories):
        out += _check(
            c, cats, "category", ("security", "restricted_categories", i), "taxonomy.categories"
        )
    for key, svc in reg.cookies.items():
        if svc.recipient is not None:
            out += _check(
                svc.recipient, recipients, "recipient", ("cookies", key, "recipient"), "recipients"
            )

    for skey, system in reg.systems.items():
        if system.hosted_by is not None:
            out += _check(
                system.hosted_by,
                recipients,
                "recipient",
                ("systems", skey, "hosted_by"),
                "recipients",
            )
        for tname in system.tables:
            out += _table_refs(reg, skey, tname, cats, subjects, activities, holds, anchors, kinds)
    return out


def _table_refs(
    reg: Register,
    skey: str,
    tname: str,
    cats: set[str],
    subjects: set[str],
    activities: set[str],
    holds: set[str],
    anchors: set[str],
    kinds: set[str],
) -> Iterator[Unresolved]:
    table = reg.systems[skey].tables[tname]
    base: PathT = ("systems", skey, "tables", tname)
    for i, s in enumerate(table.subjects):
        yield from _check(s, subjects, "subject category", (*base, "subjects", i), "subjects")
    for i, a in enumerate(table.activities):
        yield from _check(a, activities, "activity", (*base, "activities", i), "activities")
    for i, h in enumerate(table.legal_holds):
        yield from _check(h, holds, "legal hold", (*base, "legal_holds", i), "legal_holds")
    for kind in table.identities:
        yield from _check(
            kind, kinds, "identity kind", (*base, "identities", kind), "taxonomy.identity_kinds"
        )
    for anchor in table.anchors:
        yield from _check(
            anchor, anchors, "retention anchor", (*base, "anchors", anchor), "taxonomy.anchors"
        )
    for fname, spec in table.fields.items():
        yield from _check(
            spec.category,
            cats,
            "category",
            (*base, "fields", fname, "category"),
            "taxonomy.categories",
        )
    for column, ref in table.references.items():
        target_system = ref.system or skey
        path = (*base, "references", column)
        if target_system not in reg.systems:
            yield from _check(target_system, reg.systems, "system", path, "systems")
        elif ref.table not in reg.systems[target_system].tables:
            yield from _check(
                ref.table,
                reg.systems[target_system].tables,
                "table",
                path,
                f"systems.{target_system}.tables",
                f" in system '{target_system}'",
            )
