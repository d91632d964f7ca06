"""``varna webhook`` and ``varna notify``: the secret once, the list without it, the log, removal,
and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()


@pytest.fixture
def company(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(10)


def test_a_webhook_is_added_listed_logged_and_removed(company: Path) -> None:
    added = runner.invoke(
        app, ["webhook", "add", "https://tickets.example/hooks", "--events", "request.refused"]
    )
    assert added.exit_code == 0, added.output
    hook_id, secret = added.stdout.split()[1], added.stdout.split()[-1]
    assert secret.startswith("whsec_")
    listed = runner.invoke(app, ["webhook", "list"])
    assert hook_id in listed.stdout
    assert "request.refused" in listed.stdout
    assert secret not in listed.stdout
    assert runner.invoke(app, ["webhook", "log", hook_id]).exit_code == 0
    removed = runner.invoke(app, ["webhook", "remove", hook_id])
    assert removed.exit_code == 0
    assert hook_id not in runner.invoke(app, ["webhook", "list"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["webhook", "add", "ftp://x.example/"], "http:// or https://", id="bad-url"),
        pytest.param(
            ["webhook", "add", "https://x.example/", "--events", "request.boom"],
            "unknown webhook event",
            id="bad-event",
        ),
        pytest.param(["webhook", "remove", "wh_nothere"], "no webhook wh_nothere", id="unknown"),
        pytest.param(["notify", "policy"], "no policy is published", id="unpublished"),
    ],
)
def test_bad_input_is_a_clear_error(company: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
