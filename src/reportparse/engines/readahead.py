"""Pages read ahead in forked child processes while this one parses the pages before them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, TypeVar

from ..errors import PdfError, ReportparseError
from ..geometry import PageGeometry
from ..limits import died_of_memory, memory_limit, out_of_memory, usable_cores

if TYPE_CHECKING:
    from . import PdfEngine

MIN_PAGES = 8  # shorter files are read in this process: a fork costs more than it saves
MAX_READERS = 4  # reader processes at most, however many cores
OUT_OF_MEMORY = 10  # the child's exit code when it ran out of memory and could not say so

T = TypeVar("T")
Prepare = Callable[[int, PageGeometry], T]  # (page index, its geometry) -> what is sent


def can_read_ahead(page_count: int, isolate: bool = False) -> bool:
    """A second core, `fork`, no other thread (forking one is unsafe), and enough pages;
    to `isolate` the reader (see read_pdf), `fork` and no other thread are enough."""
    return (
        (isolate or (page_count >= MIN_PAGES and usable_cores() >= 2))
        and sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def readers_for(page_count: int) -> int:
    """How many reader processes pay: one per usable core (this process parses while they
    read, and reading is the larger share), at least MIN_PAGES pages each."""
    return max(1, min(usable_cores(), MAX_READERS, page_count // MIN_PAGES))


def _produce(pdf: PdfEngine, prepare: Prepare[T], send: Connection, first: int, step: int) -> None:
    """A child: read pages `first`, `first + step`, ..., and send each as `prepare` makes
    it; an error is sent in its place, running out of memory (under the limit it
    inherited) as ("memory", page)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and stops the child with SIGTERM
    signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the parent's deadline is the parent's
    index = first
    try:
        for index in range(first, pdf.page_count, step):
            send.send(("page", prepare(index, pdf.read_page(index))))
    except BaseException as exc:  # a bug or exhausted memory: said by the parent
        try:
            if out_of_memory(exc, memory_limit() is not None):
                send.send(("memory", index + 1))
            elif isinstance(exc, ReportparseError):
                send.send(("error", exc))
            else:
                send.send(("error", PdfError(f"reading page {index + 1} failed ({exc!r})"[:200])))
        except MemoryError:
            os._exit(OUT_OF_MEMORY)
    finally:
        send.close()
        os._exit(0)  # no atexit handlers: they belong to the parent


def read_ahead(pdf: PdfEngine, name: str, prepare: Prepare[T], readers: int = 1) -> Iterator[T]:
    """Every page of `pdf` in order, read and made ready by `prepare` in `readers` child
    processes (page i by reader i mod `readers`), a few pages ahead of the caller (each
    pipe's buffer bounds how far, so memory stays flat). The children are stopped when
    the caller stops early or is stopped (a deadline). A child that ran out of memory,
    or was aborted by PDFium's out-of-memory handler under a memory limit, is a
    MemoryError here."""
    context = multiprocessing.get_context("fork")
    pipes: list[Connection] = []
    children: list[multiprocessing.process.BaseProcess] = []
    try:
        for first in range(readers):
            receive, send = context.Pipe(duplex=False)
            pipes.append(receive)
            child = context.Process(
                target=_produce, args=(pdf, prepare, send, first, readers), daemon=True
            )
            child.start()
            children.append(child)
            send.close()
        for index in range(pdf.page_count):
            reader = index % readers
            try:
                kind, payload = pipes[reader].recv()
            except EOFError:
                children[reader].join(5)
                raise _ended(name, children[reader].exitcode) from None
            if kind == "memory":
                raise MemoryError(f"the PDF reader process ran out of memory on page {payload}")
            if kind == "error":
                raise payload
            yield payload
    finally:
        for receive in pipes:
            receive.close()
        for process in children:
            if process.is_alive():
                process.terminate()
        for process in children:
            process.join()


def _ended(name: str, exitcode: int | None) -> Exception:
    """What a child that ended without a word died of: memory (our exit code, or SIGABRT,
    which is how PDFium stops on a failed allocation, under a memory limit) or else."""
    if exitcode == OUT_OF_MEMORY or died_of_memory(exitcode, memory_limit() is not None):
        return MemoryError(f"the PDF reader process ran out of memory (exit code {exitcode})")
    return PdfError(
        f"{name}: the PDF reader process ended unexpectedly "
        f"(exit code {exitcode}); try --engine pdfplumber"
    )
