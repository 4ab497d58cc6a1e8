"""Benchmark PDF extraction against bare pdfplumber on a long generated report.

Usage (repository root; reportlab needed to generate the PDF: `pip install -e '.[fixtures]'`):

    python benchmarks/bench_pdf.py                 # 100 and 500 pages
    python benchmarks/bench_pdf.py --pages 50 200  # other sizes

For each size it generates the report with benchmarks/make_long_pdf.py, then runs, each in
a fresh process so peak memory is its own:
  - baseline: pdfplumber `extract_words` + `find_tables` on every page, closing each page;
  - cli: `reportparse extract FILE -o OUT` (the command; JSON streamed page by page);
  - api: `reportparse.extract(FILE)` (holds the whole Report model in memory).
It prints seconds, pages per second, the speed ratio to the baseline and peak RSS.
Targets (issue 3): ratio >= 0.75, peak RSS <= 100 MB at 500 pages, flat in page count.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

BASELINE = """
import json, resource, sys, time, logging
logging.getLogger("pdfminer").setLevel(logging.WARNING)
import pdfplumber
start = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.find_tables()
        page.close()
seconds = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))
"""

REPORTPARSE = """
import json, resource, sys, time
import reportparse
start = time.perf_counter()
report = reportparse.extract(sys.argv[1])
seconds = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rows = sum(len(i.indicators) for i in report.initiatives)
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "initiatives": len(report.initiatives),
                  "indicators": rows, "warnings": len(report.warnings)}))
"""


COMMAND = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))
"""


def measure(code: str, *args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 500])
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'pages':>5} {'tool':<12} {'seconds':>8} {'pages/s':>8} {'peak MB':>8}  notes")
    for pages in args.pages:
        pdf = OUT / f"long_{pages}.pdf"
        if not pdf.exists():
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "make_long_pdf.py"), str(pdf),
                 "--pages", str(pages)],
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        base = measure(BASELINE, str(pdf))
        cli = measure(COMMAND, sys.executable, "-m", "reportparse", "extract", str(pdf), "-o",
                      str(OUT / f"long_{pages}.json"))  # fmt: skip
        api = measure(REPORTPARSE, str(pdf))
        for name, m in (("pdfplumber", base), ("cli", cli), ("api", api)):
            note = ""
            if name != "pdfplumber":
                ratio = (pages / m["seconds"]) / (pages / base["seconds"])
                note = f"speed {ratio:.2f}x of baseline"
            if name == "api":
                note += (
                    f"; {api['initiatives']:.0f} initiatives, {api['indicators']:.0f} "
                    f"indicators, {api['warnings']:.0f} warnings"
                )
            print(
                f"{pages:>5} {name:<12} {m['seconds']:>8.2f} {pages / m['seconds']:>8.1f} "
                f"{m['rss_mb']:>8.1f}  {note}"
            )


if __name__ == "__main__":
    main()
