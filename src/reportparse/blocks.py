"""Initiative blocks and the state the page loop carries from one page to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import BBox, Line
from .models import Indicator, Section


@dataclass(slots=True)
class Header:
    number: int
    title: str
    line: Line


@dataclass(slots=True)
class Block:
    """One initiative body, the headers (one or more) that share it, and what the later
    stages find for it: its sections and the indicator rows of each header number."""

    headers: list[Header]
    page: int
    body: list[Line] = field(default_factory=list)
    category: str | None = None
    boxes: list[tuple[int, BBox]] = field(default_factory=list)  # (page, box) of each part
    sections: list[Section] = field(default_factory=list)
    rows: dict[int, list[Indicator]] = field(default_factory=dict)

    @property
    def numbers(self) -> list[int]:
        return sorted(h.number for h in self.headers)

    @property
    def bbox(self) -> BBox | None:
        """The box of the part that holds the headers."""
        return next((box for page, box in self.boxes if page == self.page), None)

    def boxes_on(self, page: int) -> list[BBox]:
        return [box for p, box in self.boxes if p == page]

    def add_box(self, page: int, box: BBox | None) -> None:
        if box is not None and (page, box) not in self.boxes:
            self.boxes.append((page, box))


@dataclass(slots=True)
class PendingHeaders:
    """Header lines that end a region (a column or a page) with no 【】 marker after
    them: they open a block if the next region starts with a marker, and are text of
    `block` (or of no block) otherwise. `box` is the region's (page, frame) when the
    headers were all it held."""

    headers: list[Header]
    block: Block | None
    box: tuple[int, BBox] | None = None

    @property
    def lines(self) -> list[Line]:
        return [h.line for h in self.headers]


@dataclass(slots=True)
class DocumentState:
    """What one page leaves to the next: the category in force, the last block (which
    takes what comes before the first header of the next page), the page-top line seen
    last (a running title repeats there), and header lines left at the end of a page
    or column, waiting for the marker that would make them a block's."""

    format: str
    category: str | None = None
    open: Block | None = None
    previous_top: str | None = None
    pending: PendingHeaders | None = None


@dataclass(slots=True)
class PageBlocks:
    """The blocks a page opens, and the block of an earlier page it continues, if any."""

    blocks: list[Block]
    continued: Block | None = None
