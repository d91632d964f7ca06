"""Cookie rules (LEK 9 kap. 28 §): consent asked before non-necessary cookies, and "necessary"
reserved for what the visitor asked for."""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
LEK = "9 kap. 28 §"


def service(category: str, purpose: str, provider: str = "Exempel AB") -> dict:
    return {"provider": provider, "category": category, "purpose": {"sv": purpose}}


STATS = {"cookies": {"stats": service("statistics", "Besöksstatistik")}}
ASKED = {"cookie_consent": {"practice": "asked_before", "tool": "Cookiebot"}}

POSITIVE = [
    pytest.param(
        STATS,
        ("cookie-consent", W, LEK, "cookies"),
        id="cookie-consent:practice-not-described",
    ),
    pytest.param(
        {**STATS, "cookie_consent": {"practice": "not_asked"}},
        ("cookie-consent", E, LEK, "cookie_consent.practice"),
        id="cookie-consent:set-without-asking",
    ),
    pytest.param(
        {**STATS, "cookie_consent": {"practice": "browser_settings"}},
        ("cookie-consent", W, "Art. 4(11)", "cookie_consent.practice"),
        id="cookie-consent:browser-settings-only",
    ),
    pytest.param(
        {"cookies": {"ga": service("necessary", "Webbanalys av besöken", "Google")}},
        ("cookie-necessary", E, LEK, "cookies.ga.category"),
        id="cookie-necessary:analytics",
    ),
    pytest.param(
        {"cookies": {"px": service("necessary", "Spårningsbilder för marknadsföringen")}},
        ("cookie-necessary", E, LEK, "cookies.px.category"),
        id="cookie-necessary:tracking-pixel",
    ),
    pytest.param(
        {"cookies": {"x": service("necessary", "To measure traffic on the site")}},
        ("cookie-necessary", E, LEK, "cookies.x.category"),
        id="cookie-necessary:traffic-measurement-in-english",
    ),
    pytest.param(
        {"cookies": {"ga": {**service("statistics", "Webbanalys", "Google"), "country": "US"}}},
        ("cookie-transfer", E, "Art. 44-46", "cookies.ga.country"),
        id="cookie-transfer:us-provider-without-mechanism",
    ),
    pytest.param(
        {
            "cookies": {
                "px": {
                    **service("marketing", "Annonser", "Exempel Inc"),
                    "country": "US",
                    "third_party": True,
                    "transfer": {"mechanism": "privacy_shield"},
                }
            }
        },
        ("cookie-transfer", E, "Art. 44-46", "cookies.px.transfer"),
        id="cookie-transfer:invalidated-mechanism",
    ),
]

NEGATIVE = [
    pytest.param({**STATS, **ASKED}, "cookie-consent", id="cookie-consent:asked-before"),
    pytest.param(
        {"cookies": {"login": service("necessary", "Håller dig inloggad")}},
        "cookie-consent",
        id="cookie-consent:only-necessary",
    ),
    pytest.param({}, "cookie-consent", id="cookie-consent:no-cookies"),
    pytest.param(
        {"cookies": {"login": service("necessary", "Håller dig inloggad under besöket")}},
        "cookie-necessary",
        id="cookie-necessary:login-session",
    ),
    pytest.param(
        {"cookies": {"cart": service("necessary", "Kommer ihåg varukorgen")}},
        "cookie-necessary",
        id="cookie-necessary:shopping-cart",
    ),
    pytest.param(
        {**ASKED, "cookies": {"ga": service("statistics", "Webbanalys", "Google")}},
        "cookie-necessary",
        id="cookie-necessary:analytics-labelled-statistics",
    ),
    pytest.param(
        {
            "cookies": {
                "ga": {
                    **service("statistics", "Webbanalys", "Google"),
                    "country": "US",
                    "transfer": {"mechanism": "scc"},
                }
            }
        },
        "cookie-transfer",
        id="cookie-transfer:us-provider-with-scc",
    ),
    pytest.param(
        {"cookies": {"ga": {**service("statistics", "Webbanalys", "Matomo"), "country": "FR"}}},
        "cookie-transfer",
        id="cookie-transfer:provider-in-the-eu",
    ),
    pytest.param(
        {
            "cookies": {
                "own": {
                    **service("preferences", "Språkval", "Oss själva"),
                    "country": "US",
                    "third_party": False,
                }
            }
        },
        "cookie-transfer",
        id="cookie-transfer:first-party-cookie",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".cookies")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
