"""Tell a PDF from text by its first bytes, without loading the PDF engines."""

from __future__ import annotations

PDF_MAGIC = b"%PDF-"


def is_pdf(data: bytes, name: str) -> bool:
    """A PDF by its header; a `.pdf` name without the header is rejected by the reader."""
    return bool(data[:1024].lstrip().startswith(PDF_MAGIC) or name.lower().endswith(".pdf"))
