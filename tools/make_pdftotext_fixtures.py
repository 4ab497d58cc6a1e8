"""Write ``fixtures/cases/pdftotext/<stem>.<mode>.txt``: the text poppler's pdftotext gives
of every ``fixtures/pdf/*.pdf`` in ``-raw`` and ``-layout`` mode.

Usage (from the repository root, ``pdftotext`` on PATH, e.g. apt ``poppler-utils``)::

    python tools/make_pdftotext_fixtures.py           # (re)write the texts
    python tools/make_pdftotext_fixtures.py --check   # exit 1 if a committed text differs

The ``_rects`` / ``_noframes`` variants are other drawings of one report; their texts
must equal their base report's, so only the base report's texts are written.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "fixtures" / "pdf"
OUT = ROOT / "fixtures" / "cases" / "pdftotext"
MODES = ("raw", "layout")
VARIANTS = ("_rects", "_noframes")


def base_stem(pdf: Path) -> str:
    stem = pdf.stem
    for suffix in VARIANTS:
        stem = stem.removesuffix(suffix)
    return stem


def pdftotext(pdf: Path, mode: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.txt"
        subprocess.run(["pdftotext", f"-{mode}", str(pdf), str(out)], check=True)
        return out.read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    check = "--check" in argv
    texts: dict[Path, str] = {}
    problems = []
    for pdf in sorted(PDFS.glob("*.pdf")):
        for mode in MODES:
            target = OUT / f"{base_stem(pdf)}.{mode}.txt"
            text = pdftotext(pdf, mode)
            if target in texts and texts[target] != text:
                problems.append(f"{pdf.name}: -{mode} text differs from its base report's")
            texts.setdefault(target, text)
    for target, text in texts.items():
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                problems.append(f"{target.relative_to(ROOT)} is stale")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
