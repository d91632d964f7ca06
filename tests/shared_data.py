"""The shared test data (``../shared/data`` beside the clone, or ``VARNA_SHARED_DATA``).

A plain clone has no such folder: tests that read it report as skipped and say what is missing,
instead of failing with a file error. Under CI nothing may be skipped (``.ci/run``; the hook in
``conftest.py``), so there a missing folder fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("VARNA_SHARED_DATA", ROOT.parent / "shared" / "data"))


def absent_reason(*parts: str) -> str | None:
    """Why a test of ``parts`` cannot run, or None when the data is there."""
    path = SHARED_DATA.joinpath(*parts)
    if path.exists():
        return None
    return (
        f"needs the shared test data {path}, absent in a plain clone: put the data set there or "
        "point VARNA_SHARED_DATA at the folder that holds it"
    )


def shared_data(*parts: str) -> Path:
    """The path of ``parts`` in the shared data; skips the calling test when it is absent."""
    reason = absent_reason(*parts)
    if reason is not None:
        pytest.skip(reason)
    return SHARED_DATA.joinpath(*parts)


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Mark a test that reads ``parts`` of the shared data: skipped, with the reason, without."""
    reason = absent_reason(*parts)
    return pytest.mark.skipif(reason is not None, reason=reason or "")


def shared_params(argnames: int, rows: Callable[[], list[Any]], *parts: str) -> list[Any]:
    """Parameter rows read from the shared data at collection, or one skipped row without it."""
    reason = absent_reason(*parts)
    if reason is None:
        return rows()
    return [
        pytest.param(*[None] * argnames, id="no-shared-data", marks=pytest.mark.skip(reason=reason))
    ]
