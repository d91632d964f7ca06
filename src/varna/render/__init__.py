"""Documents from the register: the privacy policy, the Art. 30 record, extracts and receipts.

Every document is composed once into the model of :mod:`varna.render.document` and written from it
to HTML, Markdown and PDF (Typst), so the formats never drift.
"""

from varna.errors import PublishError
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
