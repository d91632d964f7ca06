"""The pre-commit hooks (``.pre-commit-hooks.yaml``): each hook's entry runs, as pre-commit runs
it, on the demo register in a git repository of its own."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
DEMO = resources.files("varna.demo").joinpath("register.yaml").read_text("utf-8")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env=os.environ | GIT_ENV
    )


def _run(hook: str, repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """The hook's entry with the files appended, from the repository root, as pre-commit does
    (``python`` is the interpreter of the hook's environment)."""
    entry = shlex.split(HOOKS[hook]["entry"])
    assert entry[0] == "python"
    return subprocess.run(
        [sys.executable, *entry[1:], *files], cwd=repo, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "varna.yaml").write_text(DEMO, encoding="utf-8")
    return tmp_path


def test_the_hooks_follow_the_pre_commit_convention() -> None:
    assert sorted(HOOKS) == ["varna-policy-diff", "varna-register-check"]
    for hook in HOOKS.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this package for it
        pattern = re.compile(hook["files"])
        assert pattern.search("varna.yaml")
        assert pattern.search("privacy/varna.yml")
        assert not pattern.search("notvarna.yaml")


@pytest.mark.parametrize(
    ("edit", "code", "says"),
    [
        (None, 0, "0 error(s)"),
        (("legal_bases: [contract]", "legal_bases: [contrakt]"), 1, "varna.yaml:86 activities."),
    ],
    ids=["demo-passes", "typo-fails"],
)
def test_register_check_hook(
    repo: Path, edit: tuple[str, str] | None, code: int, says: str
) -> None:
    if edit is not None:
        text = DEMO.replace(*edit, 1)
        assert text != DEMO
        (repo / "varna.yaml").write_text(text, encoding="utf-8")
    done = _run("varna-register-check", repo, "varna.yaml")
    assert done.returncode == code, done.stdout + done.stderr
    assert says in done.stdout + done.stderr


def test_policy_diff_hook_compares_with_head_then_with_the_published_version(repo: Path) -> None:
    first = _run("varna-policy-diff", repo, "varna.yaml")
    assert first.returncode == 0, first.stderr
    assert "varna.yaml: a new register, nothing to compare with" in first.stdout

    _git(repo, "add", "varna.yaml")
    _git(repo, "commit", "-qm", "register")
    changed = DEMO.replace("then: 24 months", "then: 36 months", 1)
    assert changed != DEMO
    (repo / "varna.yaml").write_text(changed, encoding="utf-8")
    against_head = _run("varna-policy-diff", repo, "varna.yaml")
    assert against_head.returncode == 0, against_head.stderr
    assert "varna.yaml against HEAD:" in against_head.stdout
    assert "36 months" in against_head.stdout
    assert "1 change(s), 1 material" in against_head.stdout

    published = subprocess.run(
        [sys.executable, "-c", "from varna.cli.app import main; main()", "policy", "publish"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert published.returncode == 0, published.stdout + published.stderr
    after = _run("varna-policy-diff", repo, "varna.yaml")
    assert after.returncode == 0, after.stderr
    assert "against the published version" in after.stdout
    assert "No semantic changes." in after.stdout


def test_policy_diff_hook_fails_on_a_register_that_cannot_be_read(repo: Path) -> None:
    _git(repo, "add", "varna.yaml")
    _git(repo, "commit", "-qm", "register")
    (repo / "varna.yaml").write_text("varna: [\n", encoding="utf-8")
    done = _run("varna-policy-diff", repo, "varna.yaml")
    assert done.returncode == 1
    assert "not valid YAML" in done.stdout + done.stderr
