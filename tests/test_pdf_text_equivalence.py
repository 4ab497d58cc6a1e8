"""The same report as PDF and as text yields the same initiatives, sections, indicators, events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reportparse
from reportparse.models import Report

from .conftest import FIXTURES, facts

VARIANTS = ("_rects", "_noframes")  # other drawings of one report (see fixtures/layouts)


def text_of(pdf: Path) -> Path:
    stem = pdf.stem
    for suffix in VARIANTS:
        stem = stem.removesuffix(suffix)
    return FIXTURES / "text" / f"{stem}.txt"


PAIRS = [(pdf, text_of(pdf)) for pdf in sorted((FIXTURES / "pdf").glob("*.pdf"))]


def content(report: Report) -> dict[str, Any]:
    """What must not depend on the input format: everything but provenance (pages too
    must agree: these PDFs are drawn page for page like their text)."""
    return facts(report, {"span", "bbox", "line", "header_raw", "name_raw"})


def test_every_pdf_fixture_has_its_text() -> None:
    assert len(PAIRS) >= 5
    assert all(text.exists() for _, text in PAIRS)


@pytest.mark.parametrize("pdf,text", PAIRS, ids=[p.name for p, _ in PAIRS])
def test_pdf_matches_text(pdf: Path, text: Path) -> None:
    assert content(reportparse.extract(pdf)) == content(reportparse.extract(text))
