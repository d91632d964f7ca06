"""Documents composed from what the request engine found or did: the register extract and the
erasure receipt, written by the render package's writers (PDF through Typst)."""

from varna.documents.extract import (
    extract_document,
    extract_pdf,
    receipt_document,
    receipt_pdf,
    rectification_document,
)

__all__ = [
    "extract_document",
    "extract_pdf",
    "receipt_document",
    "receipt_pdf",
    "rectification_document",
]
