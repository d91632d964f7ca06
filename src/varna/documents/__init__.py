"""Documents composed from what the request engine found or did: the register extract (HTML, PDF,
text, JSON) and the erasure, rectification and restriction receipts, written by the render
package's writers (PDF through Typst), in the words of the text catalogs."""

from varna.documents.extract import (
    ExtractFormat,
    extract_document,
    extract_filename,
    extract_pdf,
    render_extract,
    render_html,
    render_json,
    render_text,
    write_extract,
)
from varna.documents.receipts import (
    receipt_document,
    receipt_pdf,
    rectification_document,
    restriction_document,
)

__all__ = [
    "ExtractFormat",
    "extract_document",
    "extract_filename",
    "extract_pdf",
    "receipt_document",
    "receipt_pdf",
    "rectification_document",
    "render_extract",
    "render_html",
    "render_json",
    "render_text",
    "restriction_document",
    "write_extract",
]
