"""Read decoded text into a Document: form-feed or inferred pages, text and table regions."""

from __future__ import annotations

from .. import lexicon
from ..diagnostics import Diagnostics
from ..document import Document, Line, Page, Region, TableRegion, TextRegion
from ..grammar import Grammar
from .columns import split_columns
from .decode import DecodedText
from .normalise import cut_long


def _split_lines(text: str, limit: int, diag: Diagnostics) -> list[list[Line]]:
    """Number every line; a form feed starts a new page. Returns the lines of each page.
    A line longer than `limit` characters is cut there (with a warning)."""
    pages: list[list[Line]] = [[]]
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            before, *rest = raw.split("\f")
            if before.strip():
                before = cut_long(before, limit, diag, len(pages), number)
                pages[-1].append(Line(raw=before, page=len(pages), line=number))
            pages.extend([] for _ in rest)
            raw = rest[-1]
        if len(raw) > limit:
            raw = cut_long(raw, limit, diag, len(pages), number)
        pages[-1].append(Line(raw=raw, page=len(pages), line=number))
    # pdftotext ends every page with a form feed: a blank tail is not a page.
    while len(pages) > 1 and all(ln.blank for ln in pages[-1]):
        pages.pop()
    return pages


def _cut(line: Line, offset: int) -> tuple[Line, Line]:
    """Line split at a character offset into two Lines of the same source line."""
    return (
        Line(raw=line.raw[:offset].rstrip(), page=line.page, line=line.line),
        Line(raw=line.raw[offset:], page=line.page, line=line.line),
    )


def _header_tail(lines: list[Line], grammar: Grammar, limit: int, keep: bool) -> list[Line]:
    """The header-only lines ending `lines` (at most `limit`); with `keep`, only if
    something precedes them (a table keeps its own header)."""
    k = 0
    while k < min(limit, len(lines)) and lexicon.is_header_line(grammar, lines[-1 - k].text):
        k += 1
    if k == 0 or (keep and not any(not ln.blank for ln in lines[: len(lines) - k])):
        return []
    return lines[len(lines) - k :]


def _regions(lines: list[Line], grammar: Grammar) -> list[Region]:
    """Split lines into text runs and table regions (a table runs until something ends it).

    A table starts where its header's words begin, even mid-line (`【事業概要】 指標`), and
    takes header-only lines just before it (`2019年度実績値` printed above `指標`).
    A page number line ends a table (the furniture stage drops it)."""
    regions: list[Region] = []
    current: list[Line] = []
    in_table = False
    limit = grammar.spec.table.max_header_lines
    for i, line in enumerate(lines):
        start = lexicon.table_start_at(grammar, line.text)
        closed = (
            in_table and not line.blank and lexicon.ends_table(grammar, lines, i, start is not None)
        )
        if closed:
            regions.append(TableRegion(lines=current))
            current, in_table = [], False
        if start is not None and not in_table:
            if start > 0 and line.text[:start].strip():
                before, line = _cut(line, start)
                # text before the header belongs to what ran into it: a table or text
                (regions[-1].lines if closed else current).append(before)
            source = current
            if not current and regions and isinstance(regions[-1], TableRegion):
                source = regions[-1].lines  # header words printed above the previous table's end
            head = _header_tail(source, grammar, limit - 1, source is not current)
            del source[len(source) - len(head) :]
            if any(not ln.blank for ln in current):
                regions.append(TextRegion(lines=current))
            current, in_table = head, True
        current.append(line)
    if current and (in_table or any(not ln.blank for ln in current)):
        regions.append(TableRegion(lines=current) if in_table else TextRegion(lines=current))
    return regions


def _infer_pages(regions: list[Region]) -> list[list[Region]]:
    """Without form feeds, a page is a run of text followed by its run of tables."""
    pages: list[list[Region]] = [[]]
    for region in regions:
        previous = pages[-1][-1] if pages[-1] else None
        if isinstance(region, TextRegion) and isinstance(previous, TableRegion):
            pages.append([])
        pages[-1].append(region)
    return pages


def text_to_document(
    decoded: DecodedText, grammar: Grammar, diag: Diagnostics | None = None
) -> Document:
    """Build the Document of a text input; pages come from form feeds or table runs."""
    limit = grammar.spec.limits.max_line_length
    lines = _split_lines(decoded.text, limit, diag if diag is not None else Diagnostics())
    form_pages = [split_columns(page_lines, grammar) for page_lines in lines]
    pages: list[Page] = []
    if len(form_pages) > 1:
        for number, page_lines in enumerate(form_pages, start=1):
            pages.append(Page(number=number, regions=_regions(page_lines, grammar)))
    else:
        for number, regions in enumerate(_infer_pages(_regions(form_pages[0], grammar)), start=1):
            for region in regions:
                for ln in region.lines:
                    ln.page = number
            pages.append(Page(number=number, regions=regions))
    return Document(
        pages=pages,
        format="text",
        encoding=decoded.encoding,
        page_count=len(form_pages) if len(form_pages) > 1 else None,
    )
