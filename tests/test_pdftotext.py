"""Text from poppler's pdftotext, `-raw` and `-layout`, gives the indicators of the
stream-order text: same rows, values, grades, years and owners, and no warnings.

The texts are committed (`fixtures/cases/pdftotext/`, written by
`tools/make_pdftotext_fixtures.py`), so these tests need no poppler.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reportparse
from reportparse.models import Indicator, Report

from .conftest import FIXTURES

PDFTOTEXT = FIXTURES / "cases" / "pdftotext"
VARIANTS = ("_rects", "_noframes")  # other drawings of one report (see fixtures/layouts)
MODES = ("raw", "layout")


def base_stem(pdf: Path) -> str:
    stem = pdf.stem
    for suffix in VARIANTS:
        stem = stem.removesuffix(suffix)
    return stem


STEMS = sorted({base_stem(pdf) for pdf in (FIXTURES / "pdf").glob("*.pdf")})


def row(owner: int | None, ind: Indicator) -> tuple[Any, ...]:
    def q(value: Any) -> Any:
        return value.model_dump(mode="json") if value is not None else None

    return (
        owner,
        ind.name,
        q(ind.actual),
        q(ind.target),
        ind.grade,
        q(ind.final_target),
        ind.actual_year,
        ind.target_year,
        ind.final_target_year,
    )


def indicators(report: Report) -> list[tuple[Any, ...]]:
    """Every indicator with its owner's number, in a stable order."""
    out = [row(i.number, ind) for i in report.initiatives for ind in i.indicators]
    out += [row(None, ind) for ind in report.unassigned_indicators]
    return sorted(out, key=repr)


def content(report: Report, also: set[str] | None = None) -> Any:
    """The report without provenance (spans, raw text) and without the keys in `also`."""
    drop = {"span", "bbox", "line", "header_raw", "name_raw"} | (also or set())

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in drop}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = report.model_dump(mode="json")
    keys = ("fiscal_year", "initiatives", "unassigned_indicators", "warnings")
    return strip({k: data[k] for k in keys})


def test_every_pdf_fixture_has_its_pdftotext_texts() -> None:
    assert STEMS
    for stem in STEMS:
        for mode in MODES:
            assert (PDFTOTEXT / f"{stem}.{mode}.txt").is_file(), f"{stem}.{mode}.txt"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stem", STEMS)
def test_pdftotext_gives_the_same_indicators(stem: str, mode: str) -> None:
    expected = reportparse.extract(FIXTURES / "text" / f"{stem}.txt")
    got = reportparse.extract(PDFTOTEXT / f"{stem}.{mode}.txt")
    assert indicators(got) == indicators(expected)
    assert len(indicators(got)) == sum(len(i.indicators) for i in expected.initiatives)
    assert [w.code for w in got.warnings] == [w.code for w in expected.warnings]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stem", STEMS)
def test_pdftotext_gives_the_same_initiatives(stem: str, mode: str) -> None:
    expected = reportparse.extract(FIXTURES / "text" / f"{stem}.txt")
    got = reportparse.extract(PDFTOTEXT / f"{stem}.{mode}.txt")
    assert got.fiscal_year == expected.fiscal_year
    assert [(i.number, i.title, i.group) for i in got.initiatives] == [
        (i.number, i.title, i.group) for i in expected.initiatives
    ]


@pytest.mark.parametrize("stem", STEMS)
def test_layout_text_gives_the_same_content(stem: str) -> None:
    """After the column split, -layout text reads like the stream-order text throughout."""
    expected = reportparse.extract(FIXTURES / "text" / f"{stem}.txt")
    got = reportparse.extract(PDFTOTEXT / f"{stem}.layout.txt")
    assert content(got) == content(expected)


@pytest.mark.parametrize("stem", STEMS)
def test_raw_text_differs_only_in_paragraph_joining(stem: str) -> None:
    """-raw text has no blank lines, so a results item may run on into the next lines
    (the sections stage's paragraph joining); everything else is the same."""
    drop = {"text", "items"}
    expected = reportparse.extract(FIXTURES / "text" / f"{stem}.txt")
    got = reportparse.extract(PDFTOTEXT / f"{stem}.raw.txt")
    assert content(got, drop) == content(expected, drop)
