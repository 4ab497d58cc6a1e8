"""A time limit on a block of work, by SIGALRM: past it, the block raises. Deadlines nest
(pdfminer's per-page limit inside a conversion's `--timeout`)."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType


@contextlib.contextmanager
def deadline(seconds: float, error: Callable[[], Exception]) -> Iterator[None]:
    """Raise `error()` in the block if it runs longer than `seconds`. Only in the main
    thread of a POSIX process; elsewhere, or for 0 seconds, no limit. An alarm already
    set that comes first is left to fire (this one stands aside); one that comes later
    is suspended and set again, less the time spent, afterwards.

    The error is raised once, where the alarm finds the work (PDFium's C calls are
    bounded per page, and an alarm is handled when the current one returns). If code in
    the block swallows or wraps it, the block still ends with `error()` once it returns.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    outer = signal.getitimer(signal.ITIMER_REAL)[0] if usable else 0.0
    if not usable or 0 < outer <= seconds:
        yield
        return
    raised: list[Exception] = []

    def expire(signum: int, frame: FrameType | None) -> None:
        if not raised:
            raised.append(error())
            raise raised[0]

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Exception as exc:
        if raised and exc is not raised[0]:  # ours, wrapped or replaced on the way out
            raise raised[0] from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # the later alarm, less the time this block took
            signal.setitimer(signal.ITIMER_REAL, max(outer - time.monotonic() + started, 1e-3))
    if raised:  # swallowed inside the block, which then went on past the deadline
        raise raised[0]
