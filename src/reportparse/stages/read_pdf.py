"""Read a PDF into a Document with pdfplumber: frames, ruled tables and their cells."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..document import Document
from ..errors import PdfError

PDF_MAGIC = b"%PDF-"


def is_pdf(data: bytes, name: str) -> bool:
    """A PDF by its header; a `.pdf` name without the header is a PDF error later."""
    return data[:1024].lstrip().startswith(PDF_MAGIC) or name.lower().endswith(".pdf")


def pdf_to_document(data: bytes, name: str, password: str | None, diag: Diagnostics) -> Document:
    raise PdfError(f"{name}: PDF input is not implemented yet")
