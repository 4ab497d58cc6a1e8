"""Split each page's text into initiative blocks: ■ categories, header groups and body lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import lexicon
from ..diagnostics import Diagnostics
from ..document import BBox, Document, Line
from ..grammar import Grammar


@dataclass(slots=True)
class Header:
    number: int
    title: str
    line: Line


@dataclass(slots=True)
class Block:
    """One initiative body and the headers (one or more) that share it."""

    headers: list[Header]
    page: int
    body: list[Line] = field(default_factory=list)
    category: str | None = None
    bbox: BBox | None = None
    index: int = 0  # position in document order

    @property
    def numbers(self) -> list[int]:
        return sorted(h.number for h in self.headers)


def lines_to_blocks(document: Document, grammar: Grammar, diag: Diagnostics) -> list[Block]:
    """Blocks in document order, each with its category resolved within its page."""
    blocks: list[Block] = []
    for page in document.pages:
        headings: list[tuple[int, str]] = []  # (position on page, category)
        placed: list[tuple[int, Block]] = []
        position = 0
        for region in page.text_regions:
            current: Block | None = None
            lines = region.lines
            for i, line in enumerate(lines):
                position += 1
                if line.blank:
                    if current is not None and current.body:
                        current.body.append(line)
                    continue
                name = lexicon.category(grammar, line.text)
                if name is not None:
                    headings.append((position, name))
                    continue
                match = lexicon.header(grammar, line.text)
                if match is not None and lexicon.opens_block(grammar, lines, i):
                    head = Header(match.number, match.title, line)
                    if current is not None and not current.body:  # a group: no body yet
                        current.headers.append(head)
                    else:
                        current = Block(headers=[head], page=page.number, bbox=region.bbox)
                        placed.append((position, current))
                    continue
                if current is None:
                    diag.warn(
                        "text.outside_block",
                        f"text outside any initiative block skipped: {line.text.strip()[:40]!r}",
                        line.page,
                        line.line,
                    )
                    continue
                current.body.append(line)
        for pos, block in placed:
            before = [name for at, name in headings if at < pos]
            block.category = before[-1] if before else (headings[0][1] if headings else None)
            block.index = len(blocks)
            blocks.append(block)
    return blocks
