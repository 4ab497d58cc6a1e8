"""Read decoded text into a Document: form-feed or inferred pages, text and table regions."""

from __future__ import annotations

from .. import lexicon
from ..document import Document, Line, Page, Region, TableRegion, TextRegion
from ..grammar import Grammar
from .decode import DecodedText


def _split_lines(text: str) -> tuple[list[Line], int]:
    """Number every line; a form feed starts a new page. Returns lines and page count."""
    lines: list[Line] = []
    page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            before, *rest = raw.split("\f")
            if before.strip():
                lines.append(Line(raw=before, page=page, line=number))
            page += len(rest)
            raw = rest[-1]
        lines.append(Line(raw=raw, page=page, line=number))
    # pdftotext ends every page with a form feed: a blank tail is not a page.
    while page > 1 and all(ln.blank for ln in lines if ln.page == page):
        lines = [ln for ln in lines if ln.page != page]
        page -= 1
    return lines, page


def _regions(lines: list[Line], grammar: Grammar) -> list[Region]:
    """Split lines into text runs and table regions (a table runs until something ends it)."""
    regions: list[Region] = []
    current: list[Line] = []
    in_table = False
    for i, line in enumerate(lines):
        starts_table = lexicon.is_table_start(grammar, line.text)
        if in_table and not line.blank and lexicon.ends_table(grammar, lines, i):
            regions.append(TableRegion(lines=current))
            current, in_table = [], False
        if starts_table and not in_table:
            if any(not ln.blank for ln in current):
                regions.append(TextRegion(lines=current))
            current, in_table = [], True
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


def text_to_document(decoded: DecodedText, grammar: Grammar) -> Document:
    """Build the Document of a text input; pages come from form feeds or table runs."""
    lines, form_pages = _split_lines(decoded.text)
    pages: list[Page] = []
    if form_pages > 1:
        for number in range(1, form_pages + 1):
            page_lines = [ln for ln in lines if ln.page == number]
            pages.append(Page(number=number, regions=_regions(page_lines, grammar)))
    else:
        for number, regions in enumerate(_infer_pages(_regions(lines, grammar)), start=1):
            for region in regions:
                for ln in region.lines:
                    ln.page = number
            pages.append(Page(number=number, regions=regions))
    return Document(
        pages=pages,
        format="text",
        encoding=decoded.encoding,
        page_count=form_pages if form_pages > 1 else None,
    )
