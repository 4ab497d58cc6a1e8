"""The PDF reader's fast paths give what the plain readings in tests/plain_reading.py give.

Every page of every PDF fixture and rendering goes through both, and hypothesis draws
characters, words and ruling segments (ties, touching boxes, shared edges) for the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportparse import lexicon
from reportparse.document import Line, TableRegion
from reportparse.engines.pdfium import PdfiumEngine
from reportparse.engines.plumber import PlumberEngine
from reportparse.geometry import Char, PageGeometry, RuledTable, Word, words_from_chars
from reportparse.grammar import load_grammar
from reportparse.ruling import Segment, find_tables
from reportparse.stages import read_pdf

from . import plain_reading as plain
from .conftest import FIXTURES

PDFS = sorted([*(FIXTURES / "pdf").glob("*.pdf"), *(FIXTURES / "renderings").glob("*.pdf")])
IDS = [f"{p.parent.name}/{p.name}" for p in PDFS]


def _pages(pdf: Path) -> list[tuple[Any, float]]:
    """Each page's text page and the top of its media box, all opened."""
    engine = PdfiumEngine(pdf.read_bytes(), pdf.name, None)
    pages = [engine._doc[i] for i in range(engine.page_count)]
    return [(page.get_textpage(), page.get_mediabox()[3]) for page in pages]


@pytest.mark.parametrize("pdf", PDFS, ids=IDS)
def test_character_runs_are_the_plain_runs(pdf: Path) -> None:
    """`_chars` calls PDFium bare and slices runs out of the page's text: the runs a
    character-at-a-time reading through pypdfium2's typed calls gives, to the bit."""
    engine = PdfiumEngine(pdf.read_bytes(), pdf.name, None)
    for textpage, top in _pages(pdf):
        runs, _ = engine._chars(textpage, top)
        assert runs == plain.runs(textpage, top)
        assert words_from_chars(runs) == plain.words_from_chars(runs)


@pytest.mark.parametrize("pdf", PDFS, ids=IDS)
def test_a_page_is_laid_out_as_the_plain_way_lays_it_out(
    pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines and regions as the plain words_to_lines makes them, every frame's lines made
    afresh (not taken over from the frame test), and every ruled table read whole."""
    grammar = load_grammar()
    data = pdf.read_bytes()
    geometries: list[PageGeometry] = []
    for kind in (PdfiumEngine, PlumberEngine):
        reader = kind(data, pdf.name, None)
        geometries += [reader.read_page(i) for i in range(reader.page_count)]
        reader.close()
    fast = [read_pdf.page_to_regions(g, n, grammar) for n, g in enumerate(geometries, 1)]
    tables = [
        read_pdf._table_regions(g.tables, read_pdf._centred(g.words), grammar, n)
        for n, g in enumerate(geometries, 1)
    ]
    monkeypatch.setattr(read_pdf, "words_to_lines", plain.words_to_lines)
    monkeypatch.setattr(read_pdf, "_same", lambda a, b: False)
    assert fast == [read_pdf.page_to_regions(g, n, grammar) for n, g in enumerate(geometries, 1)]
    assert tables == [_plain_tables(g.tables, g.words, n) for n, g in enumerate(geometries, 1)]


def _plain_tables(found: list[RuledTable], words: list[Word], number: int) -> list[TableRegion]:
    """Every ruled table read cell by cell, kept when its first cell opens a table."""
    grammar = load_grammar()

    def inside(word: Word, box: Any) -> bool:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        return bool(box) and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    regions: list[TableRegion] = []
    for table in found:
        rows = [
            [plain.words_to_lines([w for w in words if inside(w, cell)], number) for cell in row]
            for row in table.rows
        ]
        first = next((cell[0] for cell in rows[0] if cell), None) if rows else None
        if first is not None and lexicon.is_table_start(grammar, first.raw):
            regions.append(TableRegion(lines=[], rows=rows, bbox=read_pdf.rounded(table.bbox)))
    return regions


@pytest.mark.parametrize("pdf", PDFS, ids=IDS)
def test_ruled_tables_are_the_plain_tables(pdf: Path) -> None:
    """The pages' own rulings, through both searches."""
    from reportparse.engines.pdfium import _Drawn

    engine = PdfiumEngine(pdf.read_bytes(), pdf.name, None)
    for i in range(engine.page_count):
        page = engine._doc[i]
        drawn = _Drawn()
        engine._objects(page.raw, drawn, (1.0, 0.0, 0.0, -1.0, 0.0, page.get_mediabox()[3]))
        assert find_tables(drawn.horizontal, drawn.vertical) == plain.find_tables(
            drawn.horizontal, drawn.vertical
        )


# Coordinates on a coarse grid, so that ties, shared edges and exact touches are common.
_coord = st.integers(0, 40).map(lambda n: n * 2.5)
_text = st.sampled_from(["令", "和", "1", " ", "\u3000", "ab", ""])


@st.composite
def _chars(draw: st.DrawFn) -> list[Char]:
    out: list[Char] = []
    for _ in range(draw(st.integers(0, 30))):
        x0, top = draw(_coord), draw(_coord)
        w, h = draw(st.sampled_from([0.0, 1.0, 2.5, 7.0])), draw(st.sampled_from([0.0, 7.0]))
        out.append((draw(_text), x0, top, x0 + w, top + h))
    return out


@settings(max_examples=300, deadline=None)
@given(_chars())
def test_words_from_chars_is_the_plain_grouping(chars: list[Char]) -> None:
    assert words_from_chars(chars) == plain.words_from_chars(chars)


@settings(max_examples=300, deadline=None)
@given(_chars())
def test_words_to_lines_is_the_plain_grouping(chars: list[Char]) -> None:
    words = [Word(t or "x", x0, top, x1, bottom) for t, x0, top, x1, bottom in chars]
    lines: list[Line] = read_pdf.words_to_lines(words, 3)
    assert lines == plain.words_to_lines(words, 3)


_segment = st.builds(
    lambda at, a, b: Segment(at, min(a, b), max(a, b)),
    st.integers(0, 12).map(lambda n: n * 10.0 + n % 3),
    _coord,
    _coord,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_segment, max_size=14), st.lists(_segment, max_size=14))
def test_find_tables_is_the_plain_search(
    horizontal: list[Segment], vertical: list[Segment]
) -> None:
    copy = [Segment(s.at, s.start, s.end) for s in horizontal + vertical]  # _join merges in place
    assert find_tables(horizontal, vertical) == plain.find_tables(
        copy[: len(horizontal)], copy[len(horizontal) :]
    )
