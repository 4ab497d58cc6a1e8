"""Split a page's text into initiative blocks: ■ categories, header groups, continued blocks."""

from __future__ import annotations

from .. import lexicon
from ..blocks import Block, DocumentState, Header, PageBlocks
from ..diagnostics import Diagnostics
from ..document import Document
from ..grammar import Grammar

__all__ = ["Block", "Header", "lines_to_blocks"]


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
                if current is None:
                    if state.open is None:
                        diag.warn(
                            "text.outside_block",
                            "text outside any initiative block skipped: "
                            f"{line.text.strip()[:40]!r}",
                            line.page,
                            line.line,
                        )
                        continue
                    current = state.open
                    current.add_box(page.number, region.bbox)
                    if current.page != page.number:
                        out.continued = current
                        if heading_first and not seen_heading and current.category is None:
                            waiting.append(current)  # still before any heading
                current.body.append(line)
    return out
