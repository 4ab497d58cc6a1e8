"""Reading ahead in a child process changes nothing but the time it takes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import reportparse
from reportparse.diagnostics import Diagnostics
from reportparse.engines import readahead
from reportparse.engines.pdfium import PdfiumEngine
from reportparse.errors import PdfError
from reportparse.geometry import PageGeometry
from reportparse.grammar import Grammar, load_grammar
from reportparse.stages import read_pdf

from .conftest import FIXTURES, ROOT

PDFS = [
    *sorted((FIXTURES / "pdf").glob("*.pdf")),
    FIXTURES / "renderings" / "fy2023_reiwa5__portrait_furniture_flow.pdf",
]


def as_read(index: int, geometry: PageGeometry) -> PageGeometry:
    return geometry


@pytest.fixture
def short_files_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "MIN_PAGES", 1)
    if not readahead.can_read_ahead(1):
        pytest.skip("no second core or no fork here: pages are always read in-process")


@pytest.mark.usefixtures("short_files_read_ahead")
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_read_ahead_gives_the_same_report(pdf: Path) -> None:
    path = pdf.relative_to(ROOT)
    ahead = reportparse.extract_bytes(pdf.read_bytes(), name=str(path))
    here = reportparse.extract(path, engine="pdfium", read_ahead=False)
    assert ahead.model_dump() == here.model_dump()


@pytest.mark.usefixtures("short_files_read_ahead")
@pytest.mark.parametrize("readers", [1, 2, 3])
def test_several_readers_give_every_page_in_order(readers: int) -> None:
    """Reader k reads pages k, k + n, ...: the caller still gets each page once, in order,
    as this process reads it, with more readers than pages too."""
    data = (FIXTURES / "pdf" / "fy2023_reiwa5.pdf").read_bytes()
    engine = PdfiumEngine(data, "reiwa5", None)
    here = [engine.read_page(i) for i in range(engine.page_count)]
    ahead = list(readahead.read_ahead(engine, "reiwa5", as_read, readers))
    engine.close()
    assert [[w.text for w in p.words] for p in ahead] == [[w.text for w in p.words] for p in here]
    assert [p.tables for p in ahead] == [p.tables for p in here]


@pytest.mark.usefixtures("short_files_read_ahead")
@pytest.mark.parametrize("ahead", [True, False], ids=["read-ahead", "in-process"])
def test_pattern_timeouts_in_a_reader_reach_this_process(
    monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    """Readers lay out the pages they read, running grammar patterns with their own
    timeout log: what timed out there is logged here, with its page, for the warning."""
    real = read_pdf.page_to_regions

    def timing_out(geometry: PageGeometry, number: int, grammar: Grammar) -> Any:
        grammar.timeouts.entries.append(("layout.header", f"page {number}"))
        return real(geometry, number, grammar)

    monkeypatch.setattr(read_pdf, "page_to_regions", timing_out)
    data = (FIXTURES / "pdf" / "fy2023_reiwa5.pdf").read_bytes()
    grammar = load_grammar()
    document = read_pdf.pdf_to_document(
        data, "reiwa5", None, grammar, Diagnostics(), "pdfium", ahead
    )
    logged = []
    for page in document.pages:
        assert page.regions
        logged.append(grammar.timeouts.take())
    assert logged == [[("layout.header", f"page {n}")] for n in range(1, len(logged) + 1)]
    assert len(logged) > 1


def test_one_reader_per_core_with_enough_pages_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "usable_cores", lambda: 2)
    assert readahead.readers_for(300) == 2
    assert readahead.readers_for(readahead.MIN_PAGES) == 1
    monkeypatch.setattr(readahead, "usable_cores", lambda: 64)
    assert readahead.readers_for(300) == readahead.MAX_READERS


@pytest.mark.usefixtures("short_files_read_ahead")
def test_an_error_on_a_later_page_reaches_the_caller() -> None:
    with pytest.raises(PdfError, match="page 2: its MediaBox has no area"):
        reportparse.extract(FIXTURES / "bad" / "bad_mediabox.pdf")


@pytest.mark.usefixtures("short_files_read_ahead")
def test_a_reader_that_dies_is_an_error_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    def die(self: PdfiumEngine, index: int) -> Any:
        os._exit(3)  # runs in the child: it ends without a word

    monkeypatch.setattr(PdfiumEngine, "read_page", die)
    with pytest.raises(PdfError, match="reader process ended unexpectedly"):
        reportparse.extract(FIXTURES / "pdf" / "seed_fy2020.pdf")


@pytest.mark.usefixtures("short_files_read_ahead")
def test_stopping_early_stops_the_reader() -> None:
    data = (FIXTURES / "pdf" / "seed_fy2020.pdf").read_bytes()
    engine = PdfiumEngine(data, "seed", None)
    pages = readahead.read_ahead(engine, "seed", as_read)
    assert next(pages).words
    pages.close()  # the caller gives up after one page
    engine.close()
    children = [p for p in os.listdir("/proc") if p.isdigit() and _parent(p) == os.getpid()]
    assert children == []


def _parent(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1
