"""Benchmark the text path: MB/s and peak RSS of `extract` at two sizes, side by side.

Usage (repository root)::

    python benchmarks/bench_text.py               # 1 MB and 4 MB
    python benchmarks/bench_text.py --mb 2 8      # other sizes
    python benchmarks/bench_text.py --profile 4   # cProfile of one run, the top functions

Each size is a fixture report repeated with renumbered initiatives
(benchmarks/make_long_text.py), form-feed pages as pdftotext prints. Each run is
`reportparse extract FILE -o OUT` in a fresh process, so its peak RSS is its own; the
sizes run one after the other in one invocation, so their ratio (the last column: 1.00
is linear; start-up weighs more on the smaller size) is measured on the same machine
state. CPU seconds (user + system) are shown too: on a shared machine they vary less.
Target (issue 9): >= 5 MB/s, linear.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

COMMAND = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024}))
"""

PROFILE = """
import cProfile, pstats, sys
import reportparse
cProfile.run("reportparse.extract(sys.argv[1])", sys.argv[2])
pstats.Stats(sys.argv[2]).sort_stats("cumulative").print_stats(int(sys.argv[3]))
"""


def make_text(mb: float) -> Path:
    """The generated report of about `mb` MB (made once, kept in benchmarks/out)."""
    path = OUT / f"long_{mb:g}mb.txt"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "make_long_text.py"), str(path),
             "--mb", str(mb)],
            check=True,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return path


def measure(path: Path) -> dict[str, float]:
    out = path.with_suffix(".json")
    command = [sys.executable, "-m", "reportparse", "extract", str(path), "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", COMMAND, *command], capture_output=True, text=True, check=True
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--profile", type=float, metavar="MB", help="profile one run instead")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.profile:
        path = make_text(args.profile)
        stats = str(OUT / "profile.stats")
        subprocess.run([sys.executable, "-c", PROFILE, str(path), stats, str(args.top)], check=True)
        return
    print(
        f"{'MB':>6} {'pages':>6} {'seconds':>8} {'MB/s':>7} {'CPU s':>7} {'MB/CPU s':>8} "
        f"{'peak MB':>8} {'vs first':>8}"
    )
    first: float | None = None
    for mb in args.mb:
        path = make_text(mb)
        size = path.stat().st_size / 1e6
        pages = path.read_bytes().count(b"\f") + 1
        m = measure(path)
        speed = size / m["seconds"]
        first = first or speed
        print(
            f"{size:>6.2f} {pages:>6} {m['seconds']:>8.2f} {speed:>7.2f} {m['cpu']:>7.2f} "
            f"{size / m['cpu']:>8.2f} {m['rss_mb']:>8.1f} {speed / first:>8.2f}"
        )


if __name__ == "__main__":
    main()
