"""Write what poppler's ``pdftotext`` makes of every rendering of every fixture report.

Usage (repository root; needs poppler-utils, e.g. ``apt-get install poppler-utils``)::

    python tools/make_text_renderings.py                # every report, every rendering
    python tools/make_text_renderings.py seed_fy2020    # only the named reports
    python tools/make_text_renderings.py --check        # exit 1 if a committed text is stale

For each report ``<report>`` (a ``fixtures/layouts/<report>.toml``) and each rendering
``<r>`` it runs ``pdftotext -raw``, ``pdftotext -layout`` and plain ``pdftotext`` (the
default reading order; ``-enc UTF-8`` each) on the PDF and writes
``fixtures/renderings/<report>__<r>.raw.txt``, ``.layout.txt`` and ``.plain.txt``, byte for
byte as poppler prints them (form feeds included).  The PDF of rendering
``portrait_framed`` is ``fixtures/pdf/<report>.pdf``; the others are
``fixtures/renderings/<report>__<r>.pdf`` (``tools/make_pdf_fixtures.py`` writes them).

The tests read the committed texts and never need poppler.  Only this tool does: it
stops with a clear message if ``pdftotext`` is missing.  Another poppler version may
print slightly different text; ``--check`` then reports the files that differ.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from fixture_files import ROOT, report_stale, write_or_check
from pdf_layout import PORTRAIT_FRAMED, RENDERING_NAMES

LAYOUTS = ROOT / "fixtures" / "layouts"
PDFS = ROOT / "fixtures" / "pdf"
RENDERED = ROOT / "fixtures" / "renderings"
MODES = ("raw", "layout", "plain")  # plain: no mode option, reading order (the default)


class ToolMissing(RuntimeError):
    pass


def pdf_of(report: str, rendering: str) -> Path:
    if rendering == PORTRAIT_FRAMED:
        return PDFS / f"{report}.pdf"
    return RENDERED / f"{report}__{rendering}.pdf"


def pdftotext(pdf: Path, mode: str) -> bytes:
    """``pdftotext -<mode> -enc UTF-8 pdf -`` as bytes (mode ``plain``: no mode option,
    what ``pdftotext report.pdf`` prints)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ToolMissing(
            "pdftotext not found: install poppler-utils (Debian/Ubuntu: "
            "`apt-get install poppler-utils`, macOS: `brew install poppler`)"
        )
    done = subprocess.run(
        [exe, *([] if mode == "plain" else [f"-{mode}"]), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pdftotext -{mode} {pdf}: {done.stderr.decode(errors='replace')}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("reports", nargs="*", help="report (layout) names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    reports = args.reports or sorted(p.stem for p in LAYOUTS.glob("*.toml"))
    stale: list[Path] = []
    try:
        for report in reports:
            for rendering in RENDERING_NAMES:
                pdf = pdf_of(report, rendering)
                if not pdf.exists():
                    print(f"error: {pdf.relative_to(ROOT)} is missing", file=sys.stderr)
                    return 2
                for mode in MODES:
                    out = RENDERED / f"{report}__{rendering}.{mode}.txt"
                    write_or_check(out, pdftotext(pdf, mode), args.check, stale)
    except (ToolMissing, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return report_stale(stale)


if __name__ == "__main__":
    sys.exit(main())
