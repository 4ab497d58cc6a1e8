"""Ruled tables from the page's drawn segments: snap, join, intersect, cells, tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .document import BBox, union_of
from .geometry import RuledTable

SNAP = 3.0  # points: parallel segments this close are one ruling line
JOIN = 3.0  # points: collinear segments with a gap this small are one line
MIN_LENGTH = 3.0  # points: shorter ruling lines are noise (a filled rule's end)
PREFILTER = 1.0  # points: segments shorter than this are dropped before joining
CROSS = 3.0  # points: how far a line may stop short of another and still cross it


@dataclass(slots=True)
class Segment:
    """An axis-parallel segment: `at` is its y (horizontal) or x (vertical); it runs
    from `start` to `end` along the other axis."""

    at: float
    start: float
    end: float


def segments_of_box(box: BBox) -> tuple[list[Segment], list[Segment]]:
    """The four edges of a rectangle: (horizontal, vertical)."""
    x0, top, x1, bottom = box
    return (
        [Segment(top, x0, x1), Segment(bottom, x0, x1)],
        [Segment(x0, top, bottom), Segment(x1, top, bottom)],
    )


def _snap(segments: list[Segment]) -> list[Segment]:
    """Segments whose positions chain within SNAP take their group's mean position."""
    out: list[Segment] = []
    group: list[Segment] = []
    for seg in [*sorted(segments, key=lambda s: s.at), None]:
        if group and (seg is None or seg.at - group[-1].at > SNAP):
            mean = sum(s.at for s in group) / len(group)
            out += [Segment(mean, s.start, s.end) for s in group]
            group = []
        if seg is not None:
            group.append(seg)
    return out


def _join(segments: list[Segment]) -> list[Segment]:
    """Collinear segments that overlap or nearly touch, merged into one."""
    out: list[Segment] = []
    for seg in sorted(segments, key=lambda s: (s.at, s.start)):
        last = out[-1] if out else None
        if last is not None and last.at == seg.at and seg.start <= last.end + JOIN:
            last.end = max(last.end, seg.end)
        else:
            out.append(Segment(seg.at, seg.start, seg.end))
    return out


def ruling_lines(segments: Iterable[Segment]) -> list[Segment]:
    """The ruling lines drawn by a set of parallel segments."""
    kept = [s for s in segments if s.end - s.start >= PREFILTER]
    return [s for s in _join(_snap(kept)) if s.end - s.start >= MIN_LENGTH]


Point = tuple[float, float]


def _crossings(
    hlines: list[Segment], vlines: list[Segment]
) -> dict[Point, tuple[set[int], set[int]]]:
    """Where horizontal and vertical lines cross: each point with the lines through it."""
    points: dict[Point, tuple[set[int], set[int]]] = {}
    reach = [(hi, h.at, h.start - CROSS, h.end + CROSS) for hi, h in enumerate(hlines)]
    for vi, v in enumerate(vlines):
        x, low, high = v.at, v.start - CROSS, v.end + CROSS
        for hi, y, left, right in reach:
            if left <= x <= right and low <= y <= high:
                hs, vs = points.setdefault((x, y), (set(), set()))
                hs.add(hi)
                vs.add(vi)
    return points


def _cells(points: dict[Point, tuple[set[int], set[int]]]) -> list[BBox]:
    """The smallest ruled rectangle from each crossing as its top-left corner: its four
    corners are crossings and its four sides lie on ruling lines."""
    ordered = sorted(points)
    by_x: dict[float, list[Point]] = {}
    by_y: dict[float, list[Point]] = {}
    for p in ordered:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    for column in by_x.values():
        column.sort(key=lambda p: p[1])
    cells: list[BBox] = []
    for corner in ordered:
        x, y = corner
        hs, vs = points[corner]
        below = [p for p in by_x[x] if p[1] > y and not vs.isdisjoint(points[p][1])]
        if not below:
            continue
        right = [p for p in by_y[y] if p[0] > x and not hs.isdisjoint(points[p][0])]
        found = next(
            (
                (x, y, r[0], b[1])
                for b in below
                for r in right
                if (far := points.get((r[0], b[1]))) is not None
                and not far[0].isdisjoint(points[b][0])
                and not far[1].isdisjoint(points[r][1])
            ),
            None,
        )
        if found is not None:
            cells.append(found)
    return cells


def _group(cells: list[BBox]) -> list[list[BBox]]:
    """Cells that share corners, transitively, form one table (at least two cells), each
    in the order it was found; tables from the top left."""
    at_corner: dict[Point, list[int]] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            at_corner.setdefault(corner, []).append(i)
    table_of = [-1] * len(cells)
    tables: list[list[int]] = []
    for start in range(len(cells)):
        if table_of[start] >= 0:
            continue
        table_of[start] = len(tables)
        members, todo = [start], [start]
        while todo:
            x0, top, x1, bottom = cells[todo.pop()]
            for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
                for j in at_corner[corner]:
                    if table_of[j] < 0:
                        table_of[j] = len(tables)
                        members.append(j)
                        todo.append(j)
        tables.append(sorted(members))
    grouped = [[cells[i] for i in members] for members in tables]
    grouped.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in grouped if len(t) > 1]


def _rows(cells: list[BBox]) -> list[list[BBox | None]]:
    """Cells by row (same top), each row a slot per column start of the table."""
    starts = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    at: dict[tuple[float, float], BBox] = {}
    for c in cells:
        at.setdefault((c[1], c[0]), c)  # the first cell with that corner, as a scan finds
    return [[at.get((top, x)) for x in starts] for top in tops]


def find_tables(horizontal: Iterable[Segment], vertical: Iterable[Segment]) -> list[RuledTable]:
    """Tables of ruled cells from a page's horizontal and vertical segments."""
    hlines, vlines = ruling_lines(horizontal), ruling_lines(vertical)
    if not hlines or not vlines:
        return []
    tables: list[RuledTable] = []
    for cells in _group(_cells(_crossings(hlines, vlines))):
        tables.append(RuledTable(bbox=union_of(cells), rows=_rows(cells)))
    return tables
