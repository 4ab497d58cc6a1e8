"""The speed table of issue 9, measured side by side in one run (these machines are noisy).

Usage (repository root; reportlab is needed to generate the long PDF:
`pip install -e '.[test,fixtures]'`):

    python benchmarks/bench_speed.py               # the whole table
    python benchmarks/bench_speed.py --pages 300 --repeat 3
    python benchmarks/bench_speed.py --baseline a6b356f   # and before/after against a commit

Each row runs its two sides alternately, `--repeat` times each, in fresh processes, and
reports the best time of each side, their ratio and the peak RSS of each:
  - PDF: `reportparse extract --engine pdfplumber` against `--engine pdfium` on a generated
    report of `--pages` pages (benchmarks/make_long_pdf.py), written with `-o`;
  - the floor: pypdfium2 alone reading every character with its box and every path
    object's bounds, against `extract --engine pdfium` (how close the engine is to it);
  - memory: the same command on twice the pages (peak RSS must stay flat);
  - text: `extract` of generated texts of 2 and 4 MB (benchmarks/make_long_text.py), MB/s;
  - start-up: `reportparse --version`, and `extract` of the 2-page sample text;
  - batch: 20 small fixture PDFs, `--jobs 1` against `--jobs 2`.

With `--baseline REV` a second table follows: each row of the first run by the code of
commit REV (checked out in a temporary git worktree, run with its `src` first on
PYTHONPATH and its own grammars) alternating with the code of this tree, so "before" and
"after" are measured in the same minutes. a6b356f is the commit issue 9 was measured on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_text import COMMAND, make_text  # noqa: E402  (the same timing, the same texts)

# pypdfium2 alone: every character with its box, every path object's bounds.
FLOOR = """
import sys, ctypes
import pypdfium2 as pdfium, pypdfium2.raw as c
doc = pdfium.PdfDocument(sys.argv[1])
rect = c.FS_RECTF()
x0, y0, x1, y1 = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
for i in range(len(doc)):
    page = doc[i]
    text = page.get_textpage()
    for k in range(c.FPDFText_CountChars(text.raw)):
        c.FPDFText_GetUnicode(text.raw, k)
        c.FPDFText_GetLooseCharBox(text.raw, k, rect)
    for k in range(c.FPDFPage_CountObjects(page.raw)):
        obj = c.FPDFPage_GetObject(page.raw, k)
        if c.FPDFPageObj_GetType(obj) == c.FPDF_PAGEOBJ_PATH:
            c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1)
    text.close()
    page.close()
"""


def timed(argv: Sequence[str]) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one run of `argv` in a fresh process."""
    result = subprocess.run([PY, "-c", COMMAND, *argv], capture_output=True, text=True, check=True)
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def side_by_side(
    a: Sequence[str], b: Sequence[str], repeat: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Best run of each side, the sides alternating so that load hits both alike."""
    best: list[dict[str, float] | None] = [None, None]
    for _ in range(repeat):
        for i, argv in enumerate((a, b)):
            m = timed(argv)
            old = best[i]
            if old is None or m["seconds"] < old["seconds"]:
                best[i] = {"seconds": m["seconds"], "rss_mb": max(m["rss_mb"], 0.0)}
    assert best[0] is not None and best[1] is not None
    return best[0], best[1]


def row(what: str, a: dict[str, float], b: dict[str, float], names: tuple[str, str]) -> None:
    ratio = a["seconds"] / b["seconds"] if b["seconds"] else float("inf")
    print(
        f"| {what} | {names[0]}: {a['seconds']:.2f} s, {a['rss_mb']:.0f} MB "
        f"| {names[1]}: {b['seconds']:.2f} s, {b['rss_mb']:.0f} MB | {ratio:.2f}× |",
        flush=True,
    )


def long_pdf(pages: int) -> Path:
    pdf = OUT / f"long_{pages}.pdf"
    if not pdf.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [PY, str(ROOT / "benchmarks" / "make_long_pdf.py"), str(pdf), "--pages", str(pages)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return pdf


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """The tree of commit `rev`, checked out in a temporary git worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        made = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            sys.exit(f"bench_speed: cannot check out {rev}: {made.stderr.strip()}")
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )


def small_pdfs(folder: Path, count: int) -> Path:
    """`count` copies of the fixture PDFs in `folder`/in, for the batch rows."""
    inputs = folder / "in"
    inputs.mkdir()
    pdfs = sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    for i in range(count):
        shutil.copy(pdfs[i % len(pdfs)], inputs / f"{i:02d}_{pdfs[i % len(pdfs)].name}")
    return inputs


def before_after(rev: str, pages: int, repeat: int) -> None:
    """The issue's table, each row run by commit `rev` and by this tree, alternately."""
    out = str(OUT / "bench.json")
    pdf, text = long_pdf(pages), make_text(2.0)
    sample = str(ROOT / "fixtures" / "text" / "seed_fy2020.txt")
    with worktree(rev) as tree, tempfile.TemporaryDirectory() as tmp:
        old = ["env", f"PYTHONPATH={tree / 'src'}", PY, "-m", "reportparse"]
        new = [PY, "-m", "reportparse"]
        names = (rev, "this tree")
        print(f"\n| what | before: {rev} | after: this tree | speed-up |")
        print("|---|---|---|---|")
        for what, argv, times in (
            (f"{pages}-page PDF, `extract`", ["extract", str(pdf), "-o", out], 1),
            ("text input, 2 MB, `extract`", ["extract", str(text), "-o", out], 1),
            ("`--version`", ["--version"], 3),
            ("`extract` of the 2-page sample text", ["extract", sample, "-o", out], 3),
        ):
            a, b = side_by_side([*old, *argv], [*new, *argv], max(1, repeat * times))
            row(what, a, b, names)
        inputs = small_pdfs(Path(tmp), 20)
        gains, seconds = [], []
        for command in (old, new):
            batch = [*command, "batch", str(inputs), "-o", str(Path(tmp) / "out"),
                     "--force", "--quiet"]  # fmt: skip
            one, two = side_by_side([*batch, "--jobs", "1"], [*batch, "--jobs", "2"], repeat)
            gains.append(one["seconds"] / two["seconds"])
            seconds.append(two["seconds"])
        print(
            f"| `batch` of 20 small PDFs, `--jobs 2` | {seconds[0]:.2f} s, {gains[0]:.2f}× "
            f"over `--jobs 1` | {seconds[1]:.2f} s, {gains[1]:.2f}× over `--jobs 1` "
            f"| {seconds[0] / seconds[1]:.2f}× |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", help="also measure commit REV, side by side")
    parser.add_argument("--only-baseline", action="store_true", help="skip the first table")
    args = parser.parse_args()
    if args.only_baseline:
        if not args.baseline:
            parser.error("--only-baseline needs --baseline REV")
        before_after(args.baseline, args.pages, args.repeat)
        return
    extract = [PY, "-m", "reportparse", "extract"]
    pdf = long_pdf(args.pages)
    out = str(OUT / "bench.json")
    print("| what | before / slower side | after / faster side | ratio |")
    print("|---|---|---|---|")
    a, b = side_by_side(
        [*extract, str(pdf), "-o", out, "--engine", "pdfplumber"],
        [*extract, str(pdf), "-o", out, "--engine", "pdfium"],
        max(1, args.repeat // 2),
    )
    row(f"{args.pages}-page PDF, `extract`", a, b, ("pdfplumber", "pdfium"))
    a, b = side_by_side(
        [*extract, str(pdf), "-o", out, "--engine", "pdfium"],
        [PY, "-c", FLOOR, str(pdf)],
        args.repeat,
    )
    row(f"{args.pages}-page PDF, the floor", a, b, ("extract --engine pdfium", "pypdfium2 alone"))
    double = long_pdf(2 * args.pages)
    a, b = side_by_side([*extract, str(double), "-o", out], [*extract, str(pdf), "-o", out], 1)
    row("memory flat in page count", a, b, (f"{2 * args.pages} pages", f"{args.pages} pages"))
    small, large = make_text(2.0), make_text(4.0)
    a, b = side_by_side(
        [*extract, str(large), "-o", out], [*extract, str(small), "-o", out], args.repeat
    )
    for path, m in ((small, b), (large, a)):
        mb = path.stat().st_size / 1e6
        pages = path.read_bytes().count(b"\f") + 1
        print(
            f"| text input, {mb:.1f} MB ({pages} form-feed pages) | {m['seconds']:.2f} s, "
            f"{m['rss_mb']:.0f} MB | {mb / m['seconds']:.2f} MB/s | — |",
            flush=True,
        )
    sample = str(ROOT / "fixtures" / "text" / "seed_fy2020.txt")
    a, b = side_by_side([*extract, sample], [PY, "-m", "reportparse", "--version"], args.repeat * 3)
    row("start-up", a, b, ("extract of the 2-page sample text", "--version"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_pdfs(Path(tmp), 20)
        batch = [PY, "-m", "reportparse", "batch", str(folder), "-o", str(Path(tmp) / "out"),
                 "--force", "--quiet"]  # fmt: skip
        a, b = side_by_side([*batch, "--jobs", "1"], [*batch, "--jobs", "2"], args.repeat)
        row("`batch` of 20 small PDFs", a, b, ("--jobs 1", "--jobs 2"))
    if args.baseline:
        before_after(args.baseline, args.pages, args.repeat)


if __name__ == "__main__":
    main()
