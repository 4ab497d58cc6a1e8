"""Fault injection for the batch and extract tests (never in production code): make the
conversion of one named input hang, run out of memory or kill its worker.

In-process tests call `inject(monkeypatch, ...)` before `run_batch`: the workers are forked
from the test process, so they inherit the patched writer. Tests of a real process run
`python -m tests.faults FAULTS ARGS...`, which patches and then runs the command line.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportparse import output
from reportparse.batch import worker
from reportparse.errors import PdfError


def _hang() -> None:
    while True:
        time.sleep(0.1)


def _memory() -> None:
    hog = [bytearray(64 << 20) for _ in range(1024)]  # 64 GB of address space
    raise RuntimeError(f"{len(hog)} blocks allocated; no memory limit?")


def _wrapped_memory() -> None:
    """What the PDF reader makes of a MemoryError: a corrupt-PDF error raised from it."""
    try:
        _memory()
    except MemoryError as exc:
        raise PdfError(f"corrupt or truncated PDF ({type(exc).__name__})") from None


def _unmappable() -> None:
    """What importing a module under a tight RLIMIT_AS gives."""
    raise ImportError("libfoo.so: failed to map segment from shared object")


def abort() -> None:
    """How PDFium ends a process when an allocation fails (without faulthandler's dump)."""
    faulthandler.disable()
    os.abort()


FAULTS: dict[str, Callable[[], None]] = {
    "hang": _hang,
    "memory": _memory,
    "wrapped_memory": _wrapped_memory,
    "unmappable": _unmappable,
    "crash": lambda: os._exit(70),
    "abort": abort,
}


def patch(faults: str, setattr: Callable[[Any, str, Any], None]) -> None:
    """Patch the report writer of batch workers and extract: `faults` is
    "kind:NAME,kind:NAME" (file names)."""
    wanted = dict(reversed(item.split(":", 1)) for item in faults.split(",") if item)
    original = output.write_report

    def faulty(out: Any, data: bytes, name: str | None, *args: Any, **kwargs: Any) -> Any:
        kind = wanted.get(Path(name or "").name)
        if kind is not None:
            FAULTS[kind]()
        return original(out, data, name, *args, **kwargs)

    setattr(worker, "write_report", faulty)
    setattr(output, "write_report", faulty)  # what `extract` calls


def inject(monkeypatch: Any, faults: str) -> None:
    """Patch for one test (undone after it)."""
    patch(faults, monkeypatch.setattr)


if __name__ == "__main__":
    from reportparse import cli

    patch(sys.argv[1], setattr)
    sys.argv = ["reportparse", *sys.argv[2:]]
    cli.main()
