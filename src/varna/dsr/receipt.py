"""Erasure plans and receipts as lines a person reads (``varna dsr erase``)."""

from __future__ import annotations

from collections import defaultdict

from varna.dsr.erasure import ErasurePlan, Fate, RowErasure
from varna.dsr.executor import SystemReceipt


def _group_line(rows: list[RowErasure]) -> str:
    first, count = rows[0], len(rows)
    noun = "row" if count == 1 else "rows"
    erased = sorted({c for r in rows for c in r.changes})
    kept = sorted({k for r in rows for k in r.kept})
    if first.fate is Fate.delete:
        return f"{count} {noun} deleted"
    head = f"{count} {noun} "
    if first.holds:
        cites = "; ".join(dict.fromkeys(f"{h.ground}, {h.statute}" for r in rows for h in r.holds))
        untils = [h.until for r in rows for h in r.holds]
        last = "an unknown date" if None in untils else max(u for u in untils if u).isoformat()
        names = ", ".join(dict.fromkeys(h.hold for h in first.holds))
        head += f"kept under legal hold {names} until {last} at the latest ({cites})"
    elif first.fate is Fate.keep and first.reason.startswith("kept:"):
        return f"{count} {noun} {first.reason}"
    elif first.fate is Fate.keep:
        return f"{count} {noun} kept as they are: {first.reason or 'nothing to change'}"
    elif first.reason.startswith("anonymised"):
        head += first.reason
    else:
        head += "anonymised"
    parts = [head]
    parts.append(f"erase {', '.join(erased)}" if erased else "nothing left to erase")
    if kept:
        parts.append(f"keep {', '.join(kept)}")
    return "; ".join(parts)


def describe_erasure(plan: ErasurePlan) -> list[str]:
    """The plan per system and table, grouped by what happens to the rows."""
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    if not plan.rows:
        return [f"erasure by {kinds}: no rows found"]
    out = [f"erasure by {kinds}, as of {plan.created_at.date().isoformat()}:"]
    for system in plan.systems:
        out.append(f"{system}:")
        groups: dict[tuple[str, str, bool, str], list[RowErasure]] = defaultdict(list)
        for r in plan.rows_for(system):
            groups[(r.table, r.fate.value, bool(r.holds), r.reason)].append(r)
        out += [f"  {table}: {_group_line(rows)}" for (table, *_), rows in groups.items()]
    counts = plan.counts()
    out.append(
        f"in all {counts['rows']} rows: {counts['deleted']} deleted, {counts['changed']} "
        f"changed, {counts['untouched']} untouched"
    )
    if not plan.has_work:
        out.append("nothing to change: every row found stays as it is, for the reasons above")
    return out


def describe_receipts(receipts: list[SystemReceipt]) -> list[str]:
    out = []
    for r in receipts:
        if r.skipped:
            out.append(f"{r.system}: already done in an earlier run")
            continue
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(r.kept_reasons.items()))
        out.append(
            f"{r.system}: {r.updated} updated, {r.deleted} deleted, {r.kept} kept as they were"
            + (f", {r.missing} no longer there" if r.missing else "")
            + (f" (rows that stay: {why})" if why else "")
            + f" ({r.content_hash})"
        )
    return out
