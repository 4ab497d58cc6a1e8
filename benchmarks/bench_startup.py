"""Benchmark start-up: `reportparse --version` and `extract` of the 2-page sample text.

Usage (repository root):

    python benchmarks/bench_startup.py              # 15 runs of each, interleaved
    python benchmarks/bench_startup.py --runs 30

Each command runs as a fresh process, interleaved with a bare `python -c pass` so that
machine load shows in every row alike, and with the import of the libraries `extract`
cannot start without (typer, pydantic, regex): the floor of its start-up. It prints the
best and the median seconds and the share of the best run above the bare interpreter.
Targets (issue 9): `--version` <= 0.15 s, `extract fixtures/text/seed_fy2020.txt` <= 0.3 s.
On a busy machine, read the best runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    # The floor of `extract`: the libraries it must load (typer builds pydantic adapters for
    # its options; the output contract is pydantic models), before any code of ours runs.
    "import typer, pydantic, regex": [
        "-c",
        "import typer, regex, typer._adapters; from pydantic import BaseModel",
    ],
    "reportparse --version": ["-m", "reportparse", "--version"],
    "reportparse extract seed": ["-m", "reportparse", "extract", "fixtures/text/seed_fy2020.txt"],
}
TARGETS = {"reportparse --version": 0.15, "reportparse extract seed": 0.3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    args = parser.parse_args()
    seconds: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, check=True)
            seconds[name].append(time.perf_counter() - start)
    bare = min(seconds["python -c pass"])
    print(f"{'':<30} {'best':>7} {'median':>7} {'over python':>12} {'target':>7}")
    for name, runs in seconds.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("meets" if min(runs) <= target else "misses")
        print(
            f"{name:<30} {min(runs):>7.3f} {statistics.median(runs):>7.3f} "
            f"{min(runs) - bare:>12.3f} {target or '':>7} {verdict}"
        )


if __name__ == "__main__":
    main()
