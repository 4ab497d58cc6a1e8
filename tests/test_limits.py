"""`--timeout` and `--max-memory` of `extract` and `show` (issue 12), and the shared limits
module: exit 10 with one line naming the limit, no output, the read-ahead child included.
Each test is bounded well under 10 s."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from reportparse import cli, limits, pipeline
from reportparse.batch import Settings, run_batch
from reportparse.deadline import deadline
from reportparse.engines import readahead
from reportparse.engines.pdfium import PdfiumEngine
from reportparse.errors import ExitCode, PdfError

from .conftest import FIXTURES, ROOT
from .faults import abort, inject

SEED_TXT = (FIXTURES / "text" / "seed_fy2020.txt").relative_to(ROOT)
SEED_PDF = (FIXTURES / "pdf" / "seed_fy2020.pdf").relative_to(ROOT)
PYTHON = (sys.executable, "-m", "reportparse")
ISOLATED = pytest.mark.skipif(
    not readahead.can_read_ahead(1, isolate=True), reason="no fork here: no reader process"
)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def error_line(result: Result) -> str:
    """The one error line on stderr, no traceback, nothing on stdout."""
    assert "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("reportparse: error: ")]
    assert len(errors) == 1, result.stderr
    assert result.stdout == ""
    return errors[0]


@pytest.fixture(autouse=True)
def limit_is_restored() -> Iterator[None]:
    """An in-process run lifts its memory limit again (the test process keeps none)."""
    before = resource.getrlimit(resource.RLIMIT_AS)
    yield
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def _slow_on_page(monkeypatch: pytest.MonkeyPatch, number: int, seconds: float) -> None:
    """Make one stage sleep on page `number` (the conversion made slow on purpose)."""
    original = pipeline.strip_furniture

    def slow(view: Any, *args: Any) -> Any:
        if view.pages[0].number == number:
            time.sleep(seconds)
        return original(view, *args)

    monkeypatch.setattr(pipeline, "strip_furniture", slow)


# ---------------------------------------------------------------------------------------
# memory


def test_a_pdf_under_a_tiny_memory_limit_is_exit_10(tmp_path: Path) -> None:
    """A real run, not a simulated one: PDFium cannot allocate a page under 1 MB of
    address space (it aborts its process: the reader child), and the error says so."""
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [*PYTHON, "extract", str(SEED_PDF), "--max-memory", "1", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == ExitCode.LIMIT, proc.stderr
    assert proc.stderr == (
        f"reportparse: error: {SEED_PDF}: out of memory on page 1 (over --max-memory 1 MB)\n"
    )
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


@pytest.mark.parametrize("fault", ["memory", "wrapped_memory", "unmappable"])
def test_running_out_of_memory_in_any_form_is_exit_10(
    monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    inject(monkeypatch, f"{fault}:{SEED_TXT.name}")
    result = invoke("extract", str(SEED_TXT), "--max-memory", "512")
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith(f"{SEED_TXT}: out of memory (over --max-memory 512 MB)")


def test_show_has_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    original = pipeline.run

    def run(data: bytes, path: Any, *args: Any) -> Any:
        [bytearray(64 << 20) for _ in range(1024)]  # 64 GB of address space
        return original(data, path, *args)

    monkeypatch.setattr(pipeline, "run", run)
    result = invoke("show", str(SEED_TXT), "--max-memory", "512")
    assert result.exit_code == ExitCode.LIMIT
    assert "out of memory" in error_line(result) and "--max-memory 512 MB" in result.stderr


def test_max_memory_0_is_no_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int | None] = []
    original = pipeline.strip_furniture
    monkeypatch.setattr(
        pipeline, "strip_furniture", lambda *a: seen.append(limits.memory_limit()) or original(*a)
    )
    assert invoke("extract", str(SEED_TXT), "--max-memory", "0").exit_code == ExitCode.OK
    assert seen and set(seen) == {limits.memory_limit()}  # the test process's: unchanged
    seen.clear()
    assert invoke("extract", str(SEED_TXT), "--max-memory", "900").exit_code == ExitCode.OK
    assert set(seen) == {900 * 1024 * 1024}


@ISOLATED
def test_a_reader_child_out_of_memory_is_the_memory_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a memory limit PDFium reads in a child even for a short file; its
    MemoryError comes back as the same one-line error, naming the page."""

    def exhausted(self: PdfiumEngine, index: int) -> Any:
        if index == 1:
            raise MemoryError
        return original(self, index)

    original = PdfiumEngine.read_page
    monkeypatch.setattr(PdfiumEngine, "read_page", exhausted)
    result = invoke("extract", str(SEED_PDF), "--max-memory", "4096")
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith("out of memory on page 2 (over --max-memory 4096 MB)")


@ISOLATED
def test_a_reader_child_aborted_under_a_limit_is_the_memory_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PDFium ends its process with SIGABRT when an allocation fails: under a limit that
    is the memory error; without one, the reader ended unexpectedly (exit 4)."""
    monkeypatch.setattr(PdfiumEngine, "read_page", lambda self, index: abort())
    result = invoke("extract", str(SEED_PDF), "--max-memory", "4096")
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith("out of memory on page 1 (over --max-memory 4096 MB)")
    monkeypatch.setattr(readahead, "MIN_PAGES", 1)
    if not readahead.can_read_ahead(1):
        return  # one core: without a limit the page is read in-process
    import reportparse

    with pytest.raises(PdfError, match=r"reader process ended unexpectedly \(exit code -6\)"):
        reportparse.extract(SEED_PDF)


def test_a_batch_worker_aborted_under_max_memory_is_recorded_as_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inject(monkeypatch, f"abort:{SEED_TXT.name}")
    for max_memory, code in ((512, "memory"), (None, "crashed")):
        out = tmp_path / str(max_memory)
        settings = Settings(jobs=1, quiet=True, max_memory=max_memory)
        assert run_batch([str(SEED_TXT)], out, settings) == ExitCode.PARTIAL
        line = (out / "manifest.jsonl").read_text("utf-8")
        assert f'"error_code": "{code}"' in line


# ---------------------------------------------------------------------------------------
# time


def test_past_the_timeout_extract_stops_naming_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_on_page(monkeypatch, 2, 30.0)
    out = tmp_path / "out.json"
    start = time.monotonic()
    result = invoke("extract", str(SEED_PDF), "--timeout", "0.5", "-o", str(out))
    assert time.monotonic() - start < 8  # generous: 0.5 s and the first page
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith(f"{SEED_PDF}: stopped after 0.5 s on page 2 (--timeout)")
    assert list(tmp_path.iterdir()) == []  # the -o temporary file is removed


def test_timeout_0_is_no_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_on_page(monkeypatch, 1, 1.2)
    result = invoke("extract", str(SEED_TXT), "--timeout", "0")
    assert result.exit_code == ExitCode.OK and result.stdout.startswith("{")
    result = invoke("extract", str(SEED_TXT), "--timeout", "0.3")
    assert result.exit_code == ExitCode.LIMIT and "on page 1 (--timeout)" in error_line(result)


def test_show_has_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_on_page(monkeypatch, 1, 30.0)
    result = invoke("show", str(SEED_TXT), "--timeout", "0.3")
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith("stopped after 0.3 s on page 1 (--timeout)")


@ISOLATED
def test_the_timeout_stops_the_reader_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(self: PdfiumEngine, index: int) -> Any:
        while True:  # in the child: the parent waits for this page
            time.sleep(0.1)

    monkeypatch.setattr(PdfiumEngine, "read_page", hang)
    result = invoke("extract", str(SEED_PDF), "--timeout", "0.5")
    assert result.exit_code == ExitCode.LIMIT
    assert error_line(result).endswith("stopped after 0.5 s on page 1 (--timeout)")
    assert _children() == []


def _children() -> list[str]:
    """Live child processes of this one (Linux /proc; elsewhere none are seen)."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()) if Path("/proc").exists() else []:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(os.getpid()) and fields[0] != "Z":
            found.append(pid)
    return found


# ---------------------------------------------------------------------------------------
# the deadline


def test_deadlines_nest_and_the_outer_one_is_kept() -> None:
    """An inner, shorter deadline fires first; the outer one is set again after it (less
    the time spent) and still fires."""
    with pytest.raises(TimeoutError, match="outer"), deadline(1.0, lambda: TimeoutError("outer")):
        with pytest.raises(PdfError, match="inner"), deadline(0.2, lambda: PdfError("inner")):
            time.sleep(5)
        time.sleep(5)


def test_a_longer_inner_deadline_stands_aside() -> None:
    with (
        pytest.raises(TimeoutError, match="outer"),
        deadline(0.2, lambda: TimeoutError("outer")),
        deadline(60, lambda: PdfError("inner")),
    ):
        time.sleep(5)


def test_a_swallowed_deadline_is_raised_when_the_block_ends() -> None:
    with (
        pytest.raises(PdfError, match="late"),
        deadline(0.2, lambda: PdfError("late")),
        contextlib.suppress(Exception),  # a library that catches everything
    ):
        time.sleep(5)
    with pytest.raises(PdfError, match="late"), deadline(0.2, lambda: PdfError("late")):
        try:
            time.sleep(5)
        except PdfError as exc:  # a library that wraps what it caught
            raise ValueError("corrupt") from exc
