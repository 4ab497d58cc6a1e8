"""A time limit on a block of pure-Python work (pdfminer), by SIGALRM: past it, it raises."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from .errors import PdfError


@contextlib.contextmanager
def deadline(seconds: float, message: str) -> Iterator[None]:
    """Raise PdfError(`message`) if the block runs longer than `seconds`. Only in the main
    thread of a POSIX process, and only when no other alarm is set; elsewhere no limit."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise PdfError(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
