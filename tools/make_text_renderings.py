"""Write what poppler's ``pdftotext`` makes of every rendering of every fixture report.

Usage (repository root; needs poppler-utils, e.g. ``apt-get install poppler-utils``)::

    python tools/make_text_renderings.py                # every report, every rendering
    python tools/make_text_renderings.py seed_fy2020    # only the named reports
    python tools/make_text_renderings.py --check        # exit 1 if a committed text is stale

For each report ``<report>`` (a ``fixtures/layouts/<report>.toml``) and each rendering
``<r>`` it runs ``pdftotext -raw`` and ``pdftotext -layout`` (``-enc UTF-8``) on the PDF
and writes ``fixtures/renderings/<report>__<r>.raw.txt`` and ``.layout.txt``, byte for
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

from pdf_layout import PORTRAIT_FRAMED, RENDERING_NAMES

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "fixtures" / "layouts"
PDFS = ROOT / "fixtures" / "pdf"
RENDERED = ROOT / "fixtures" / "renderings"
MODES = ("raw", "layout")


class ToolMissing(RuntimeError):
    pass


def pdf_of(report: str, rendering: str) -> Path:
    if rendering == PORTRAIT_FRAMED:
        return PDFS / f"{report}.pdf"
    return RENDERED / f"{report}__{rendering}.pdf"


def pdftotext(pdf: Path, mode: str) -> bytes:
    """``pdftotext -<mode> -enc UTF-8 pdf -`` as bytes."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ToolMissing(
            "pdftotext not found: install poppler-utils (Debian/Ubuntu: "
            "`apt-get install poppler-utils`, macOS: `brew install poppler`)"
        )
    done = subprocess.run(
        [exe, f"-{mode}", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False
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
    stale = []
    try:
        for report in reports:
            for rendering in RENDERING_NAMES:
                pdf = pdf_of(report, rendering)
                if not pdf.exists():
                    print(f"error: {pdf.relative_to(ROOT)} is missing", file=sys.stderr)
                    return 2
                for mode in MODES:
                    out = RENDERED / f"{report}__{rendering}.{mode}.txt"
                    text = pdftotext(pdf, mode)
                    if args.check:
                        if not out.exists() or out.read_bytes() != text:
                            stale.append(out)
                    else:
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(text)
                        print(f"wrote {out.relative_to(ROOT)}")
    except (ToolMissing, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
