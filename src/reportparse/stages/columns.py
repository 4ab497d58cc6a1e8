"""Split text laid out in columns (`pdftotext -layout`) into its columns, left first."""

from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon
from ..document import Line
from ..grammar import Grammar
from .sections import char_width

SPACES = " \u3000"


@dataclass(frozen=True, slots=True)
class Chunk:
    """Text between wide runs of spaces: display columns [start, end), characters [lo, hi)."""

    start: int
    end: int
    lo: int
    hi: int


def chunks(text: str, gap: int) -> list[Chunk]:
    """The chunks of a line: text separated by at least `gap` display columns of spaces."""
    out: list[Chunk] = []
    col = 0
    run_start = run_col = -1  # the current chunk's first character and column
    last = last_col = -1  # the end of its last non-space character
    for i, ch in enumerate(text):
        w = char_width(ch)
        if ch not in SPACES:
            if run_start >= 0 and col - last_col >= gap:
                out.append(Chunk(run_col, last_col, run_start, last))
                run_start = -1
            if run_start < 0:
                run_start, run_col = i, col
            last, last_col = i + 1, col + w
        col += w
    if run_start >= 0:
        out.append(Chunk(run_col, last_col, run_start, last))
    return out


@dataclass(slots=True)
class _Zone:
    first: int  # index of the first line
    last: int  # index of the last line
    split: int = 0  # lines with text on both sides of a gutter
    right: int = 0  # lines with text only right of one (indented past the gutter width)
    lines: int = 0  # non-blank lines


class _Page:
    def __init__(self, lines: list[Line], grammar: Grammar) -> None:
        self.lines = lines
        self.grammar = grammar
        self.rules = grammar.spec.columns
        self.parts = [chunks(ln.raw, self.rules.min_gutter) for ln in lines]
        starts = [p[0].start for p in self.parts if p]
        self.margin = min(starts) if starts else 0
        self.in_table = self._flush_tables()

    def indented(self, i: int) -> bool:
        parts = self.parts[i]
        return bool(parts) and parts[0].start >= self.margin + self.rules.min_gutter

    def split(self, i: int) -> bool:
        """A flush-left line with more text after a gutter-wide run of spaces."""
        return len(self.parts[i]) > 1 and not self.indented(i)

    def _flush_tables(self) -> list[bool]:
        """Lines of a table printed from the left margin: its cells are not columns."""
        flags: list[bool] = []
        inside = False
        for i, line in enumerate(self.lines):
            if inside and (line.blank or lexicon.ends_table(self.grammar, self.lines, i)):
                inside = False
            if not self.indented(i) and lexicon.table_start_at(self.grammar, line.raw) == (
                len(line.raw) - len(line.raw.lstrip())
            ):
                inside = True
            flags.append(inside)
        return flags

    def zones(self) -> list[_Zone]:
        """Runs of non-blank lines (outside flush tables) that show two columns; runs
        with text on both sides of a gutter, separated only by blank lines, are one."""
        found: list[_Zone] = []
        zone: _Zone | None = None
        for i, parts in enumerate(self.parts):
            if not parts or self.in_table[i]:
                zone = None
                continue
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


def split_columns(lines: list[Line], grammar: Grammar) -> list[Line]:
    """One page's lines with two-column runs split: the left column's lines, then the
    right column's; a page without such runs is returned as it is.

    A run is a paragraph (non-blank lines) in which at least `columns.min_lines` lines,
    and at least `columns.min_share` of its lines, show two columns: flush-left text, a
    gap of at least `columns.min_gutter` display columns and more text (at least one
    line must), or text only right of such a gap. `pdftotext -layout` moves a line's right column
    further right when its left text is wider, so the gutter is each line's own gap."""
    return _Page(lines, grammar).columns()
