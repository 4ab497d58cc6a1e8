"""Break a text report the way real inputs break, deterministically: each generator yields
(label, broken text) for every place the breakage applies."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from reportparse.models import Report

Mutation = tuple[str, str]

_TABLE_WORD = re.compile(r"指標|実績値|目標値|進捗評価")
_HEADER = re.compile(r"^\s*[0-9０-９]{1,5}\s*[^\d\s【】■・（(.,，．%％0-9０-９]")
_NOT_HEADER = re.compile(r"^\s*[0-9０-９]+\s*(?:年|月|日|[%％]|件|回|円|千円|人(?![材口権]))")
_MARKER = re.compile(r"^\s*【[^】]+】")


def _is_header(line: str) -> bool:
    return bool(_HEADER.match(line)) and not _NOT_HEADER.match(line)


def _is_table_line(line: str) -> bool:
    return line.strip() == "指標"


def _tables(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of the text tables: from `指標` to the next header,
    marker, category or table start (blank lines at the end left out)."""
    out: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if not _is_table_line(line):
            continue
        j = i + 1
        while j < len(lines):
            text = lines[j].lstrip("\f")
            if _is_table_line(text) or _MARKER.match(text) or text.strip().startswith("■"):
                break
            if _is_header(text) and j + 1 < len(lines):
                break
            j += 1
        while j > i and not lines[j - 1].strip():
            j -= 1
        out.append((i, j))
    return out


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


def drop_table_header_line(lines: list[str]) -> Iterator[Mutation]:
    for i, line in enumerate(lines):
        if _TABLE_WORD.search(line):
            yield f"line {i + 1}", _join(lines[:i] + lines[i + 1 :])


def merge_lines(lines: list[str]) -> Iterator[Mutation]:
    """Two consecutive non-blank lines become one, as two merged columns do."""
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if a.strip() and b.strip() and "\f" not in b:
            yield f"lines {i + 1}+{i + 2}", _join([*lines[:i], f"{a} {b.strip()}", *lines[i + 2 :]])


def table_into_section(lines: list[str]) -> Iterator[Mutation]:
    """A table's lines moved into the body of the block before it, before a marker."""
    for first, end in _tables(lines):
        markers = [k for k in range(first) if _MARKER.match(lines[k].lstrip("\f"))]
        headers = [k for k in range(first) if _is_header(lines[k].lstrip("\f"))]
        if not markers or not headers:
            continue
        block_markers = [k for k in markers if k > headers[-1]]
        table = lines[first:end]
        rest = lines[:first] + lines[end:]
        for k in block_markers[1:]:
            yield (
                f"table at {first + 1} before line {k + 1}",
                _join([*rest[:k], *table, "", *rest[k:]]),
            )


def delete_header_number(lines: list[str]) -> Iterator[Mutation]:
    for i, line in enumerate(lines):
        if _is_header(line.lstrip("\f")):
            cut = re.sub(r"^(\f?\s*)[0-9０-９]+\s*", r"\1", line)
            yield f"line {i + 1}", _join([*lines[:i], cut, *lines[i + 1 :]])


def glue_headers(lines: list[str]) -> Iterator[Mutation]:
    """A header and the next header on one line (the second's own line removed)."""
    heads = [i for i, line in enumerate(lines) if _is_header(line.lstrip("\f"))]
    for a, b in itertools.pairwise(heads):
        if "\f" in lines[b]:
            continue
        glued = f"{lines[a]} {lines[b].strip()}"
        yield (
            f"lines {a + 1}+{b + 1}",
            _join([*lines[:a], glued, *lines[a + 1 : b], *lines[b + 1 :]]),
        )


def page_break_in_block(lines: list[str]) -> Iterator[Mutation]:
    """A form feed in the middle of a block: before each marker but the block's first."""
    heads = [i for i, line in enumerate(lines) if _is_header(line.lstrip("\f"))]
    for h, nxt in zip(heads, [*heads[1:], len(lines)], strict=True):
        markers = [k for k in range(h, nxt) if _MARKER.match(lines[k])]
        for k in markers[1:]:
            yield f"before line {k + 1}", _join([*lines[:k], "\f" + lines[k], *lines[k + 1 :]])


def duplicate_marker(lines: list[str]) -> Iterator[Mutation]:
    """A marker line repeated further down its section (after its first body line)."""
    for i, line in enumerate(lines):
        if _MARKER.match(line.lstrip("\f")):
            at = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), i)
            yield f"line {i + 1}", _join([*lines[: at + 1], line.lstrip("\f"), *lines[at + 1 :]])


KINDS: dict[str, Callable[[list[str]], Iterator[Mutation]]] = {
    "drop_table_header_line": drop_table_header_line,
    "merge_lines": merge_lines,
    "table_into_section": table_into_section,
    "delete_header_number": delete_header_number,
    "glue_headers": glue_headers,
    "page_break_in_block": page_break_in_block,
    "duplicate_marker": duplicate_marker,
}


def _squeeze(text: str | None) -> str | None:
    return None if text is None else "".join(unicodedata.normalize("NFKC", text).split())


def _quantity(q: Any) -> Any:
    return None if q is None else (_squeeze(q.raw), q.value, q.unit, q.bound, q.per)


def _indicator(ind: Any) -> Any:
    return (
        _squeeze(ind.name),
        _quantity(ind.actual),
        _quantity(ind.target),
        _quantity(ind.final_target),
        ind.actual_year,
        ind.target_year,
        ind.final_target_year,
        ind.grade,
    )


def facts(report: Report) -> Any:
    """What a report says, without positions and white space."""
    return (
        report.fiscal_year,
        [
            (
                ini.number,
                _squeeze(ini.title),
                ini.group,
                ini.category,
                [
                    (
                        s.marker,
                        s.kind,
                        s.fiscal_year,
                        _squeeze(s.text),
                        [_squeeze(item) for item in s.items],
                        [(e.date, e.end_date, _squeeze(e.text)) for e in s.events],
                    )
                    for s in ini.sections
                ],
                # in the order of their tables, which a moved table changes: compared as a set
                sorted((_indicator(ind) for ind in ini.indicators), key=repr),
            )
            for ini in report.initiatives
        ],
        [_indicator(ind) for ind in report.unassigned_indicators],
    )
