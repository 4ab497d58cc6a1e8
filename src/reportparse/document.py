"""The intermediate Document both readers produce: pages of text and table regions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(slots=True)
class Line:
    """One line of the source: raw text, normalised text and where it came from."""

    raw: str
    page: int | None
    line: int | None  # 1-based line number in a text input; per-page line in a PDF
    bbox: BBox | None = None
    text: str = ""  # set by the normalise stage

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.raw

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class TextRegion:
    """Body text: headers, category headings and sections, in reading order."""

    lines: list[Line]
    bbox: BBox | None = None  # the block's frame, when the reader knows it


@dataclass(slots=True)
class TableRegion:
    """An indicator table: its lines (text input) or its cells (PDF input)."""

    lines: list[Line]
    rows: list[list[list[Line]]] | None = None  # rows of cells, each cell a list of lines
    bbox: BBox | None = None


Region = TextRegion | TableRegion


@dataclass(slots=True)
class Page:
    number: int
    regions: list[Region] = field(default_factory=list)

    @property
    def text_regions(self) -> list[TextRegion]:
        return [r for r in self.regions if isinstance(r, TextRegion)]

    @property
    def tables(self) -> list[TableRegion]:
        return [r for r in self.regions if isinstance(r, TableRegion)]


@dataclass(slots=True)
class Document:
    """Pages of regions; the readers' common output."""

    pages: Iterable[Page]  # a list for text; read lazily, page by page, for PDF
    format: str  # "text" or "pdf"
    encoding: str | None = None
    page_count: int | None = None  # physical pages (PDF, or form-feed pages in text)

    def one_page(self, page: Page) -> Document:
        """A view of this document holding only `page`, for page-at-a-time stages."""
        return replace(self, pages=[page])


def union_of(boxes: Sequence[BBox]) -> BBox:
    """The smallest box holding every given box (at least one)."""
    x0, top, x1, bottom = zip(*boxes, strict=True)  # each edge of every box, at once
    return min(x0), min(top), max(x1), max(bottom)


def union(boxes: list[BBox | None]) -> BBox | None:
    """The smallest box holding every given box; None when there is none."""
    real = [b for b in boxes if b is not None]
    return union_of(real) if real else None


def center_inside(inner: BBox, outer: BBox) -> bool:
    """The centre of `inner` lies in `outer`."""
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]
