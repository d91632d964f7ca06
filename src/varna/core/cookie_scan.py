"""The cookie scan: what a site stores in a visitor's browser, before and after a choice, against
what the register declares (Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §).

:func:`observe` drives headless Chromium (Playwright, imported when a scan runs) over the pages
under the start address in three fresh browsers: before any choice, after "accept all" and after
"reject all" (it clicks Varna's banner by its ``data-varna-accept`` / ``data-varna-reject``
attributes). :func:`compare` is pure: observations and register in, findings out, in the format of
``register check``. Page addresses are kept without their query strings (they may carry personal
data); cookie values are never read into the report.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from varna.core.cookie_ops import BANNER_COOKIE
from varna.errors import ConnectorError, SettingsError
from varna.register.checks import Context, Finding, Severity
from varna.register.model import CookieCategory, Register

PHASES = ("before", "accept", "reject")
LEK = "Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §"
BANNER = "[data-varna-banner]"
WHEN = {
    "before": "before any choice",
    "accept": 'after "accept all"',
    "reject": 'after "reject all"',
}


@dataclass
class Phase:
    """What one browser saw: each name with the first page it was seen on."""

    cookies: dict[str, str] = field(default_factory=dict)
    storage: dict[str, str] = field(default_factory=dict)
    third_party: dict[str, str] = field(default_factory=dict)
    """Other hosts requested, by host."""
    banner: bool = False


@dataclass
class Observed:
    """The three browsers' observations of one site."""

    url: str
    pages: list[str]
    phases: dict[str, Phase]
    screenshot: str | None = None


@dataclass(frozen=True)
class CookieScan:
    """A scan's observations and findings."""

    observed: Observed
    findings: list[Finding]
    scanned_at: datetime

    def as_dict(self) -> dict[str, Any]:
        counts = {s.value: sum(f.severity is s for f in self.findings) for s in Severity}
        return {
            "url": self.observed.url,
            "scanned_at": self.scanned_at.isoformat(),
            "pages": self.observed.pages,
            "phases": {
                name: {
                    "banner": p.banner,
                    "cookies": p.cookies,
                    "storage": p.storage,
                    "third_party": p.third_party,
                }
                for name, p in self.observed.phases.items()
            },
            "screenshot": self.observed.screenshot,
            "findings": [f.as_dict() for f in self.findings],
            "summary": counts,
        }


def _page(url: str) -> str:
    """An address without fragment or query string."""
    parts = urlsplit(urldefrag(url)[0])
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def observe(
    url: str,
    *,
    pages: int,
    chromium: Path,
    out: Path | None,
    progress: Callable[[str, str], None] | None = None,
) -> Observed:
    """Visit the site in three fresh browsers (see the module docstring)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    start = urlsplit(url)
    if start.scheme not in ("http", "https") or not start.netloc:
        raise SettingsError(
            f"scan address must be an http(s) URL (got {_page(url)!r}): "
            "give the site's start page, e.g. https://www.example.se/",
            url=_page(url),
        )
    observed = Observed(_page(url), [], {})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                for name in PHASES:
                    observed.phases[name] = _visit(
                        browser,
                        url,
                        name,
                        pages=pages,
                        observed=observed,
                        out=out,
                        progress=progress,
                    )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        first = re.sub(r"\?\S*", "", first)  # no query strings: they may carry personal data
        raise ConnectorError(
            f"the browser could not scan {_page(url)}: {first}; check that the site answers",
            url=_page(url),
        ) from exc
    return observed


def _visit(
    browser: Any,
    url: str,
    phase: str,
    *,
    pages: int,
    observed: Observed,
    out: Path | None,
    progress: Callable[[str, str], None] | None,
) -> Phase:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    scope = _page(url).rsplit("/", 1)[0] + "/"
    seen = Phase()
    context = browser.new_context()
    page = context.new_page()
    current = {"url": _page(url)}

    def on_request(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != origin:
            seen.third_party.setdefault(parts.netloc, current["url"])

    page.on("request", on_request)
    try:
        if phase != "before":
            page.goto(url, wait_until="load")
            seen.banner = page.locator(BANNER).count() > 0
            if seen.banner:
                page.locator(f"{BANNER} [data-varna-{phase}]").first.click()
        queue, visited = [_page(url)], list[str]()
        while queue and len(visited) < pages:
            target = queue.pop(0)
            if target in visited:
                continue
            visited.append(target)
            current["url"] = target
            if progress:
                progress(phase, target)
            page.goto(target, wait_until="load")
            if phase == "before" and not visited[1:]:
                seen.banner = page.locator(BANNER).count() > 0
                if seen.banner and out is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    page.locator(BANNER).first.screenshot(path=str(out / "banner.png"))
                    observed.screenshot = "banner.png"
            for cookie in context.cookies():
                seen.cookies.setdefault(cookie["name"], target)
            for key in page.evaluate("() => Object.keys(window.localStorage)"):
                seen.storage.setdefault(str(key), target)
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for link in links:
                found = _page(str(link))
                if found.startswith(scope) and found not in visited and found not in queue:
                    queue.append(found)
        if phase == "before":
            observed.pages = visited
    finally:
        context.close()
    return seen


# -- comparison (pure) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declared:
    """One declared cookie: where in the register, and its category."""

    service: str
    index: int
    name: str
    category: CookieCategory

    def matches(self, name: str) -> bool:
        pattern = "^" + ".*".join(re.escape(part) for part in self.name.split("*")) + "$"
        return re.match(pattern, name) is not None


def declared_cookies(register: Register) -> list[Declared]:
    return [
        Declared(key, i, cookie.name, service.category)
        for key, service in register.cookies.items()
        for i, cookie in enumerate(service.cookies)
    ]


def _declared(name: str, declared: list[Declared]) -> Declared | None:
    return next((d for d in declared if d.matches(name)), None)


def compare(register: Register, observed: Observed, *, now: datetime) -> CookieScan:
    """The scan's findings (pure), errors first, as ``register check`` orders them."""
    findings = list(_findings(register, observed))
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    findings.sort(key=lambda f: (order[f.severity], f.rule, f.location))
    return CookieScan(observed, findings, now)


def _findings(register: Register, observed: Observed) -> Iterator[Finding]:
    declared = declared_cookies(register)
    before, reject = observed.phases.get("before"), observed.phases.get("reject")
    undeclared: dict[tuple[str, str], tuple[str, str]] = {}
    for phase_name, phase in observed.phases.items():
        for kind, names in (("cookie", phase.cookies), ("storage", phase.storage)):
            for name, where in names.items():
                if name != BANNER_COOKIE and _declared(name, declared) is None:
                    undeclared.setdefault((kind, name), (where, phase_name))
    for (kind, name), (where, phase_name) in sorted(undeclared.items()):
        what = "cookie" if kind == "cookie" else "local storage key"
        yield Finding(
            f"{kind}-undeclared",
            Severity.error if kind == "cookie" else Severity.warning,
            f"{where} {what} {name}",
            f"the {what} '{name}' is stored by the site (first seen on {where}, "
            f"{WHEN[phase_name]}) but the register does not declare it: the banner and the "
            "policy cannot tell visitors about it",
            citation=f"{LEK}; GDPR Art. 13",
            hint="declare it under cookies: with its provider, category, purpose and lifetime",
        )
    checks = (
        (before, "cookie-before-consent", "is stored before the visitor has chosen anything"),
        (reject, "cookie-after-reject", 'is still stored after "reject all"'),
    )
    for checked, rule, what in checks:
        if checked is None:
            continue
        for name, where in sorted({**checked.cookies, **checked.storage}.items()):
            match = _declared(name, declared)
            if match is None or match.category is CookieCategory.necessary:
                continue
            yield Context.register_finding(
                register,
                rule,
                Severity.error,
                ("cookies", match.service, "cookies", match.index),
                f"the {match.category.value} cookie '{name}' {what} (on {where}): only strictly "
                "necessary storage is allowed without consent",
                citation=LEK,
                hint=f'load what sets it as <script type="text/plain" data-category='
                f'"{match.category.value}"> so that the banner runs it only after consent',
            )
    if before is not None:
        for host, where in sorted(before.third_party.items()):
            yield Finding(
                "tracker-before-consent",
                Severity.warning,
                f"{where} request {host}",
                f"a request to the third party {host} is made before any choice (on {where}): "
                "a tracker must wait for consent unless it stores and reads nothing",
                citation=LEK,
                hint="block it until consent with data-category, or declare why it is necessary",
            )
        if not before.banner:
            yield Finding(
                "banner-missing",
                Severity.warning,
                observed.url,
                "no Varna consent banner was found on the start page: accept and reject could "
                "not be tried",
                citation=LEK,
                hint='add <script src="/consent/banner.js" defer></script> to every page',
            )


def write_report(scan: CookieScan, out: Path) -> None:
    """``report.json`` and ``report.html`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    data = scan.as_dict()
    (out / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    (out / "report.html").write_text(render_report_html(data))


def render_report_html(data: dict[str, Any]) -> str:
    """A self-contained HTML page of a scan report."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(f['severity'])}</td><td>{e(f['rule'])}</td><td>{e(f['location'])}</td>"
        f"<td>{e(f['message'])}<br><small>{e(f['hint'] or '')}</small></td>"
        f"<td>{e(f['citation'] or '')}</td></tr>"
        for f in data["findings"]
    )
    phases = ""
    for name, phase in data["phases"].items():
        items = "".join(
            f"<li>{e(kind)}: <code>{e(n)}</code> ({e(where)})</li>"
            for kind in ("cookies", "storage", "third_party")
            for n, where in phase[kind].items()
        )
        phases += f"<h2>{e(name)}</h2><ul>{items or '<li>nothing stored</li>'}</ul>"
    shot = f'<img src="{e(data["screenshot"])}" alt="The banner">' if data["screenshot"] else ""
    pages = "".join(f"<li>{e(p)}</li>" for p in data["pages"])
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Cookie scan of {e(data['url'])}</title></head><body>"
        f"<h1>Cookie scan of {e(data['url'])}</h1><p>Scanned {e(data['scanned_at'])}.</p>"
        f"<table><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th>"
        f"<th>Law</th></tr></thead><tbody>{rows}</tbody></table>{shot}{phases}"
        f"<h2>Pages</h2><ul>{pages}</ul></body></html>\n"
    )
