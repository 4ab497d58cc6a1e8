"""Both PDF engines give the same facts on every PDF fixture.

PDFium (the default) and pdfplumber read each PDF fixture, every rendering and each
readable damaged file; the outputs must be equal apart from bounding boxes within 1 pt
and the characters one engine maps more faithfully than the other (pdfminer gives 〜 and
U+2212 where PDFium gives ～ and －, the forms the grammar's normalise table folds to).
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
from reportparse.geometry import words_from_chars
from reportparse.grammar import load_grammar
from reportparse.stages.normalise import normalise_text

from .conftest import FIXTURES, ROOT

PDFS = sorted(
    [*(FIXTURES / "pdf").glob("*.pdf"), *(FIXTURES / "renderings").glob("*.pdf")]
    + [FIXTURES / "bad" / n for n in ("damaged_readable.pdf", "mixed_scanned.pdf")]
)
BOX_SLACK = 1.0  # points


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Where two report dumps differ beyond box slack and character folding."""
    grammar = load_grammar()
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        if where.endswith(".bbox"):
            return (
                []
                if all(abs(x - y) <= BOX_SLACK for x, y in zip(a, b, strict=True))
                else [f"{where}: {a} vs {b}"]
            )
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{where}[{i}]")
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
    assert _differences(pdfium, plumber) == []


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
    embedded nor installed): such a page is read by pdfminer instead, so nothing is lost."""
    pdf = FIXTURES / "pdf" / "seed_fy2020.pdf"
    calls: list[int] = []
    real = PlumberEngine.read_page

    def spy(self: PlumberEngine, index: int) -> Any:
        calls.append(index)
        return real(self, index)

    monkeypatch.setattr(PlumberEngine, "read_page", spy)
    monkeypatch.setattr(pdfium_engine, "_lost_text", lambda c, obj, bounds: True)
    report = reportparse.extract(pdf.relative_to(ROOT), engine="pdfium")
    assert calls == [0, 1]
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
