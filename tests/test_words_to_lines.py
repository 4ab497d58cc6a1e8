"""Words grouped into lines: a glyph an engine boxes tightly stays on its line."""

from __future__ import annotations

from reportparse.geometry import Word
from reportparse.stages.read_pdf import words_to_lines


def texts(words: list[Word]) -> list[str]:
    return [line.raw for line in words_to_lines(words, 1)]


def test_a_tightly_boxed_wave_dash_stays_between_its_dates() -> None:
    # PDFium's box for `～` in Chromium's PDFs: 2 pt high, 3 pt below the line's top.
    words = [
        Word("・令和2年10月1日", 40.5, 464.28, 108.47, 472.77),
        Word("～", 109.26, 467.54, 116.18, 469.45),
        Word("2日", 116.96, 464.28, 129.71, 472.77),
        Word("AED研修", 133.96, 464.28, 163.69, 472.77),
        Word("次の行", 40.5, 476.28, 70.0, 484.77),
    ]
    assert texts(words) == ["・令和2年10月1日～2日 AED研修", "次の行"]


def test_a_cell_centred_between_two_lines_is_a_line_of_its_own() -> None:
    # Same height as the lines, half a line down: not inside the first line's box.
    words = [
        Word("圏域への", 40.0, 100.0, 80.0, 108.5),
        Word("Ａ", 200.0, 105.0, 208.5, 113.5),
        Word("立地企業数", 40.0, 110.0, 90.0, 118.5),
    ]
    assert texts(words) == ["圏域への", "Ａ", "立地企業数"]


def test_a_comma_boxed_on_the_baseline_stays_in_its_number() -> None:
    # PDFium's boxes in LibreOffice's PDFs: `,` from the baseline down, 0.3 pt below
    # the digits' bottom.
    words = [
        Word("1", 310.6, 149.03, 315.1, 156.64),
        Word(",", 315.1, 154.46, 319.6, 156.95),
        Word("036人）", 319.6, 148.51, 352.9, 156.64),
    ]
    assert texts(words) == ["1,036人）"]
