"""Generate a long report PDF for benchmarks (output is not committed).

Usage (repository root, reportlab installed)::

    python benchmarks/make_long_pdf.py benchmarks/out/long.pdf            # 500 pages
    python benchmarks/make_long_pdf.py /tmp/long.pdf --pages 2000 --rulings alternate

The pages cycle through the two pages of ``fixtures/layouts/seed_fy2020.toml``.  Cycle
``k`` adds ``100 * k`` to every initiative number (headers, table owners and the
category anchors), so every block in the document has a unique number; table values are
those of the seed.  Output is deterministic for the same arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from pdf_layout import Category, Header, Page, load_layout  # noqa: E402
from pdf_render import PageDrawer, new_canvas, register_cid_fonts  # noqa: E402

SEED = ROOT / "fixtures" / "layouts" / "seed_fy2020.toml"
STRIDE = 100  # seed initiative numbers are all below this


def _shift(number: str, offset: int) -> str:
    return str(int(number) + offset) if offset else number


def renumber(page: Page, offset: int) -> Page:
    """``page`` with every initiative number increased by ``offset``."""
    blocks = tuple(
        dataclasses.replace(
            b,
            headers=tuple(Header(_shift(h.number, offset), h.title) for h in b.headers),
        )
        for b in page.blocks
    )
    categories = tuple(
        Category(c.text, None if c.before is None else _shift(c.before, offset))
        for c in page.categories
    )
    tables = tuple(dataclasses.replace(t, owner=_shift(t.owner, offset)) for t in page.tables)
    return Page(categories=categories, blocks=blocks, tables=tables)


def long_pages(seed: tuple[Page, ...], count: int) -> list[Page]:
    return [renumber(seed[i % len(seed)], STRIDE * (i // len(seed))) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("output", type=Path, help="PDF file to write")
    parser.add_argument("--pages", type=int, default=500, help="page count (default 500)")
    parser.add_argument(
        "--rulings",
        choices=("lines", "rects", "alternate"),
        default="lines",
        help="table rulings; 'alternate' mixes both, each seed page getting each style",
    )
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    layout = load_layout(SEED)
    start = time.perf_counter()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    c = new_canvas(args.output, f"long report, {args.pages} pages")
    register_cid_fonts(layout.style.body_font, layout.style.head_font)
    drawers = [PageDrawer(c, layout.style, "lines"), PageDrawer(c, layout.style, "rects")]
    if args.rulings == "rects":
        drawers.reverse()
    for i, page in enumerate(long_pages(layout.pages, args.pages)):
        drawers[(i + i // 2) % 2 if args.rulings == "alternate" else 0].draw(page)
        c.showPage()
    c.save()
    elapsed = time.perf_counter() - start
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({args.pages} pages, {size} bytes) in {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
