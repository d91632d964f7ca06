"""The README's quick start: exactly two commands, and the demo one works as written."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a sh code block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    assert _quick_start() == ["make demo", "make test"]


def test_ci_runs_the_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/check-services" in ci
    assert "make test" in ci


def _recipe(target: str) -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = makefile.split(f"\n{target}:", 1)[1]
    lines = []
    for line in body.splitlines()[1:]:
        if not line.startswith("\t"):
            break
        lines.append(line.strip())
    return lines


@pytest.mark.slow
def test_demo_recipe_runs(tmp_path: Path) -> None:
    """Run the `make demo` recipe's commands with this interpreter's venv, on a small demo; the
    last one starts the server, which must answer with the centre and the published policy."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "VARNA_HOME": str(tmp_path / ".varna")}
    env.pop("VARNA_SMTP_URL", None)
    *build, serve = _recipe("demo")
    for command in build:
        command = command.replace("$(BIN)", str(bin_dir)).replace("../", "")
        command = command.replace("--dir demo", "--dir demo --subjects 200")
        result = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    assert "serve --demo" in serve
    port = _free_port()
    command = serve.replace("$(BIN)", str(bin_dir)).replace("../", "") + f" --port {port}"
    server = subprocess.Popen(
        command,
        shell=True,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/readyz", server)
        with urllib.request.urlopen(f"{base}/sv/policy", timeout=10) as answer:
            page = answer.read().decode()
        assert "Version 1" in page
        with urllib.request.urlopen(f"{base}/sv/", timeout=10) as answer:
            assert "Integritetscenter" in answer.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "API key:" in output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not become ready")
