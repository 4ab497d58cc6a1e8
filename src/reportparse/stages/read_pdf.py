"""Read a PDF into a Document through an engine: columns, block frames, ruled tables, cells."""

from __future__ import annotations

import functools
import itertools
import operator
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import lexicon
from ..diagnostics import Diagnostics
from ..document import (
    BBox,
    Document,
    Line,
    Page,
    Region,
    TableRegion,
    TextRegion,
    center_inside,
    union_of,
)
from ..engines import DEFAULT_ENGINE, PdfEngine, guard, open_engine, readahead
from ..errors import NoTextError, PdfError
from ..geometry import PageGeometry, RuledTable, Word
from ..grammar import Grammar
from ..layout import THRESHOLDS, Leaf, reading_order
from ..limits import memory_limit
from .sniff import PDF_MAGIC

CID_SHARE = 0.3  # share of `(cid:N)` glyphs that makes a page unreadable


def rounded(box: tuple[float, float, float, float]) -> BBox:
    """A box in points, to 0.01 pt: finer digits are noise between pdfminer versions."""
    x0, top, x1, bottom = box
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


Centred = tuple[float, float, Word]  # a word's centre (x, y), and the word


def _centred(words: Sequence[Word]) -> list[Centred]:
    """Each word with its centre, worked out once for every box it is tested against."""
    return [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, w) for w in words]


def _within(words: Sequence[Centred], box: BBox) -> list[Centred]:
    """The words whose centre lies in `box` (edges included), in their order."""
    x0, top, x1, bottom = box
    return [c for c in words if x0 <= c[0] <= x1 and top <= c[1] <= bottom]


def _words(centred: Sequence[Centred]) -> list[Word]:
    return [c[2] for c in centred]


def _line_key(word: Word) -> tuple[float, float]:
    return (round(word.top, 1), word.x0)


_x0 = operator.attrgetter("x0")


def words_to_lines(words: Sequence[Word], page: int) -> list[Line]:
    """Group words into lines top to bottom; a gap between words becomes one space.

    A word is on a line when its top is within the tolerance of the line's first word,
    or when its box lies inside that word's box from top to bottom (its bottom up to the
    tolerance lower): a glyph that an engine boxes tightly (PDFium gives `～` of
    Chromium's PDFs a box a fifth of the line's height, and `,` or `。` of LibreOffice's
    a box on the baseline, its tail below it) stays on its line instead of becoming a
    line of its own, and a cell centred between two lines (same height, offset) stays a
    line apart.
    A line's box is its words' union kept as it grows (what `min` and `max` over them
    give), rounded as `rounded` does."""
    if not words:
        return []
    tolerance, space_gap = THRESHOLDS.line_tolerance, THRESHOLDS.space_gap
    rows: list[list[Word]] = []
    row_top = row_bottom = 0.0
    for word in sorted(words, key=_line_key):
        if rows and (
            abs(word.top - row_top) <= tolerance
            or (word.top >= row_top and word.bottom <= row_bottom + tolerance)
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
            row_top, row_bottom = word.top, word.bottom
    lines: list[Line] = []
    for row in rows:
        first = row[0]
        if len(row) == 1:
            text, x0, top, x1, bottom = first.text, first.x0, first.top, first.x1, first.bottom
        else:
            row.sort(key=_x0)
            first = row[0]
            parts = [first.text]
            x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
            prev_x1 = x1
            for word in row[1:]:
                if word.x0 - prev_x1 > space_gap:
                    parts.append(" ")
                parts.append(word.text)
                prev_x1 = word.x1
                if word.x0 < x0:
                    x0 = word.x0
                if word.top < top:
                    top = word.top
                if word.x1 > x1:
                    x1 = word.x1
                if word.bottom > bottom:
                    bottom = word.bottom
            text = "".join(parts)
        box = (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
        lines.append(Line(raw=text, page=page, line=None, bbox=box))
    return lines


def with_blank_lines(lines: list[Line], pitch: float, before: Line | None = None) -> list[Line]:
    """Insert a blank line where the vertical gap is wider than a line pitch (`before`: the
    line read just before these, in another piece of the same column)."""
    out: list[Line] = []
    for prev, line in zip([before, *lines], lines, strict=False):
        gap = line.bbox[1] - prev.bbox[1] if prev and prev.bbox and line.bbox else 0.0
        if pitch > 0 and gap > THRESHOLDS.blank_pitch * pitch:
            out.append(Line(raw="", page=line.page, line=None))
        out.append(line)
    return out


def _pitch(runs: list[list[Line]]) -> float:
    """The line pitch of the page: the lower quartile of the gaps between the tops of
    consecutive lines of each column piece, so a page with many blank lines (double
    gaps) still gets its single-line pitch, and two columns do not interleave."""
    gaps = sorted(
        b.bbox[1] - a.bbox[1]
        for lines in runs
        for a, b in itertools.pairwise(lines)
        if a.bbox and b.bbox and b.bbox[1] > a.bbox[1]
    )
    return gaps[len(gaps) // 4] if gaps else 0.0


def _box_within(inner: BBox, outer: BBox, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _header_groups(lines: list[Line], grammar: Grammar) -> int:
    """How many blocks open among these lines (a run of grouped headers counts once)."""
    groups = 0
    previous_header = False
    for i, line in enumerate(lines):
        is_header = lexicon.header(grammar, line.raw) is not None
        if is_header and not previous_header and lexicon.opens_block(grammar, lines, i):
            groups += 1
        previous_header = is_header
    return groups


Framed = tuple[BBox, list[Word], list[Line]]  # a frame, the words inside, their lines


def _frames(
    rects: list[BBox],
    words: list[Centred],
    tables: list[BBox],
    grammar: Grammar,
    em: float,
    page: int,
) -> list[Framed]:
    """Block frames: the outermost rectangles that hold at most one block's headers (none
    for the part of a block continued from the page before), whatever their width; each
    with the words whose centre it holds and their lines (on `page`), top to bottom."""
    th = THRESHOLDS
    boxes = {
        rounded(r)
        for r in rects
        if r[2] - r[0] >= th.frame_min_width_em * em and r[3] - r[1] >= th.frame_min_height_em * em
    }
    frames: list[Framed] = []
    for box in sorted(boxes, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1])):
        if any(_box_within(box, t) for t in tables) or any(_box_within(box, f[0]) for f in frames):
            continue
        inside = _words(_within(words, box))
        if not inside:
            continue
        lines = words_to_lines(inside, page)
        if _header_groups(lines, grammar) <= 1:
            frames.append((box, inside, lines))
    return sorted(frames, key=lambda f: (f[0][1], f[0][0]))


def _table_regions(
    found: list[RuledTable], words: list[Centred], grammar: Grammar, number: int
) -> list[TableRegion]:
    """Indicator tables: ruled tables (lines or rectangle edges) whose first cell opens a
    table (its first row is read first: a table that does not open is read no further)."""
    regions: list[TableRegion] = []
    for table in found:
        within = _within(words, table.bbox)  # then cell by cell
        rows: list[list[list[Line]]] = []
        for row in table.rows:
            rows.append(
                [
                    words_to_lines(_words(_within(within, cell)), number) if cell else []
                    for cell in row
                ]
            )
            if len(rows) == 1:
                first = next((cell[0] for cell in rows[0] if cell), None)
                if first is None or not lexicon.is_table_start(grammar, first.raw):
                    break
        else:
            if rows:
                regions.append(TableRegion(lines=[], rows=rows, bbox=rounded(table.bbox)))
    return regions


def _split_on_headers(lines: list[Line], grammar: Grammar, box: BBox) -> list[TextRegion]:
    """Without frames, a block spans its column from its first header to the next block's;
    text before the first header (a block continued from before) is a region of its own."""
    x0, top, x1, bottom = box
    regions: list[TextRegion] = [TextRegion(lines=[], bbox=(x0, top, x1, top))]
    header_run = False  # the current region holds only its header lines so far (a group)
    for i, line in enumerate(lines):
        is_header = not line.blank and lexicon.header(grammar, line.raw) is not None
        if is_header and not header_run and line.bbox and lexicon.opens_block(grammar, lines, i):
            regions.append(TextRegion(lines=[], bbox=(x0, line.bbox[1], x1, line.bbox[1])))
            header_run = True
        elif not line.blank and not is_header:
            header_run = False
        regions[-1].lines.append(line)
    for region, nxt in zip(regions, [*regions[1:], None], strict=False):
        if region.bbox is not None:
            end = nxt.bbox[1] if nxt is not None and nxt.bbox else bottom
            region.bbox = rounded((region.bbox[0], region.bbox[1], region.bbox[2], end))
    return [r for r in regions if r.lines]


Item = tuple[str, BBox, Any]  # ("word" | "frame" | "table", box, payload)


def _median_height(words: list[Word]) -> float:
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    return statistics.median(heights) if heights else 10.0


def page_to_regions(geometry: PageGeometry, number: int, grammar: Grammar) -> list[Region]:
    """The regions of one page in reading order (text regions, then tables). Columns come
    from the page's white-space gutters; within a column a block is its frame, or the span
    from its header to the next one."""
    words = _centred(geometry.words)
    em = _median_height(geometry.words)
    tables = _table_regions(geometry.tables, words, grammar, number)
    table_boxes = [t.bbox for t in tables if t.bbox]
    body = words
    for x0, top, x1, bottom in table_boxes:
        body = [c for c in body if not (x0 <= c[0] <= x1 and top <= c[1] <= bottom)]
    found = _frames(geometry.rects, body, table_boxes, grammar, em, number)
    frames = [box for box, _, _ in found]
    items: list[Item] = [("frame", f, f) for f in frames]
    items += [
        ("table", t.bbox, t)
        for t in tables
        if t.bbox and not any(center_inside(t.bbox, f) for f in frames)
    ]
    framed: dict[BBox, list[Word]] = {f: [] for f in frames}
    for cx, cy, word in body:
        for holder in frames:
            if holder[0] <= cx <= holder[2] and holder[1] <= cy <= holder[3]:
                framed[holder].append(word)
                break
        else:
            items.append(("word", word.box, word))
    leaves = reading_order(items, lambda item: item[1], em)
    pieces: list[tuple[Leaf[Item], list[Line]]] = []
    for leaf in leaves:
        loose = [w for kind, _, w in leaf.items if kind == "word"]
        pieces.append((leaf, words_to_lines(loose, number)))
    framed_lines = {  # the lines `_frames` made, unless another frame took some words
        box: lines if _same(framed[box], inside) else words_to_lines(framed[box], number)
        for box, inside, lines in found
    }
    pitch = _pitch([lines for _, lines in pieces] + list(framed_lines.values()))
    text: list[Region] = []
    table_order: list[TableRegion] = []
    last_loose: Line | None = None
    for leaf, loose_lines in pieces:
        placed: list[tuple[float, TextRegion]] = []
        leaf_frames = sorted((box for kind, box, _ in leaf.items if kind == "frame"), key=_top)
        for box in leaf_frames:
            lines = with_blank_lines(framed_lines[box], pitch)
            placed.append((box[1], TextRegion(lines=lines, bbox=box)))
        for run in _runs(loose_lines, leaf_frames):
            previous = None if leaf_frames else last_loose  # frames stand between runs
            last_loose = run[-1]
            column = rounded(leaf.box)
            if leaf_frames:  # the run's own vertical extent, between the frames
                extent = union_of([ln.bbox for ln in run if ln.bbox])
                column = rounded((leaf.box[0], extent[1], leaf.box[2], extent[3]))
            spaced = with_blank_lines(run, pitch, previous)
            for region in _split_on_headers(spaced, grammar, column):
                placed.append((_top(region.lines[0].bbox or column), region))
        text += [region for _, region in sorted(placed, key=lambda p: p[0])]
        for kind, box, payload in sorted(leaf.items, key=lambda i: _top(i[1])):
            if kind == "table":
                table_order.append(payload)
            elif kind == "frame":
                table_order += [t for t in tables if t.bbox and center_inside(t.bbox, box)]
    return [*text, *table_order]


def _same(a: list[Word], b: list[Word]) -> bool:
    """The same words (the very objects) in the same order."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _top(box: BBox) -> float:
    return box[1]


def _runs(lines: list[Line], frames: list[BBox]) -> list[list[Line]]:
    """Loose lines cut into runs that no frame interrupts (frames sorted by top)."""
    runs: list[list[Line]] = []
    slot: int | None = None
    for line in lines:
        top = line.bbox[1] if line.bbox else 0.0
        here = sum(1 for f in frames if f[1] <= top)
        if slot is None or here != slot:
            runs.append([])
            slot = here
        runs[-1].append(line)
    return runs


def _number_lines(regions: list[Region]) -> None:
    """Number the lines of a page 1.. in reading order (text regions, then tables)."""
    counter = 0
    for region in regions:
        groups = [region.lines] + [
            cell for row in getattr(region, "rows", None) or [] for cell in row
        ]
        for group in groups:
            for line in group:
                counter += 1
                line.line = counter


def _damage(diag: Diagnostics, engine: str, messages: list[str], page: int | None) -> None:
    if messages:
        diag.warn(
            "pdf.damaged",
            f"{engine} repaired {len(messages)} problem(s) while reading; first: {messages[0]}",
            page,
        )


@dataclass(slots=True)
class LaidOut:
    """One page read and laid out: its numbered regions, what the engine said of it, and
    the grammar pattern calls that timed out on it (a reader process has its own log)."""

    regions: list[Region]
    damage: list[str]
    chars: int
    unmapped: int
    timeouts: list[tuple[str, str]]


def lay_out(grammar: Grammar, index: int, geometry: PageGeometry) -> LaidOut:
    """The page at `index` laid out into regions, its lines numbered."""
    regions = page_to_regions(geometry, index + 1, grammar)
    _number_lines(regions)
    return LaidOut(
        regions, geometry.damage, geometry.chars, geometry.unmapped, grammar.timeouts.take()
    )


def _read(
    pdf: PdfEngine, engine: str, name: str, grammar: Grammar, ahead: bool
) -> Iterator[LaidOut]:
    """The pages laid out, in order: by child processes reading ahead where that pays
    (each lays out the pages it reads, so this process only parses), or always under a
    memory limit with PDFium, which aborts the process when an allocation fails: the
    child's death is then an out-of-memory error, not ours."""
    prepare = functools.partial(lay_out, grammar)
    isolate = engine == "pdfium" and memory_limit() is not None
    if ahead and readahead.can_read_ahead(pdf.page_count, isolate):
        readers = readahead.readers_for(pdf.page_count)
        yield from readahead.read_ahead(pdf, name, prepare, readers)
    else:
        for index in range(pdf.page_count):
            yield prepare(index, pdf.read_page(index))


def _pages(
    pdf: PdfEngine,
    engine: str,
    name: str,
    grammar: Grammar,
    diag: Diagnostics,
    read_ahead: bool,
) -> Iterator[Page]:
    """Pages one at a time, each closed after use so memory stays flat in the page count."""
    try:
        empty: list[int] = []
        unmapped: list[int] = []
        for number, page in enumerate(_read(pdf, engine, name, grammar, read_ahead), start=1):
            grammar.timeouts.entries += page.timeouts  # warned of with the page's lines
            _damage(diag, engine, page.damage, number)
            if page.chars == 0:
                empty.append(number)
                diag.warn("pdf.page_without_text", "page has no text layer (scanned?)", number)
            elif page.unmapped >= CID_SHARE * page.chars:
                unmapped.append(number)
                diag.warn("pdf.unmappable_text", "page text is (cid:N) glyph codes", number)
            yield Page(number=number, regions=page.regions)
        if len(empty) == pdf.page_count:
            raise NoTextError(f"{name}: PDF has no text layer (scanned?); run OCR on it first")
        if unmapped and len(unmapped) + len(empty) == pdf.page_count:
            raise NoTextError(
                f"{name}: PDF text is unmappable glyph codes (cid:N); its fonts lack Unicode maps"
            )
    finally:
        pdf.close()


def pdf_to_document(
    data: bytes,
    name: str,
    password: str | None,
    grammar: Grammar,
    diag: Diagnostics,
    engine: str = DEFAULT_ENGINE,
    read_ahead: bool = True,
) -> Document:
    """The Document of a PDF read by `engine`; its pages are read lazily, one at a time
    (`read_ahead`: by a child process on a second core, where that pays)."""
    if not data.lstrip()[:1024].startswith(PDF_MAGIC):
        raise PdfError(f"{name}: not a PDF (no %PDF- header)")
    guard.check_streams(data, name)
    pdf = open_engine(engine, data, name, password)
    if pdf.page_count == 0:
        pdf.close()
        raise PdfError(f"{name}: PDF has no pages")
    _damage(diag, engine, pdf.opening_damage, None)
    return Document(
        pages=_pages(pdf, engine, name, grammar, diag, read_ahead),
        format="pdf",
        page_count=pdf.page_count,
    )
