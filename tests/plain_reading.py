"""Plain readings the PDF reader's fast paths must agree with, written the obvious way.

Each function here is the straightforward form of a faster one in src/ (the form the
fast one replaced): one character, word or line at a time, through pypdfium2's typed
calls and Python's `min` and `max`. tests/test_reading_fast_paths.py compares them.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from reportparse.document import BBox, Line, union_of
from reportparse.geometry import WORD_X_TOLERANCE, WORD_Y_TOLERANCE, Char, RuledTable, Word
from reportparse.layout import THRESHOLDS
from reportparse.ruling import CROSS, Segment, ruling_lines


def runs(textpage: Any, page_top: float) -> list[Char]:
    """A text page's glyph runs, a character at a time: a run grows while the next glyph
    stays within the gap of its top, or within its box, and steps on from its last left
    edge; PDFium's own
    spaces are skipped, a real space ends the run and is a run of its own."""
    import pypdfium2.raw as c

    raw = textpage.raw
    rect = c.FS_RECTF()
    out: list[Char] = []
    piece: list[str] = []
    x0 = last_x0 = top = x1 = bottom = 0.0
    gap = WORD_X_TOLERANCE
    for i in range(c.FPDFText_CountChars(raw)):
        ch = chr(c.FPDFText_GetUnicode(raw, i))
        if ch.isspace() and c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect))
        left, up, right, down = rect.left, rect.top, rect.right, rect.bottom
        if ch.isspace():
            if piece:
                out.append(("".join(piece), x0, page_top - top, x1, page_top - bottom))
                piece = []
            out.append((ch, left, page_top - up, right, page_top - down))
            continue
        inside = up <= top + gap and down >= bottom - gap  # a glyph boxed tightly
        if piece and (-gap <= up - top <= gap or inside) and last_x0 <= left <= x1 + gap:
            piece.append(ch)
            last_x0 = left
            x1, top, bottom = max(x1, right), max(top, up), min(bottom, down)
            continue
        if piece:
            out.append(("".join(piece), x0, page_top - top, x1, page_top - bottom))
        piece = [ch]
        x0 = last_x0 = left
        top, x1, bottom = up, right, down
    if piece:
        out.append(("".join(piece), x0, page_top - top, x1, page_top - bottom))
    return out


def words_from_chars(chars: Iterable[Char]) -> list[Word]:
    """Words: characters in lines by top, each line left to right, cut at white space, at
    a wide gap and where text steps back; a word's box by min and max of its characters."""
    lines: list[list[Char]] = []
    last_top: float | None = None
    for char in sorted((c for c in chars if c[0]), key=lambda c: c[2]):
        if last_top is None or char[2] - last_top > WORD_Y_TOLERANCE:
            lines.append([])
        lines[-1].append(char)
        last_top = char[2]
    words: list[Word] = []
    for line in lines:
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


def words_to_lines(words: Sequence[Word], page: int) -> list[Line]:
    """Lines top to bottom, a space where words stand apart, the box their union rounded.
    A word joins the line when its top is near the line's first word's, or its box lies
    within that word's from top to bottom (its bottom up to the tolerance lower)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        first = rows[-1][0] if rows else None
        if first is not None and (
            abs(word.top - first.top) <= THRESHOLDS.line_tolerance
            or first.top <= word.top <= word.bottom <= first.bottom + THRESHOLDS.line_tolerance
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        text = row[0].text
        for prev, word in itertools.pairwise(row):
            text += (" " if word.x0 - prev.x1 > THRESHOLDS.space_gap else "") + word.text
        x0, top, x1, bottom = union_of([w.box for w in row])
        box = (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
        lines.append(Line(raw=text, page=page, line=None, bbox=box))
    return lines


Point = tuple[float, float]


def find_tables(horizontal: Iterable[Segment], vertical: Iterable[Segment]) -> list[RuledTable]:
    """Ruled tables: every pair of lines tested for a crossing, each crossing's smallest
    ruled cell, cells grouped by rescanning for shared corners, rows by a scan."""
    hlines, vlines = ruling_lines(horizontal), ruling_lines(vertical)
    if not hlines or not vlines:
        return []
    points: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vlines):
        for hi, h in enumerate(hlines):
            if (
                h.start - CROSS <= v.at <= h.end + CROSS
                and v.start - CROSS <= h.at <= v.end + CROSS
            ):
                hs, vs = points.setdefault((v.at, h.at), (set(), set()))
                hs.add(hi)
                vs.add(vi)
    return [RuledTable(bbox=union_of(cells), rows=_rows(cells)) for cells in _group(_cells(points))]


def _cells(points: dict[Point, tuple[set[int], set[int]]]) -> list[BBox]:
    ordered = sorted(points)

    def same_h(a: Point, b: Point) -> bool:
        return bool(points[a][0] & points[b][0])

    def same_v(a: Point, b: Point) -> bool:
        return bool(points[a][1] & points[b][1])

    cells: list[BBox] = []
    for corner in ordered:
        below = sorted(
            (p for p in ordered if p[0] == corner[0] and p[1] > corner[1] and same_v(corner, p)),
            key=lambda p: p[1],
        )
        right = [p for p in ordered if p[1] == corner[1] and p[0] > corner[0] and same_h(corner, p)]
        for b in below:
            hit = [
                r
                for r in right
                if (r[0], b[1]) in points and same_h((r[0], b[1]), b) and same_v((r[0], b[1]), r)
            ]
            if hit:
                cells.append((corner[0], corner[1], hit[0][0], b[1]))
                break
    return cells


def _corners(cell: BBox) -> set[Point]:
    x0, top, x1, bottom = cell
    return {(x0, top), (x0, bottom), (x1, top), (x1, bottom)}


def _group(cells: list[BBox]) -> list[list[BBox]]:
    tables: list[list[BBox]] = []
    remaining = list(cells)
    while remaining:
        table = [remaining.pop(0)]
        corners = _corners(table[0])
        grew = True
        while grew:
            grew = False
            for cell in list(remaining):
                if _corners(cell) & corners:
                    corners |= _corners(cell)
                    table.append(cell)
                    remaining.remove(cell)
                    grew = True
        tables.append(table)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[BBox]) -> list[list[BBox | None]]:
    starts = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    return [
        [next((c for c in cells if c[1] == top and c[0] == x), None) for x in starts]
        for top in tops
    ]
