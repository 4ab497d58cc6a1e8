"""Both PDF engines give the same facts on every PDF fixture.

PDFium (the default) and pdfplumber read each PDF fixture, every rendering and each
readable damaged file; the outputs must be equal apart from bounding boxes within 1 pt
(2 pt for LibreOffice's fonts without metrics) and the characters one engine maps more
faithfully than the other (pdfminer gives 〜 and U+2212 where PDFium gives ～ and －, the
forms the grammar's normalise table folds to).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import reportparse
from reportparse.engines import pdfium as pdfium_engine
from reportparse.engines.pdfium import PdfiumEngine
from reportparse.engines.plumber import PlumberEngine
from reportparse.geometry import apply, display_matrix, visible_box, words_from_chars
from reportparse.grammar import load_grammar
from reportparse.stages.normalise import normalise_text

from .conftest import FIXTURES, ROOT

PDFS = sorted(
    [*(FIXTURES / "pdf").glob("*.pdf"), *(FIXTURES / "renderings").glob("*.pdf")]
    + [FIXTURES / "bad" / n for n in ("damaged_readable.pdf", "mixed_scanned.pdf")]
)
BOX_SLACK = 1.0  # points
# LibreOffice's subset fonts give no ascent and descent: PDFium boxes each glyph to its
# outline, pdfminer to the font's box, and a line's top differs by up to 1.5 pt.
NO_METRICS_SLACK = 2.0


def _differences(a: Any, b: Any, where: str = "", slack: float = BOX_SLACK) -> list[str]:
    """Where two report dumps differ beyond box slack and character folding."""
    grammar = load_grammar()
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}", slack)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        if where.endswith(".bbox"):
            return (
                []
                if all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))
                else [f"{where}: {a} vs {b}"]
            )
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{where}[{i}]", slack)
        ]
    if isinstance(a, str) and isinstance(b, str):
        same = normalise_text(a, grammar) == normalise_text(b, grammar)
        return [] if same else [f"{where}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def _dump(path: Path, engine: str) -> dict[str, Any]:
    data = reportparse.extract(path.relative_to(ROOT), engine=engine).model_dump(mode="json")
    return dict(data)


def test_the_fixtures_cover_every_layout() -> None:
    assert len(PDFS) >= 30


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_both_engines_give_the_same_facts(pdf: Path) -> None:
    pdfium, plumber = _dump(pdf, "pdfium"), _dump(pdf, "pdfplumber")
    if pdf.name == "damaged_readable.pdf":  # only pdfminer reports its repair
        plumber["warnings"] = [w for w in plumber["warnings"] if w["code"] != "pdf.damaged"]
        plumber["summary"]["warnings"].pop("pdf.damaged")
    slack = NO_METRICS_SLACK if "__writer_" in pdf.name else BOX_SLACK
    assert _differences(pdfium, plumber, slack=slack) == []


def test_the_comparison_sees_a_changed_number_and_a_moved_box() -> None:
    base = _dump(FIXTURES / "pdf" / "seed_fy2020.pdf", "pdfium")
    changed = _dump(FIXTURES / "pdf" / "seed_fy2020.pdf", "pdfium")
    changed["initiatives"][0]["indicators"][0]["actual"]["value"] = 2
    changed["initiatives"][0]["span"]["bbox"][0] += 1.5
    found = _differences(base, changed)
    assert len(found) == 2 and "actual.value" in found[0] and "bbox" in found[1]


def _geometry_pairs(pdf: Path) -> list[tuple[Any, Any]]:
    data = pdf.read_bytes()
    a, b = PdfiumEngine(data, pdf.name, None), PlumberEngine(data, pdf.name, None)
    try:
        return [(a.read_page(i), b.read_page(i)) for i in range(a.page_count)]
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize(
    "pdf", [FIXTURES / "pdf" / "seed_fy2020.pdf", FIXTURES / "pdf" / "seed_fy2020_rects.pdf"]
)
def test_pdfium_finds_the_same_ruled_cells_and_frames_as_pdfplumber(pdf: Path) -> None:
    """Tables come from PDFium's path objects through our own ruling analysis; pdfplumber's
    `find_tables` reads the same drawing: the same tables, rows and cells, within 1 pt."""
    for ours, theirs in _geometry_pairs(pdf):
        assert len(ours.tables) == len(theirs.tables) > 0
        for t, u in zip(ours.tables, theirs.tables, strict=True):
            assert [len(r) for r in t.rows] == [len(r) for r in u.rows]
            cells = [
                (c, d)
                for r, s in zip(t.rows, u.rows, strict=True)
                for c, d in zip(r, s, strict=True)
            ]
            assert all((c is None) == (d is None) for c, d in cells)
            assert all(
                abs(x - y) <= BOX_SLACK
                for c, d in cells
                if c and d
                for x, y in zip(c, d, strict=True)
            )
        frames = sorted(r for r in theirs.rects if r[2] - r[0] > 100 and r[3] - r[1] > 30)
        ours_frames = sorted(r for r in ours.rects if r[2] - r[0] > 100 and r[3] - r[1] > 30)
        assert len(frames) == len(ours_frames)


def _first_page(pdf: Path, engine: type[PdfiumEngine] | type[PlumberEngine]) -> Any:
    reader = engine(pdf.read_bytes(), pdf.name, None)
    try:
        return reader.read_page(0)
    finally:
        reader.close()


def _near(a: Any, b: Any, slack: float = 0.01) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("engine", [PdfiumEngine, PlumberEngine], ids=["pdfium", "pdfplumber"])
def test_a_page_is_read_as_a_viewer_shows_it(
    engine: type[PdfiumEngine] | type[PlumberEngine],
) -> None:
    """Coordinates start at the top left of the page as shown: inside its CropBox, turned
    by its /Rotate, wherever its MediaBox starts."""
    folder = FIXTURES / "renderings"
    # portrait_offset_box is portrait_embedded on a MediaBox from (40, 60) with the
    # CropBox 12 pt inside it (tools/pdf_render.py): everything is 12 pt up and left.
    upright = _first_page(folder / "seed_fy2020__portrait_embedded.pdf", engine)
    boxed = _first_page(folder / "seed_fy2020__portrait_offset_box.pdf", engine)
    assert [w.text for w in boxed.words] == [w.text for w in upright.words]
    for moved, word in zip(boxed.words, upright.words, strict=True):
        assert _near(moved.box, [v - 12.0 for v in word.box]), word.text
    assert (
        [
            _near(t.bbox, [v - 12.0 for v in u.bbox])
            for t, u in zip(boxed.tables, upright.tables, strict=True)
        ]
        == [True] * len(upright.tables)
        != []
    )
    # landscape_rotated is landscape_2col_framed stored portrait with /Rotate 90 (and
    # other fonts): its frames and rulings are where the upright page has them.
    turned = _first_page(folder / "seed_fy2020__landscape_rotated.pdf", engine)
    flat = _first_page(folder / "seed_fy2020__landscape_2col_framed.pdf", engine)
    assert len(turned.tables) == len(flat.tables) > 0
    assert all(_near(t.bbox, u.bbox) for t, u in zip(turned.tables, flat.tables, strict=True))
    assert all(_near(r, q) for r, q in zip(sorted(turned.rects), sorted(flat.rects), strict=True))
    assert turned.words[0].text == flat.words[0].text == "■ビジョンに記載している取組"
    assert all(w.x1 <= 842 and w.bottom <= 596 and min(w.x0, w.top) >= 0 for w in turned.words)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270, -90, 450])
def test_the_display_matrix_puts_the_shown_top_left_corner_at_the_origin(rotation: int) -> None:
    box = visible_box((0.0, 0.0, 200.0, 300.0), (10.0, 20.0, 110.0, 220.0))  # 100 x 200
    m = display_matrix(rotation, box)
    top_left = {0: (10.0, 220.0), 90: (10.0, 20.0), 180: (110.0, 20.0), 270: (110.0, 220.0)}
    corner = top_left[rotation % 360]
    opposite = (120.0 - corner[0], 240.0 - corner[1])
    size = (100.0, 200.0) if rotation % 180 == 0 else (200.0, 100.0)
    assert apply(m, *corner) == (0.0, 0.0)
    assert apply(m, *opposite) == size


def test_a_crop_box_outside_the_media_box_is_ignored() -> None:
    assert visible_box((0, 0, 100, 100), (200, 200, 300, 300)) == (0, 0, 100, 100)
    assert visible_box((100, 100, 0, 0), (-5, 10, 50, 120)) == (0, 10, 50, 100)


def test_words_split_at_spaces_gaps_and_lines() -> None:
    chars = [
        ("令", 10.0, 100.0, 17.0, 107.0),
        ("和", 17.0, 100.2, 24.0, 107.0),  # a top within the tolerance: same line
        (" ", 24.0, 100.0, 26.0, 107.0),  # a real space parts words
        ("元", 26.0, 100.0, 33.0, 107.0),
        ("年", 38.0, 100.0, 45.0, 107.0),  # a 5 pt gap: a new word
        ("度", 40.0, 120.0, 47.0, 127.0),  # another line
    ]
    words = words_from_chars(chars)
    assert [w.text for w in words] == ["令和", "元", "年", "度"]
    assert words[0].box == (10.0, 100.0, 24.0, 107.0)


def test_a_page_pdfium_cannot_read_whole_goes_to_pdfplumber(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PDFium drops the text of objects whose glyphs it cannot measure (a font neither
    embedded nor installed): such a page is read by pdfminer instead, so nothing is lost,
    and PDFium's text page, which would be thrown away, is never built."""
    import pypdfium2

    pdf = FIXTURES / "pdf" / "seed_fy2020.pdf"
    calls: list[int] = []
    textpages: list[int] = []
    real = PlumberEngine.read_page
    real_textpage = pypdfium2.PdfPage.get_textpage

    def spy(self: PlumberEngine, index: int) -> Any:
        calls.append(index)
        return real(self, index)

    def spy_textpage(self: Any) -> Any:
        textpages.append(1)
        return real_textpage(self)

    monkeypatch.setattr(PlumberEngine, "read_page", spy)
    monkeypatch.setattr(pypdfium2.PdfPage, "get_textpage", spy_textpage)
    monkeypatch.setattr(pdfium_engine, "_lost_text", lambda c, obj, bounds: True)
    report = reportparse.extract(pdf.relative_to(ROOT), engine="pdfium")
    assert calls == [0, 1]
    assert textpages == []
    assert _differences(report.model_dump(mode="json"), _dump(pdf, "pdfplumber")) == []


def _japanese_font() -> bool:
    """A Japanese font fontconfig knows, which PDFium can stand in for unembedded fonts."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.skipif(
    not _japanese_font(),
    reason="no Japanese system font: PDFium cannot stand in for the fixtures' non-embedded "
    "fonts, and every page goes to pdfplumber (apt-get install fonts-ipafont-gothic)",
)
def test_with_a_japanese_font_pdfium_reads_the_fixtures_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: PlumberEngine, index: int) -> Any:
        raise AssertionError(f"page {index + 1} fell back to pdfplumber")

    monkeypatch.setattr(PlumberEngine, "read_page", refuse)
    for pdf in (FIXTURES / "pdf").glob("*.pdf"):
        assert reportparse.extract(pdf.relative_to(ROOT), engine="pdfium").initiatives


@pytest.mark.parametrize(
    "pdf",
    sorted((FIXTURES / "renderings").glob("*__portrait_embedded.pdf"))
    + sorted((FIXTURES / "renderings").glob("*__landscape_rotated.pdf")),
    ids=lambda p: p.name,
)
def test_pdfium_reads_embedded_fonts_itself_with_or_without_system_fonts(
    pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Subset fonts embedded in the file need no Japanese system font: no page of these
    renderings goes to pdfplumber (PDFium loses no text object), turned or upright."""

    def refuse(self: PlumberEngine, index: int) -> Any:
        raise AssertionError(f"page {index + 1} fell back to pdfplumber")

    monkeypatch.setattr(PlumberEngine, "read_page", refuse)
    assert reportparse.extract(pdf.relative_to(ROOT), engine="pdfium").initiatives
