"""Hostile PDFs end in a clear error or a clean result, quickly and in bounded memory.

Each case is built by tests/hostile_pdfs.py, run through the command line with each
engine in a fresh process, and must give its exit code, no traceback, and stay within
generous bounds of time and peak memory (RSS).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import reportparse
from reportparse.engines import guard, plumber
from reportparse.errors import ExitCode, PdfError

from . import hostile_pdfs as make

SECONDS = 10.0
RSS_MB = 300.0
# Runs the command in argv[1:]; prints its exit code, wall time and peak RSS.
MEASURED = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": done.returncode, "stderr": done.stderr,
                  "seconds": time.perf_counter() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

Case = tuple[str, Callable[[], bytes], dict[str, tuple[int, str]]]
CASES: list[Case] = [
    (
        "flate_bomb_300mb",
        lambda: make.flate_bomb(300),
        {e: (ExitCode.PDF, "decompression bomb") for e in ("pdfium", "pdfplumber")},
    ),
    (
        "nested_arrays",
        lambda: make.nested_arrays(100_000),
        {e: (ExitCode.NO_TEXT, "no text layer") for e in ("pdfium", "pdfplumber")},
    ),
    (
        "deep_page_tree",
        lambda: make.deep_page_tree(5_000),
        {
            "pdfium": (ExitCode.PDF, "corrupt or truncated PDF (page 1"),
            "pdfplumber": (ExitCode.PDF, "structure is nested too deep"),
        },
    ),
    (
        "xref_prev_loop",
        make.xref_prev_loop,
        {
            "pdfium": (ExitCode.NO_TEXT, "no text layer"),
            "pdfplumber": (ExitCode.PDF, "structure is nested too deep"),
        },
    ),
    ("length_loop", make.length_loop, {"pdfium": (ExitCode.NO_TEXT, "no text layer")}),
    (
        "tiny_text_objects_200k",
        lambda: make.tiny_text_objects(200_000),
        {"pdfium": (ExitCode.OK, "report.no_initiatives")},
    ),
]
PARAMS = [
    pytest.param(build, engine, code, text, id=f"{name}-{engine}")
    for name, build, expect in CASES
    for engine, (code, text) in expect.items()
]


@pytest.mark.parametrize("build,engine,code,text", PARAMS)
def test_hostile_pdf(
    build: Callable[[], bytes], engine: str, code: int, text: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(build())
    argv = [sys.executable, "-m", "reportparse", "extract", str(path), "--engine", engine]
    measured = subprocess.run(
        [sys.executable, "-c", MEASURED, *argv], capture_output=True, text=True, check=True
    )
    result = json.loads(measured.stdout)
    assert result["code"] == code, result["stderr"]
    assert text in result["stderr"]
    assert "Traceback" not in result["stderr"] and "Error:" not in result["stderr"]
    assert result["seconds"] < SECONDS
    assert result["rss_mb"] < RSS_MB


def test_a_pdfminer_loop_meets_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer resolves a /Length that loops through two objects forever: the deadline
    on opening the file ends it (shortened here from its default)."""
    monkeypatch.setattr(plumber, "OPEN_SECONDS", 1.0)
    with pytest.raises(PdfError, match=r"opening it took over 1 s \(a loop\?\)"):
        reportparse.extract_bytes(make.length_loop(), name="loop.pdf", engine="pdfplumber")


def test_the_stream_guard_passes_ordinary_files_and_counts_only_to_the_limit() -> None:
    guard.check_streams(make.flate_bomb(2), "small.pdf")  # 2 MB: fine
    with pytest.raises(PdfError, match=r"\(object 4\) inflates past 1 MB"):
        guard.check_streams(make.flate_bomb(2), "small.pdf", limit_mb=1)
