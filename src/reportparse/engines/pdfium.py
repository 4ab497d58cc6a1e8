"""The PDFium engine (pypdfium2): characters with their boxes, and paths as rulings."""

from __future__ import annotations

import ctypes
import functools
import itertools
import logging
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from ..document import BBox
from ..errors import EncryptedPdfError, PdfError
from ..geometry import (
    WORD_X_TOLERANCE,
    Char,
    Matrix,
    PageGeometry,
    apply,
    display_matrix,
    visible_box,
    words_from_chars,
)
from ..ruling import Segment, find_tables, segments_of_box
from .plumber import PlumberEngine

log = logging.getLogger("reportparse")

ZERO_WIDTH = 0.01  # points: a text object narrower than this is left out of the text page
AXIS = 0.01  # points: a segment this close to level or plumb is horizontal or vertical
FORM_DEPTH = 16  # form XObjects nested deeper than this are not searched for rulings
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies `inner`, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


_FOUR_FLOATS = struct.Struct("4f")  # an FS_RECTF's fields, in order

# What PDFium gives for a glyph it could not map: control characters, private use, U+FFFD.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ue000-\uf8ff\ufffd]")
_TOKENS = re.compile(r"\S+|\s")  # a text page's text as runs of glyphs and single spaces
_NO_RUN = math.inf  # the top of no run: no character's top is within a gap of it


def _bare(function: Any) -> Any:
    """The same PDFium function without ctypes' argument types, so that a call does not
    convert its arguments (about half the cost of a call): pass it only handles, `byref`
    pointers and ints, which ctypes passes unconverted as pointers and C ints."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = function.restype
    return bare


class _Calls:
    """The PDFium functions called per character, page object or path segment, bare, under
    pypdfium2's names (each takes only handles, `byref` pointers and C ints)."""

    def __init__(self, c: Any) -> None:
        for name in (
            "FPDFText_GetLooseCharBox",
            "FPDFText_IsGenerated",
            "FPDFPage_CountObjects",
            "FPDFPage_GetObject",
            "FPDFPageObj_GetType",
            "FPDFPageObj_GetBounds",
            "FPDFPageObj_GetMatrix",
            "FPDFTextObj_GetFont",
            "FPDFFont_GetIsEmbedded",
            "FPDFPath_CountSegments",
            "FPDFPath_GetPathSegment",
            "FPDFPathSegment_GetPoint",
            "FPDFPathSegment_GetType",
            "FPDFPathSegment_GetClose",
        ):
            setattr(self, name, _bare(getattr(c, name)))

    def __getattr__(self, name: str) -> Any:  # for mypy: the attributes set above
        raise AttributeError(name)


class _Floats:
    """C floats for PDFium to write into, the pointers to pass it, and their values."""

    def __init__(self, count: int) -> None:
        self.array = (ctypes.c_float * count)()
        self.refs = tuple(ctypes.byref(self.array, 4 * i) for i in range(count))
        self.read = functools.partial(struct.Struct(f"{count}f").unpack_from, self.array)


def _joined(text: str) -> str:
    """A run's text without the spaces PDFium generated inside it (it holds no others)."""
    return "".join(text.split())


class PdfiumEngine:
    """A PDF opened with PDFium; each page and text page is closed after it is read."""

    def __init__(self, data: bytes, name: str, password: str | None) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as c

        self.name = name
        self._c: Any = c
        self._data, self._password = data, password
        self._fallback: PlumberEngine | None = None
        try:
            self._doc: Any = pdfium.PdfDocument(data, password=password)
        except pdfium.PdfiumError as exc:
            if exc.err_code == c.FPDF_ERR_PASSWORD:
                hint = (
                    "wrong password for encrypted PDF"
                    if password
                    else "PDF is encrypted; pass --password"
                )
                raise EncryptedPdfError(f"{name}: {hint}") from None
            if exc.err_code == c.FPDF_ERR_SECURITY:
                raise EncryptedPdfError(f"{name}: unsupported PDF encryption") from None
            raise PdfError(f"{name}: corrupt or truncated PDF (PDFium: {_reason(exc)})") from None
        self._calls = _Calls(c)
        self._matrix, self._bounds, self._point = _Floats(6), _Floats(4), _Floats(2)
        self.page_count: int = len(self._doc)
        self.opening_damage: list[str] = []
        if not c.FPDF_DocumentHasValidCrossReferenceTable(self._doc):
            self.opening_damage.append("the cross-reference table was damaged and rebuilt")

    def read_page(self, index: int) -> PageGeometry:
        """Characters through the text page, rulings from path objects; both closed after."""
        import pypdfium2 as pdfium

        try:
            page = self._doc[index]
        except pdfium.PdfiumError as exc:
            raise PdfError(
                f"{self.name}: corrupt or truncated PDF (page {index + 1}: {_reason(exc)})"
            ) from None
        try:
            left, bottom, right, top = page.get_mediabox()
            if right - left <= 0 or top - bottom <= 0:
                raise PdfError(
                    f"{self.name}: corrupt or truncated PDF (page {index + 1}: "
                    "its MediaBox has no area)"
                )
            # PDFium gives boxes in user space; the page as shown is turned by /Rotate
            # and starts at its CropBox's corner.
            shown = visible_box((left, bottom, right, top), page.get_cropbox())
            to_page = display_matrix(page.get_rotation(), shown)
            drawn = _Drawn()
            self._objects(page.raw, drawn, to_page)
            if drawn.lost:
                # PDFium drops the text of an object whose glyphs it cannot measure (a font
                # not embedded, with no system font to stand in): pdfminer reads such a
                # page, and its text page is not built at all.
                log.debug(
                    "%s: page %d: PDFium would lose %d text object(s); read with pdfplumber",
                    self.name,
                    index + 1,
                    drawn.lost,
                )
                return self._plumber().read_page(index)
            textpage = page.get_textpage()
            try:
                if to_page[:4] == (1.0, 0.0, 0.0, -1.0):  # upright: runs, then one shift
                    runs, unmapped = self._chars(textpage, to_page[5])
                    if dx := to_page[4]:
                        runs = [(t, x0 + dx, a, x1 + dx, b) for t, x0, a, x1, b in runs]
                else:
                    runs, unmapped = self._turned_chars(textpage, to_page)
            finally:
                textpage.close()
        finally:
            page.close()
        return PageGeometry(
            words=words_from_chars(runs),
            rects=drawn.rects,
            tables=find_tables(drawn.horizontal, drawn.vertical),
            chars=sum(len(run[0]) for run in runs if not run[0].isspace()),
            unmapped=unmapped,
        )

    def _plumber(self) -> PlumberEngine:
        """The pdfplumber engine on the same file, opened the first time a page needs it."""
        if self._fallback is None:
            self._fallback = PlumberEngine(self._data, self.name, self._password)
        return self._fallback

    def _chars(self, textpage: Any, page_top: float) -> tuple[list[Char], int]:
        """The page's glyph runs with their loose boxes (the font's ascent to descent, as a
        type setter sees them), and how many glyphs have no Unicode mapping.

        Consecutive characters on one baseline that follow each other without a word gap
        are one run (what `words_from_chars` would join anyway), so the later passes see
        runs, not characters. A character whose box lies within the open run's from top
        to bottom continues it too: PDFium boxes some glyphs tightly when a font gives no
        ascent and descent (`、` `。` `ー` `,` of LibreOffice's PDFs sit on the baseline,
        a third of the line high), and such a glyph must not start a run of its own
        that a tight line pitch puts nearer the next line than its own. Spaces and line
        ends that PDFium generates are skipped.
        The loop below runs for every character: it calls PDFium without ctypes'
        argument conversion (`_bare`), reads the box's four floats in one unpack, and
        keeps a run as the index of its first character (its text is sliced once).
        """
        raw = textpage.raw
        text = self._text(raw)
        if not text:
            return [], 0
        rect = self._c.FS_RECTF()
        ref = ctypes.byref(rect)
        corners = memoryview(rect).cast("B")  # left, top, right, bottom as four floats
        unpack = _FOUR_FLOATS.unpack_from
        box, generated = self._calls.FPDFText_GetLooseCharBox, self._calls.FPDFText_IsGenerated
        gap = WORD_X_TOLERANCE
        runs: list[Char] = []
        start = -1  # the open run's first character, or -1
        x0 = last_x0 = x1 = bottom = 0.0
        top = _NO_RUN  # no character's top is within the gap of it: the next one starts a run
        for token in _TOKENS.finditer(text):
            first, end = token.span()
            if end - first == 1 and text[first].isspace():
                if generated(raw, first) == 1:
                    continue
                if start >= 0:  # a real space ends the run, and stays to part the words
                    runs.append(
                        (_joined(text[start:first]), x0, page_top - top, x1, page_top - bottom)
                    )
                    start, top = -1, _NO_RUN
                box(raw, first, ref)
                left, up, right, down = unpack(corners)
                runs.append((text[first], left, page_top - up, right, page_top - down))
                continue
            for i in range(first, end):
                box(raw, i, ref)
                left, up, right, down = unpack(corners)
                if (
                    -gap <= up - top <= gap
                    or (start >= 0 and up <= top + gap and down >= bottom - gap)
                ) and last_x0 <= left <= x1 + gap:
                    last_x0 = left
                    if right > x1:
                        x1 = right
                    if up > top:
                        top = up
                    if down < bottom:
                        bottom = down
                    continue
                if start >= 0:
                    runs.append((_joined(text[start:i]), x0, page_top - top, x1, page_top - bottom))
                start = i
                x0 = last_x0 = left
                top, x1, bottom = up, right, down
        if start >= 0:
            runs.append((_joined(text[start:]), x0, page_top - top, x1, page_top - bottom))
        return runs, self._unmapped(raw, text)

    def _turned_chars(self, textpage: Any, to_page: Matrix) -> tuple[list[Char], int]:
        """The characters of a page turned by /Rotate, one by one in page coordinates
        (`words_from_chars` groups them), and how many glyphs have no Unicode mapping.
        Only such pages pay a box mapping per character."""
        c = self._c
        raw = textpage.raw
        text = self._text(raw)
        rect = c.FS_RECTF()
        chars: list[Char] = []
        for i, ch in enumerate(text):
            if ch.isspace() and c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            c.FPDFText_GetLooseCharBox(raw, i, rect)
            ax, ay = apply(to_page, rect.left, rect.bottom)
            bx, by = apply(to_page, rect.right, rect.top)
            chars.append((ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        return chars, self._unmapped(raw, text)

    def _text(self, raw: Any) -> str:
        """The text page's characters, one per character index."""
        c = self._c
        count = c.FPDFText_CountChars(raw)
        if count <= 0:
            return ""
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        written = c.FPDFText_GetText(
            raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        text = buffer.raw[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
        if len(text) != count:  # not one UTF-16 unit per character: ask one at a time
            text = "".join(chr(c.FPDFText_GetUnicode(raw, i)) for i in range(count))
        return text

    def _unmapped(self, raw: Any, text: str) -> int:
        """How many of the text page's glyphs have no Unicode mapping."""
        if not _SUSPECT.search(text):  # only then: one more call per character
            return 0
        c = self._c
        return sum(1 for i in range(len(text)) if c.FPDFText_HasUnicodeMapError(raw, i) == 1)

    def _objects(
        self,
        container: Any,
        drawn: _Drawn,
        matrix: Matrix,
        depth: int = 0,
        form: bool = False,
    ) -> None:
        """Rectangles and axis-parallel segments of every path, in forms too; and text
        objects whose text the text page does not hold."""
        c, bare = self._c, self._calls
        if form:  # FPDFFormObj_GetObject takes an unsigned long: called with its types
            count, get = c.FPDFFormObj_CountObjects(container), c.FPDFFormObj_GetObject
        else:
            count, get = bare.FPDFPage_CountObjects(container), bare.FPDFPage_GetObject
        kind_of, own_matrix = bare.FPDFPageObj_GetType, bare.FPDFPageObj_GetMatrix
        text, path, xobject = c.FPDF_PAGEOBJ_TEXT, c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM
        m, bounds = self._matrix, self._bounds  # an FS_MATRIX (a, b, c, d, e, f); a box
        for i in range(max(count, 0)):
            obj = get(container, i)
            kind = kind_of(obj)
            if kind == text:
                drawn.lost += _lost_text(bare, obj, bounds)
                continue
            if kind != path and kind != xobject:
                continue
            own = m.read() if own_matrix(obj, m.refs[0]) else IDENTITY
            full = _compose(own, matrix)
            if kind == xobject:
                if depth < FORM_DEPTH:
                    self._objects(obj, drawn, full, depth + 1, True)
                continue
            for points in self._subpaths(obj, full):
                _add_subpath(points, drawn)

    def _subpaths(self, obj: Any, matrix: Matrix) -> list[list[tuple[float, float]]]:
        """The path's subpaths as point lists in page coordinates (`matrix` maps the
        path's own space there: top-left origin, y down); a curve
        ends its subpath's straight part, a close returns to the subpath's start."""
        c, bare = self._c, self._calls
        segment, point_of = bare.FPDFPath_GetPathSegment, bare.FPDFPathSegment_GetPoint
        kind_of, closes = bare.FPDFPathSegment_GetType, bare.FPDFPathSegment_GetClose
        move, line = c.FPDF_SEGMENT_MOVETO, c.FPDF_SEGMENT_LINETO
        a, b, cc, d, e, f = matrix
        xy = self._point
        x_ref, y_ref = xy.refs
        subpaths: list[list[tuple[float, float]]] = []
        for j in range(max(bare.FPDFPath_CountSegments(obj), 0)):
            seg = segment(obj, j)
            if not point_of(seg, x_ref, y_ref):
                continue
            x, y = xy.read()
            point = (a * x + cc * y + e, b * x + d * y + f)
            kind = kind_of(seg)
            if kind == move or not subpaths:
                subpaths.append([point])
            elif kind == line:
                subpaths[-1].append(point)
            else:  # a Bézier curve: not a ruling; start afresh at its end point
                subpaths.append([point])
            ring = subpaths[-1]
            if closes(seg) and len(ring) > 1 and ring[-1] != ring[0]:
                ring.append(ring[0])
        return subpaths

    def close(self) -> None:
        self._doc.close()
        if self._fallback is not None:
            self._fallback.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    inside = text[text.find("(PDFium: ") + 9 : text.rfind(")")] if "(PDFium: " in text else text
    return inside or type(exc).__name__


def _lost_text(c: Any, obj: Any, bounds: _Floats) -> bool:
    """A text object PDFium's text page leaves out: one whose box has no width, as when
    PDFium cannot measure its glyphs (a font neither embedded nor installed). The box is
    the test the text page itself applies; asking the text page for the object's text
    instead would cost a scan of the page's characters per object. A font embedded in
    the file can always be measured, so a box without width in one is an empty show
    (`() Tj`, common in generated files), not lost text."""
    if c.FPDFPageObj_GetBounds(obj, *bounds.refs):
        left, _, right, _ = bounds.read()
        if abs(right - left) >= ZERO_WIDTH:
            return False
    font = c.FPDFTextObj_GetFont(obj)
    return not (font and c.FPDFFont_GetIsEmbedded(font) == 1)


@dataclass(slots=True)
class _Drawn:
    """What a page's objects draw: ruling segments, rectangles, and lost text objects."""

    horizontal: list[Segment] = field(default_factory=list)
    vertical: list[Segment] = field(default_factory=list)
    rects: list[BBox] = field(default_factory=list)
    lost: int = 0


def _add_subpath(points: list[tuple[float, float]], drawn: _Drawn) -> None:
    """A closed axis-parallel four-sided subpath is a rectangle (and its four edges);
    otherwise each level or plumb segment is a ruling segment."""
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) == 4:  # only then a rectangle, whose edges are rounded first
        xs = sorted({round(p[0], 3) for p in corners})
        ys = sorted({round(p[1], 3) for p in corners})
        if len(xs) == 2 and len(ys) == 2 and _axis_parallel(corners):
            box = (xs[0], ys[0], xs[1], ys[1])
            drawn.rects.append(box)
            h, v = segments_of_box(box)
            drawn.horizontal += h
            drawn.vertical += v
            return
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if abs(y1 - y0) <= AXIS:
            drawn.horizontal.append(Segment((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= AXIS:
            drawn.vertical.append(Segment((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _axis_parallel(corners: list[tuple[float, float]]) -> bool:
    ring = [*corners, corners[0]]
    return all(
        abs(a[0] - b[0]) <= AXIS or abs(a[1] - b[1]) <= AXIS for a, b in itertools.pairwise(ring)
    )
