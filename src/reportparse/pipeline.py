"""The pipeline: every stage in order, from input bytes to the validated Report.

    sniff ─┬─► decode ─► read_text ─┐            ┌─────────── for each page ────────────┐
           │                         ├─► Document ┤ normalise ─► furniture ─► segment ─► │
           └─► read_pdf ─────────────┘            │ sections ─► tables ─► attach ─► build│
                                                  └──── DocumentState carried along ─────┘
                                                  ─► ReportBuilder ─► Report

Each stage is a typed function in its own module under `reportparse.stages`. The page
loop carries a DocumentState: the category in force, and the last block, which takes
the sections and tables that come before the first header of the next page. A block is
built when the next block starts, so at most one page's blocks are held.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .achievement import rate_indicators
from .blocks import DocumentState
from .collector import collector_paused
from .defaults import DEFAULT_ENGINE
from .diagnostics import Diagnostics
from .document import Document, Line
from .grammar import Grammar
from .models import Indicator, Initiative, Report, Source
from .patterns import MATCH_TIMEOUT
from .stages.attach import attach_rows
from .stages.build import ReportBuilder, blocks_to_initiatives
from .stages.checks import Checks, with_summary
from .stages.decode import decode_bytes
from .stages.furniture import strip_furniture
from .stages.normalise import document_lines, normalise_document
from .stages.read_text import text_to_document
from .stages.sections import blocks_to_sections
from .stages.segment import end_of_document, lines_to_blocks
from .stages.sniff import is_pdf
from .stages.tables import tables_to_indicators

log = logging.getLogger("reportparse")


@dataclass(slots=True)
class Options:
    """How to read one input."""

    encoding: str | None = None  # text: override encoding detection
    password: str | None = None  # PDF: the password of an encrypted file
    format: str | None = None  # "pdf" or "text"; None detects from the bytes
    engine: str = DEFAULT_ENGINE  # PDF: "pdfium" or "pdfplumber"
    read_ahead: bool = True  # PDF: read pages in a child process on a second core


@dataclass(slots=True)
class Timings:
    """Seconds spent in each stage of one run (shown with --debug), and the page under
    way (named when a limit stops the run)."""

    seconds: dict[str, float] = field(default_factory=dict)
    page: int | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def read(
    data: bytes, name: str, grammar: Grammar, options: Options, diag: Diagnostics, timings: Timings
) -> Document:
    """Front ends: PDF bytes through a PDF engine, anything else through decode and read_text."""
    pdf = options.format == "pdf" or (options.format is None and is_pdf(data, name))
    if pdf:
        from .stages.read_pdf import pdf_to_document  # the PDF engines load for a PDF only

        with timings.stage("read"):
            return pdf_to_document(
                data, name, options.password, grammar, diag, options.engine, options.read_ahead
            )
    with timings.stage("decode"):
        decoded = decode_bytes(data, options.encoding, name)
    with timings.stage("read"):
        document = text_to_document(decoded, grammar, diag)
    report_timeouts(grammar, diag, document_lines(document), None)  # its pages are a list
    return document


def report_timeouts(
    grammar: Grammar, diag: Diagnostics, lines: Iterable[Line], page: int | None
) -> None:
    """A grammar.timeout warning for each pattern call that ran out of time, on the first
    of `lines` that holds the text it was given."""
    taken = grammar.timeouts.take()
    if not taken:
        return
    lines = list(lines)
    for key, start in taken:
        line = next((ln for ln in lines if start in ln.raw or start in ln.text), None)
        diag.warn(
            "grammar.timeout",
            f"pattern '{key}' ran out of time ({MATCH_TIMEOUT}s) on {start!r}; "
            "taken as not matching",
            line.page if line is not None else page,
            line.line if line is not None else None,
        )


PageResult = tuple[list[Initiative], list[Indicator]]


@dataclass(slots=True)
class Run:
    """A parse under way: the source and the pages, parsed as they are read."""

    source: Source
    diag: Diagnostics
    pages: Iterator[PageResult]
    checks: Checks


def start(
    data: bytes,
    path: str | Path | None,
    grammar: Grammar,
    options: Options | None = None,
    timings: Timings | None = None,
) -> Run:
    """Open one report given as bytes; `path` is only recorded and used in messages.

    The stages after the reader run page by page, carrying a DocumentState, so a long
    PDF is never held in memory as a whole.
    """
    options = options or Options()
    timings = timings or Timings()
    diag = Diagnostics()
    grammar.timeouts.take()  # none of an earlier run's
    name = str(path) if path is not None else "<stdin>"
    document = read(data, name, grammar, options, diag, timings)
    source = Source(
        path=str(path) if path is not None else None,
        format="pdf" if document.format == "pdf" else "text",
        sha256=hashlib.sha256(data).hexdigest(),
        pages=document.page_count,
        encoding=document.encoding,
    )
    checks = Checks(grammar, diag)
    return Run(source, diag, _pages(document, grammar, diag, timings, checks), checks)


def _pages(
    document: Document, grammar: Grammar, diag: Diagnostics, timings: Timings, checks: Checks
) -> Iterator[PageResult]:
    state = DocumentState(format=document.format)
    pages = iter(document.pages)
    number = 0  # of the last page read
    while True:
        timings.page = number + 1  # being read
        with timings.stage("read"):
            page = next(pages, None)
        if page is None:
            timings.page = number or None
            break
        number = timings.page = page.number
        view = document.one_page(page)
        carried = state.open
        with timings.stage("normalise"):
            view = normalise_document(view, grammar, diag)
        with timings.stage("furniture"):
            strip_furniture(view, grammar, state)
        with timings.stage("segment"):
            found = lines_to_blocks(view, grammar, diag, state)
        finished = [b for b in found.blocks if b is not state.open]
        with timings.stage("sections"):
            blocks_to_sections(finished, grammar, diag)
            if state.open is not None:  # may still grow: provisional, for attach only
                blocks_to_sections([state.open], grammar, Diagnostics())
        with timings.stage("tables"):
            tables = tables_to_indicators(view, grammar, diag)
            rate_indicators((i for t in tables for i in t.indicators), grammar, diag)
        with timings.stage("attach"):
            unassigned = attach_rows(
                page.number,
                found.blocks,
                carried,
                found.continued is not None,
                tables,
                grammar,
                diag,
            )
        with timings.stage("build"):
            if carried is not None and carried is not state.open:  # it is complete now
                blocks_to_sections([carried], grammar, diag)
                finished.insert(0, carried)
            result = blocks_to_initiatives(finished), unassigned
        with timings.stage("checks"):
            # Coverage counts what every block with text on this page holds: the ones just
            # built, and the open one (built for this only; it is built for real later).
            here = [found.continued, *found.blocks]
            still_open = [b for b in here if b is not None and b is state.open]
            on_page = result[0] + blocks_to_initiatives(still_open)
            checks.page(view, on_page, result[0], unassigned)
        report_timeouts(grammar, diag, document_lines(view), page.number)
        yield result
    end_of_document(state, diag)
    if state.open is not None:
        blocks_to_sections([state.open], grammar, diag)
        last = blocks_to_initiatives([state.open])
        checks.rules(last)
        yield last, []
    checks.finish()
    log.debug("stage seconds: %s", {k: round(v, 4) for k, v in timings.seconds.items()})


def run(
    data: bytes,
    path: str | Path | None,
    grammar: Grammar,
    options: Options | None = None,
    timings: Timings | None = None,
) -> Report:
    """Parse one report given as bytes into the Report model (the collector held off:
    the whole report is kept, see collector_paused)."""
    with collector_paused():
        parse = start(data, path, grammar, options, timings)
        builder = ReportBuilder(parse.diag)
        for initiatives, unassigned in parse.pages:
            builder.add(initiatives, unassigned)
        return with_summary(builder.report(parse.source), parse.checks)
