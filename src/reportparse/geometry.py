"""What a PDF engine reads from a page: words with boxes, rectangles, ruled tables."""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field

from .document import BBox

# Word grouping, as pdfplumber's `extract_words` does by default, so that both engines
# cut the same characters into the same words.
WORD_X_TOLERANCE = 3.0  # points from one character's right edge to the next one's left
WORD_Y_TOLERANCE = 3.0  # points between the tops of characters of one line


@dataclass(slots=True, frozen=True)
class Word:
    """A run of characters without a gap, in page points (origin top left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def box(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


Char = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom
Matrix = tuple[float, float, float, float, float, float]  # PDF order: x' = a x + c y + e
PdfBox = tuple[float, float, float, float]  # a PDF box in user space: x0, y0, x1, y1


def visible_box(media: PdfBox, crop: PdfBox | None) -> PdfBox:
    """The part of the page a viewer shows: the CropBox clipped to the MediaBox (either
    written with any two opposite corners)."""
    mx0, mx1 = sorted((media[0], media[2]))
    my0, my1 = sorted((media[1], media[3]))
    if crop is None:
        return (mx0, my0, mx1, my1)
    cx0, cx1 = sorted((crop[0], crop[2]))
    cy0, cy1 = sorted((crop[1], crop[3]))
    box = (max(cx0, mx0), max(cy0, my0), min(cx1, mx1), min(cy1, my1))
    return box if box[2] > box[0] and box[3] > box[1] else (mx0, my0, mx1, my1)


def display_matrix(rotation: int, box: PdfBox) -> Matrix:
    """User space to the page as a person sees it: turned by `rotation` degrees clockwise
    (the page's /Rotate), origin at the top left of the visible `box`, y down. Every
    engine gives its words and rulings in these coordinates."""
    x0, y0, x1, y1 = box
    turn = rotation % 360
    if turn == 90:
        return (0.0, 1.0, 1.0, 0.0, -y0, -x0)
    if turn == 180:
        return (-1.0, 0.0, 0.0, 1.0, x1, -y0)
    if turn == 270:
        return (0.0, -1.0, -1.0, 0.0, y1, x1)
    return (1.0, 0.0, 0.0, -1.0, -x0, y1)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) under `m`."""
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass(slots=True)
class RuledTable:
    """A table found from its ruling lines: its box and its rows of cell boxes (None where
    a cell of a wider row spans that column)."""

    bbox: BBox
    rows: list[list[BBox | None]]


@dataclass(slots=True)
class PageGeometry:
    """One page as an engine reads it: everything the layout analysis needs."""

    words: list[Word]
    rects: list[BBox] = field(default_factory=list)  # rectangles drawn (frame candidates)
    tables: list[RuledTable] = field(default_factory=list)
    chars: int = 0  # characters with text
    unmapped: int = 0  # of those, glyphs without a Unicode mapping (shown as (cid:N))
    damage: list[str] = field(default_factory=list)  # repairs the engine made


def _line_clusters(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines: tops within the tolerance of the previous top."""
    lines: list[list[Char]] = []
    last_top = -math.inf
    for char in sorted(chars, key=_top):
        if char[2] - last_top > WORD_Y_TOLERANCE or not lines:
            lines.append([])
        lines[-1].append(char)
        last_top = char[2]
    return lines


_top = operator.itemgetter(2)
_x0 = operator.itemgetter(1)


def words_from_chars(chars: Iterable[Char]) -> list[Word]:
    """Words of a page from its characters: a line's characters left to right, cut at
    white space, at a gap wider than the tolerance, and where text steps backwards.

    A word's box is kept as it grows (the running min and max are what `min` and `max`
    over its characters give), so a character costs a few comparisons."""
    words: list[Word] = []
    for line in _line_clusters([c for c in chars if c[0]]):
        line.sort(key=_x0)
        texts: list[str] = []
        prev: Char | None = None  # the word's last character; None between words
        x0 = top = x1 = bottom = 0.0
        for char in line:
            text, left, up, right, down = char
            if prev is not None and (
                text.isspace()
                or left < prev[1]
                or left > prev[3] + WORD_X_TOLERANCE
                or abs(up - prev[2]) > WORD_Y_TOLERANCE
            ):
                words.append(Word("".join(texts), x0, top, x1, bottom))
                prev = None
            if text.isspace():
                continue
            if prev is None:
                texts = [text]
                x0, top, x1, bottom = left, up, right, down
            else:
                texts.append(text)
                if left < x0:
                    x0 = left
                if up < top:
                    top = up
                if right > x1:
                    x1 = right
                if down > bottom:
                    bottom = down
            prev = char
        if prev is not None:
            words.append(Word("".join(texts), x0, top, x1, bottom))
    return sorted(words, key=lambda w: (w.top, w.x0))
