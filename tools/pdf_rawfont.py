"""A tiny PDF writer for the ``cid_unmapped.pdf`` regression fixture.

It records what :class:`pdf_render.PageDrawer` draws and writes it out with an embedded
TrueType subset as a ``Type0`` / ``CIDFontType2`` font: ``Identity-H`` encoding, CIDs
equal to glyph ids, and *no* ``/ToUnicode``.  The embedded subset's only ``cmap`` is a
Macintosh (1, 0) table, which pdfminer ignores, so the text renders normally but
extracts as ``(cid:N)``, as in real PDFs produced without a ToUnicode map.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.ttfonts import TTFontFile

_NUM = "{:.2f}"


def _n(value: float) -> str:
    return _NUM.format(value).rstrip("0").rstrip(".")


@dataclass
class Recorder:
    """Stands in for a reportlab Canvas (see ``pdf_render.Surface``); keeps the ops."""

    pages: list[list[tuple[str, tuple[float | str, ...]]]] = field(default_factory=lambda: [[]])

    def setFont(self, psfontname: str, size: float) -> None:
        self.pages[-1].append(("font", (psfontname, size)))

    def drawString(self, x: float, y: float, text: str) -> None:
        self.pages[-1].append(("text", (x, y, text)))

    def setLineWidth(self, width: float) -> None:
        self.pages[-1].append(("width", (width,)))

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.pages[-1].append(("line", (x1, y1, x2, y2)))

    def rect(self, x: float, y: float, width: float, height: float, stroke: int, fill: int) -> None:
        self.pages[-1].append(("rect", (x, y, width, height, stroke, fill)))

    def showPage(self) -> None:
        self.pages.append([])


class _Subset:
    """Glyph ids of the characters used, in first-use order, and the subset font."""

    def __init__(self, ttf_path: Path, pages: list[list[tuple[str, tuple[float | str, ...]]]]):
        self.ttf = TTFontFile(str(ttf_path))
        chars: dict[int, None] = {}
        for ops in pages:
            for op, args in ops:
                if op == "text":
                    chars.update(dict.fromkeys(ord(ch) for ch in str(args[2])))
        self.codes = list(chars)
        self.missing = [chr(c) for c in self.codes if c not in self.ttf.charToGlyph]
        # Same numbering as TTFontFile.makeSubset: new glyph ids in first-use order.
        seen: dict[int, int] = {0: 0}
        self.gid: dict[int, int] = {}
        for code in self.codes:
            old = self.ttf.charToGlyph.get(code, 0)
            self.gid[code] = seen.setdefault(old, len(seen))
        self.font = self.ttf.makeSubset(self.codes)
        self.widths = {self.gid[c]: round(self.ttf.charWidths.get(c, 1000)) for c in self.codes}

    def encode(self, text: str) -> str:
        return "".join(f"{self.gid[ord(ch)]:04X}" for ch in text)


def _content(ops: list[tuple[str, tuple[float | str, ...]]], subset: _Subset) -> bytes:
    out: list[str] = []
    size = 10.0
    for op, a in ops:
        if op == "font":
            size = float(a[1])
        elif op == "text":
            x, y, text = float(a[0]), float(a[1]), str(a[2])
            out.append(
                f"BT /F1 {_n(size)} Tf 1 0 0 1 {_n(x)} {_n(y)} Tm <{subset.encode(text)}> Tj ET"
            )
        elif op == "width":
            out.append(f"{_n(float(a[0]))} w")
        elif op == "line":
            x1, y1, x2, y2 = (float(v) for v in a)
            out.append(f"{_n(x1)} {_n(y1)} m {_n(x2)} {_n(y2)} l S")
        elif op == "rect":
            x, y, w, h, stroke, fill = (float(v) for v in a)
            paint = "B" if stroke and fill else ("f" if fill else "S")
            out.append(f"{_n(x)} {_n(y)} {_n(w)} {_n(h)} re {paint}")
    return "\n".join(out).encode("ascii")


def _stream(body: bytes, extra: str = "") -> bytes:
    data = zlib.compress(body, 9)
    head = f"<< /Length {len(data)} /Filter /FlateDecode {extra}>>\nstream\n".encode()
    return head + data + b"\nendstream"


def write_identity_pdf(path: Path, rec: Recorder, ttf_path: Path, base_name: str) -> list[str]:
    """Write the recorded pages; return characters the font has no glyph for."""
    pages = [ops for ops in rec.pages if ops]
    sub = _Subset(ttf_path, pages)
    t = sub.ttf
    font_name = f"RPFIXT+{base_name}"
    widths = " ".join(f"{g} [{w}]" for g, w in sorted(sub.widths.items()))
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # Pages, filled below
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{font_name} /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font_name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor 5 0 R /DW 1000 /W [{widths}] /CIDToGIDMap /Identity >>".encode(),
        f"<< /Type /FontDescriptor /FontName /{font_name} /Flags 4 "
        f"/FontBBox [{' '.join(str(v) for v in t.bbox)}] /ItalicAngle {t.italicAngle} "
        f"/Ascent {t.ascent} /Descent {t.descent} /CapHeight {t.capHeight} "
        f"/StemV {t.stemV} /FontFile2 6 0 R >>".encode(),
        _stream(sub.font, f"/Length1 {len(sub.font)} "),
    ]
    kids = []
    for ops in pages:
        objs.append(_stream(_content(ops, sub)))
        content = len(objs)
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_n(A4[0])} {_n(A4[1])}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>".encode()
        )
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return sub.missing
