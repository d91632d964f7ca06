"""The register extract as a person reads it: JSON (schema ``varna.access/1``), HTML or text.

HTML comes from ``templates/access.html.j2`` (Jinja2, autoescaped: a stored value such as
``<script>`` is shown, never run). Art. 15(3): an electronic request gets an electronic answer
in a commonly used format; both JSON and HTML qualify, the HTML is the one to send to a person.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from varna.dsr.access import AccessResult
from varna.dsr.context import RecipientInfo
from varna.dsr.values import text_value

ExtractFormat = Literal["json", "html", "text"]

WORDS: Mapping[str, Mapping[str, str]] = {
    "sv": {
        "title": "Registerutdrag",
        "generated": "upprättat",
        "intro": "Här är de personuppgifter vi behandlar om dig, varför vi gör det, vem vi lämnar "
        "dem till, hur länge vi sparar dem och vilka rättigheter du har (artikel 15 i "
        "dataskyddsförordningen).",
        "nothing": "Vi hittade inga personuppgifter om dig med de uppgifter du angav.",
        "your_data": "Dina uppgifter",
        "rows": "rader",
        "row": "rad",
        "other_people": "Uppgifter om andra personer, till exempel den handläggare som har hand "
        "om ditt ärende, ingår inte (artikel 15.4).",
        "why": "Varför vi behandlar uppgifterna",
        "special": "känslig personuppgift",
        "purpose": "Ändamål",
        "basis": "Rättslig grund",
        "retention": "Hur länge",
        "sources": "Varifrån",
        "recipients": "Mottagare",
        "no_recipients": "Lämnas inte ut",
        "automated": "Automatiserat beslut",
        "hold": "Sparas enligt lag även om du begär radering",
        "recipients_title": "Mottagare och överföringar utanför EU/EES",
        "recipient": "Mottagare",
        "country": "Land",
        "safeguard": "Skyddsåtgärd vid överföring",
        "third_country": "utanför EU/EES",
        "no_safeguard": "ingen skyddsåtgärd angiven",
        "copy": "Kopia kan fås från",
        "rights": "Dina rättigheter",
        "complaint": "Klagomål",
        "complaint_text": "Du har rätt att lämna klagomål till tillsynsmyndigheten:",
        "contact": "Kontakt",
        "dpo": "Dataskyddsombud",
    },
    "en": {
        "title": "Your personal data: register extract",
        "generated": "prepared",
        "intro": "This is the personal data we process about you, why we do so, who we disclose "
        "it to, how long we keep it and what rights you have (Article 15 GDPR).",
        "nothing": "We found no personal data about you with the details you gave.",
        "your_data": "Your data",
        "rows": "rows",
        "row": "row",
        "other_people": "Data about other people, such as the member of staff handling your "
        "case, is not included (Article 15(4)).",
        "why": "Why we process the data",
        "special": "special category",
        "purpose": "Purpose",
        "basis": "Legal basis",
        "retention": "How long",
        "sources": "Source",
        "recipients": "Recipients",
        "no_recipients": "Not disclosed",
        "automated": "Automated decision",
        "hold": "Kept by law even if you ask for erasure",
        "recipients_title": "Recipients and transfers outside the EU/EEA",
        "recipient": "Recipient",
        "country": "Country",
        "safeguard": "Transfer safeguard",
        "third_country": "outside the EU/EEA",
        "no_safeguard": "no safeguard stated",
        "copy": "A copy is available from",
        "rights": "Your rights",
        "complaint": "Complaints",
        "complaint_text": "You may lodge a complaint with the supervisory authority:",
        "contact": "Contact",
        "dpo": "Data protection officer",
    },
}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("varna.dsr", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["show"] = text_value
    return env


def render_json(result: AccessResult) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render_html(result: AccessResult) -> str:
    template = _environment().get_template("access.html.j2")
    return template.render(r=result, w=WORDS[result.language])


def render_text(result: AccessResult) -> str:
    """A plain-text extract: the same sections as the HTML, for e-mail or a terminal."""
    w = WORDS[result.language]
    out = [w["title"], f"{result.controller['name']} · {result.generated_at.date()}", ""]
    if not result.found:
        out += [w["nothing"], ""]
    for t in result.tables:
        count = f"{len(t.rows)} {w['row'] if len(t.rows) == 1 else w['rows']}"
        out.append(f"== {t.system_name} · {t.table} ({count})")
        for i, row in enumerate(t.rows, 1):
            out.append(f"  #{i}")
            out += [f"    {f.label} ({f.name}): {text_value(f.value)}" for f in row.fields]
    out += ["", f"== {w['why']}"]
    for c in result.categories:
        out.append(f"* {c.label}")
        for p in c.processing:
            bases = "; ".join(f"{b.label} ({b.article})" for b in p.legal_bases) or "–"
            out.append(f"    {p.name}: {p.purpose}")
            out.append(f"      {w['basis']}: {bases}")
            out.append(f"      {w['retention']}: {p.retention}")
            if p.sources:
                out.append(f"      {w['sources']}: {', '.join(p.sources)}")
            if p.recipients:
                names = "; ".join(recipient_text(x, w) for x in p.recipients)
                out.append(f"      {w['recipients']}: {names}")
            if p.automated_decision:
                d = p.automated_decision
                out.append(f"      {w['automated']}: {d.logic} {d.significance}")
        out += [
            f"    {w['hold']}: {h.name}, {h.statute} ({h.article}). {h.retention}."
            for h in c.legal_holds
        ]
    out += ["", f"== {w['rights']}"] + [f"* {x.text} ({x.article})" for x in result.rights]
    complaint = result.complaint
    out += [
        "",
        f"== {w['complaint']}",
        f"{w['complaint_text']} {complaint['authority']}, {complaint['website']}",
    ]
    return "\n".join(out) + "\n"


def recipient_text(x: RecipientInfo, w: Mapping[str, str]) -> str:
    text = f"{x.name} ({x.country or '–'})"
    if x.third_country:
        text += f", {w['third_country']}: {x.safeguard or w['no_safeguard']}"
    return text


RENDERERS = {"json": render_json, "html": render_html, "text": render_text}
SUFFIXES = {"json": "json", "html": "html", "text": "txt"}


def render_extract(result: AccessResult, fmt: ExtractFormat) -> str:
    return RENDERERS[fmt](result)


def write_extract(result: AccessResult, folder: Path, fmt: ExtractFormat) -> Path:
    """Write the extract as ``registerutdrag.<suffix>`` (sv) or ``register-extract.<suffix>``."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = "registerutdrag" if result.language == "sv" else "register-extract"
    path = folder / f"{stem}.{SUFFIXES[fmt]}"
    path.write_text(render_extract(result, fmt), encoding="utf-8")
    return path
