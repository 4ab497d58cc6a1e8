"""The same report as PDF and as text yields the same initiatives, sections, indicators, events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reportparse
from reportparse.models import Report

from .conftest import FIXTURES

PAIRS = [
    (pdf, FIXTURES / "text" / f"{pdf.stem.removesuffix('_rects')}.txt")
    for pdf in sorted((FIXTURES / "pdf").glob("*.pdf"))
    if (FIXTURES / "text" / f"{pdf.stem.removesuffix('_rects')}.txt").exists()
]


def content(report: Report) -> dict[str, Any]:
    """What must not depend on the input format: everything but provenance."""
    drop = {"span", "bbox", "line", "header_raw", "name_raw"}

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in drop}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = report.model_dump(mode="json")
    return strip({k: data[k] for k in ("fiscal_year", "initiatives", "unassigned_indicators")})


def test_there_are_pairs() -> None:
    assert len(PAIRS) >= 3


@pytest.mark.parametrize("pdf,text", PAIRS, ids=[p.name for p, _ in PAIRS])
def test_pdf_matches_text(pdf: Path, text: Path) -> None:
    assert content(reportparse.extract(pdf)) == content(reportparse.extract(text))
