"""``varna cookies scan`` on the demo website served for real: it finds the planted tracker (the
marketing pixel loaded before consent on the campaign page) and nothing else; with the pixel
undeclared in the register it reports an undeclared cookie instead."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core import Varna
from varna.core.cookie_ops import BANNER_COOKIE
from varna.settings import Settings

from .banner_site import served
from .conftest import SEED

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")
PIXEL = """  advertising:
    provider: Annonsnätverket Norden AB
"""


@pytest.fixture
def site(varna: Varna) -> Iterator[str]:
    with served(varna) as base:
        yield base


def test_the_scan_finds_the_planted_tracker_and_nothing_else(
    varna: Varna, site: str, tmp_path: Path
) -> None:
    out = tmp_path / "scan"
    scan = varna.scan_cookies(f"{site}/demo-site/", pages=10, out=out, chromium=CHROMIUM, now=NOW)
    found = [(f.rule, f.severity.value, f.key_path) for f in scan.findings]
    assert found == [("cookie-before-consent", "error", "cookies.advertising.cookies.0")]
    assert "/demo-site/campaign" in scan.findings[0].message
    assert scan.findings[0].citation is not None
    assert "9 kap. 28 §" in scan.findings[0].citation
    observed = scan.observed
    assert len(observed.pages) == 10
    assert set(observed.phases["before"].cookies) == {"_an_uid"}
    assert set(observed.phases["accept"].cookies) == {BANNER_COOKIE, "_bs_id", "_bs_ses", "_an_uid"}
    assert set(observed.phases["reject"].cookies) == {BANNER_COOKIE}
    assert all(p.banner for p in observed.phases.values())
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert "cookie-before-consent" in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "banner.png").read_bytes().startswith(b"\x89PNG")


def test_an_undeclared_tracker_is_reported_as_undeclared(
    varna: Varna, site: str, tmp_path: Path
) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index(PIXEL)
    end = text.index("\nsystems:", start)
    undeclared = tmp_path / "undeclared" / "varna.yaml"
    undeclared.parent.mkdir()
    undeclared.write_text(text[:start] + text[end:], encoding="utf-8")
    other = Varna(Settings(home=tmp_path / "other"), register_path=undeclared)
    try:
        scan = other.scan_cookies(
            f"{site}/demo-site/", pages=3, out=None, chromium=CHROMIUM, now=NOW
        )
    finally:
        other.close()
    found = [(f.rule, f.location.rsplit(" ", 1)[-1]) for f in scan.findings]
    assert found == [("cookie-undeclared", "_an_uid")]


@pytest.mark.parametrize(
    ("url", "chromium", "error"),
    [
        pytest.param("ftp://example.se/", CHROMIUM, "SettingsError", id="not-http"),
        pytest.param(
            "http://127.0.0.1:9/", Path("/nonexistent/chromium"), "SettingsError", id="no-chromium"
        ),
        pytest.param("http://127.0.0.1:9/?email=a@b.se", CHROMIUM, "ConnectorError", id="no-site"),
    ],
)
def test_bad_input_is_a_clear_error_without_the_query(
    varna: Varna, url: str, chromium: Path, error: str
) -> None:
    from varna.errors import VarnaError

    with pytest.raises(VarnaError) as raised:
        varna.scan_cookies(url, pages=1, chromium=chromium, now=NOW)
    assert type(raised.value).__name__ == error
    assert "a@b.se" not in str(raised.value)


def test_the_cli_scan_exits_1_on_the_planted_tracker(
    site: str, register_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from varna.cli.app import app

    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    args = ["cookies", "scan", f"{site}/demo-site/", "--register", str(register_file)]
    result = CliRunner().invoke(app, [*args, "--format", "json", "--at", "2026-12-02"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["cookie-before-consent"]
    assert report["scanned_at"].startswith("2026-12-02")
    text = CliRunner().invoke(app, [*args, "--pages", "2", "--out", str(tmp_path / "r")])
    assert text.exit_code == 0, text.output  # the planted page is not among the first two
    assert "0 error(s)" in text.stdout
    assert (tmp_path / "r" / "report.html").exists()
