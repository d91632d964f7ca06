"""The cookie scan's comparison (pure): observations of three browsers against a register's
cookie declarations, as findings in the format of ``register check``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core.cookie_ops import BANNER_COOKIE
from varna.core.cookie_scan import Declared, Observed, Phase, compare, render_report_html
from varna.register import load_register
from varna.register.model import CookieCategory

REGISTER = Path(__file__).parents[1] / "data" / "registers" / "valid" / "cookies_and_taxonomy.yaml"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
P1, P2 = "https://shop.example/", "https://shop.example/cart"


def observed(
    before: dict[str, str] | None = None,
    reject: dict[str, str] | None = None,
    accept: dict[str, str] | None = None,
    *,
    storage: dict[str, str] | None = None,
    third_party: dict[str, str] | None = None,
    banner: bool = True,
) -> Observed:
    return Observed(
        P1,
        [P1, P2],
        {
            "before": Phase(
                dict(before or {}), dict(storage or {}), dict(third_party or {}), banner
            ),
            "accept": Phase(dict(accept or {}), banner=banner),
            "reject": Phase(dict(reject or {}), banner=banner),
        },
    )


CASES = [
    pytest.param(observed(), [], id="nothing-stored"),
    pytest.param(
        observed(
            {"shop_session": P1, BANNER_COOKIE: P1},
            {"shop_session": P1, BANNER_COOKIE: P1},
            {"shop_session": P1, "_stats_id": P2, "_stats_session": P2},
        ),
        [],
        id="clean-site",
    ),
    pytest.param(
        observed({"_stats_id": P2}),
        [("cookie-before-consent", "cookies.statistics.cookies.0")],
        id="statistics-before-consent",
    ),
    pytest.param(
        observed(reject={"_stats_session": P1}),
        [("cookie-after-reject", "cookies.statistics.cookies.1")],
        id="survives-reject",
    ),
    pytest.param(
        observed(accept={"_fbp": P2}),
        [("cookie-undeclared", None)],
        id="undeclared-after-accept",
    ),
    pytest.param(
        observed({"_fbp": P1}, {"_fbp": P1}),
        [("cookie-undeclared", None)],
        id="undeclared-once-however-often-seen",
    ),
    pytest.param(
        observed(storage={"ajs_user_id": P1}),
        [("storage-undeclared", None)],
        id="undeclared-storage",
    ),
    pytest.param(
        observed(third_party={"pixel.ads.example": P2}),
        [("tracker-before-consent", None)],
        id="third-party-before-consent",
    ),
    pytest.param(observed(banner=False), [("banner-missing", None)], id="no-banner"),
]


@pytest.mark.parametrize(("seen", "expected"), CASES)
def test_findings(seen: Observed, expected: list[tuple[str, str | None]]) -> None:
    register = load_register(REGISTER)
    scan = compare(register, seen, now=NOW)
    assert [(f.rule, f.key_path) for f in scan.findings] == expected
    for finding in scan.findings:
        assert finding.citation
        assert "9 kap. 28 §" in finding.citation
        if finding.key_path:  # the line of the declared cookie the finding is about
            assert f"{REGISTER.name}:{finding.line} " in finding.location
            declared = REGISTER.read_text(encoding="utf-8").splitlines()[finding.line - 1]
            assert "name: _stats" in declared, declared
    html = render_report_html(scan.as_dict())
    assert all(rule in html for rule, _ in expected)


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("_ga", "_ga", True),
        ("_ga", "_ga_X1", False),
        ("_ga_*", "_ga_X1", True),
        ("_ga_*", "_gat", False),
        ("a.b", "axb", False),
    ],
)
def test_declared_names_with_wildcards(pattern: str, name: str, matches: bool) -> None:
    assert Declared("s", 0, pattern, CookieCategory.statistics).matches(name) is matches
