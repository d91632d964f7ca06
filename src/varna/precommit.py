"""Entry points of the pre-commit hooks (``.pre-commit-hooks.yaml`` at the repository root), so an
organisation checks its register on every change in its own repository.

``python -m varna.precommit check FILE...`` runs ``varna register check --offline`` on each
register file and fails when any has an error. ``python -m varna.precommit diff FILE...`` shows
``varna policy diff`` between each register and what it is compared with: the last published
version (``policy-versions.jsonl`` beside it, written by ``varna policy publish``), or else the
file as committed in ``HEAD``; a new register has nothing to compare with. The diff informs and
passes; it fails only when a register cannot be read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from varna.render.versions import VERSIONS_FILE


def varna(*args: str) -> int:
    """Run the ``varna`` CLI in this process; its exit status."""
    from varna.cli.app import app

    try:
        app([*args], prog_name="varna")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


def previous_register(path: Path) -> tuple[str, str] | None:
    """(what it is, register YAML) to compare ``path`` with, or None for a new register."""
    versions = path.parent / VERSIONS_FILE
    if versions.is_file():
        lines = [line for line in versions.read_text(encoding="utf-8").splitlines() if line]
        if lines:
            last = json.loads(lines[-1])
            name = f"the published version {last.get('version') or last.get('effective_date')}"
            return name, yaml.safe_dump(last["register"], allow_unicode=True, sort_keys=False)
    where = path.parent if path.is_absolute() else None
    shown = subprocess.run(
        ["git", "show", f"HEAD:./{path.name if where else path.as_posix()}"],
        capture_output=True,
        cwd=where,
        check=False,
    )
    if shown.returncode != 0:
        return None
    return "HEAD", shown.stdout.decode("utf-8", errors="replace")


def check(files: Sequence[str]) -> int:
    return max((varna("register", "check", "--offline", f) for f in files), default=0)


def diff(files: Sequence[str]) -> int:
    status = 0
    for name in files:
        path = Path(name)
        previous = previous_register(path)
        if previous is None:
            print(f"{name}: a new register, nothing to compare with")
            continue
        what, text = previous
        print(f"{name} against {what}:")
        with tempfile.TemporaryDirectory() as folder:
            old = Path(folder) / path.name
            old.write_text(text, encoding="utf-8")
            status = max(status, varna("policy", "diff", str(old), name))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    hooks = {"check": check, "diff": diff}
    if not args or args[0] not in hooks:
        print("usage: python -m varna.precommit {check,diff} FILE...", file=sys.stderr)
        return 2
    return hooks[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
