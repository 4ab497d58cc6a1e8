"""Split a page's text into initiative blocks: ■ categories, header groups, continued blocks."""

from __future__ import annotations

from .. import lexicon
from ..blocks import Block, DocumentState, Header, PageBlocks, PendingHeaders
from ..diagnostics import Diagnostics
from ..document import Document, Line, TextRegion, union
from ..grammar import Grammar

__all__ = ["Block", "Header", "end_of_document", "lines_to_blocks"]


def _take_heading(blocks: list[Block], name: str, diag: Diagnostics) -> None:
    """Extracted text: the blocks before a page's first heading take it. Where a block
    had another category running on from an earlier page, either may be right."""
    for block in blocks:
        if block.category is not None and block.category != name:
            head = block.headers[0]
            diag.warn(
                "initiative.category_unsure",
                f"initiative {head.number} comes before its page's first heading ■{name}, "
                f"which it takes; the heading before it, ■{block.category}, may govern it",
                head.line.page,
                head.line.line,
            )
        block.category = name


def _outside(line: Line, diag: Diagnostics) -> None:
    diag.warn(
        "text.outside_block",
        f"text outside any initiative block skipped: {line.text.strip()[:40]!r}",
        line.page,
        line.line,
    )


def _hold_headers(
    state: DocumentState,
    grammar: Grammar,
    region: TextRegion,
    i: int,
    current: Block | None,
    page: int,
) -> None:
    """Keep the run of header lines from line i, which ends the region, until the next
    region shows whether a 【】 marker follows them."""
    headers = []
    for line in region.lines[i:]:
        if not line.blank:
            match = lexicon.header(grammar, line.text)
            if match is None:  # a pattern that ran out of time this once
                return
            headers.append(Header(match.number, match.title, line))
    alone = current is None and all(ln.blank for ln in region.lines[:i])
    box = (page, region.bbox) if alone and region.bbox is not None else None
    state.pending = PendingHeaders(headers, current or state.open, box)


def _open_held(state: DocumentState) -> Block:
    """The block the held header lines open, now that a marker follows them: the lines
    leave the body of the block they were read into."""
    held, state.pending = state.pending, None
    assert held is not None
    first = held.headers[0].line
    before = held.block
    if before is not None:
        at = next((k for k, ln in enumerate(before.body) if ln is first), None)
        if at is not None:
            del before.body[at:]
        if held.box is not None and held.box in before.boxes:
            before.boxes.remove(held.box)
    block = Block(headers=held.headers, page=first.page or 0, category=state.category)
    if held.box is not None:
        block.add_box(*held.box)
    else:  # the header part of the block is its header lines
        block.add_box(block.page, union([ln.bbox for ln in held.lines]))
    return block


def _drop_held(state: DocumentState, diag: Diagnostics) -> None:
    """No marker came: the held lines stay text of their block, or are skipped as text
    outside any block, as any such line is."""
    held, state.pending = state.pending, None
    if held is not None and held.block is None:
        for line in held.lines:
            _outside(line, diag)


def end_of_document(state: DocumentState, diag: Diagnostics) -> None:
    """Header lines still held when the document ends open no block."""
    _drop_held(state, diag)


def lines_to_blocks(
    document: Document, grammar: Grammar, diag: Diagnostics, state: DocumentState
) -> PageBlocks:
    """The blocks a page opens, in reading order, with their categories.

    Text before the first header of a region continues the open block (a block that runs
    on over a page or column break). A category runs on until the next ■ heading; in
    extracted text, where the heading can come after a block or two of its page, the
    blocks before a page's first heading take that heading."""
    out = PageBlocks(blocks=[])
    heading_first = state.format != "pdf"
    for page in document.pages:
        waiting: list[Block] = []  # text: blocks before this page's first heading
        seen_heading = False
        for region in page.text_regions:
            current: Block | None = None
            lines = region.lines
            for i, line in enumerate(lines):
                if line.blank:
                    if current is not None and current.body:
                        current.body.append(line)
                    continue
                name = lexicon.category(grammar, line.text)
                if name is not None:
                    if heading_first and not seen_heading:
                        _take_heading(waiting, name, diag)
                    seen_heading = True
                    state.category = name
                    continue
                if state.pending is not None and line not in state.pending.lines:
                    if current is None and lexicon.marker(grammar, line.text) is not None:
                        current = _open_held(state)
                        current.add_box(page.number, region.bbox)
                        out.blocks.append(current)
                        if heading_first and not seen_heading:
                            waiting.append(current)
                        state.open = current
                    _drop_held(state, diag)
                match = lexicon.header(grammar, line.text)
                if match is not None and lexicon.opens_block(grammar, lines, i):
                    head = Header(match.number, match.title, line)
                    if current is not None and not current.body and current.page == page.number:
                        current.headers.append(head)  # a group: no body yet
                        continue
                    current = Block(headers=[head], page=page.number, category=state.category)
                    current.add_box(page.number, region.bbox)
                    out.blocks.append(current)
                    if heading_first and not seen_heading:
                        waiting.append(current)
                    state.open = current
                    continue
                if (
                    match is not None
                    and state.pending is None
                    and lexicon.ends_with_headers(grammar, lines, i)
                ):
                    _hold_headers(state, grammar, region, i, current, page.number)
                if current is None:
                    if state.open is None:
                        if state.pending is None or line not in state.pending.lines:
                            _outside(line, diag)
                        continue
                    current = state.open
                    current.add_box(page.number, region.bbox)
                    if current.page != page.number:
                        out.continued = current
                        if heading_first and not seen_heading and current.category is None:
                            waiting.append(current)  # still before any heading
                current.body.append(line)
    return out
