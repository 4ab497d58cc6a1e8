"""Draw report pages (see ``tools/pdf_layout.py``) onto A4 PDF pages with reportlab.

Page anatomy, top to bottom: optional category lines (``■…``) and one framed box per
initiative block.  In a box the header lines come first (number, a visible gap, title),
then the 【】 sections down the left ~60 %, one text line per source line.  The
indicator tables sit in the right part of their owner's box, level with the sections.

Content stream order mimics the real reports: the frames and text of *all* blocks of a
page come first, the tables (their text, then their rulings) after, in the order the
layout lists them.  Rulings are stroked lines or, with ``rulings="rects"``, thin filled
rectangles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pdf_layout import Block, LayoutError, Page, Rulings, Style, Table
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = A4
BOX_PAD = 6.0  # frame to content
BOX_GAP = 9.0  # between stacked boxes
TEXT_FRACTION = 0.6  # share of the box's inner width used by the 【】 sections
TABLE_GAP = 6.0  # text column to table, and between two tables of one box
CELL_PAD = 2.5
COLUMN_FRACTIONS = (0.33, 0.27, 0.14, 0.26)  # 指標 | 実績値(目標値) | 進捗評価 | 最終目標値
RULE_WIDTH = 0.5
FRAME_WIDTH = 0.8

_registered: set[str] = set()


class Surface(Protocol):
    """The part of reportlab's Canvas the drawer uses (a recorder can stand in)."""

    def setFont(self, psfontname: str, size: float) -> None: ...
    def drawString(self, x: float, y: float, text: str) -> None: ...
    def setLineWidth(self, width: float) -> None: ...
    def line(self, x1: float, y1: float, x2: float, y2: float) -> None: ...
    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int, fill: int
    ) -> None: ...


def register_cid_fonts(*names: str) -> None:
    """Register reportlab's built-in Japanese CID fonts (no font file needed)."""
    for name in names:
        if name not in _registered and name.startswith(("Heisei", "Kozuka")):
            pdfmetrics.registerFont(UnicodeCIDFont(name))
            _registered.add(name)


@dataclass(frozen=True)
class _Text:
    font: str
    size: float
    x: float
    y: float
    text: str


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


class PageDrawer:
    """Draws :class:`Page` objects onto a :class:`Surface`, one call per page."""

    def __init__(self, c: Surface, style: Style, rulings: Rulings, frames: bool = True) -> None:
        self.c = c
        self.s = style
        self.rulings = rulings
        self.frames = frames
        self.x0 = style.margin
        self.x1 = PAGE_W - style.margin
        inner = self.x1 - self.x0 - 2 * BOX_PAD
        self.text_x = self.x0 + BOX_PAD
        self.table_x0 = self.text_x + inner * TEXT_FRACTION + TABLE_GAP
        self.table_x1 = self.x1 - BOX_PAD
        self.text_w = inner * TEXT_FRACTION
        self.tl = style.table_size * 1.35  # table line pitch
        self._font: tuple[str, float] | None = None

    # -- measuring -------------------------------------------------------------------
    def _col_edges(self) -> list[float]:
        edges = [self.table_x0]
        width = self.table_x1 - self.table_x0
        for frac in COLUMN_FRACTIONS:
            edges.append(edges[-1] + width * frac)
        edges[-1] = self.table_x1
        return edges

    def _row_heights(self, table: Table) -> list[float]:
        lines = [max(len(cell) for cell in table.header)]
        lines += [max(len(row.name), 2) for row in table.rows]
        return [n * self.tl + 2 * CELL_PAD for n in lines]

    # -- blocks ----------------------------------------------------------------------
    def _block_texts(self, block: Block, top: float) -> tuple[list[_Text], float, float]:
        """Texts of ``block`` whose frame top is at ``top``; also the y where the
        sections start (tables are level with it) and the y below the last line."""
        s = self.s
        texts: list[_Text] = []
        y = top - BOX_PAD
        for i, header in enumerate(block.headers):
            if i:
                y -= s.leading  # blank line between grouped headers
            y -= s.head_size * 1.25
            texts.append(_Text(s.head_font, s.head_size, self.text_x, y, header.number))
            gap = _width(header.number, s.head_font, s.head_size) + s.head_size * 0.9
            texts.append(_Text(s.head_font, s.head_size, self.text_x + gap, y, header.title))
        y -= s.head_size * 0.35 + s.leading  # blank line after the headers
        sections_top = y
        for section in block.sections:
            y -= s.leading
            texts.append(_Text(s.head_font, s.body_size, self.text_x, y, section.marker))
            for line in section.lines:
                y -= s.leading
                if line:
                    texts.append(_Text(s.body_font, s.body_size, self.text_x, y, line))
        for t in texts[2 * len(block.headers) :]:  # the 【】 sections
            if _width(t.text, t.font, t.size) > self.text_w:
                raise LayoutError(f"line wider than the text column: {t.text!r}")
        return texts, sections_top, y

    def draw(self, page: Page) -> None:
        s = self.s
        c = self.c
        self._font = None  # showPage resets the graphics state
        y = PAGE_H - s.margin
        table_tops: dict[int, float] = {}
        owner_of = {n: block for block in page.blocks for n in block.numbers}
        for block in page.blocks:
            for cat in page.categories:
                first = cat.before is None and block is page.blocks[0]
                if first or (cat.before is not None and owner_of[cat.before] is block):
                    y -= s.head_size * 1.3
                    self._text(_Text(s.head_font, s.head_size, self.x0, y, cat.text))
                    y -= s.head_size * 0.7
            texts, t_top, bottom = self._block_texts(block, y)
            bottom -= s.leading * 0.4  # descenders of the last line
            for i, table in enumerate(page.tables):
                if owner_of[table.owner] is block:
                    table_tops[i] = t_top
                    t_top -= sum(self._row_heights(table)) + TABLE_GAP
            bottom = min(bottom, t_top + TABLE_GAP) - BOX_PAD
            if bottom < s.margin:
                raise LayoutError(
                    f"block {'+'.join(block.numbers)} overflows the page by "
                    f"{s.margin - bottom:.1f}pt; shorten the page or shrink style.leading"
                )
            if self.frames:
                c.setLineWidth(FRAME_WIDTH)
                c.rect(self.x0, bottom, self.x1 - self.x0, y - bottom, stroke=1, fill=0)
            for text in texts:
                self._text(text)
            y = bottom - BOX_GAP
        for i, table in enumerate(page.tables):
            self._table(table, table_tops[i])

    def _text(self, t: _Text) -> None:
        if self._font != (t.font, t.size):
            self.c.setFont(t.font, t.size)
            self._font = (t.font, t.size)
        self.c.drawString(t.x, t.y, t.text)

    # -- tables ----------------------------------------------------------------------
    def _cell_text(
        self,
        lines: tuple[str, ...],
        x0: float,
        x1: float,
        top: float,
        h: float,
        font: str,
        align: str,
    ) -> None:
        size = self.s.table_size
        offset = (h - len(lines) * self.tl) / 2
        for j, line in enumerate(lines):
            if _width(line, font, size) > x1 - x0 - 2 * CELL_PAD:
                raise LayoutError(f"table cell text too wide for its column: {line!r}")
            base = top - offset - j * self.tl - self.tl / 2 - size * 0.35
            left = x0 + CELL_PAD
            x = left if align == "left" else (x0 + x1 - _width(line, font, size)) / 2
            self._text(_Text(font, size, x, base, line))

    def _table(self, table: Table, top: float) -> None:
        s = self.s
        cols = self._col_edges()
        heights = self._row_heights(table)
        for k, cell in enumerate(table.header):
            self._cell_text(cell, cols[k], cols[k + 1], top, heights[0], s.head_font, "center")
        y = top - heights[0]
        for row, h in zip(table.rows, heights[1:], strict=True):
            cells = (row.name, (row.actual, row.target), (row.grade,), (row.final,))
            for k, cell in enumerate(cells):
                align = "left" if k == 0 else "center"
                self._cell_text(cell, cols[k], cols[k + 1], y, h, s.body_font, align)
            y -= h
        self._rulings(cols, [top - sum(heights[:i]) for i in range(len(heights) + 1)])

    def _rulings(self, xs: list[float], ys: list[float]) -> None:
        c = self.c
        segments = [(xs[0], y, xs[-1], y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in xs]
        if self.rulings == "lines":
            c.setLineWidth(RULE_WIDTH)
            for x0, y0, x1, y1 in segments:
                c.line(x0, y0, x1, y1)
            return
        half = RULE_WIDTH / 2
        for x0, y0, x1, y1 in segments:
            left, right = min(x0, x1) - half, max(x0, x1) + half
            low, high = min(y0, y1) - half, max(y0, y1) + half
            c.rect(left, low, right - left, high - low, stroke=0, fill=1)


def new_canvas(path: Path, title: str, encrypt: str | None = None) -> Canvas:
    """A deterministic A4 canvas (fixed dates and document id)."""
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1, encrypt=encrypt)
    c.setTitle(title)
    c.setAuthor("reportparse fixtures")
    c.setCreator("tools/make_pdf_fixtures.py")
    return c


def draw_pages(
    c: Canvas, pages: Iterable[Page], style: Style, rulings: Rulings, frames: bool = True
) -> None:
    """Draw each page onto ``c``, ending each with ``showPage``."""
    register_cid_fonts(style.body_font, style.head_font)
    drawer = PageDrawer(c, style, rulings, frames)
    for page in pages:
        drawer.draw(page)
        c.showPage()


def write_pdf(
    path: Path,
    pages: Iterable[Page],
    style: Style,
    rulings: Rulings,
    title: str,
    encrypt: str | None = None,
    frames: bool = True,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    c = new_canvas(path, title, encrypt)
    draw_pages(c, pages, style, rulings, frames)
    c.save()
