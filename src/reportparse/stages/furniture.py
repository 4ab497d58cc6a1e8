"""Remove page furniture (page numbers, running titles) from a page before segmentation."""

from __future__ import annotations

from operator import attrgetter

from .. import lexicon
from ..blocks import DocumentState
from ..document import Document
from ..grammar import Grammar


def _content(grammar: Grammar, text: str) -> bool:
    """Lines that are structure, never furniture: headings, headers, markers, tables."""
    return (
        lexicon.category(grammar, text) is not None
        or lexicon.header(grammar, text) is not None
        or lexicon.marker(grammar, text) is not None
        or lexicon.is_table_start(grammar, text)
    )


def _is_running_title(grammar: Grammar, text: str, previous_top: str | None) -> bool:
    """A line at the page's edge (stripped, not a page number) that is a running title."""
    if _content(grammar, text):
        return False
    return text == previous_top or any(
        p.match(text) for p in grammar.patterns("furniture.running_title")
    )


def strip_furniture(document: Document, grammar: Grammar, state: DocumentState) -> None:
    """Drop furniture lines from every text region (and text tables) of the page, in place.

    Page numbers go wherever they stand; a running title only among the first and last
    `furniture.edge_lines` lines of the page (by position in a PDF, by line of the file
    in text), or when the page starts with the same line as the page before."""
    edge = grammar.spec.furniture.edge_lines
    for page in document.pages:
        lines = [ln for region in page.regions for ln in region.lines if not ln.blank]
        # The page's physical edges, not its reading order (columns are read one after
        # the other): by position in a PDF, by line of the file in text.
        if lines and all(ln.bbox for ln in lines):
            lines.sort(key=lambda ln: (ln.bbox or (0.0, 0.0))[1])
        elif all(ln.line is not None for ln in lines):
            lines.sort(key=attrgetter("line"))  # each an int: `line or 0` is `line`
        top = lines[0].text.strip() if lines else None
        edges = {id(ln) for ln in lines[:edge] + lines[-edge:]} if edge else set()
        drop: set[int] = set()
        for ln in lines:
            text = ln.text.strip()
            if lexicon.is_page_number(grammar, text) or (
                id(ln) in edges and _is_running_title(grammar, text, state.previous_top)
            ):
                drop.add(id(ln))
        if top is not None:
            state.previous_top = top
        if not drop:
            continue
        for region in page.regions:
            kept = [ln for ln in region.lines if id(ln) not in drop]
            if len(kept) < len(region.lines):  # and the gap that set the furniture apart
                while kept and kept[-1].blank:
                    kept.pop()
                while kept and kept[0].blank:
                    kept.pop(0)
            region.lines = kept
        page.regions = [
            r for r in page.regions if r.lines or getattr(r, "rows", None) or r.bbox is not None
        ]
