"""Page geometry for the PDF reader: white-space gutters, columns and reading order.

Reading order comes from a recursive cut of the page at its white-space gutters
(an XY-cut that prefers columns): a vertical gutter wide enough and tall enough splits
the items into a left and a right part, read in that order; the few items that cross
the gutter (a running title, a full-width heading, a page number) cut the page into
bands first. A set of items with no gutter is a leaf, read top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .document import BBox, union_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every layout threshold in one place. `em` is the page's median word height, so
    the thresholds follow the type size rather than absolute points."""

    gutter_em: float = 1.5  # a column gutter is at least this wide
    column_min_width_em: float = 4.0  # each side of a gutter is at least this wide
    column_min_height_em: float = 2.5  # ... and this tall (more than one line)
    crossing_share: float = 0.02  # share of items that may cross a gutter
    crossing_min: int = 3  # ... but always this many (a title of a few words)
    crossing_max_height_em: float = 2.0  # what crosses a gutter is one line high
    spanning_share: float = 0.5  # a one-line item this wide may cross a gutter
    frame_min_width_em: float = 6.0  # a block frame is at least this wide
    frame_min_height_em: float = 3.0  # ... and this tall
    line_tolerance: float = 2.5  # points between word tops that still share a line
    space_gap: float = 1.0  # points between words that stand for a space
    blank_pitch: float = 1.6  # a gap this many line pitches wide stands for a blank line


THRESHOLDS = Thresholds()


@dataclass(slots=True)
class Leaf(Generic[T]):
    """Items read as one column piece, and the box around them."""

    items: list[T]
    box: BBox


def _gaps(boxes: Sequence[BBox]) -> list[tuple[float, float]]:
    """x-intervals that no box covers, between the first box's right edge and the last
    box's left edge, widest first."""
    gaps: list[tuple[float, float]] = []
    reach: float | None = None
    for x0, _, x1, _ in sorted(boxes):
        if reach is not None and x0 > reach:
            gaps.append((reach, x0))
        reach = x1 if reach is None else max(reach, x1)
    return sorted(gaps, key=lambda g: g[0] - g[1])


def find_gutter(
    boxes: Sequence[BBox], em: float, th: Thresholds = THRESHOLDS
) -> tuple[float, float] | None:
    """The widest vertical gutter that splits the boxes into two real columns.

    A few one-line boxes may cross it (a running title, a full-width heading) or stand in
    it (a page number); they are left out when looking for gaps, then checked."""
    if len(boxes) < 2:
        return None
    span = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    thin = th.crossing_max_height_em * em

    def loose(b: BBox) -> bool:
        wide = b[2] - b[0]
        return b[3] - b[1] <= thin and (wide >= th.spanning_share * span or wide <= 2 * em)

    allowed = max(th.crossing_min, int(th.crossing_share * len(boxes)))
    for g0, g1 in _gaps([b for b in boxes if not loose(b)]):
        if g1 - g0 < th.gutter_em * em:
            return None
        crossing = [b for b in boxes if b[2] > g0 and b[0] < g1]
        if len(crossing) > allowed or any(
            b[3] - b[1] > thin  # a frame, a table, a paragraph
            or ((b[0] < g0) != (b[2] > g1))  # reaches into the gutter from one side only
            for b in crossing
        ):
            continue
        left = [b for b in boxes if b[2] <= g0]
        right = [b for b in boxes if b[0] >= g1]
        if _column(left, em, th) and _column(right, em, th):
            return g0, g1
    return None


def _column(boxes: list[BBox], em: float, th: Thresholds) -> bool:
    if not boxes:
        return False
    x0, top, x1, bottom = union_of(boxes)
    return x1 - x0 >= th.column_min_width_em * em and bottom - top >= th.column_min_height_em * em


def reading_order(
    items: Sequence[T], box: Callable[[T], BBox], em: float, th: Thresholds = THRESHOLDS
) -> list[Leaf[T]]:
    """The items cut into leaves in reading order (see the module docstring)."""
    if not items:
        return []
    boxes = [box(i) for i in items]
    gutter = find_gutter(boxes, em, th)
    if gutter is None:
        return [Leaf(list(items), union_of(boxes))]
    g0, g1 = gutter
    crossing = [i for i, b in zip(items, boxes, strict=True) if b[2] > g0 and b[0] < g1]
    if not crossing:
        left = [i for i, b in zip(items, boxes, strict=True) if b[2] <= g0]
        right = [i for i, b in zip(items, boxes, strict=True) if b[0] >= g1]
        return reading_order(left, box, em, th) + reading_order(right, box, em, th)
    return _bands(items, crossing, box, em, th)


def _bands(
    items: Sequence[T], crossing: list[T], box: Callable[[T], BBox], em: float, th: Thresholds
) -> list[Leaf[T]]:
    """Cut the page into bands at the rows of items that cross the gutter; each such row,
    with whatever else stands on it, is a leaf between the bands above and below it."""
    rows: list[tuple[float, float]] = []
    for b in sorted((box(i) for i in crossing), key=lambda b: b[1]):
        if rows and b[1] < rows[-1][1]:
            rows[-1] = (rows[-1][0], max(rows[-1][1], b[3]))
        else:
            rows.append((b[1], b[3]))
    rest = list(items)
    out: list[Leaf[T]] = []
    for top, bottom in rows:
        above = [i for i in rest if (box(i)[1] + box(i)[3]) / 2 < top]
        row = [i for i in rest if top <= (box(i)[1] + box(i)[3]) / 2 <= bottom]
        taken = {id(i) for i in above + row}
        rest = [i for i in rest if id(i) not in taken]
        out += reading_order(above, box, em, th)
        if row:
            out.append(Leaf(row, union_of([box(i) for i in row])))
    out += reading_order(rest, box, em, th)
    return out
