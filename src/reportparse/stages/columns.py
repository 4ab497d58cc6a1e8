"""Split text laid out in columns (`pdftotext -layout`) into its columns, left first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from .. import lexicon, quantities
from ..document import Line
from ..grammar import Grammar
from .sections import text_width

SPACES = " \u3000"
# Runs of spaces that may be a gutter (a gutter is at least two columns wide).
_RUNS = re.compile("[ \u3000]{2,}|\u3000")


class Chunk(NamedTuple):
    """Text between wide runs of spaces: display columns [start, end), characters [lo, hi)."""

    start: int
    end: int
    lo: int
    hi: int


def chunks(text: str, gap: int) -> list[Chunk]:
    """The chunks of a line: text separated by at least `gap` display columns of spaces."""
    lo = len(text) - len(text.lstrip(SPACES))  # the current chunk's first character
    last = len(text.rstrip(SPACES))  # the end of the line's last non-space character
    if lo >= last:
        return []
    col = text_width(text[:lo]) if lo else 0
    body = text[lo:last]
    if "  " not in body and "\u3000" not in body:  # no run of spaces: one chunk
        return [Chunk(col, col + text_width(body), lo, last)]
    out: list[Chunk] = []
    for run in _RUNS.finditer(text, lo, last):
        run_width = text_width(run.group())
        if run_width >= gap:
            end = col + text_width(text[lo : run.start()])
            out.append(Chunk(col, end, lo, run.start()))
            lo, col = run.end(), end + run_width
    out.append(Chunk(col, col + text_width(text[lo:last]), lo, last))
    return out


@dataclass(slots=True)
class _Zone:
    first: int  # index of the first line
    last: int  # index of the last line
    split: int = 0  # lines with text on both sides of a gutter
    right: int = 0  # lines with text only right of one (indented past the gutter width)
    lines: int = 0  # non-blank lines


class _Page:
    def __init__(self, lines: list[Line], parts: list[list[Chunk]], grammar: Grammar) -> None:
        self.lines = lines
        self.grammar = grammar
        self.rules = grammar.spec.columns
        self.parts = parts  # the chunks of each line
        starts = [p[0].start for p in self.parts if p]
        self.margin = min(starts) if starts else 0
        self.in_table = self._flush_tables()

    def indented(self, i: int) -> bool:
        parts = self.parts[i]
        return bool(parts) and parts[0].start >= self.margin + self.rules.min_gutter

    def split(self, i: int) -> bool:
        """A flush-left line with more text after a gutter-wide run of spaces."""
        return len(self.parts[i]) > 1 and not self.indented(i)

    def _heading(self, i: int) -> bool:
        """Line i is a 【】 marker or a ■ heading at the margin."""
        text = self.lines[i].raw.strip()
        return not self.indented(i) and (
            lexicon.marker(self.grammar, text) is not None
            or lexicon.category(self.grammar, text) is not None
        )

    def _from_left(self, i: int) -> bool:
        """Line i's text starts at most `columns.table_indent` columns in from the
        margin: where a table printed from the left has its header's first cell."""
        parts = self.parts[i]
        return bool(parts) and parts[0].start <= self.margin + self.rules.table_indent

    def _flush_tables(self) -> list[bool]:
        """Lines of a table printed from the left: its cells are not columns. The table
        ends where a block's text starts again, or at two blank lines in a row after its
        first row (one blank line is a cell's padding, between the header and the rows
        or between two rows)."""
        flags: list[bool] = []
        inside = rows = False
        for i, line in enumerate(self.lines):
            gap = line.blank and i > 0 and self.lines[i - 1].blank
            if inside and ((gap and rows) or lexicon.ends_table(self.grammar, self.lines, i)):
                inside = False
            if lexicon.table_start_at(self.grammar, line.raw) == (
                len(line.raw) - len(line.raw.lstrip())
            ) and self._from_left(i):
                inside, rows = True, False
            elif inside and not line.blank and not lexicon.is_header_line(self.grammar, line.text):
                rows = True
            flags.append(inside)
        return flags

    def zones(self) -> list[_Zone]:
        """Runs of non-blank lines (outside flush tables) that show two columns; runs
        with text on both sides of a gutter, separated only by blank lines, are one. A
        【】 marker or ■ heading alone on its line starts a new run: a table beside a
        section that ends right above the next marker leaves no blank line between."""
        found: list[_Zone] = []
        zone: _Zone | None = None
        for i, parts in enumerate(self.parts):
            if not parts or self.in_table[i]:
                zone = None
                continue
            if zone is not None and len(parts) == 1 and self._heading(i):
                zone = None
            if zone is None:
                zone = _Zone(i, i)
                found.append(zone)
            zone.last = i
            zone.split += self.split(i)
            zone.right += self.indented(i)
            zone.lines += 1
        merged: list[_Zone] = []
        for zone in found:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.split
                and zone.split
                and not any(self.parts[prev.last + 1 : zone.first])
                and not any(self.in_table[prev.last + 1 : zone.first])
            ):
                prev.last = zone.last
                prev.split += zone.split
                prev.right += zone.right
                prev.lines += zone.lines
            else:
                merged.append(zone)
        return [z for z in merged if self._accept(z)]

    def _accept(self, zone: _Zone) -> bool:
        lines = zone.lines
        shown = zone.split + zone.right
        return (
            zone.split >= 1
            and shown >= self.rules.min_lines
            and shown / lines >= self.rules.min_share
        )

    def columns(self) -> list[Line]:
        left: list[Line] = []
        right: list[Line] = []
        zoned = {i for z in self.zones() for i in range(z.first, z.last + 1)}
        for i, line in enumerate(self.lines):
            parts = self.parts[i]
            if i not in zoned:
                left.append(line)
            elif not parts:  # a blank line inside a run: both columns have it
                left.append(line)
                right.append(Line(raw="", page=line.page, line=line.line))
            elif self.indented(i):
                right.append(Line(raw=line.raw[parts[0].lo :], page=line.page, line=line.line))
            elif self.split(i):
                head = line.raw[: parts[0].hi]
                left.append(Line(raw=head, page=line.page, line=line.line))
                right.append(Line(raw=line.raw[parts[1].lo :], page=line.page, line=line.line))
            else:
                left.append(line)
        return left + right


@lexicon.memoised
def _structural(grammar: Grammar, text: str) -> bool:
    """Text that only ever starts a line of a block: a 【】 marker, a ■ heading, a bullet.
    (Not a header: `12品目` in a table cell looks like one.)"""
    text = text.strip()
    return (
        lexicon.marker(grammar, text) is not None
        or lexicon.category(grammar, text) is not None
        or text.startswith(tuple(grammar.spec.text.bullets))
    )


def _grade_then_value(grammar: Grammar, raw: str, before: Chunk, chunk: Chunk) -> bool:
    """A table row's grade and the final target after it: one column's, never cut apart
    (the left column's table may print its last cell at the right column's edge)."""
    grade = raw[before.lo : before.hi].split()[-1]
    value = raw[chunk.lo : chunk.hi].split()[0]
    return (
        lexicon.is_grade(grammar, grade) or quantities.is_dash(grade, grammar)
    ) and quantities.looks_like_quantity(value, grammar)


def page_columns(
    lines: list[Line], parts: list[list[Chunk]], grammar: Grammar
) -> tuple[list[Line], list[Line]] | None:
    """A page set in two columns of blocks (landscape reports): the left column's lines
    and the right column's, or None.

    Block text (markers, headings, bullets) starts both at the left margin and, on at
    least `columns.min_lines` lines, after a gutter: the leftmost such start is the right
    column's edge. On every line, the text from the first chunk at or past that edge is
    the right column's (a line's right text may be pushed further right by wide left
    text, never further left); where a table as wide as its column leaves less than a
    gutter before the right text, the last run of spaces reaching the edge parts them.

    The edge is a character offset, not a display column: `pdftotext -layout` sets each
    character in one cell of its grid whatever its width, so the right column starts at
    the same offset on a line under wide (full-width) left text as on a line with
    nothing left of it, where display columns would put it up to twice as far right."""
    rules = grammar.spec.columns
    starts = [p[0].start for p in parts if p]
    if not starts:
        return None
    margin = min(starts)
    # Where block text (a marker, a heading, a bullet) starts after a gutter: the right
    # column's edge (a character offset), or further right where wide left text pushed it.
    inner = [
        c.lo
        for line, p in zip(lines, parts, strict=True)
        for c in p
        if c.start >= margin + rules.min_gutter and _structural(grammar, line.raw[c.lo : c.hi])
    ]
    flush = sum(
        1
        for ln, p in zip(lines, parts, strict=True)
        if p and p[0].start == margin and _structural(grammar, ln.raw[p[0].lo : p[0].hi])
    )
    if len(inner) < rules.min_lines or flush < rules.min_lines:
        return None
    edge = min(inner)
    left: list[Line] = []
    right: list[Line] = []
    for line, p in zip(lines, parts, strict=True):
        # Blank rows are left out: a row blank on one side is as often where the other
        # column's line fell between two of this one's as a real gap, so no blank line
        # can be trusted (the sections stage says where that leaves paragraphs unsure).
        if not p:
            continue
        cut = next(
            (
                c.lo
                for k, c in enumerate(p)
                if c.lo >= edge and not (k and _grade_then_value(grammar, line.raw, p[k - 1], c))
            ),
            None,
        )
        if cut is None:
            cut = _narrow_gutter(line.raw, p, edge)
        head = line.raw[:cut].rstrip() if cut is not None else line.raw
        if head.strip():
            left.append(Line(raw=head, page=line.page, line=line.line))
        if cut is not None:
            right.append(Line(raw=line.raw[cut:], page=line.page, line=line.line))
    return left, right


_NARROW = re.compile("[ \u3000]{2,}")


def _narrow_gutter(raw: str, parts: list[Chunk], edge: int) -> int | None:
    """Where the right column starts on a line whose left text runs up to it with less
    than a gutter's spaces between (a table as wide as its column, its last header cell
    two or three spaces from the next column's text): the first run of two or more
    spaces inside a chunk across the edge (a character offset) after which text starts
    at the edge or further right (`pdftotext -layout` never moves the right column
    left). None when there is none."""
    for c in parts:
        if c.lo < edge < c.hi:
            for run in _NARROW.finditer(raw, c.lo, c.hi):
                if run.end() >= edge:
                    return run.end()
    return None


def _one_column(lines: list[Line], grammar: Grammar) -> bool:
    """No line can show two columns, found without measuring the lines' text: none has a
    run of spaces inside its text (each is one chunk), and fewer than `columns.min_lines`
    start a gutter past the margin (so `page_columns` finds no column edge)."""
    leads: list[int] = []  # display column of each line's text
    for line in lines:
        start = line.raw.lstrip(SPACES)
        body = start.rstrip(SPACES)
        if not body:
            continue
        if "  " in body or "\u3000" in body:
            return False
        lo = len(line.raw) - len(start)
        leads.append(text_width(line.raw[:lo]) if lo else 0)
    edge = min(leads, default=0) + grammar.spec.columns.min_gutter
    return sum(lead >= edge for lead in leads) < grammar.spec.columns.min_lines


def split_columns(lines: list[Line], grammar: Grammar) -> list[Line]:
    """One page's lines with two-column runs split: the left column's lines, then the
    right column's; a page without such runs is returned as it is. A page set in two
    columns of blocks is split at its column edge only (see `page_columns`): its tables
    sit under their block's text, and the table reader takes their cells side by side.

    A run is a paragraph (non-blank lines) in which at least `columns.min_lines` lines,
    and at least `columns.min_share` of its lines, show two columns: flush-left text, a
    gap of at least `columns.min_gutter` display columns and more text (at least one
    line must), or text only right of such a gap. `pdftotext -layout` moves a line's right column
    further right when its left text is wider, so the gutter is each line's own gap."""
    if _one_column(lines, grammar):
        return lines
    parts = [chunks(ln.raw, grammar.spec.columns.min_gutter) for ln in lines]
    halves = page_columns(lines, parts, grammar)
    if halves is not None:
        return [line for half in halves for line in half]  # tables stay whole: rows share lines
    if not any(len(p) > 1 for p in parts):  # no line shows two columns: nothing to split
        return lines
    return _Page(lines, parts, grammar).columns()
