"""Documents from the register: the privacy policy, the Art. 30 record, extracts and receipts.

Every document is composed once into the model of :mod:`varna.render.document` and written from it
to HTML, Markdown and PDF (Typst), so the formats never drift.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from varna.errors import PublishError

if TYPE_CHECKING:
    from varna.render.diff import Change, RegisterDiff, diff_registers
    from varna.render.documents import (
        PolicyFormat,
        RecordFormat,
        Rendered,
        render_policy,
        render_record,
        write_document,
    )
    from varna.render.versions import (
        JsonlVersionStore,
        PolicyVersion,
        PublishResult,
        VersionStore,
        publish_policy,
    )

_LAZY = {
    "Change": "diff",
    "RegisterDiff": "diff",
    "diff_registers": "diff",
    "PolicyFormat": "documents",
    "RecordFormat": "documents",
    "Rendered": "documents",
    "render_policy": "documents",
    "render_record": "documents",
    "write_document": "documents",
    "JsonlVersionStore": "versions",
    "PolicyVersion": "versions",
    "PublishResult": "versions",
    "VersionStore": "versions",
    "publish_policy": "versions",
}
"""Names imported on first use: importing one module of the package (a server's start) must not
import every writer (Typst, openpyxl)."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"varna.render.{_LAZY[name]}"), name)


__all__ = [
    "Change",
    "JsonlVersionStore",
    "PolicyFormat",
    "PolicyVersion",
    "PublishError",
    "PublishResult",
    "RecordFormat",
    "RegisterDiff",
    "Rendered",
    "VersionStore",
    "diff_registers",
    "publish_policy",
    "render_policy",
    "render_record",
    "write_document",
]
