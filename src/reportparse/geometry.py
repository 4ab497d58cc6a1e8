"""What a PDF engine reads from a page: words with boxes, rectangles, ruled tables."""

from __future__ import annotations

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
    last_top: float | None = None
    for char in sorted(chars, key=lambda c: c[2]):
        if last_top is None or char[2] - last_top > WORD_Y_TOLERANCE:
            lines.append([])
        lines[-1].append(char)
        last_top = char[2]
    return lines


def words_from_chars(chars: Iterable[Char]) -> list[Word]:
    """Words of a page from its characters: a line's characters left to right, cut at
    white space, at a gap wider than the tolerance, and where text steps backwards."""
    words: list[Word] = []
    for line in _line_clusters([c for c in chars if c[0]]):
        run: list[Char] = []
        for char in [*sorted(line, key=lambda c: c[1]), ("", 0.0, 0.0, 0.0, 0.0)]:
            prev = run[-1] if run else None
            breaks = (
                not char[0]
                or char[0].isspace()
                or (
                    prev is not None
                    and (
                        char[1] < prev[1]
                        or char[1] > prev[3] + WORD_X_TOLERANCE
                        or abs(char[2] - prev[2]) > WORD_Y_TOLERANCE
                    )
                )
            )
            if breaks and run:
                words.append(
                    Word(
                        "".join(c[0] for c in run),
                        min(c[1] for c in run),
                        min(c[2] for c in run),
                        max(c[3] for c in run),
                        max(c[4] for c in run),
                    )
                )
                run = []
            if char[0] and not char[0].isspace():
                run.append(char)
    return sorted(words, key=lambda w: (w.top, w.x0))
