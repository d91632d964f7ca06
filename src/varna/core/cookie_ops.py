"""Operations: the cookie banner generated from the register, and the audit of a live site
against the register's cookie declarations (Lag (2022:482) om elektronisk kommunikation
9 kap. 28 §).

The banner is one dependency-free script: the hand-written template
``varna/web/templates/consent_banner.js`` with the register's categories, services, cookies and
texts (sv and en, from the gettext catalogs) put in as JSON. Its *notice* is a hash of everything a
visitor reads in it plus the policy version: when either changes, the banner asks again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from varna.core.policy_ops import PolicyOps
from varna.errors import SettingsError
from varna.register.model import CookieCategory, Register
from varna.texts import N_, texts_for
from varna.texts.retention import period

if TYPE_CHECKING:
    from varna.core.cookie_scan import CookieScan

BANNER_COOKIE = "varna_consent"
"""The first-party cookie that keeps the visitor's choice (strictly necessary to honour it)."""
CONSENT_MAX_AGE = 365 * 24 * 3600
"""The choice is kept twelve months, then the banner asks again (EDPB; IMY practice)."""
LANGS = ("sv", "en")
CATEGORY_ORDER = tuple(CookieCategory)
CONFIG_MARK = "/*VARNA_CONFIG*/ null"
SESSION = N_("until you close the browser")
"""A session cookie's lifetime: the policy's words (one text for both), capitalised in a cell."""

#: Every text of the banner, by key; the English text is the message id.
BANNER_TEXTS: dict[str, str] = {
    "title": N_("Cookies on this website"),
    "intro": N_(
        "We use cookies that are necessary for the website to work. With your consent we also "
        "use other cookies; you choose which under Choose cookies. You can change or withdraw "
        "your choice at any time from the link at the bottom of every page."
    ),
    "policy": N_("Read more in our privacy policy."),
    "accept": N_("Accept all"),
    "reject": N_("Reject all"),
    "settings": N_("Choose cookies"),
    "settings_title": N_("Choose which cookies we may use"),
    "settings_intro": N_(
        "Nothing but the necessary cookies is used until you choose. Tick the kinds you accept."
    ),
    "save": N_("Save my choice"),
    "details": N_("Show the cookies"),
    "always": N_("Always on."),
    "gpc": N_("Your browser sends Global Privacy Control, which we treat as a refusal."),
    "cookie": N_("Cookie"),
    "provider": N_("Provider"),
    "purpose": N_("Purpose"),
    "lifetime": N_("Lifetime"),
    "necessary": N_("Necessary"),
    "necessary_about": N_("Needed for the website to work and to remember your choice."),
    "preferences": N_("Preferences"),
    "preferences_about": N_("Remember your settings, such as language."),
    "statistics": N_("Statistics"),
    "statistics_about": N_("Show us how the website is used, so that we can improve it."),
    "marketing": N_("Marketing"),
    "marketing_about": N_("Show you advertising and measure it, on this and other websites."),
}


@dataclass(frozen=True, slots=True)
class Banner:
    """The banner script for one register and policy version."""

    script: str
    notice: str
    """The hash of the banner's texts and the policy version (what the consent ledger keeps)."""
    policy_version: str | None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.script.encode()).hexdigest()[:32] + '"'

    @property
    def gzipped_size(self) -> int:
        return len(gzip.compress(self.script.encode(), compresslevel=9, mtime=0))


def plan_banner_config(
    register: Register, *, policy_version: str | None, policy_url: str | None, gpc: bool
) -> dict[str, Any]:
    """The banner's data from the register (pure): categories present, services with their
    cookies, the texts in every language and the notice hash over all of them."""
    categories = {CookieCategory.necessary} | {s.category for s in register.cookies.values()}
    services = []
    for service in register.cookies.values():
        services.append(
            {
                "category": service.category.value,
                "provider": service.provider,
                "purpose": {lang: service.purpose.get(lang) for lang in LANGS},
                "cookies": [
                    {
                        "name": c.name,
                        "lifetime": {lang: _lifetime(c.lifetime, lang) for lang in LANGS},
                        "purpose": {
                            lang: c.purpose.get(lang) if c.purpose else "" for lang in LANGS
                        },
                    }
                    for c in service.cookies
                ],
            }
        )
    texts = {
        lang: {k: texts_for(lang).gettext(m) for k, m in BANNER_TEXTS.items()} for lang in LANGS
    }
    shown = {"texts": texts, "services": services, "policy_version": policy_version}
    canonical = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    notice = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return {
        "notice": notice,
        "policy_version": policy_version,
        "cookie": BANNER_COOKIE,
        "max_age": CONSENT_MAX_AGE,
        "categories": [c.value for c in CATEGORY_ORDER if c in categories],
        "services": services,
        "texts": texts,
        "policy_url": {lang: f"{policy_url}/{lang}/policy" for lang in LANGS}
        if policy_url
        else None,
        "gpc": gpc,
    }


def _lifetime(lifetime: str, lang: str) -> str:
    texts = texts_for(lang)
    if lifetime == "session":
        words = texts.gettext(SESSION)
        return words[:1].upper() + words[1:]
    return period(lifetime, texts)


def render_banner(config: dict[str, Any]) -> str:
    """The script: the template with ``config`` in place of its marker."""
    template = files("varna.web").joinpath("templates/consent_banner.js").read_text("utf-8")
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end an inline <script> if someone pastes the file into a page
    return template.replace(CONFIG_MARK, data.replace("</", "<\\/"), 1)


class CookieOps(PolicyOps):
    """Operations: the consent banner and the cookie scan."""

    def consent_banner(self, *, gpc: bool = False) -> Banner:
        """The banner script for the register and the newest published policy version.

        ``gpc``: the request carried ``Sec-GPC: 1`` (marketing is refused before the script
        even reads ``navigator.globalPrivacyControl``)."""
        versions = self.policy_versions()
        version = (versions[-1].version or str(len(versions))) if versions else None
        config = plan_banner_config(
            self.register,
            policy_version=version,
            policy_url=self.settings.public_url,
            gpc=gpc,
        )
        return Banner(render_banner(config), config["notice"], version)

    def scan_cookies(
        self,
        url: str,
        *,
        pages: int = 10,
        out: Path | None = None,
        chromium: Path = Path("/usr/bin/chromium"),
        now: datetime,
        progress: Callable[[str, str], None] | None = None,
    ) -> CookieScan:
        """Visit ``url`` and up to ``pages`` same-origin pages in headless Chromium before any
        choice, after "accept all" and after "reject all"; compare what was stored with the
        register's cookie declarations. With ``out``: write report.json, report.html and a
        screenshot of the banner there."""
        from varna.core.cookie_scan import compare, observe, write_report

        if pages < 1:
            raise SettingsError(f"--pages must be at least 1 (got {pages})", pages=pages)
        if not chromium.exists():
            raise SettingsError(
                f"Chromium not found at {chromium}: install it or pass --chromium PATH",
                chromium=str(chromium),
            )
        observed = observe(url, pages=pages, chromium=chromium, out=out, progress=progress)
        scan = compare(self.register, observed, now=now)
        if out is not None:
            write_report(scan, out)
        return scan
