"""The plan and the run as a DPO reads them: plain text to sign, JSON, and an HTML run report.

Only counts, rules, citations and example primary keys appear; never a row's data.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, select_autoescape

from varna.register.model import Register
from varna.retention.executor import RetentionResult
from varna.retention.models import Action, RetentionPlan, TablePlan

_ACTIONS = {
    Action.delete_row: "delete rows",
    Action.anonymise: "anonymise fields",
    Action.none: "nothing",
}


def _line(table: TablePlan) -> list[str]:
    head = (
        f"  {table.table}: {table.expiring:,} of {table.total:,} rows expire"
        f" -> {_ACTIONS[table.action]}"
    )
    lines = [head, f"    rule: {table.rule}"]
    if table.citations:
        lines.append(f"    law: {'; '.join(table.citations)}")
    if table.follows:
        lines.append(f"    follows its parent rows in {table.follows}; swept before them")
    if table.held:
        lines.append(f"    kept under a legal hold: {table.held:,} rows")
    if table.excluded:
        lines.append(f"    kept for restriction or open requests: {table.excluded:,} rows")
    if table.referenced:
        lines.append(
            f"    kept because rows of {', '.join(table.referenced_by)} that stay refer to them:"
            f" {table.referenced:,} rows"
            + (f", of which {table.anonymised_referenced:,} anonymised" if table.rest else "")
        )
    if table.action is Action.anonymise and table.sweep:
        lines.append(f"    fields erased: {', '.join(sorted(table.sweep.fields))}")
    if table.examples:
        keys = ", ".join("/".join(map(str, key)) for key in table.examples)
        lines.append(f"    example primary keys: {keys}")
    if table.reason:
        lines.append(f"    note: {table.reason}")
    return lines


def plan_text(plan: RetentionPlan, register: Register) -> str:
    """The plan as a report to read and sign."""
    out = [
        f"Retention plan for {register.controller.name} as of {plan.now:%Y-%m-%d}",
        "Storage limitation, GDPR Art. 5(1)(e): personal data is kept no longer than needed.",
        "",
    ]
    systems = dict.fromkeys(t.system for t in plan.tables)
    for system in systems:
        out.append(f"System {system} ({register.systems[system].name.get('en')}):")
        for table in (t for t in plan.tables if t.system == system):
            out.extend(_line(table))
        out.append("")
    out.append(f"In total {plan.expiring:,} rows expire.")
    out += ["", "Reviewed and approved: ______________________   Date: ____________"]
    return "\n".join(out)


def plan_json(plan: RetentionPlan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False)


def run_dict(plan: RetentionPlan, result: RetentionResult | None) -> dict[str, Any]:
    """The run report: the plan, and what was done (None when only planned)."""
    return {
        "plan": plan.to_dict(),
        "executed": result.to_dict() if result is not None else None,
    }


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retention run {{ now }}</title>
<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:.3em .6em}
table{border-collapse:collapse}td.n{text-align:right}</style></head><body>
<h1>Retention run for {{ controller }}</h1>
<p>As of {{ now }}. {{ "Executed" if executed else "Planned only" }}.
GDPR Art. 5(1)(e).</p>
<table><tr><th>System</th><th>Table</th><th>Rows</th><th>Expiring</th><th>Done</th>
<th>Action</th><th>Rule</th><th>Law</th><th>Note</th></tr>
{% for t in tables %}<tr><td>{{ t.system }}</td><td>{{ t.table }}</td>
<td class="n">{{ t.total_rows }}</td><td class="n">{{ t.expiring_rows }}</td>
<td class="n">{{ done.get((t.system, t.table), 0) }}</td><td>{{ t.action }}</td>
<td>{{ t.rule }}</td><td>{{ t.citations | join("; ") }}</td><td>{{ t.reason or "" }}</td></tr>
{% endfor %}</table></body></html>
"""


def run_html(plan: RetentionPlan, result: RetentionResult | None, register: Register) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_HTML).render(
        controller=register.controller.name,
        now=f"{plan.now:%Y-%m-%d %H:%M}",
        executed=result is not None,
        tables=plan.to_dict()["tables"],
        done=result.counts if result is not None else {},
    )
