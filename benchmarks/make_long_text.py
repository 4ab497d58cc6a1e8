"""Generate a long text report for benchmarks (output is not committed).

Usage (repository root)::

    python benchmarks/make_long_text.py benchmarks/out/long.txt --mb 4
    python benchmarks/make_long_text.py /tmp/long.txt --copies 100 --source fy2023_reiwa5

The report is a fixture of ``fixtures/text/`` (form-feed pages, as pdftotext prints)
repeated: copy ``k`` adds ``100 * k`` to every initiative number, so every block has a
unique number, and the copies are separated by form feeds, so the pages run on.  Header
lines are found with the default grammar (a header line that opens a block).  Output is
deterministic for the same arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportparse import lexicon, load_grammar  # noqa: E402
from reportparse.document import Line  # noqa: E402

STRIDE = 100  # fixture initiative numbers are all below this
MAX_COPIES = 999  # headers have at most five digits


def header_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that open an initiative block (or a group)."""
    grammar = load_grammar()
    parsed = [Line(raw=text, page=1, line=n) for n, text in enumerate(lines)]
    return [
        i
        for i, line in enumerate(parsed)
        if lexicon.header(grammar, line.text) is not None
        and lexicon.opens_block(grammar, parsed, i)
    ]


def renumbered(line: str, offset: int) -> str:
    """A header line with its number increased by ``offset`` (written in ASCII digits)."""
    if not offset:
        return line
    stripped = line.lstrip(" \f")
    lead = line[: len(line) - len(stripped)]
    digits = len(stripped) - len(stripped.lstrip("0123456789０１２３４５６７８９"))
    return f"{lead}{int(stripped[:digits]) + offset}{stripped[digits:]}"


def long_text(source: str, copies: int) -> str:
    """``copies`` of the fixture text, renumbered, one form-feed page after another."""
    if not 1 <= copies <= MAX_COPIES:
        raise SystemExit(f"copies must be 1..{MAX_COPIES}")
    text = (ROOT / "fixtures" / "text" / f"{source}.txt").read_text(encoding="utf-8")
    body = text.rstrip("\f\n") + "\n"
    lines = body.split("\n")
    heads = header_lines(lines)
    parts = []
    for k in range(copies):
        copy = list(lines)
        for i in heads:
            copy[i] = renumbered(copy[i], STRIDE * k)
        parts.append("\n".join(copy))
    return "\f".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("output", type=Path, help="text file to write (UTF-8)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--copies", type=int, help="how many copies of the fixture")
    size.add_argument("--mb", type=float, help="at least this many MB (default 2)")
    parser.add_argument("--source", default="fy2019_gannen", help="fixture text (a stem)")
    args = parser.parse_args(argv)
    copies = args.copies
    if copies is None:
        one = len(long_text(args.source, 1).encode("utf-8"))
        copies = max(1, -(-int((args.mb or 2.0) * 1_000_000) // one))
    data = long_text(args.source, copies).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"{args.output}: {copies} copies, {len(data) / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
