"""Apply the grammar's replacement table to every line's text, keeping the raw text."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostics
from ..document import Document, Line
from ..grammar import Grammar


def normalise_text(text: str, grammar: Grammar) -> str:
    """The text with the grammar's replacements applied in order, then what its
    `joins` patterns match removed."""
    for old, new in grammar.spec.normalise.replacements:
        text = text.replace(old, new)
    for join in grammar.patterns("normalise.joins"):
        text = join.sub("", text)
    return text


def document_lines(document: Document) -> Iterator[Line]:
    """Every line of the document's pages: text, table lines and table cells."""
    for page in document.pages:
        for region in page.regions:
            yield from region.lines
            for row in getattr(region, "rows", None) or []:
                for cell in row:
                    yield from cell


def cut_long(text: str, limit: int, diag: Diagnostics, page: int | None, line: int | None) -> str:
    """`text`, or its first `limit` characters with a text.long_line warning."""
    if len(text) <= limit:
        return text
    diag.warn(
        "text.long_line",
        f"a line of {len(text)} characters: only its first {limit} are read "
        "(grammar `limits.max_line_length`)",
        page,
        line,
    )
    return text[:limit]


def normalise_document(
    document: Document, grammar: Grammar, diag: Diagnostics | None = None
) -> Document:
    """Set `text` of every line from its `raw`; the Document is updated in place and returned.
    A text longer than the grammar's `limits.max_line_length` is cut there (with a warning)."""
    limit = grammar.spec.limits.max_line_length
    diag = diag if diag is not None else Diagnostics()
    lines = list(document_lines(document))
    for line, text in zip(lines, _normalised([ln.raw for ln in lines], grammar), strict=True):
        line.text = (
            text if len(text) <= limit else cut_long(text, limit, diag, line.page, line.line)
        )
    return document


def _normalised(raws: list[str], grammar: Grammar) -> list[str]:
    """`normalise_text` of each text: of all of them joined by newlines at once, when no
    replacement can see or make a newline and no join took one out (each then applies to
    every text as alone)."""
    replacements = grammar.spec.normalise.replacements
    joined = "\n".join(raws)
    if joined.count("\n") == len(raws) - 1 and all(
        old and "\n" not in old and "\n" not in new for old, new in replacements
    ):
        out = normalise_text(joined, grammar).split("\n")
        if len(out) == len(raws):
            return out
    return [normalise_text(raw, grammar) for raw in raws]
