"""Render every fixture report as HTML and print it to PDF with headless Chromium.

Usage (repository root; needs Chromium, poppler-utils and the IPA fonts, e.g.
``apt-get install chromium poppler-utils fonts-ipafont-gothic fonts-ipafont-mincho``)::

    python tools/make_html_renderings.py                 # every report, every rendering
    python tools/make_html_renderings.py seed_fy2020     # only the named reports
    python tools/make_html_renderings.py --html DIR      # also keep the HTML pages in DIR

A second PDF producer beside reportlab: Chromium (Skia) lays the text out itself, embeds
TrueType subsets with its own ``ToUnicode`` maps, draws table borders as filled
rectangles and splits blocks over pages where CSS lets it. The content (lines, wraps,
tables) is the layout's, never re-wrapped: every source line is one ``white-space: pre``
line. For each report ``<r>`` and rendering ``<x>`` it writes
``fixtures/renderings/<r>__<x>.pdf`` and, as ``make_text_renderings.py`` does for the
reportlab renderings, ``.raw.txt`` and ``.layout.txt`` from ``pdftotext``.

Chromium writes a creation date and its version into each PDF, so the files are not
byte-identical from run to run; their text is. The renderings (see
``fixtures/renderings/README.md``):

- ``chromium_portrait``: A4 portrait, one printed page per layout page, each block in a
  bordered box, its tables under its text inside the box;
- ``chromium_2col``: A4 landscape, CSS two-column flow, no block frames, tables under
  their text, a block never split;
- ``chromium_flow``: A4 portrait, page breaks of the layout ignored, blocks split over
  pages where they fall (a table row never), each block's tables to the right of its
  text, the running title at the top right of every page and a page number
  ``- n -`` at the bottom centre (CSS page-margin boxes).
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fixture_files import ROOT, write_or_check
from make_text_renderings import MODES, ToolMissing, pdftotext
from pdf_layout import Block, Layout, Page, Table, load_layout

LAYOUTS = ROOT / "fixtures" / "layouts"
RENDERED = ROOT / "fixtures" / "renderings"


@dataclass(frozen=True)
class HtmlRendering:
    name: str
    landscape: bool
    frames: bool
    columns: int
    tables_right: bool
    flow: bool  # the layout's page breaks ignored, blocks split where they fall
    body_pt: float


HTML_RENDERINGS = (
    HtmlRendering("chromium_portrait", False, True, 1, False, False, 8.5),
    HtmlRendering("chromium_2col", True, False, 2, False, False, 7.5),
    HtmlRendering("chromium_flow", False, True, 1, True, True, 7.0),
)

CSS = """
@page {{ size: A4 {orientation}; margin: 14mm 12mm 12mm 12mm; {furniture} }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: "IPAMincho"; font-size: {body}pt; line-height: 1.45; }}
.page {{ {page_break} {columns} }}
.page:last-child {{ break-after: auto; }}
.cat {{ font-family: "IPAGothic"; font-weight: bold; margin: 4pt 0 8pt 0; break-after: avoid; }}
.block {{ margin: 0 0 6pt 0; padding: 4pt 6pt; {frame} {block_break} }}
.head {{ font-family: "IPAGothic"; font-size: {head}pt; margin-bottom: 1.45em; }}
.head + .head {{ margin-top: 1.45em; }}
.num {{ margin-right: 0.9em; }}
.marker {{ font-family: "IPAGothic"; }}
.l {{ white-space: pre; min-height: 1.45em; }}
.body {{ {body_layout} }}
.text {{ flex: 1 1 auto; }}
table {{ border-collapse: collapse; margin: 4pt 0; break-inside: avoid;
         font-family: "IPAGothic"; font-size: {cell}pt; line-height: 1.3; }}
.right table {{ margin: 0 0 0 8pt; }}
td, th {{ border: 0.6pt solid #000; padding: 2pt 4pt; white-space: pre; font-weight: normal;
          text-align: center; vertical-align: middle; }}
td.name {{ text-align: left; }}
"""


FURNITURE = """
@top-right {{ content: {title}; font-family: "IPAMincho"; font-size: 6.5pt; }}
@bottom-center {{ content: "- " counter(page) " -"; font-family: "IPAMincho"; font-size: 8pt; }}
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lines(texts: tuple[str, ...]) -> str:
    return "".join(f'<div class="l">{html.escape(t)}</div>' for t in texts)


def _cell(lines: tuple[str, ...], tag: str = "td", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "<br>".join(html.escape(t) for t in lines) + f"</{tag}>"


def _table(table: Table) -> str:
    head = "".join(_cell(cell, "th") for cell in table.header)
    rows = [
        "<tr>"
        + _cell(r.name, cls="name")
        + _cell((r.actual, r.target))
        + _cell((r.grade,))
        + _cell((r.final,))
        + "</tr>"
        for r in table.rows
    ]
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _block(block: Block, tables: list[Table], r: HtmlRendering) -> str:
    heads = "".join(
        f'<div class="head"><span class="num">{html.escape(h.number)}</span>'
        f"<span>{html.escape(h.title)}</span></div>"
        for h in block.headers
    )
    text = "".join(
        f'<div class="marker">{html.escape(s.marker)}</div>{_lines(s.lines)}'
        for s in block.sections
    )
    owned = "".join(_table(t) for t in tables)
    side = " right" if r.tables_right else ""
    body = f'<div class="body{side}"><div class="text">{text}</div><div>{owned}</div></div>'
    return f'<div class="block">{heads}{body}</div>'


def _page(page: Page, r: HtmlRendering) -> str:
    parts: list[str] = []
    cats = {c.before: c.text for c in page.categories}
    if None in cats:
        parts.append(f'<div class="cat">{html.escape(cats[None])}</div>')
    for block in page.blocks:
        for number in block.numbers:
            if number in cats:
                parts.append(f'<div class="cat">{html.escape(cats[number])}</div>')
        owned = [t for t in page.tables if t.owner in block.numbers]
        parts.append(_block(block, owned, r))
    return f'<div class="page">{"".join(parts)}</div>'


def html_of(layout: Layout, r: HtmlRendering) -> str:
    """The HTML page of `layout` drawn as `r`."""
    css = CSS.format(
        orientation="landscape" if r.landscape else "portrait",
        body=r.body_pt,
        head=r.body_pt + 1.5,
        cell=r.body_pt - 0.5,
        page_break="" if r.flow else "break-after: page;",
        columns=f"column-count: {r.columns}; column-gap: 10mm;" if r.columns > 1 else "",
        frame="border: 0.8pt solid #000;" if r.frames else "",
        block_break="" if r.flow else "break-inside: avoid;",
        body_layout="display: flex; align-items: flex-start;" if r.tables_right else "",
        furniture=FURNITURE.format(title=_css_string(layout.running_title)) if r.flow else "",
    )
    pages = "".join(_page(p, r) for p in layout.pages)
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{pages}</body></html>"
    )


def print_pdf(page: str, out: Path) -> bytes:
    """`page` printed to PDF by headless Chromium."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise ToolMissing("chromium not found: install it (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        pdf = Path(tmp) / "page.pdf"
        done = subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", src.as_uri()],
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        if done.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"chromium failed on {out.name}: {done.stderr.decode()[-500:]}")
        return pdf.read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("reports", nargs="*", help="report (layout) names (default: all)")
    parser.add_argument("--html", type=Path, help="also write the HTML pages to this folder")
    args = parser.parse_args(argv)
    reports = args.reports or sorted(p.stem for p in LAYOUTS.glob("*.toml"))
    try:
        for report in reports:
            layout = load_layout(LAYOUTS / f"{report}.toml")
            for r in HTML_RENDERINGS:
                page = html_of(layout, r)
                if args.html:
                    args.html.mkdir(parents=True, exist_ok=True)
                    (args.html / f"{report}__{r.name}.html").write_text(page, encoding="utf-8")
                pdf = RENDERED / f"{report}__{r.name}.pdf"
                write_or_check(pdf, print_pdf(page, pdf), False, [])
                for mode in MODES:
                    out = RENDERED / f"{report}__{r.name}.{mode}.txt"
                    write_or_check(out, pdftotext(pdf, mode), False, [])
    except (ToolMissing, RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
