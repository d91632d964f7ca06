"""Fides import: every fideslang dataset file of Fides' own test suite imported into a bare
register, each checked as ``varna register check --offline`` checks it.

For each file: datasets, collections, personal fields (nested ones by their path, and how many of
them are nested), the categories imported because no Varna category covers them, the custom
identity kinds (weak until a person decides), the TODOs the check then warns about, and the
check's errors and warnings. Target (issue 13): every file imports, and no check error.

.venv/bin/python benchmarks/fides_import.py [--data DIR] [--register FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from varna.errors import RegisterLoadError
from varna.register.checks import Severity, run_checks
from varna.register.fides import load_fides_datasets, merge_systems
from varna.register.loader import parse_register

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("VARNA_SHARED_DATA", ROOT.parent / "shared" / "data"))
BARE = ROOT / "tests" / "register" / "fides_bare.yaml"
ON = date(2026, 6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA / "fides-datasets", help="dataset dir")
    parser.add_argument("--register", type=Path, default=BARE, help="the register to import into")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.yml"))
    if not files:
        raise SystemExit(f"no fideslang dataset files in {args.data}")
    text = args.register.read_text(encoding="utf-8")
    base = parse_register(text, source=str(args.register))
    table = Table(title=f"varna register import-fides into a bare register ({len(files)} files)")
    heads = ("file", "datasets", "collections", "fields", "nested", "imported categories")
    heads += ("custom identities", "TODOs", "errors", "warnings")
    for head in heads:
        table.add_column(
            head, justify="left" if head in ("file", "imported categories") else "right"
        )
    failed = 0
    for file in files:
        try:
            imported = load_fides_datasets(
                [file], register=base, subjects=["customer"], activities=["shop"]
            )
            merged = merge_systems(text, imported, source="varna.yaml")
            findings = run_checks(parse_register(merged, source="varna.yaml"), on=ON)
        except RegisterLoadError as exc:
            failed += 1
            table.add_row(file.stem, *["-"] * 7, str(len(exc.problems)), "-")
            continue
        summary = imported.files[0]
        errors = sum(f.severity is Severity.error for f in findings)
        warnings = sum(f.severity is Severity.warning for f in findings)
        todos = sum(f.rule == "todo" for f in findings)
        failed += errors > 0
        table.add_row(
            file.stem,
            str(summary.datasets),
            str(summary.collections),
            str(summary.fields),
            str(summary.nested),
            ", ".join(summary.categories) or "-",
            ", ".join(summary.identity_kinds) or "-",
            str(todos),
            str(errors),
            str(warnings),
        )
    Console(width=200).print(table)
    print(f"{len(files) - failed} of {len(files)} files import and pass the check")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
