"""Write a layout's stream-order text, as pdftotext's default mode prints such reports.

Usage (repository root; needs only the standard library and ``tools/pdf_layout.py``)::

    python tools/make_stream_text.py                   # every layout with text_generated = true
    python tools/make_stream_text.py --check           # exit 1 if such a text is stale
    python tools/make_stream_text.py --stdout seed_fy2020 [--no-form-feeds]
    python tools/make_stream_text.py --compare seed_fy2020   # how close to the committed text

Only layouts that say ``text_generated = true`` are written (to
``fixtures/text/<name>.txt``); the other text fixtures were transcribed or hand-written
and are never overwritten.  ``--compare`` prints a unified diff against the committed
``fixtures/text/<name>.txt`` and a similarity summary.

The format follows the real ``fixtures/text/seed_fy2020.txt``: on each page, first the
blocks in layout order (■ lines where the layout puts them, each followed by a blank
line; each header as ``<number><title>`` followed by a blank line; section markers and
their lines exactly as in the layout), a blank line between two blocks, then the page's
tables in content-stream order.  A table prints its header cells on separate lines
(``指標`` / ``<year>年度実績値`` / ``(<year>年度目標値)``, blank, then ``進捗評価
<final>年度目標値`` or, wrapped, ``進捗評価`` / ``<final>年度`` / ``目標値``), then each row,
rows and tables separated by a blank line::

    one-line name      two-line name     three-line name
    name               name 1            name 1 / name 2 / name 3
    actual             name 2
                                         actual
    （target）         actual
    grade final        （target）        （target）
                                         grade final
                       grade final

The first line of a page starts with a space, as pdftotext prints it.  By default every
page ends with a form feed (as pdftotext writes it, so the file ends with ``\\f``);
``--no-form-feeds`` runs the pages together and ends the file with two blank lines, like
``seed_fy2020.txt``.  What this cannot know is where pdftotext puts a stray blank line
or drops one because of the real vertical gaps (see ``--compare seed_fy2020``).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from fixture_files import ROOT, report_stale, write_or_check
from pdf_layout import Layout, LayoutError, Page, Table, load_layout

LAYOUTS = ROOT / "fixtures" / "layouts"
TEXTS = ROOT / "fixtures" / "text"


def _table_lines(table: Table) -> list[str]:
    name, values, grade, final = table.header
    out = [*name, *values, ""]
    if len(grade) == 1 and len(final) == 1:
        out.append(f"{grade[0]} {final[0]}")
    else:
        out += [*grade, *final]
    for row in table.rows:
        last = f"{row.grade} {row.final}"
        out.append("")
        if len(row.name) == 1:
            out += [*row.name, row.actual, "", row.target, last]
        elif len(row.name) == 2:
            out += [*row.name, "", row.actual, row.target, "", last]
        else:
            out += [*row.name, "", row.actual, "", row.target, last]
    return out


def page_lines(page: Page) -> list[str]:
    """The lines of one page, without the page's form feed."""
    out: list[str] = []

    def separate() -> None:
        if out and out[-1] != "":
            out.append("")

    owner_of = {n: block for block in page.blocks for n in block.numbers}
    for bno, block in enumerate(page.blocks):
        for cat in page.categories:
            if (cat.before is None and bno == 0) or (
                cat.before is not None and owner_of[cat.before] is block
            ):
                separate()
                out += [cat.text, ""]
        separate()
        for header in block.headers:
            out += [f"{header.number}{header.title}", ""]
        for section in block.sections:
            out.append(section.marker)
            out += section.lines
    for table in page.tables:
        separate()
        out += _table_lines(table)
    if out:
        out[0] = " " + out[0]
    return out


def stream_text(layout: Layout, form_feeds: bool = True) -> str:
    pages = ["\n".join(page_lines(p)) + "\n" for p in layout.pages]
    if form_feeds:
        return "".join(p + "\f" for p in pages)
    return "".join(pages) + "\n\n"


def compare(layout: Layout, form_feeds: bool) -> str:
    """A diff against the committed text and a one-line similarity summary."""
    committed = (TEXTS / f"{layout.name}.txt").read_text(encoding="utf-8")
    ours = stream_text(layout, form_feeds)
    a, b = committed.splitlines(), ours.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    diff = "".join(
        line + "\n"
        for line in difflib.unified_diff(
            a, b, f"fixtures/text/{layout.name}.txt", "generated", lineterm=""
        )
    )
    summary = (
        f"{layout.name}: {same} of {len(a)} committed lines reproduced in order "
        f"({len(b)} generated, line similarity {matcher.ratio():.3f})"
    )
    return diff + summary + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("layouts", nargs="*", help="layout names (default: all generated)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")
    parser.add_argument("--compare", action="store_true", help="diff against fixtures/text")
    parser.add_argument("--no-form-feeds", action="store_true", help="no \\f between pages")
    args = parser.parse_args(argv)
    paths = [LAYOUTS / f"{n}.toml" for n in args.layouts] or sorted(LAYOUTS.glob("*.toml"))
    form_feeds = not args.no_form_feeds
    stale: list[Path] = []
    try:
        for path in paths:
            layout = load_layout(path)
            if args.compare:
                sys.stdout.write(compare(layout, form_feeds))
                continue
            if args.stdout:
                sys.stdout.write(stream_text(layout, form_feeds))
                continue
            if not layout.text_generated:
                if args.layouts:
                    print(f"skipped {layout.name}: not text_generated", file=sys.stderr)
                continue
            out = TEXTS / f"{layout.name}.txt"
            data = stream_text(layout, form_feeds).encode("utf-8")
            write_or_check(out, data, args.check, stale)
    except (LayoutError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return report_stale(stale)


if __name__ == "__main__":
    sys.exit(main())
