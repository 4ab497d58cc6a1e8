"""PDF engines: each opens a PDF and reads its pages into PageGeometry for the layout analysis."""

from __future__ import annotations

from typing import Protocol

from ..defaults import DEFAULT_ENGINE, ENGINES
from ..geometry import PageGeometry

__all__ = ["DEFAULT_ENGINE", "ENGINES", "PdfEngine", "open_engine"]


class PdfEngine(Protocol):
    """An open PDF: its page count and its pages, read one at a time."""

    page_count: int
    opening_damage: list[str]  # repairs made while opening the file

    def read_page(self, index: int) -> PageGeometry:
        """Page `index` (0-based), closed again once read; a malformed page is a PdfError."""
        ...

    def close(self) -> None: ...


def open_engine(engine: str, data: bytes, name: str, password: str | None) -> PdfEngine:
    """The named engine opened on a PDF's bytes (`name` is used in messages)."""
    if engine == "pdfium":
        from .pdfium import PdfiumEngine

        return PdfiumEngine(data, name, password)
    if engine == "pdfplumber":
        from .plumber import PlumberEngine

        return PlumberEngine(data, name, password)
    raise ValueError(f"unknown PDF engine '{engine}'; use {' or '.join(ENGINES)}")
