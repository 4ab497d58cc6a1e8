"""Pages read ahead in a forked child process while this one parses the pages before them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from ..errors import PdfError, ReportparseError
from ..geometry import PageGeometry

if TYPE_CHECKING:
    from . import PdfEngine

MIN_PAGES = 8  # shorter files are read in this process: a fork costs more than it saves


def can_read_ahead(page_count: int) -> bool:
    """A second core, `fork`, no other thread (forking one is unsafe), and enough pages."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        page_count >= MIN_PAGES
        and (cores or 1) >= 2
        and sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _produce(pdf: PdfEngine, send: Connection) -> None:
    """The child: read every page and send it; an error is sent in its place."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and stops the child with SIGTERM
    try:
        for index in range(pdf.page_count):
            send.send(("page", pdf.read_page(index)))
    except ReportparseError as exc:
        send.send(("error", exc))
    except BaseException as exc:  # a bug or exhausted memory: said by the parent
        send.send(("error", PdfError(f"reading page {index + 1} failed ({exc!r})"[:200])))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers: they belong to the parent


def read_ahead(pdf: PdfEngine, name: str) -> Iterator[PageGeometry]:
    """Every page of `pdf`, read by a child process a few pages ahead of the caller (the
    pipe's buffer bounds how far, so memory stays flat). The child is stopped when the
    caller stops early."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(pdf, send), daemon=True)
    child.start()
    send.close()
    try:
        for _ in range(pdf.page_count):
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise PdfError(
                    f"{name}: the PDF reader process ended unexpectedly "
                    f"(exit code {child.exitcode}); try --engine pdfplumber"
                ) from None
            if kind == "error":
                raise payload
            yield payload
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()
