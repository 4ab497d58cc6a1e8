"""Generate the PDF fixtures ``fixtures/pdf/<name>.pdf`` and ``fixtures/renderings/`` from
``fixtures/layouts/*.toml``.

Usage (from the repository root, reportlab installed, e.g. ``pip install -e '.[fixtures]'``)::

    python tools/make_pdf_fixtures.py                 # regenerate every layout
    python tools/make_pdf_fixtures.py seed_fy2020     # only the named layouts
    python tools/make_pdf_fixtures.py --check         # exit 1 if a committed PDF is stale
    python tools/make_pdf_fixtures.py --text          # also the pdftotext renderings
    python tools/make_pdf_fixtures.py --check --text  # check both (needs poppler-utils)

Output is deterministic (reportlab ``invariant=1``): reruns give identical bytes.

Each layout gives:

* ``fixtures/pdf/<name>.pdf`` and its ``[variants]`` (portrait A4, one full-width framed
  box per block, tables right of the block's text; drawn by ``pdf_render.PageDrawer``).
* ``fixtures/renderings/<name>__<rendering>.pdf`` for every standard rendering of
  ``pdf_layout.RENDERINGS`` (drawn by ``pdf_render.RenderingDrawer``), so every report
  exists in every rendering:

  ============================  =======================================================
  ``portrait_framed``           no new PDF: the rendering *is* ``fixtures/pdf/<name>.pdf``
  ``portrait_frameless``        the same without frames (as ``seed_fy2020_noframes``)
  ``landscape_2col_framed``     landscape A4, two ~395pt columns; one framed box per
                                block with its headers, 【】 sections and, under the
                                text, its tables; blocks fill the left column top to
                                bottom, then the right; ■ lines above their block;
                                one PDF page per layout page
  ``landscape_2col_frameless``  the same without frames (only the table rulings)
  ``landscape_2col_furniture``  ``landscape_2col_framed`` plus page furniture
  ``portrait_furniture_flow``   portrait, framed, tables right, page furniture, and
                                the layout's page breaks ignored: blocks run on over
                                the pages; a block that does not fit is split at its
                                last section boundary that fits (else between two
                                lines), headers only on the first part, its tables
                                with the last part (level with its top); at least one
                                block is split and one page has no ■ line
  ``portrait_embedded``         ``portrait_framed`` with IPA TrueType subsets embedded
                                instead of the (non-embedded) CID fonts
  ``landscape_rotated``         ``landscape_2col_framed``, fonts embedded, each page
                                stored portrait with ``/Rotate 90``, content turned
  ``portrait_offset_box``       ``portrait_embedded`` on a MediaBox from (40, 60) with
                                a CropBox 12pt inside it
  ``portrait_kerned``           ``portrait_embedded`` with block text in kerned ``TJ``
                                arrays, table cells one glyph per text object, each
                                table's rulings one path of many subpaths
  ============================  =======================================================

  Page furniture is the layout's ``running_title`` at the top right of every page
  (6.5pt) and ``- n -`` at the bottom centre.  For ``flow``, the content height per page
  is ``flow_height`` if the layout gives it, else the largest (in 10pt steps from the
  full page) that splits a block and leaves a page without ■.  Source lines are never
  re-wrapped: if one is wider than a rendering's text column at ``body_size``, the body
  size of that rendering shrinks in 0.25pt steps (no current layout needs it; portrait
  text columns are ~314pt, landscape ones ~383pt).
* With ``--text``: ``fixtures/renderings/<name>__<rendering>.raw.txt`` and
  ``.layout.txt``, what ``pdftotext -raw`` / ``-layout`` print for each rendering
  (``tools/make_text_renderings.py``; needs poppler's ``pdftotext``).

``tools/make_stream_text.py`` writes ``fixtures/text/<name>.txt`` for layouts with
``text_generated = true``.  ``fixtures/renderings/README.md`` describes the renderings.

Layout format (one TOML file per case; ``fixtures/layouts/seed_fy2020.toml`` is the
fullest example)::

    year = 2020                  # fiscal year of the report (table header 実績値/目標値)
    final_year = 2024            # year of the final target column
    rulings = "lines"            # table rulings: "lines" (stroked) or "rects" (filled)
    running_title = "令和2年度 青森圏域連携中枢都市圏ビジョン進捗状況報告書"
                                 # optional: page furniture of the renderings that have
                                 # it; default "<era year>年度 連携中枢都市圏ビジョン進捗状況報告書"
    flow_height = 600.0          # optional: content height (pt) per page of flow renderings
    text_generated = true        # optional: fixtures/text/<name>.txt is written from this
                                 # layout by tools/make_stream_text.py (default false)

    [rendering_style.landscape_2col_framed]  # optional: style keys for one rendering
    body_size = 6.5

    [variants]                   # optional: more PDFs from the same layout
    seed_fy2020_rects = "rects"  #   output name = ruling style

    [style]                      # optional: fonts, sizes in pt (see pdf_layout.Style)
    leading = 8.6

    [[pages]]                    # one per A4 page, in order

    [[pages.categories]]         # optional ■ line(s)
    text = "■ビジョンに記載している取組"
    before = "48"                # drawn above the block numbered 48; omit = page top

    [[pages.blocks]]             # framed boxes, stacked top to bottom
    headers = [["23", "一時預かり事業"], ["24", "病児一時保育事業"]]  # [number, title]

    [[pages.blocks.sections]]
    marker = "【事業概要】"
    lines = ["・子育て支援のため、…", "", "・小学校3年生…"]  # as printed; "" = blank line

    [[pages.tables]]             # content-stream order; drawn after all block text
    owner = "23"                 # any header number of the box the table sits in
    wrap_final_header = true     # "2024年度" / "目標値" on two lines (default false)
    # header = ["指標", [...], "進捗評価", [...]]   # optional: explicit header cells
    rows = [
      { name = ["一時預かりを希望者", "が利用できた割合"], actual = "100％",
        target = "（100％）", grade = "Ａ", final = "100％" },
    ]

Source lines of a section, blank lines included, are written exactly as the report
prints them.  Between two sections nothing is added, so a blank line that separates
them in the source belongs at the end of the first section's ``lines``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from fixture_files import ROOT, report_stale, write_or_check
from pdf_layout import RENDERINGS, Layout, LayoutError, load_layout
from pdf_render import write_pdf, write_rendering

LAYOUTS = ROOT / "fixtures" / "layouts"
OUT = ROOT / "fixtures" / "pdf"
RENDERED = ROOT / "fixtures" / "renderings"


def build(layout: Layout, out_dir: Path) -> list[Path]:
    """Write every output of ``layout`` into ``out_dir``; return the paths written."""
    written = []
    for name, output in layout.outputs.items():
        path = out_dir / f"{name}.pdf"
        try:
            write_pdf(
                path, layout.pages, layout.style, output.rulings, title=name, frames=output.frames
            )
        except LayoutError as exc:
            raise LayoutError(f"{layout.name}: {exc}") from exc
        written.append(path)
    return written


def build_renderings(layout: Layout, out_dir: Path) -> list[Path]:
    """Write ``<report>__<rendering>.pdf`` for every standard rendering into ``out_dir``."""
    written = []
    for rendering in RENDERINGS:
        name = f"{layout.name}__{rendering.name}"
        path = out_dir / f"{name}.pdf"
        try:
            write_rendering(
                path,
                layout.pages,
                layout.style_for(rendering.name),
                layout.rulings,
                rendering,
                title=name,
                running_title=layout.running_title,
                flow_height=layout.flow_height,
            )
        except LayoutError as exc:
            raise LayoutError(f"{layout.name}: {exc}") from exc
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("cases", nargs="*", help="layout names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument(
        "--text",
        action="store_true",
        help="then (re)write or --check the pdftotext renderings (make_text_renderings.py)",
    )
    args = parser.parse_args(argv)
    paths = [LAYOUTS / f"{c}.toml" for c in args.cases] or sorted(LAYOUTS.glob("*.toml"))
    stale: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            try:
                layout = load_layout(path)
                for final_dir, make in [(OUT, build), (RENDERED, build_renderings)]:
                    for pdf in make(layout, Path(tmp)):
                        write_or_check(final_dir / pdf.name, pdf.read_bytes(), args.check, stale)
            except (LayoutError, OSError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
    if report_stale(stale):
        return 1
    if args.text:
        import make_text_renderings

        reports = [p.stem for p in paths]
        return make_text_renderings.main([*reports, *(["--check"] if args.check else [])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
