"""Python's cyclic garbage collector held off while a report is parsed and written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cyclic collector for the block, then collect what it left, once.

    Assembling a Report for the API keeps every page's models alive until the end. The
    collector counts each of them as a new allocation and, as the heap grows, walks the
    whole growing report again and again: about 30% of the CPU time of a 2 MB text
    report. The pipeline makes almost no reference cycles (a few hundred objects on
    that report), so nothing piles up while it is held off; memory is freed by reference
    counting as usual. The collector's earlier state is restored on the way out,
    including when the caller had it off already (then no collection is run either)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)  # the young generations: the cycles the block made, if any
