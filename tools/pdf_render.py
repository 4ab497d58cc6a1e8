"""Draw report pages (see ``tools/pdf_layout.py``) onto A4 PDF pages with reportlab.

Page anatomy, top to bottom: optional category lines (``■…``) and one framed box per
initiative block.  In a box the header lines come first (number, a visible gap, title),
then the 【】 sections down the left ~60 %, one text line per source line.  The
indicator tables sit in the right part of their owner's box, level with the sections.

Content stream order mimics the real reports: the frames and text of *all* blocks of a
page come first, the tables (their text, then their rulings) after, in the order the
layout lists them.  Rulings are stroked lines or, with ``rulings="rects"``, thin filled
rectangles.

The standard renderings also vary how the file is written (``pdf_layout.Rendering``):
embedded TrueType subsets instead of CID fonts, pages stored turned with ``/Rotate``, a
MediaBox and CropBox away from the origin, kerned ``TJ`` arrays and glyph-by-glyph text,
rulings as one path of many subpaths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from pdf_layout import Block, LayoutError, Page, Rendering, Rulings, Style, Table
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
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

# Debian's fonts-ipafont-mincho / fonts-ipafont-gothic; the PDFs embed subsets of them.
IPA_MINCHO = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")
IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
EMBEDDED_FONTS = {
    "HeiseiMin-W3": ("IPAMincho", IPA_MINCHO),
    "HeiseiKakuGo-W5": ("IPAGothic", IPA_GOTHIC),
}
MEDIA_ORIGIN = (40.0, 60.0)  # offset_box: where the MediaBox starts
CROP_INSET = 12.0  # offset_box: the CropBox inside the MediaBox on every side
KERN = 20  # kerned: thousandths of an em taken between two glyphs of a TJ array


class Surface(Protocol):
    """The part of reportlab's Canvas the drawer uses (a recorder can stand in)."""

    def setFont(self, psfontname: str, size: float) -> None: ...
    def drawString(self, x: float, y: float, text: str) -> None: ...
    def setLineWidth(self, width: float) -> None: ...
    def line(self, x1: float, y1: float, x2: float, y2: float) -> None: ...
    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int, fill: int
    ) -> None: ...


def embedded_style(style: Style) -> Style:
    """``style`` with its CID fonts replaced by embedded IPA TrueType fonts."""
    fonts = {}
    for name in (style.body_font, style.head_font):
        if name not in EMBEDDED_FONTS:
            raise LayoutError(f"no embedded font stands in for {name!r}")
        ttf, path = EMBEDDED_FONTS[name]
        if not path.exists():
            raise LayoutError(
                f"{path} missing: apt-get install fonts-ipafont-mincho fonts-ipafont-gothic"
            )
        if ttf not in _registered:
            pdfmetrics.registerFont(TTFont(ttf, str(path)))
            _registered.add(ttf)
        fonts[name] = ttf
    return replace(style, body_font=fonts[style.body_font], head_font=fonts[style.head_font])


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

    def __init__(
        self,
        c: Surface,
        style: Style,
        rulings: Rulings,
        frames: bool = True,
        rendering: Rendering | None = None,
    ) -> None:
        self.c = c
        self.s = style
        self.rulings = rulings
        self.frames = frames
        self.kerned = rendering is not None and rendering.kerned
        self.rule_path = rendering is not None and rendering.rule_path
        self.page_matrix: tuple[float, ...] | None = None  # applied at the top of each page
        if rendering is not None and rendering.offset_box:
            self.page_matrix = (1.0, 0.0, 0.0, 1.0, *MEDIA_ORIGIN)
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

    def begin_page(self) -> None:
        """Start a page: the graphics state is fresh, the page's own matrix applied."""
        self._font = None  # showPage resets the graphics state
        if self.page_matrix is not None:
            assert isinstance(self.c, Canvas)
            self.c.transform(*self.page_matrix)

    def draw(self, page: Page) -> None:
        s = self.s
        c = self.c
        self.begin_page()
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
            self._texts(texts)
            y = bottom - BOX_GAP
        for i, table in enumerate(page.tables):
            self._table(table, table_tops[i])

    def _text(self, t: _Text) -> None:
        if self._font != (t.font, t.size):
            self.c.setFont(t.font, t.size)
            self._font = (t.font, t.size)
        self.c.drawString(t.x, t.y, t.text)

    def _texts(self, texts: list[_Text]) -> None:
        """Block texts; ``kerned``: those sharing a baseline and font as one TJ array."""
        if not self.kerned:
            for t in texts:
                self._text(t)
            return
        run: list[_Text] = []
        for t in [*texts, None]:
            if run and (t is None or (t.y, t.font, t.size) != (run[0].y, run[0].font, run[0].size)):
                self._tj(run)
                run = []
            if t is not None:
                run.append(t)

    def _tj(self, pieces: list[_Text]) -> None:
        """One text object showing ``pieces`` (one baseline, one embedded font) as TJ
        arrays: ``KERN`` taken between glyphs, the gap before a piece a displacement."""
        c = self.c
        assert isinstance(c, Canvas)
        first = pieces[0]
        font = pdfmetrics.getFont(first.font)
        if not font._dynamicFont:
            raise LayoutError(f"kerned text needs an embedded font, not {first.font!r}")
        obj = c.beginText(first.x, first.y)
        obj.setFont(first.font, first.size)
        code: list[str] = []
        array: list[str] = []
        subset_now = None
        pen = first.x
        for k, t in enumerate(pieces):
            if k:
                array.append(fp_str((pen - t.x) * 1000 / t.size))
                pen = t.x
            for j, ch in enumerate(t.text):
                if j:
                    array.append(str(KERN))
                    pen -= KERN * t.size / 1000
                for subset, data in font.splitString(ch, c._doc):
                    if subset != subset_now:
                        if array:
                            code.append(f"[{' '.join(array)}] TJ")
                            array = []
                        name = font.getSubsetInternalName(subset, c._doc)
                        code.append(f"{name} {fp_str(t.size)} Tf")
                        subset_now = subset
                    array.append(f"({c._escape(data)})")
                pen += _width(ch, t.font, t.size)
        if array:
            code.append(f"[{' '.join(array)}] TJ")
        obj._code.extend(code)
        c.drawText(obj)

    def _glyphs(self, t: _Text) -> None:
        """``t`` one glyph per text object, each placed on its own."""
        x = t.x
        for ch in t.text:
            self._text(_Text(t.font, t.size, x, t.y, ch))
            x += _width(ch, t.font, t.size)

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
            (self._glyphs if self.kerned else self._text)(_Text(font, size, x, base, line))

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
        path = None
        if self.rule_path:
            assert isinstance(c, Canvas)
            path = c.beginPath()
        if self.rulings == "lines":
            c.setLineWidth(RULE_WIDTH)
            for x0, y0, x1, y1 in segments:
                if path is None:
                    c.line(x0, y0, x1, y1)
                else:
                    path.moveTo(x0, y0)
                    path.lineTo(x1, y1)
        else:
            half = RULE_WIDTH / 2
            for x0, y0, x1, y1 in segments:
                left, right = min(x0, x1) - half, max(x0, x1) + half
                low, high = min(y0, y1) - half, max(y0, y1) + half
                if path is None:
                    c.rect(left, low, right - left, high - low, stroke=0, fill=1)
                else:
                    path.rect(left, low, right - left, high - low)
        if path is not None:
            assert isinstance(c, Canvas)
            lines = self.rulings == "lines"
            c.drawPath(path, stroke=int(lines), fill=int(not lines))


def new_canvas(
    path: Path,
    title: str,
    encrypt: str | None = None,
    pagesize: tuple[float, float] = A4,
    rendering: Rendering | None = None,
) -> Canvas:
    """A deterministic canvas (fixed dates and document id); a ``rendering`` may store
    its pages turned (``/Rotate``, the MediaBox portrait) or on boxes away from (0, 0)."""
    c = Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1, encrypt=encrypt)
    if rendering is not None and rendering.rotate:
        c.setPageRotation(rendering.rotate)  # reportlab then writes the MediaBox turned
    if rendering is not None and rendering.offset_box:
        ox, oy = MEDIA_ORIGIN
        w, h = pagesize
        media = [ox, oy, ox + w, oy + h]
        i = CROP_INSET
        c.setCropBox((ox + i, oy + i, ox + w - i, oy + h - i))
        add = c._doc.addPage

        def add_with_media_box(page: pdfdoc.PDFPage) -> None:
            page.MediaBox = pdfdoc.PDFArray(media)
            add(page)

        c._doc.addPage = add_with_media_box
    c.setTitle(title)
    c.setAuthor("reportparse fixtures")
    c.setCreator("tools/make_pdf_fixtures.py")
    return c


def draw_pages(
    c: Canvas,
    pages: Iterable[Page],
    style: Style,
    rulings: Rulings,
    frames: bool = True,
    rendering: Rendering | None = None,
) -> None:
    """Draw each page onto ``c``, ending each with ``showPage``."""
    register_cid_fonts(style.body_font, style.head_font)
    drawer = PageDrawer(c, style, rulings, frames, rendering)
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
    rendering: Rendering | None = None,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    c = new_canvas(path, title, encrypt, rendering=rendering)
    draw_pages(c, pages, style, rulings, frames, rendering)
    c.save()


# ---------------------------------------------------------------------------------------
# Standard renderings (pdf_layout.RENDERINGS): the same report in other page layouts.
# ---------------------------------------------------------------------------------------
LANDSCAPE_MARGIN = 20.0  # landscape columns are (842 - 2 * 20 - 12) / 2 = 395pt wide
COLUMN_GAP = 12.0
TITLE_SIZE = 6.5  # running title and page number
FURNITURE_BAND = 12.0  # content area given up at top and bottom for the furniture


@dataclass(frozen=True)
class _Row:
    """One text line of a block's 【】 sections ("" = a blank line)."""

    section: int
    marker: bool
    text: str


@dataclass(frozen=True)
class _Part:
    """A framed box on a page: a whole block or the piece of a block split over pages."""

    block: Block
    headers: bool  # the block's first (or only) part
    rows: tuple[_Row, ...]
    tables: tuple[int, ...]  # indexes into the report's table list; only on the last part


@dataclass
class _PagePlan:
    items: list[tuple[str, float, float, object]]  # ("cat", x, y, text) | ("part", x0, top, part)
    has_category: bool = False


class RenderingDrawer(PageDrawer):
    """Draws a whole report as one :class:`pdf_layout.Rendering`.

    Geometry: portrait or landscape A4, one or two columns.  Each column is filled top
    to bottom with the ■ lines and blocks in layout order; a block that does not fit in
    what is left of a column goes to the next column (or page).  Without ``flow`` every
    layout page starts a new PDF page and must fit on it; with ``flow`` the page breaks
    are ignored and a block that does not fit is split between two rows of its sections
    (headers on the first part only, its tables on the last part).  Stream order per
    page: running title, then ■ lines, frames and texts in reading order, then the
    tables of the page in layout order, then the page number.
    """

    def __init__(
        self, c: Surface, style: Style, rulings: Rulings, rendering: Rendering, title: str
    ) -> None:
        super().__init__(c, style, rulings, rendering.frames, rendering)
        self.r = rendering
        self.title = title
        if rendering.orientation == "landscape":
            self.page_w, self.page_h = PAGE_H, PAGE_W
            margin = LANDSCAPE_MARGIN
        else:
            self.page_w, self.page_h = PAGE_W, PAGE_H
            margin = style.margin
        self.margin = margin
        band = FURNITURE_BAND if rendering.furniture else 0.0
        self.top = self.page_h - margin - band
        self.bottom = margin + band
        n = rendering.columns
        self.col_w = (self.page_w - 2 * margin - (n - 1) * COLUMN_GAP) / n
        inner = self.col_w - 2 * BOX_PAD
        self.text_w = inner * TEXT_FRACTION if rendering.tables == "right" else inner
        self.flow_bottom = self.bottom
        if rendering.rotate == 90:  # the landscape page (X, Y) on a portrait MediaBox
            self.page_matrix = (0.0, 1.0, -1.0, 0.0, self.page_h, 0.0)

    def column_x(self, i: int) -> tuple[float, float]:
        x0 = self.margin + i * (self.col_w + COLUMN_GAP)
        return x0, x0 + self.col_w

    # -- measuring -------------------------------------------------------------------
    def _rows(self, block: Block) -> tuple[_Row, ...]:
        rows = []
        for k, section in enumerate(block.sections):
            rows.append(_Row(k, True, section.marker))
            rows += [_Row(k, False, line) for line in section.lines]
        return tuple(rows)

    def _cat_height(self) -> float:
        return self.s.head_size * 2.0

    def _layout_part(
        self, part: _Part, tables: list[Table], x0: float, top: float
    ) -> tuple[list[_Text], list[tuple[int, float, float, float]], float]:
        """Texts, table placements (index, x0, x1, top) and frame bottom of ``part``."""
        s = self.s
        text_x = x0 + BOX_PAD
        texts: list[_Text] = []
        y = top - BOX_PAD
        if part.headers:
            for i, header in enumerate(part.block.headers):
                if i:
                    y -= s.leading
                y -= s.head_size * 1.25
                texts.append(_Text(s.head_font, s.head_size, text_x, y, header.number))
                gap = _width(header.number, s.head_font, s.head_size) + s.head_size * 0.9
                texts.append(_Text(s.head_font, s.head_size, text_x + gap, y, header.title))
            y -= s.head_size * 0.35 + s.leading
        sections_top = y
        for row in part.rows:
            y -= s.leading
            if row.text:
                font = s.head_font if row.marker else s.body_font
                texts.append(_Text(font, s.body_size, text_x, y, row.text))
                if _width(row.text, font, s.body_size) > self.text_w:
                    raise LayoutError(f"line wider than the text column: {row.text!r}")
        bottom = y - s.leading * 0.4
        inner_x1 = x0 + self.col_w - BOX_PAD
        if self.r.tables == "right":
            tx0, t_top = text_x + (inner_x1 - text_x) * TEXT_FRACTION + TABLE_GAP, sections_top
        else:
            tx0, t_top = text_x, bottom - TABLE_GAP
        placed = []
        for i in part.tables:
            placed.append((i, tx0, inner_x1, t_top))
            t_top -= sum(self._row_heights(tables[i])) + TABLE_GAP
        if part.tables:
            bottom = min(bottom, t_top + TABLE_GAP)
        return texts, placed, bottom - BOX_PAD

    def _height(self, part: _Part, tables: list[Table]) -> float:
        return self.page_h - self._layout_part(part, tables, 0.0, self.page_h)[2]

    # -- pagination ------------------------------------------------------------------
    def plan(self, pages: tuple[Page, ...]) -> list[_PagePlan]:
        """Place every ■ line and block part; one plan per PDF page."""
        tables: list[Table] = [t for page in pages for t in page.tables]
        plans: list[_PagePlan] = []
        col = 0
        y = 0.0
        first = 0  # index into ``tables`` of the current layout page's first table

        def new_page() -> None:
            nonlocal col, y
            plans.append(_PagePlan(items=[]))
            col, y = 0, self.top

        def advance() -> None:
            nonlocal col, y
            if col + 1 < self.r.columns:
                col, y = col + 1, self.top
            else:
                new_page()

        def fits(h: float) -> bool:
            return y - h >= self.flow_bottom

        new_page()
        for pno, page in enumerate(pages):
            if pno and not self.r.flow:
                new_page()
            owner_of = {n: block for block in page.blocks for n in block.numbers}
            for bno, block in enumerate(page.blocks):
                cats = [
                    cat.text
                    for cat in page.categories
                    if (cat.before is None and bno == 0)
                    or (cat.before is not None and owner_of[cat.before] is block)
                ]
                own = tuple(
                    first + i for i, t in enumerate(page.tables) if owner_of[t.owner] is block
                )
                rows = self._rows(block)
                whole = _Part(block, True, rows, own)
                need = len(cats) * self._cat_height() + self._height(whole, tables)
                if not fits(need) and y != self.top and not self.r.flow:
                    if col + 1 == self.r.columns:
                        raise LayoutError(
                            f"{self.r.name}: layout page {pno + 1} does not fit on one page "
                            f"(block {'+'.join(block.numbers)})"
                        )
                    advance()
                parts = [whole]
                if not fits(need) and self.r.flow:
                    parts = self._split(whole, tables, y - len(cats) * self._cat_height())
                    if parts is None:
                        new_page()
                        parts = [whole]
                for k, part in enumerate(parts):
                    if k:
                        new_page()
                    else:
                        for text in cats:
                            y -= self.s.head_size * 1.3
                            plans[-1].items.append(("cat", self.column_x(col)[0], y, text))
                            plans[-1].has_category = True
                            y -= self.s.head_size * 0.7
                    h = self._height(part, tables)
                    if not fits(h):
                        where = "page" if self.r.flow else f"layout page {pno + 1}"
                        raise LayoutError(
                            f"{self.r.name}: block {'+'.join(block.numbers)} does not fit "
                            f"on its {where} ({y - h - self.flow_bottom:.1f}pt)"
                        )
                    plans[-1].items.append(("part", self.column_x(col)[0], y, part))
                    y -= h + BOX_GAP
            first += len(page.tables)
        self._tables = tables
        return plans

    def _split(self, whole: _Part, tables: list[Table], room_top: float) -> list[_Part] | None:
        """Split ``whole`` so that its first part fits below ``room_top`` and the rest
        (with the tables) on a fresh page.  The cut is the last section boundary that
        fits; failing that, the last cut between two lines that leaves at least three
        rows on each side and does not start the rest with a blank line.  None if no
        cut fits (the block then starts on the next page)."""
        rows = whole.rows
        sections = [k for k in range(1, len(rows)) if rows[k].marker]
        lines = [
            k
            for k in range(3, len(rows) - 2)
            if rows[k].text and not rows[k].marker and rows[k - 1].text
        ]
        for cuts in (sections, lines):
            for k in reversed(cuts):
                head = _Part(whole.block, True, rows[:k], ())
                tail = _Part(whole.block, False, rows[k:], whole.tables)
                if (
                    room_top - self._height(head, tables) >= self.flow_bottom
                    and self.top - self._height(tail, tables) >= self.flow_bottom
                ):
                    return [head, tail]
        return None

    # -- drawing ---------------------------------------------------------------------
    def draw_report(self, c: Canvas, pages: tuple[Page, ...]) -> list[_PagePlan]:
        plans = self.plan(pages)
        s = self.s
        for number, plan in enumerate(plans, 1):
            self.begin_page()
            if self.r.furniture:
                size = TITLE_SIZE
                x = self.page_w - self.margin - _width(self.title, s.body_font, size)
                self._text(
                    _Text(s.body_font, size, x, self.page_h - self.margin - size, self.title)
                )
            placed_tables: list[tuple[int, float, float, float]] = []
            for kind, x, y, obj in plan.items:
                if kind == "cat":
                    self._text(_Text(s.head_font, s.head_size, x, y, str(obj)))
                    continue
                assert isinstance(obj, _Part)
                texts, placed, bottom = self._layout_part(obj, self._tables, x, y)
                if self.frames:
                    self.c.setLineWidth(FRAME_WIDTH)
                    self.c.rect(x, bottom, self.col_w, y - bottom, stroke=1, fill=0)
                self._texts(texts)
                placed_tables += placed
            for i, tx0, tx1, top in sorted(placed_tables):
                self.table_x0, self.table_x1 = tx0, tx1
                self._table(self._tables[i], top)
            if self.r.furniture:
                label = f"- {number} -"
                x = (self.page_w - _width(label, s.body_font, TITLE_SIZE)) / 2
                self._text(_Text(s.body_font, TITLE_SIZE, x, self.margin, label))
            c.showPage()
        return plans


def fit_style(style: Style, pages: Iterable[Page], text_w: float) -> Style:
    """``style`` with ``body_size`` shrunk (in 0.25pt steps) until the widest source
    line fits ``text_w``; source lines are never re-wrapped."""
    widest = 0.0
    for page in pages:
        for block in page.blocks:
            for section in block.sections:
                widest = max(widest, _width(section.marker, style.head_font, style.body_size))
                for line in section.lines:
                    widest = max(widest, _width(line, style.body_font, style.body_size))
    size = style.body_size
    while size > 3 and widest * size / style.body_size > text_w:
        size -= 0.25
    return style if size == style.body_size else replace(style, body_size=size)


def write_rendering(
    path: Path,
    pages: tuple[Page, ...],
    style: Style,
    rulings: Rulings,
    rendering: Rendering,
    title: str,
    running_title: str,
    flow_height: float | None = None,
) -> list[_PagePlan]:
    """Write ``pages`` drawn as ``rendering`` to ``path``; return the page plans.

    ``portrait_frameless`` (no furniture, no flow, tables right) is drawn by
    :class:`PageDrawer` exactly as the ``frames = false`` variants of fixtures/pdf.
    For ``flow`` renderings the content height per page is ``flow_height`` if given,
    else the largest (in 10pt steps) that splits a block over a page break and leaves
    a page without a ■ line.
    """
    register_cid_fonts(style.body_font, style.head_font)
    if rendering.fonts == "embedded":
        style = embedded_style(style)
    path.parent.mkdir(parents=True, exist_ok=True)
    if rendering.plain_portrait:
        write_pdf(
            path, pages, style, rulings, title=title, frames=rendering.frames, rendering=rendering
        )
        return []
    probe = RenderingDrawer(_NullSurface(), style, rulings, rendering, running_title)
    style = fit_style(style, pages, probe.text_w)
    pagesize = (probe.page_w, probe.page_h)
    c = new_canvas(path, title, pagesize=pagesize, rendering=rendering)
    drawer = RenderingDrawer(c, style, rulings, rendering, running_title)
    if rendering.flow:
        drawer.flow_bottom = _flow_bottom(drawer, pages, flow_height)
    plans = drawer.draw_report(c, pages)
    c.save()
    return plans


def _flow_bottom(drawer: RenderingDrawer, pages: tuple[Page, ...], height: float | None) -> float:
    if height is not None:
        return drawer.top - height
    full = drawer.top - drawer.bottom
    h = full
    while h > full / 3:
        probe = RenderingDrawer(_NullSurface(), drawer.s, drawer.rulings, drawer.r, drawer.title)
        probe.flow_bottom = probe.top - h
        try:
            plans = probe.plan(pages)
        except LayoutError:
            h -= 10
            continue
        split = any(
            isinstance(obj, _Part) and not obj.headers for p in plans for _, _, _, obj in p.items
        )
        if split and any(not p.has_category for p in plans):
            return probe.flow_bottom
        h -= 10
    raise LayoutError(f"{drawer.r.name}: no page height splits a block and leaves a page without ■")


class _NullSurface:
    """A :class:`Surface` that draws nothing (for measuring and planning)."""

    def setFont(self, psfontname: str, size: float) -> None: ...
    def drawString(self, x: float, y: float, text: str) -> None: ...
    def setLineWidth(self, width: float) -> None: ...
    def line(self, x1: float, y1: float, x2: float, y2: float) -> None: ...
    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int, fill: int
    ) -> None: ...
