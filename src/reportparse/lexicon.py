"""Line classification shared by the stages: category headings, headers, markers, tables."""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from .document import Line
from .grammar import Grammar

MAX_GROUP = 6  # headers in a row that may share one body
_WORD = re.compile(r"\S+")
MEMO_SIZE = 1 << 15  # texts a memo holds; a full one is emptied, so memory stays flat
_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_UNKNOWN = object()  # not in a memo


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    number: int
    title: str


def memoised(compute: Callable[[Grammar, _K], _T]) -> Callable[[Grammar, _K], _T]:
    """`compute`, remembered per grammar and text (or any hashable key, such as a text
    and an offset): the stages ask about the same lines again and again (read, columns,
    furniture, segment, checks, tables). A call on which a pattern ran out of time is not
    remembered: the next one tries again, and is logged again, as without a memo. A memo
    holds at most MEMO_SIZE keys."""
    memos: weakref.WeakKeyDictionary[Grammar, dict[_K, _T]] = weakref.WeakKeyDictionary()
    recent: list[tuple[Grammar | None, dict[_K, _T]]] = [(None, {})]  # swapped whole

    @functools.wraps(compute)
    def remembered(grammar: Grammar, text: _K) -> _T:
        last = recent[0]
        if last[0] is grammar:
            memo = last[1]
        else:
            memo = memos.setdefault(grammar, {})
            recent[0] = (grammar, memo)
        found = memo.get(text, _UNKNOWN)
        if found is not _UNKNOWN:
            return cast(_T, found)
        log = grammar.timeouts
        before = len(log.entries)
        value = compute(grammar, text)
        if len(log.entries) == before:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[text] = value
        return value

    return remembered


@memoised
def category(grammar: Grammar, text: str) -> str | None:
    m = grammar.pattern("layout.category").match(text)
    return m.group("name") if m else None


@memoised
def header(grammar: Grammar, text: str) -> HeaderMatch | None:
    m = grammar.pattern("layout.header").match(text)
    if not m or any(p.match(text) for p in grammar.patterns("layout.not_header")):
        return None
    try:  # `regex`'s \d knows digits of newer Unicode versions than int() does
        number = int(m.group("number"))
    except ValueError:
        return None
    return HeaderMatch(number, m.group("title"))


@memoised
def marker(grammar: Grammar, text: str) -> tuple[str, str] | None:
    """The marker text inside 【】 and the rest of the line, or None."""
    m = grammar.pattern("layout.marker").match(text)
    return (m.group("marker"), m.group("rest")) if m else None


@memoised
def is_table_start(grammar: Grammar, text: str) -> bool:
    return grammar.pattern("table.start").match(text) is not None


@memoised
def is_complete_header(grammar: Grammar, text: str) -> bool:
    """The text holds a whole table header (`table.complete`): every table has one."""
    return grammar.pattern("table.complete").search(text) is not None


@memoised
def header_rank(grammar: Grammar, word: str) -> int:
    """The index of the first `table.header_words` pattern a word matches (their count
    for none): header words are sorted by it."""
    patterns = grammar.patterns("table.header_words")
    return next((i for i, p in enumerate(patterns) if p.match(word)), len(patterns))


def is_header_word(grammar: Grammar, word: str) -> bool:
    """True for a word of a table header (`指標`, `2020年度実績値`, `進捗評価`, …)."""
    combined = grammar.header_word
    if combined is not None:
        return combined.match(word) is not None
    return is_table_start(grammar, word) or any(
        p.match(word) for p in grammar.patterns("table.header_words")
    )


def words(text: str) -> list[tuple[int, str]]:
    """The whitespace-separated words of a line with their character offsets."""
    return [(m.start(), m.group()) for m in _WORD.finditer(text)]


@memoised
def table_start_at(grammar: Grammar, text: str) -> int | None:
    """Offset in `text` where a table header begins, or None.

    The header begins at the start word when every word after it on the line is a
    header word too (`指標`, `指標 2020年度実績値`, `【事業概要】 指標`)."""
    found = words(text)
    tail = len(found)  # found[tail:] are all header words
    while tail and is_header_word(grammar, found[tail - 1][1]):
        tail -= 1
    for offset, word in found[max(tail - 1, 0) :]:
        if is_table_start(grammar, word):
            return offset
    return None


@memoised
def is_header_line(grammar: Grammar, text: str) -> bool:
    """A non-empty line made only of table header words."""
    found = words(text)
    return bool(found) and all(is_header_word(grammar, w) for _, w in found)


def is_grade(grammar: Grammar, word: str) -> bool:
    """A progress grade symbol of the grammar (`Ａ` reads as `A`)."""
    return unicodedata.normalize("NFKC", word) in grammar.grades


@memoised
def is_page_number(grammar: Grammar, text: str) -> bool:
    combined = grammar.page_number
    if combined is not None:
        return combined.match(text) is not None
    return any(p.match(text) for p in grammar.patterns("furniture.page_number"))


def _next_nonblank(lines: Sequence[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if not lines[j].blank:
            return j
    return None


_NO_RUN = -1  # line i starts no run of at most MAX_GROUP headers


def _after_headers(grammar: Grammar, lines: Sequence[Line], i: int) -> int | None:
    """Where the run of headers from line i (at most MAX_GROUP, blank lines between)
    ends: the next non-blank line's index, None at the end of `lines`, or _NO_RUN."""
    j: int | None = i
    for _ in range(MAX_GROUP):
        if j is None:
            return None
        if header(grammar, lines[j].text) is None:
            return j if j != i else _NO_RUN
        j = _next_nonblank(lines, j)
    return j if j is None or header(grammar, lines[j].text) is None else _NO_RUN


def _opens(grammar: Grammar, lines: Sequence[Line], after: int | None) -> bool:
    return after is not None and after != _NO_RUN and marker(grammar, lines[after].text) is not None


def opens_block(grammar: Grammar, lines: Sequence[Line], i: int) -> bool:
    """True when line i is an initiative header: a run of headers followed by a marker."""
    return _opens(grammar, lines, _after_headers(grammar, lines, i))


def ends_with_headers(grammar: Grammar, lines: Sequence[Line], i: int) -> bool:
    """True when line i starts a run of headers that ends `lines` (blank lines between
    and after them only): a header whose marker may come in the next column or page."""
    return _after_headers(grammar, lines, i) is None


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def glued(before: str, after: str) -> bool:
    """A wrap joined with nothing: between two wide (Japanese) characters, a narrow
    cell breaking a word (`(2020年度目標` / `値)`), or at a bracket (`実績値` /
    `(2020年度目標値)`)."""
    return (_wide(before) and _wide(after)) or before in "(（" or after in "(（)）"


def cell_text(lines: Sequence[Line]) -> str:
    """The text of one table cell from its lines, wraps joined as `glued` says,
    other line ends as one space."""
    out = ""
    for ln in lines:
        text = ln.text.strip()
        if text:
            out += ("" if not out or glued(out[-1], text[0]) else " ") + text
    return out


def row_text(cells: Sequence[Sequence[Line]]) -> str:
    """A row of a ruled grid as text: its cells' texts, one space apart."""
    return " ".join(t for cell in cells if (t := cell_text(cell)))


def is_header_row(grammar: Grammar, cells: Sequence[Sequence[Line]]) -> bool:
    """True when a row of a ruled grid is a table header of its own: two tables drawn
    one right under the other share a ruling and are found as one grid."""
    return is_complete_header(grammar, row_text(cells))


def ends_table(grammar: Grammar, lines: Sequence[Line], i: int, starts: bool | None = None) -> bool:
    """True when line i cannot belong to a table that runs into it. `starts`: whether a
    table header starts on the line, when the caller knows it already."""
    text = lines[i].text
    return (
        (table_start_at(grammar, text) is not None if starts is None else starts)
        or is_page_number(grammar, text)
        or category(grammar, text) is not None
        or marker(grammar, text) is not None
        or (after := _after_headers(grammar, lines, i)) is None  # marker on the next page
        or _opens(grammar, lines, after)
    )
