"""Split a block's body into 【】 sections: kind, fiscal year, joined text, items and events."""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

from .. import lexicon
from ..blocks import Block
from ..breakdowns import lines_to_breakdowns
from ..codes import WarningCode
from ..diagnostics import Diagnostics
from ..document import BBox, Line, union
from ..grammar import Grammar, SectionKind
from ..models import Event, Section, Span
from ..wareki import find_dates, squeeze


@dataclass(slots=True)
class Logical:
    """A line as printed before wrapping: the physical lines it joins."""

    parts: list[Line]
    text: str
    after_blank: bool


class _Extra(dict[int, str]):
    """For `str.translate`, by code point: the character itself where it counts two
    (East Asian wide, full-width and ambiguous), nothing where it counts one; fills
    itself as characters are met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = extra = ch if unicodedata.east_asian_width(ch) in "WFA" else ""
        return extra


_EXTRA = _Extra()


def char_width(ch: str) -> int:
    """Display width of one character: East Asian wide and full-width ones count two."""
    return 2 if _EXTRA[ord(ch)] else 1


def text_width(text: str) -> int:
    """Display width of a text, spaces included."""
    return len(text) if text.isascii() else len(text) + len(text.translate(_EXTRA))


def width(text: str) -> int:
    """Display width of a line's text, without its surrounding spaces."""
    return text_width(text.strip())


def _kind(grammar: Grammar, marker: str) -> tuple[SectionKind, int | None]:
    for kind, pattern in grammar.section_rules:
        m = pattern.match(marker.strip())
        if m:
            groups = m.groupdict()
            year = None
            if groups.get("era") and groups.get("year"):
                year = grammar.era_year(groups["era"], groups["year"])
            return kind, year
    return "other", None


def join_lines(lines: list[Line], grammar: Grammar) -> list[Logical]:
    """Join the source's wraps with no added space; keep real breaks as separate lines."""
    rules = grammar.spec.text
    texts = [ln.text.strip() for ln in lines]  # empty for a blank line
    widths = [text_width(t) if t else 0 for t in texts]
    widest = max(widths, default=0)
    short = rules.short_line_ratio * widest
    short_before_start = rules.break_after_short_ratio * widest
    bullets = tuple(rules.bullets)
    standalone = grammar.any_of("text.standalone")
    starts = grammar.any_of("text.break_if_starts")
    log = grammar.timeouts.entries
    alone: dict[int, bool] = {}  # line index -> a standalone line, once read

    def is_alone(i: int) -> bool:
        found = alone.get(i)
        if found is None:
            before = len(log)
            found = any(p.match(texts[i]) for p in standalone)
            if len(log) == before:  # a call that ran out of time is made (and logged) again
                alone[i] = found
        return found

    out: list[Logical] = []
    previous: int | None = None
    previous_width = 0
    blank = False
    for i, (line, text) in enumerate(zip(lines, texts, strict=True)):
        if not text:
            blank = True
            continue
        breaks = (
            previous is None
            or blank
            or text.startswith(bullets)
            or is_alone(i)
            or is_alone(previous)
            or previous_width < short
            or (any(p.match(text) for p in starts) and previous_width < short_before_start)
        )
        if breaks:
            out.append(Logical([line], text, blank))
        else:
            out[-1].parts.append(line)
            out[-1].text += text
        previous, previous_width, blank = i, widths[i], False
    return out


def _items(logical: list[Logical], grammar: Grammar) -> list[str]:
    """The ・ items: a bullet line and what follows it up to a blank line or the next bullet."""
    bullets = tuple(grammar.spec.text.bullets)
    standalone = grammar.any_of("text.standalone")
    items: list[list[str]] = []
    open_item = False
    for entry in logical:
        if entry.text.startswith(bullets):
            items.append([entry.text[1:].strip()])
            open_item = True
        elif (
            open_item and not entry.after_blank and not any(p.match(entry.text) for p in standalone)
        ):
            items[-1].append(entry.text)
        else:
            open_item = False
    return ["\n".join(parts) for parts in items]


def _closes_bracket(text: str) -> bool:
    """The text closes a bracket it did not open: the date stood inside brackets."""
    depth = 0
    for ch in text:
        depth += (ch in "（(") - (ch in "）)")
        if depth < 0:
            return True
    return False


def _events(
    logical: list[Logical], fiscal_year: int | None, grammar: Grammar, diag: Diagnostics
) -> list[Event]:
    trim = grammar.spec.dates.trim + "".join(grammar.spec.text.bullets)
    events: list[Event] = []
    for entry in logical:
        hits = find_dates(entry.text, grammar)
        first = entry.parts[0]
        for k, hit in enumerate(hits):
            if hit.date is None or hit.error:
                diag.warn("event.invalid_date", f"{hit.error}: {hit.raw!r}", first.page, first.line)
                if hit.date is None:
                    continue
            following = hits[k + 1].start if k + 1 < len(hits) else len(entry.text)
            rest = squeeze(entry.text[hit.end : following]).strip(trim)
            if not rest or _closes_bracket(rest):  # `…リニューアル（令和6年3月1日公開）`
                before = hits[k - 1].end if k else 0
                rest = squeeze(entry.text[before : hit.start]).strip(trim).rstrip("（(").strip(trim)
            if fiscal_year is not None:
                lo, hi = dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)
                last = hit.end_date or hit.date
                if hit.date < lo or last > hi:
                    diag.warn(
                        "event.outside_fiscal_year",
                        f"{hit.raw} is outside fiscal year {fiscal_year} (April to March)",
                        first.page,
                        first.line,
                    )
            events.append(
                Event(
                    date=hit.date.isoformat(),
                    end_date=hit.end_date.isoformat() if hit.end_date else None,
                    text=rest,
                    raw=hit.raw,
                    span=Span(page=first.page, line=first.line, end_line=entry.parts[-1].line),
                )
            )
    return events


def _section(
    marker_line: Line,
    marker: str,
    body: list[Line],
    grammar: Grammar,
    diag: Diagnostics,
    blankless: bool = False,
) -> Section:
    kind, year = _kind(grammar, marker)
    logical = join_lines(body, grammar)
    last = next((ln for ln in reversed(body) if not ln.blank), marker_line)
    bullets = tuple(grammar.spec.text.bullets)
    if blankless and any(
        a.text.startswith(bullets) and not b.text.startswith(bullets)
        for a, b in itertools.pairwise(logical)
    ):
        diag.warn(
            "section.paragraphs_unsure",
            f"【{marker}】: no blank lines to go by (pdftotext -raw, or two columns side by "
            "side), so where its items and paragraphs end is a guess",
            marker_line.page,
            marker_line.line,
        )
    return Section(
        marker=marker,
        kind=kind,
        fiscal_year=year,
        text="\n".join(entry.text for entry in logical),
        items=_items(logical, grammar),
        events=_events(logical, year, grammar, diag),
        span=Span(
            page=marker_line.page,
            line=marker_line.line,
            end_line=last.line,
            bbox=union([marker_line.bbox, *(ln.bbox for ln in body)]),
        ),
        breakdowns=lines_to_breakdowns([e.parts for e in logical], grammar, diag),
    )


class _Recorder(Diagnostics):
    """Diagnostics that keep the calls of `warn`, to be given again to another one."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[WarningCode, str, int | None, int | None]] = []

    def warn(
        self, code: WarningCode, message: str, page: int | None = None, line: int | None = None
    ) -> None:
        self.calls.append((code, message, page, line))


LineState = tuple[str, str, int | None, int | None, BBox | None]


def _state(line: Line) -> LineState:
    return line.raw, line.text, line.page, line.line, line.bbox


@dataclass(slots=True)
class _Done:
    """A section read earlier: what it was read from, the result and its warnings."""

    marker_line: Line  # held, so that its id is not reused while the entry lives
    inputs: tuple[object, ...]
    section: Section
    calls: list[tuple[WarningCode, str, int | None, int | None]] = field(default_factory=list)


class _Sections:
    """The last sections read with one grammar, by marker line. The page loop reads the
    block still open at a page's end once for that page and again when it is complete;
    its sections before the last are the same, from the same lines, so they are taken
    from here (with their warnings given again) instead of read twice."""

    SIZE = 256

    def __init__(self) -> None:
        self.done: OrderedDict[int, _Done] = OrderedDict()

    def section(
        self,
        marker_line: Line,
        marker: str,
        body: list[Line],
        grammar: Grammar,
        diag: Diagnostics,
        blankless: bool,
    ) -> Section:
        inputs = (_state(marker_line), marker, blankless, *map(_state, body))
        done = self.done.get(id(marker_line))
        if done is None or done.marker_line is not marker_line or done.inputs != inputs:
            recorder = _Recorder()
            timeouts = len(grammar.timeouts.entries)
            section = _section(marker_line, marker, body, grammar, recorder, blankless)
            done = _Done(marker_line, inputs, section, recorder.calls)
            if len(grammar.timeouts.entries) == timeouts:  # a timeout is logged each time
                self.done[id(marker_line)] = done
                if len(self.done) > self.SIZE:
                    self.done.popitem(last=False)
        for call in done.calls:
            diag.warn(*call)
        return done.section


_SECTIONS: weakref.WeakKeyDictionary[Grammar, _Sections] = weakref.WeakKeyDictionary()


def _reader(grammar: Grammar) -> _Sections:
    found = _SECTIONS.get(grammar)
    if found is None:
        found = _SECTIONS[grammar] = _Sections()
    return found


def block_to_sections(block: Block, grammar: Grammar, diag: Diagnostics) -> list[Section]:
    """The sections of one block, in order; text before the first marker is a warning."""
    sections: list[Section] = []
    read = _reader(grammar).section
    current: tuple[Line, str, list[Line]] | None = None
    blankless = not any(line.blank for line in block.body)  # as `pdftotext -raw` prints
    for line in block.body:
        found = None if line.blank else lexicon.marker(grammar, line.text)
        if found is not None:
            if current is not None:
                sections.append(read(*current, grammar, diag, blankless))
            marker, rest = found
            body = [Line(raw=rest, page=line.page, line=line.line, bbox=line.bbox)] if rest else []
            current = (line, marker, body)
        elif current is not None:
            current[2].append(line)
        elif not line.blank:
            diag.warn(
                "section.text_before_marker",
                f"text before the first 【】 marker was skipped: {line.text.strip()[:40]!r}",
                line.page,
                line.line,
            )
    if current is not None:
        sections.append(read(*current, grammar, diag, blankless))
    return sections


def blocks_to_sections(blocks: list[Block], grammar: Grammar, diag: Diagnostics) -> None:
    """Set the sections of every block from its body (again, for a block that grew)."""
    for block in blocks:
        block.sections = block_to_sections(block, grammar, diag)
