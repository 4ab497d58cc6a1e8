"""Render every fixture report as HTML and make PDFs of it with Chromium and LibreOffice.

Usage (repository root; needs Chromium, LibreOffice Writer, poppler-utils and the IPA
fonts, e.g. ``apt-get install chromium poppler-utils fonts-ipafont-gothic
fonts-ipafont-mincho`` and ``apt-get install --no-install-recommends
libreoffice-writer-nogui``)::

    python tools/make_html_renderings.py                 # every report, every rendering
    python tools/make_html_renderings.py seed_fy2020     # only the named reports
    python tools/make_html_renderings.py --html DIR      # also keep the HTML pages in DIR
    python tools/make_html_renderings.py --rendering writer_portrait   # only that one

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
- ``writer_portrait`` (LibreOffice Writer from a word processor's HTML): A4 portrait,
  each block a one-cell bordered table, its indicator tables nested under its text,
  header cells wrapped inside words (`(2020年度目標` / `値)`), TrueType subsets;
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
from collections.abc import Callable
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


WRITER = "writer_portrait"  # LibreOffice Writer's rendering (see writer_html)
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


def _in_order(page: Page) -> list[str | tuple[Block, list[Table]]]:
    """A page's ■ lines (their text) and blocks (with the tables they own), in reading
    order: a ■ line just above the block it governs, or at the top of the page."""
    out: list[str | tuple[Block, list[Table]]] = []
    cats = {c.before: c.text for c in page.categories}
    if None in cats:
        out.append(cats[None])
    for block in page.blocks:
        out += [cats[n] for n in block.numbers if n in cats]
        out.append((block, [t for t in page.tables if t.owner in block.numbers]))
    return out


def _page(page: Page, r: HtmlRendering) -> str:
    parts = [
        f'<div class="cat">{html.escape(item)}</div>' if isinstance(item, str) else _block(*item, r)
        for item in _in_order(page)
    ]
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


def writer_html(layout: Layout) -> str:
    """`layout` as a word processor's document: each block a one-cell bordered table
    (headers, then each section's lines), its indicator tables nested under its text,
    a page break after each layout page; HTML that LibreOffice Writer imports as such."""
    parts: list[str] = []
    for k, page in enumerate(layout.pages):
        for item in _in_order(page):
            if isinstance(item, str):
                parts.append(f"<p><b>{html.escape(item)}</b></p>")
                continue
            block, owned = item
            heads = "".join(
                f"<p><b>{html.escape(h.number)}\u3000{html.escape(h.title)}</b></p>"
                for h in block.headers
            )
            text = "".join(
                f'<p style="margin:0">{html.escape(s.marker)}<br>'
                + "<br>".join(html.escape(t) if t else "&nbsp;" for t in s.lines)
                + "</p>"
                for s in block.sections
            )
            parts.append(
                '<table border="1" cellspacing="0" cellpadding="6" width="100%"><tr><td>'
                f"{heads}{text}<br>{''.join(map(_writer_table, owned))}</td></tr></table>"
                "<p>&nbsp;</p>"
            )
        if k < len(layout.pages) - 1:
            parts.append('<p style="page-break-before: always"></p>')
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
        'body, td { font-family: "IPAMincho"; font-size: 9pt; }</style></head><body>'
        + "".join(parts)
        + "</body></html>"
    )


def _writer_table(table: Table) -> str:
    head = "".join(f"<td>{'<br>'.join(map(html.escape, c))}</td>" for c in table.header)
    rows = "".join(
        f"<tr><td>{'<br>'.join(map(html.escape, r.name))}</td>"
        f'<td align="center">{html.escape(r.actual)}<br>{html.escape(r.target)}</td>'
        f'<td align="center">{html.escape(r.grade)}</td>'
        f'<td align="center">{html.escape(r.final)}</td></tr>'
        for r in table.rows
    )
    return f'<table border="1" cellspacing="0" cellpadding="3"><tr>{head}</tr>{rows}</table>'


def _converted(page: str, out: Path, exe: str, argv: Callable[[Path, Path], list[str]]) -> bytes:
    """`page` (HTML) made a PDF by running `exe` with `argv(html, pdf)` in a temporary
    folder (its profile there too)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, pdf = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        src.write_text(page, encoding="utf-8")
        done = subprocess.run([exe, *argv(src, pdf)], capture_output=True, timeout=120)
        if done.returncode != 0 or not pdf.exists():
            name = Path(exe).name
            raise RuntimeError(f"{name} failed on {out.name}: {done.stderr.decode()[-500:]}")
        return pdf.read_bytes()


def writer_pdf(page: str, out: Path) -> bytes:
    """`page` (HTML) converted to PDF by LibreOffice Writer, headless."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ToolMissing(
            "soffice not found: install LibreOffice Writer (Debian: apt-get install "
            "--no-install-recommends libreoffice-writer-nogui)"
        )
    return _converted(
        page,
        out,
        exe,
        lambda src, pdf: [
            "--headless",
            f"-env:UserInstallation={(pdf.parent / 'profile').as_uri()}",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
            str(pdf.parent),
            str(src),
        ],
    )


def print_pdf(page: str, out: Path) -> bytes:
    """`page` printed to PDF by headless Chromium."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise ToolMissing("chromium not found: install it (Debian: apt-get install chromium)")
    return _converted(
        page,
        out,
        exe,
        lambda src, pdf: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={pdf.parent / 'profile'}",
            f"--print-to-pdf={pdf}",
            src.as_uri(),
        ],
    )


def _texts(pdf: Path) -> None:
    for mode in MODES:
        write_or_check(pdf.with_suffix(f".{mode}.txt"), pdftotext(pdf, mode), False, [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("reports", nargs="*", help="report (layout) names (default: all)")
    parser.add_argument("--html", type=Path, help="also write the HTML pages to this folder")
    parser.add_argument(
        "--rendering",
        action="append",
        choices=[*(r.name for r in HTML_RENDERINGS), WRITER],
        help="make only this rendering (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    reports = args.reports or sorted(p.stem for p in LAYOUTS.glob("*.toml"))
    try:
        for report in reports:
            layout = load_layout(LAYOUTS / f"{report}.toml")
            wanted = set(args.rendering or [*(r.name for r in HTML_RENDERINGS), WRITER])
            for r in HTML_RENDERINGS:
                if r.name not in wanted:
                    continue
                page = html_of(layout, r)
                if args.html:
                    args.html.mkdir(parents=True, exist_ok=True)
                    (args.html / f"{report}__{r.name}.html").write_text(page, encoding="utf-8")
                pdf = RENDERED / f"{report}__{r.name}.pdf"
                write_or_check(pdf, print_pdf(page, pdf), False, [])
                _texts(pdf)
            if WRITER in wanted:
                pdf = RENDERED / f"{report}__{WRITER}.pdf"
                write_or_check(pdf, writer_pdf(writer_html(layout), pdf), False, [])
                _texts(pdf)
    except (ToolMissing, RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
