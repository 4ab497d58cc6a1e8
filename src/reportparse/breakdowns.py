"""Find totals broken down by municipality in a section's lines, and check their sums.

`管理者研修 99人(今別町2人、蓬田村1人、青森市96人)`: a total, then its parts in brackets;
`一般型 5,732人 （97人） 外ヶ浜町：蓬田村から60人 …`: flows to a receiver, breaking down the
bracketed number; `・…利用者数 14人` / `南原町から北浜市へ 11人 …`: parts on the next lines.
The phrasing is the grammar's `[breakdowns]`; this module holds the mechanism: a line
and the lines after it that hold only parts are read as one text, every total in it is
tried in turn, and what follows it must read wholly as parts.
"""

from __future__ import annotations

import bisect
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .diagnostics import Diagnostics
from .document import Line, union
from .grammar import Grammar, Pattern
from .models import Breakdown, BreakdownPart, Span
from .patterns import MATCH_TIMEOUT
from .quantities import QuantityError, parse_quantity
from .wareki import find_dates


@dataclass(slots=True)
class _Text:
    """Lines read as one text in NFKC form, with the way back to the printed text."""

    norm: str
    raw: str
    # For each character of `norm` (and its end), its offset in `raw`; None when every
    # character folds to one, so that the offsets are the same.
    to_raw: list[int] | None
    starts: list[int]  # offset in `norm` where each physical line begins
    lines: list[Line]

    def printed(self, start: int, end: int) -> str:
        if self.to_raw is None:
            return self.raw[start:end]
        return self.raw[self.to_raw[start] : self.to_raw[end]]

    def line_start(self, offset: int) -> int:
        """The offset where the physical line holding `offset` begins."""
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def span(self, start: int, end: int) -> Span:
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, max(start, end - 1)) - 1
        physical = self.lines[first : last + 1]
        return Span(
            page=physical[0].page,
            line=physical[0].line,
            end_line=physical[-1].line,
            bbox=union([ln.bbox for ln in physical]),
        )


class _FoldTable(dict[int, str]):
    """NFKC of each character met so far, by code point: a table for `str.translate`
    that fills itself."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = unicodedata.normalize("NFKC", chr(code))
        return folded


_FOLDED = _FoldTable()


def _folded(ch: str) -> str:
    return _FOLDED[ord(ch)]


_ESCAPES = frozenset("dDsSwWpPntrfvxuUN")  # escapes that match characters, not positions
# One piece of a pattern: an escape (`\p{Han}` whole), a character class, a group's
# opening, a counted repeat, or one character.
_PIECE = regex.compile(
    r"\\[pPNx]\{[^}]*\}|\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\(\?P<\w+>|\(\?.?|\{[^}]*\}|.",
    regex.DOTALL,
)
_COUNT = regex.compile(r"\{\d*(?:,\d*)?\}")
_REPEATS = ("*", "+", "?")


def _plain(source: str) -> str | None:
    """`source` with its named groups made plain, when it has nothing that reads the text
    around a match (anchors, boundaries, lookaround, backreferences, atomic or possessive
    groups, inline flags, fuzzy counts): then a match at a position of the text cut short
    (`endpos`) is a match at that position of the whole text too. Otherwise None."""
    out: list[str] = []
    repeat = False  # the piece before is a repeat
    for piece in (m.group() for m in _PIECE.finditer(source)):
        reads_around = (
            (piece[0] == "\\" and piece[1:2].isalnum() and piece[1] not in _ESCAPES)
            or (piece.startswith("(?") and piece != "(?:" and not piece.startswith("(?P<"))
            or piece in ("^", "$", "[", "{")
            or (repeat and piece == "+")  # possessive
            or (piece[0] == "{" and _COUNT.fullmatch(piece) is None)
        )
        if reads_around:
            return None
        if piece.startswith("(?P<"):
            piece = "(?:"
        repeat = piece in _REPEATS or piece[0] == "{"
        out.append(piece)
    return "".join(out)


@dataclass(slots=True)
class _Rules:
    """The breakdown patterns of one grammar, looked up once."""

    sep: Pattern
    receiver: Pattern
    directed: Pattern
    flow: Pattern
    part: Pattern
    open: Pattern
    close: Pattern
    any_part: regex.Pattern[str] | None  # where a part may stand, if it can be told
    first_step: regex.Pattern[str] | None  # what a scan's first step may match, if so

    def may_start_parts(self, text: str) -> bool:
        """False only when no pattern a scan tries first (separator, receiver, flow with
        both ends, part) matches at the start of `text`: then a scan from there fails."""
        if self.first_step is None:
            return True
        try:
            return self.first_step.match(text, timeout=MATCH_TIMEOUT) is not None
        except TimeoutError:
            return True

    def may_hold_parts(self, text: str, pos: int) -> bool:
        """False only when no part pattern matches anywhere in `text` from `pos` on: then
        no scan of any stretch of it finds a part (see `_plain`)."""
        if self.any_part is None:
            return True
        try:
            return self.any_part.search(text, pos, timeout=MATCH_TIMEOUT) is not None
        except TimeoutError:
            return True


_RULES: weakref.WeakKeyDictionary[Grammar, _Rules] = weakref.WeakKeyDictionary()


def _rules(grammar: Grammar) -> _Rules:
    found = _RULES.get(grammar)
    if found is not None:
        return found

    def pattern(key: str) -> Pattern:
        return grammar.pattern(f"breakdowns.{key}")

    any_part = _union([pattern(k).pattern for k in ("directed_flow", "flow", "part")])
    first_step = _union(
        [pattern(k).pattern for k in ("separator", "receiver", "directed_flow", "part")]
    )
    found = _RULES[grammar] = _Rules(
        sep=pattern("separator"),
        receiver=pattern("receiver"),
        directed=pattern("directed_flow"),
        flow=pattern("flow"),
        part=pattern("part"),
        open=pattern("open"),
        close=pattern("close"),
        any_part=any_part,
        first_step=first_step,
    )
    return found


def _union(sources: list[str]) -> regex.Pattern[str] | None:
    """The patterns as one alternation of their plain forms (see `_plain`), which matches
    at a position where one of them does; None when one cannot be made plain."""
    plain = [_plain(source) for source in sources]
    if any(p is None for p in plain):
        return None
    try:
        return regex.compile("|".join(f"(?:{p})" for p in plain))
    except regex.error:
        return None


def _joined(entries: Sequence[list[Line]]) -> _Text:
    """Logical lines joined by a space, their physical lines (wraps) with nothing between,
    as `sections.join_lines` joins them; each character NFKC-folded on its own, with a map
    from folded offsets back to the raw ones."""
    pieces: list[str] = []
    starts: list[int] = []
    lines: list[Line] = []
    size = 0
    for k, entry in enumerate(entries):
        for i, line in enumerate(entry):
            gap = " " if k and not i else ""
            piece = gap + line.text.strip()
            starts.append(size + len(gap))
            lines.append(line)
            pieces.append(piece)
            size += len(piece)
    raw = "".join(pieces)
    # A text in NFKC form holds no character that NFKC changes (each one's NFKC_QC is not
    # No, and such a character is its own NFKC): it folds to itself, char for char.
    folded = raw if unicodedata.is_normalized("NFKC", raw) else raw.translate(_FOLDED)
    if len(folded) == len(raw):  # one folded character per raw one (NFKC is never empty)
        return _Text(folded, raw, None, starts, lines)
    norm: list[str] = []
    to_raw: list[int] = []
    fold_starts: list[int] = []
    at = iter(starts)
    next_start = next(at, None)
    for index, ch in enumerate(raw):
        while next_start == index:
            fold_starts.append(len(to_raw))
            next_start = next(at, None)
        folded = _folded(ch)
        norm.append(folded)
        to_raw += [index] * len(folded)
    while next_start is not None:  # lines that start at the very end (empty ones)
        fold_starts.append(len(to_raw))
        next_start = next(at, None)
    to_raw.append(len(raw))
    return _Text("".join(norm), raw, to_raw, fold_starts, lines)


At = tuple[int, int]  # start and end offset in a text
Part = tuple[At, At, At | None]  # where the municipality, the value and the origin stand


Dead = set[tuple[int, At | None]]


def _scan(
    grammar: Grammar, text: str, pos: int, end: int, dead: Dead | None = None
) -> list[Part] | None:
    """The parts from `pos` to `end`, or None unless all of it reads as parts.

    `dead` holds the (position, receiver) states from which an earlier scan to the same
    end failed; a scan reaching one fails at once, so trying every total of a long line
    stays linear."""
    dead = set() if dead is None else dead
    seen: list[tuple[int, At | None]] = []
    rules = _rules(grammar)
    sep, receiver_re, directed, flow = rules.sep, rules.receiver, rules.directed, rules.flow
    part = rules.part
    receiver: At | None = None
    found: list[Part] = []
    while pos < end:
        state = (pos, receiver)
        if state in dead:
            dead.update(seen)
            return None
        seen.append(state)
        if (m := sep.match(text, pos, end)) and m.end() > pos:
            pass
        elif m := receiver_re.match(text, pos, end):
            receiver = m.span("municipality")
        elif m := directed.match(text, pos, end):
            found.append((m.span("municipality"), m.span("value"), m.span("origin")))
        elif receiver is not None and (m := flow.match(text, pos, end)):
            found.append((receiver, m.span("value"), m.span("origin")))
        elif m := part.match(text, pos, end):
            found.append((m.span("municipality"), m.span("value"), None))
        else:
            dead.update(seen)
            return None
        pos = m.end()
    return found or None


def _space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _bracketed(grammar: Grammar, text: str, pos: int) -> tuple[int, int, int] | None:
    """(inner start, inner end, end) of a bracket opening at `pos` (none nested)."""
    rules = _rules(grammar)
    o = rules.open.match(text, pos)
    if o is None:
        return None
    c = rules.close.search(text, o.end())
    again = rules.open.search(text, o.end(), c.start() if c else len(text))
    if c is None or again is not None:
        return None
    return o.end(), c.start(), c.end()


def parts_only(grammar: Grammar, text: str) -> bool:
    """The line holds nothing but parts (in brackets or not): it continues a breakdown."""
    norm = unicodedata.normalize("NFKC", text).strip()
    inside = _bracketed(grammar, norm, 0)
    if inside is not None and inside[2] == len(norm):
        return _scan(grammar, norm, inside[0], inside[1]) is not None
    if not _rules(grammar).may_start_parts(norm):  # most lines: one call, not four
        return False
    return _scan(grammar, norm, 0, len(norm)) is not None


def _label(grammar: Grammar, text: _Text, start: int, end: int) -> str:
    """The printed text before a total, after its bullet and dates, without total words."""
    label = text.printed(start, end)
    hits = find_dates(label, grammar)
    if hits:
        label = label[hits[-1].end :]
    trim = grammar.spec.dates.trim + "".join(grammar.spec.text.bullets)
    label = label.strip(trim)
    for word in grammar.total_words:
        label = label.removesuffix(word).rstrip(trim)
    return label


def _in_brackets(grammar: Grammar, norm: str, start: int, end: int) -> tuple[int, int] | None:
    """(opening offset, end) when the number at start..end stands alone in brackets."""
    before = start
    while before > 0 and norm[before - 1].isspace():
        before -= 1
    rules = _rules(grammar)
    for k in range(before - 1, max(before - 3, -1), -1):
        o = rules.open.match(norm, k)
        if o is not None and o.end() == before:
            c = rules.close.match(norm, _space(norm, end))
            return (k, c.end()) if c else None
    return None


def _read(grammar: Grammar, text: _Text, diag: Diagnostics) -> list[Breakdown]:
    """Every total in the text followed by its parts: in brackets, or to the end."""
    norm = text.norm
    found: list[Breakdown] = []
    label_start = 0
    dead: Dead = set()  # states that cannot read as parts to the end of the text
    m = grammar.quantity_token.search(norm)
    # The parts of a total are read after it: none after the first, none at all.
    if m is None or not _rules(grammar).may_hold_parts(norm, m.end()):
        return found
    while m is not None:
        pos = m.end()
        label_end, after = m.start(), m.end()
        bracket = _in_brackets(grammar, norm, m.start(), m.end())
        if bracket is not None:  # `5,732人 （97人）`: the parts break down the 97
            label_end, after = bracket
        body = _space(norm, after)
        inside = _bracketed(grammar, norm, body)
        if inside is not None:
            parts, end = _scan(grammar, norm, inside[0], inside[1]), inside[2]
        else:
            parts, end = _scan(grammar, norm, body, len(norm), dead), len(norm)
        if parts is not None:
            start = max(label_start, text.line_start(m.start()))
            label = _label(grammar, text, start, label_end)
            if not label:  # the total starts its line: the label is on the line before
                label = _label(grammar, text, label_start, label_end)
            breakdown = _checked(grammar, text, label, (m.start(), m.end()), parts, diag)
            if breakdown is not None:
                breakdown.span = text.span(label_start, end)
                found.append(breakdown)
            label_start = pos = end
        m = grammar.quantity_token.search(norm, pos)
    return found


def _checked(
    grammar: Grammar,
    text: _Text,
    label: str,
    total_at: At,
    parts: list[Part],
    diag: Diagnostics,
) -> Breakdown | None:
    """The Breakdown with its sum checked; a warning when the parts do not add up."""
    try:
        total = parse_quantity(text.printed(*total_at), grammar)
        shares = [
            BreakdownPart(
                municipality=text.printed(*name),
                value=parse_quantity(text.printed(*value), grammar),
                origin=text.printed(*origin) if origin else None,
            )
            for name, value, origin in parts
        ]
    except QuantityError:
        return None
    sum_ok: bool | None = None
    values = [p.value.value for p in shares if p.value.unit == total.unit]
    if total.value is not None and len(values) == len(shares) and None not in values:
        added = sum(v for v in values if v is not None)
        sum_ok = round(added, 6) == round(total.value, 6)
        if not sum_ok:
            where = text.span(total_at[0], total_at[1])
            listed = " + ".join(p.value.raw for p in shares)
            diag.warn(
                "breakdown.sum_mismatch",
                f"{label} {total.raw}: the parts add up to {added:g}{total.unit or ''} "
                f"({listed}), not {total.value:g}",
                where.page,
                where.line,
            )
    return Breakdown(label=label, total=total, parts=shares, sum_ok=sum_ok, span=Span())


def lines_to_breakdowns(
    entries: Sequence[list[Line]], grammar: Grammar, diag: Diagnostics
) -> list[Breakdown]:
    """The breakdowns of a section, given its logical lines (each the physical lines it
    joins): each logical line is read with the parts-only lines after it."""
    if grammar.spec.breakdowns is None:
        return []
    found: list[Breakdown] = []
    k = 0
    while k < len(entries):
        j = k + 1
        while j < len(entries) and parts_only(grammar, "".join(ln.text for ln in entries[j])):
            j += 1
        found += _read(grammar, _joined(entries[k:j]), diag)
        k = j
    return found
