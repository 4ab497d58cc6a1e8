"""One conversion in a worker process: read the input once, write its output, report back."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportparseError
from ..limits import PDF_ENGINES, PIPELINE, limit_memory, memory_message, out_of_memory, preload
from ..output import staged_file, write_report

if TYPE_CHECKING:
    from ..grammar import Grammar
    from .settings import Settings

# What a conversion imports, loaded once by the batch process before it starts the pool, so
# that workers fork with it loaded: the pipeline and the chosen engine.
_GRAMMARS: dict[str, Grammar] = {}  # loaded once per worker


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one input."""

    ok: bool
    seconds: float | None
    sha256: str | None = None
    warnings: int = 0
    error_code: str | None = None
    error_message: str | None = None
    summary: dict[str, Any] | None = None
    source_format: str | None = None  # "pdf" or "text", when the input was read
    staged: Path | None = None  # the output, written beside its place for the parent to publish


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the batch process dies (Linux), so that no
    orphan runs on, a hanging file at 100% CPU, after `kill -9` on the batch."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def conversion_modules(engine: str, max_memory: int | None) -> tuple[str, ...]:
    """The modules a worker needs: the pipeline and `engine`; under a memory limit also
    pdfplumber (PDFium's fallback for pages it cannot read), so that no import has to fit
    under the limit. Without one, the fallback loads in the worker that needs it."""
    engines = [engine] if max_memory is None else [engine, *PDF_ENGINES]
    pdf = (name for e in engines for name in PDF_ENGINES.get(e, ()))
    return tuple(dict.fromkeys((*PIPELINE, *pdf)))


def prepare(modules: tuple[str, ...], max_memory: int | None, parent: int | None = None) -> None:
    """Pool initializer: die with the batch process, import `modules` (already loaded
    where the pool forks from a batch process that preloaded them), then cap the
    worker's address space (RLIMIT_AS) so a blow-up is a MemoryError in that worker rather
    than the machine swapping."""
    if parent is not None:
        die_with_parent(parent)
    preload(modules)
    limit_memory(max_memory)


def _grammar(name: str) -> Grammar:
    if name not in _GRAMMARS:
        from ..grammar import load_grammar

        _GRAMMARS[name] = load_grammar(name)
    return _GRAMMARS[name]


def convert(path: str, output: Path, settings: Settings) -> Outcome:
    """Convert one input into a staged file beside `output` (JSON streamed), which the
    parent puts in place once the manifest lists it; every failure becomes a one-line
    Outcome."""
    from .. import read_input
    from ..pipeline import Options

    start = time.perf_counter()
    sha = None
    try:
        data = read_input(path)
        sha = hashlib.sha256(data).hexdigest()
        options = Options(
            encoding=settings.encoding,
            password=settings.password,
            engine=settings.engine,
            read_ahead=False,  # the workers already keep every core busy
        )
        with staged_file(output) as (fh, staged):
            report = write_report(
                fh, data, path, _grammar(settings.grammar), options, settings.fmt, settings.bom
            )
        del data
        summary = report.summary.model_dump(mode="json") if report.summary else None
        return Outcome(
            True,
            time.perf_counter() - start,
            sha,
            len(report.warnings),
            summary=summary,
            source_format=report.source.format,
            staged=staged,
        )
    except Exception as exc:  # MemoryError included
        seconds = time.perf_counter() - start
        if out_of_memory(exc, bool(settings.max_memory)):
            message = memory_message(path, settings.max_memory)
            return Outcome(False, seconds, sha, 0, "memory", message)
        if isinstance(exc, ReportparseError):
            return Outcome(False, seconds, sha, 0, exc.code, exc.message)
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(False, seconds, sha, 0, "internal", message)
