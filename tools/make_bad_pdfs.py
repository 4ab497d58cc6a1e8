"""Write the broken / unusual PDF regression fixtures into ``fixtures/bad/``.

Usage (repository root; needs reportlab, pdfplumber's pypdfium2 and Pillow)::

    python tools/make_bad_pdfs.py

All content comes from ``fixtures/layouts/seed_fy2020.toml``.  Output is deterministic.

=====================  ==========================================================
``empty.pdf``          0 bytes
``not_a_pdf.pdf``      a small PNG image with a .pdf name
``truncated.pdf``      the first half of the bytes of ``seed_fy2020.pdf``
``corrupt.pdf``        a ``%PDF-1.4`` header, then seeded random garbage, ``%%EOF``
``encrypted.pdf``      page 1 of the seed, user password ``secret`` (RC4, reportlab),
                       in an embedded IPAGothic subset (see make_encrypted)
``scanned.pdf``        both seed pages as grey images only, no text layer
``mixed_scanned.pdf``  seed page 1 as real text, seed page 2 as an image only
``cid_unmapped.pdf``   both seed pages in an embedded IPAGothic subset, Identity-H,
                       no ToUnicode: extracts as ``(cid:N)``
=====================  ==========================================================

The last two need the Debian package ``fonts-ipafont-gothic``; without it they are
left as they are, with a warning.
"""

from __future__ import annotations

import dataclasses
import io
import random
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from pdf_layout import Layout, load_layout
from pdf_rawfont import Recorder, write_identity_pdf
from pdf_render import PageDrawer, new_canvas, register_cid_fonts, write_pdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "bad"
SEED = ROOT / "fixtures" / "layouts" / "seed_fy2020.toml"
IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
SCAN_DPI = 110
SCAN_TILT = 0.35  # degrees; a scanner never feeds quite straight


def _seed_pdf(layout: Layout) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.pdf"
        write_pdf(path, layout.pages, layout.style, "lines", title="seed_fy2020")
        return path.read_bytes()


def _scan(pdf_bytes: bytes, index: int) -> Image.Image:
    """Page ``index`` rendered as a slightly tilted greyscale 'scan'."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        bitmap = doc[index].render(scale=SCAN_DPI / 72, grayscale=True)
        image = bitmap.to_pil().convert("L")
    finally:
        doc.close()
    tilted: Image.Image = image.rotate(SCAN_TILT, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return tilted


def _image_page(c: Canvas, image: Image.Image) -> None:
    """A page that is only ``image`` (embedded as JPEG, like most scanners do)."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=75)
    buf.seek(0)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    c.showPage()


def make_not_a_pdf(path: Path) -> None:
    image = Image.new("RGB", (32, 16), (200, 30, 30))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    path.write_bytes(buf.getvalue())


def make_corrupt(path: Path) -> None:
    rng = random.Random(20201)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + garbage + b"\n%%EOF\n")


def make_encrypted(path: Path, layout: Layout) -> None:
    # reportlab writes a CID font's /CIDSystemInfo strings unencrypted, so readers that
    # decrypt them get garbage (pdfminer then yields (cid:N), poppler shows nothing).
    # An embedded TrueType font (ToUnicode in an encrypted stream) decrypts cleanly.
    if "IPAGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAGothic", str(IPA_GOTHIC)))
    style = dataclasses.replace(layout.style, body_font="IPAGothic", head_font="IPAGothic")
    c = new_canvas(path, "encrypted", encrypt="secret")
    PageDrawer(c, style, "lines").draw(layout.pages[0])
    c.showPage()
    c.save()


def make_scanned(path: Path, seed: bytes, pages: int) -> None:
    c = new_canvas(path, "scanned")
    for i in range(pages):
        _image_page(c, _scan(seed, i))
    c.save()


def make_mixed_scanned(path: Path, layout: Layout, seed: bytes) -> None:
    c = new_canvas(path, "mixed_scanned")
    register_cid_fonts(layout.style.body_font, layout.style.head_font)
    PageDrawer(c, layout.style, "lines").draw(layout.pages[0])
    c.showPage()
    _image_page(c, _scan(seed, 1))
    c.save()


def make_cid_unmapped(path: Path, layout: Layout) -> list[str]:
    register_cid_fonts(layout.style.body_font, layout.style.head_font)
    rec = Recorder()
    drawer = PageDrawer(rec, layout.style, "lines")
    for page in layout.pages:
        drawer.draw(page)
        rec.showPage()
    return write_identity_pdf(path, rec, IPA_GOTHIC, "IPAGothic")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    layout = load_layout(SEED)
    seed = _seed_pdf(layout)
    (OUT / "empty.pdf").write_bytes(b"")
    make_not_a_pdf(OUT / "not_a_pdf.pdf")
    (OUT / "truncated.pdf").write_bytes(seed[: len(seed) // 2])
    make_corrupt(OUT / "corrupt.pdf")
    make_scanned(OUT / "scanned.pdf", seed, len(layout.pages))
    make_mixed_scanned(OUT / "mixed_scanned.pdf", layout, seed)
    if IPA_GOTHIC.exists():
        make_encrypted(OUT / "encrypted.pdf", layout)
        missing = make_cid_unmapped(OUT / "cid_unmapped.pdf", layout)
        if missing:
            print(f"warning: no glyph in IPAGothic for {missing!r}", file=sys.stderr)
    else:
        print(
            f"warning: {IPA_GOTHIC} missing (apt-get install fonts-ipafont-gothic); "
            "encrypted.pdf and cid_unmapped.pdf not regenerated",
            file=sys.stderr,
        )
    for path in sorted(OUT.glob("*.pdf")):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
