"""The report of a discovery scan, as text, JSON or HTML: labels, counts, confidence and
masked examples per location, the drift findings and the proposed register fragment. It never
holds a value (house style: no personal data leaves a scan)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any

from varna.discovery.drift import significant
from varna.discovery.survey import Survey
from varna.register.checks import Finding, Severity


@dataclass(frozen=True, slots=True)
class DiscoveryReport:
    survey: Survey
    findings: list[Finding]
    proposal: str
    """A ``systems:`` fragment for review, or '' when the register declares all found."""
    sample: int | None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.error)

    def observed(self) -> list[dict[str, Any]]:
        """The observations that count (see :func:`varna.discovery.drift.significant`)."""
        rows = []
        for key in sorted(self.survey.observations):
            obs = self.survey.observations[key]
            scanned = self.survey.scanned.get(obs.location, 0)
            if significant(obs, scanned):
                rows.append(obs.as_dict(scanned))
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "sample": self.sample,
            "units": {s: sorted(u) for s, u in sorted(self.survey.units.items())},
            "observations": self.observed(),
            "findings": [f.as_dict() for f in self.findings],
            "proposal": self.proposal,
        }

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
        if fmt == "html":
            return _html(self)
        return _text(self)


def _scope(report: DiscoveryReport) -> str:
    units = sum(len(u) for u in report.survey.units.values())
    how = "every row" if report.sample is None else f"a sample of {report.sample} rows a table"
    return f"{units} tables and files in {len(report.survey.units)} systems, {how}"


def _text(report: DiscoveryReport) -> str:
    lines = [f"Scanned {_scope(report)}.", ""]
    observed = report.observed()
    if observed:
        lines.append("Found:")
        for row in observed:
            lines.append(
                f"  {row['location']}: {row['label']} in {row['hits']} of {row['scanned']} "
                f"(confidence {row['confidence']:.2f}; e.g. {', '.join(row['examples'])})"
            )
        lines.append("")
    if report.findings:
        lines.append("Against the register:")
        for f in report.findings:
            lines.append(f"  {f.severity}: {f.location}: {f.message} [{f.rule}]")
            if f.hint:
                lines.append(f"      fix: {f.hint}")
            if f.citation:
                lines.append(f"      ({f.citation})")
        lines.append("")
    else:
        lines += ["The register declares everything the scan found.", ""]
    if report.proposal:
        lines += ["Proposed register lines (review before adding):", report.proposal]
    return "\n".join(lines).rstrip() + "\n"


def _html(report: DiscoveryReport) -> str:
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                row["location"],
                row["label"],
                f"{row['hits']} / {row['scanned']}",
                f"{row['confidence']:.2f}",
                ", ".join(row["examples"]),
            )
        )
        + "</tr>"
        for row in report.observed()
    )
    findings = "".join(
        f'<tr class="{escape(str(f.severity))}"><td>{escape(str(f.severity))}</td>'
        f"<td>{escape(f.location)}</td><td>{escape(f.message)}</td>"
        f"<td>{escape(f.hint or '')}</td><td>{escape(f.citation or '')}</td></tr>"
        for f in report.findings
    )
    proposal = f"<h2>Proposed register lines</h2><pre>{escape(report.proposal)}</pre>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Discovery report</title></head><body>"
        f"<h1>Discovery report</h1><p>{escape(_scope(report))}.</p>"
        "<h2>Found</h2><table><tr><th>Location</th><th>Label</th><th>Values</th>"
        f"<th>Confidence</th><th>Masked examples</th></tr>{rows}</table>"
        "<h2>Against the register</h2><table><tr><th>Severity</th><th>Location</th>"
        f"<th>Message</th><th>Fix</th><th>Citation</th></tr>{findings}</table>"
        f"{proposal if report.proposal else ''}</body></html>\n"
    )
