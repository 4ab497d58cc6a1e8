"""Apply the grammar's replacement table to every line's text, keeping the raw text."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document, Line
from ..grammar import Grammar


def normalise_text(text: str, grammar: Grammar) -> str:
    """The text with the grammar's replacements applied in order."""
    for old, new in grammar.spec.normalise.replacements:
        text = text.replace(old, new)
    return text


def _lines(document: Document) -> Iterator[Line]:
    for page in document.pages:
        for region in page.regions:
            yield from region.lines
            for row in getattr(region, "rows", None) or []:
                for cell in row:
                    yield from cell


def normalise_document(document: Document, grammar: Grammar) -> Document:
    """Set `text` of every line from its `raw`; the Document is updated in place and returned."""
    for line in _lines(document):
        line.text = normalise_text(line.raw, grammar)
    return document
