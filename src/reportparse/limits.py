"""Resource limits of one conversion (`--timeout`, `--max-memory`), shared by `extract`,
`show` and the `batch` workers: the address-space cap, what counts as running out of
memory, and the one-line errors of both limits."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence

from .deadline import deadline
from .errors import MemoryLimitError, TimeLimitError


def usable_cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


DEFAULT_TIMEOUT = 300.0  # seconds per input
DEFAULT_MAX_MEMORY = 2048  # MB of address space
_MB = 1024 * 1024

# What a conversion imports, loaded before the memory is limited (a module mapped under a
# tight RLIMIT_AS fails as an ImportError, not a MemoryError).
PIPELINE = (
    "reportparse.pipeline",
    "reportparse.exports",
    "encodings.cp932",  # the codecs text detection tries (C extensions: _codecs_jp)
    "encodings.euc_jp",
    "encodings.utf_16",
)
PDF_ENGINES = {  # each with the PDF reader stage, which the pipeline loads for a PDF only
    "pdfium": ("reportparse.stages.read_pdf", "reportparse.engines.pdfium", "pypdfium2"),
    "pdfplumber": ("reportparse.stages.read_pdf", "reportparse.engines.plumber", "pdfplumber"),
}


def preload(names: Sequence[str]) -> None:
    """Import the modules `names` now (a missing one is left to fail where it is used)."""
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def preload_conversion(data: bytes, name: str | None, engine: str, *extra: str) -> None:
    """Import what converting `data` needs: the pipeline, and for a PDF its engine (PDFium's
    fallback, pdfplumber, is left to load if a page needs it: 45 ms of every start-up)."""
    from .stages.sniff import is_pdf

    preload(PIPELINE)
    if is_pdf(data, name or ""):
        preload((*PDF_ENGINES.get(engine, ()), *extra))


def memory_limit() -> int | None:
    """This process's address-space limit in bytes (RLIMIT_AS soft limit), None if none."""
    try:
        import resource
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def limit_memory(megabytes: int | None) -> int | None:
    """Cap this process's address space at `megabytes` (None or 0: leave it); the soft
    limit it had, for `restore_memory`. POSIX only: where there is no `resource` module
    (Windows) nothing is limited."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if not megabytes:
        return soft
    limit = megabytes * _MB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):  # then the limit stays as it was
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return soft


def restore_memory(soft: int | None) -> None:
    """Put back the soft address-space limit that `limit_memory` returned."""
    if soft is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def out_of_memory(exc: BaseException, limited: bool) -> bool:
    """Whether `exc` is, or was caused by, running out of memory: a MemoryError anywhere
    in its chain (a PDF error raised while handling one), or, under a memory limit, a
    shared object that could not be mapped."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, MemoryError):
            return True
        if limited and isinstance(e, ImportError | OSError) and "map" in str(e):
            return True
        todo += [x for x in (e.__cause__, e.__context__, *e.args) if isinstance(x, BaseException)]
    return False


def died_of_memory(exitcode: int | None, limited: bool) -> bool:
    """Whether a child process that ended with `exitcode` ran out of memory: PDFium stops
    the process with SIGABRT when an allocation fails, which under a memory limit is what
    it means."""
    return limited and exitcode == -signal.SIGABRT


def _on(page: int | None) -> str:
    return f" on page {page}" if page is not None else ""


def memory_message(name: str, megabytes: int | None, page: int | None = None) -> str:
    """`NAME: out of memory (over --max-memory N MB)`."""
    return f"{name}: out of memory{_on(page)} (over --max-memory {megabytes} MB)"


def timeout_message(name: str, seconds: float | None, page: int | None = None) -> str:
    """`NAME: stopped after N s on page P (--timeout)`."""
    return f"{name}: stopped after {seconds or 0:g} s{_on(page)} (--timeout)"


@contextlib.contextmanager
def bounded(
    name: str,
    seconds: float | None,
    megabytes: int | None,
    page: Callable[[], int | None] = lambda: None,
) -> Iterator[None]:
    """Run a conversion of `name` with its address space capped at `megabytes` and a
    deadline of `seconds` (None or 0: no such limit); `page` tells the page under way.
    Running out of either is a MemoryLimitError or TimeLimitError (exit 10); the memory
    limit is lifted again afterwards. Import what the block needs before entering it."""
    previous = limit_memory(megabytes)
    late = lambda: TimeLimitError(timeout_message(name, seconds, page()))  # noqa: E731
    try:
        with deadline(seconds or 0, late):
            yield
    except Exception as exc:  # MemoryError included
        if megabytes and out_of_memory(exc, limited=True):
            raise MemoryLimitError(memory_message(name, megabytes, page())) from None
        raise
    finally:
        if megabytes:
            restore_memory(previous)
