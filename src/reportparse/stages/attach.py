"""Attach indicator rows to initiatives: geometry first, then content as one assignment per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..assignment import assign_max
from ..diagnostics import Diagnostics
from ..document import BBox
from ..grammar import Grammar
from ..models import Indicator, Section
from .segment import Block
from .tables import TableRows


@dataclass(frozen=True, slots=True)
class Owner:
    """The initiative a row belongs to: block index and header number."""

    block: int
    number: int


def bigrams(text: str) -> set[str]:
    chars = "".join(ch for ch in text if not ch.isspace())
    return {chars[i : i + 2] for i in range(len(chars) - 1)} or ({chars} if chars else set())


class Matcher:
    """Similarity of indicator names to block text, as shared character bigrams."""

    def __init__(self, grammar: Grammar) -> None:
        self.ignore = grammar.patterns("attach.ignore")

    def key(self, name: str) -> set[str]:
        for pattern in self.ignore:
            name = pattern.sub(" ", name)
        return {g for g in bigrams(name) if " " not in g}

    def score(self, name: str, text_grams: set[str]) -> float:
        key = self.key(name)
        return len(key & text_grams) / len(key) if key else 0.0


def _block_text(block: Block, sections: list[Section]) -> str:
    titles = " ".join(h.title for h in block.headers)
    return titles + " " + " ".join(s.text for s in sections)


def _inside(inner: BBox | None, outer: BBox | None) -> bool:
    if inner is None or outer is None:
        return False
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def _assign(scores: list[list[float]], taken: list[int], penalty: float) -> list[int]:
    """Best block for each table; a block's second table costs `penalty`, so one
    assignment over the page stops two tables crowding onto one block."""
    tables, blocks = len(scores), len(scores[0])
    cols = [(b, k) for b in range(blocks) for k in range(taken[b], taken[b] + tables)]
    matrix = [[scores[t][b] - penalty * k for b, k in cols] for t in range(tables)]
    return [cols[c][0] for c in assign_max(matrix)]


def indicators_to_owners(
    blocks: list[Block],
    sections: list[list[Section]],
    tables: list[TableRows],
    grammar: Grammar,
    diag: Diagnostics,
) -> dict[int, Owner]:
    """Map id() of each attached Indicator to its Owner; unattached rows are left out."""
    matcher = Matcher(grammar)
    rules = grammar.spec.attach
    owners: dict[int, Owner] = {}
    by_page: dict[int, list[int]] = defaultdict(list)
    for block in blocks:
        by_page[block.page].append(block.index)
    pending: dict[int, list[TableRows]] = defaultdict(list)
    table_block: dict[int, int] = {}
    for table in tables:
        holder = [i for i in by_page[table.page] if _inside(table.region.bbox, blocks[i].bbox)]
        if len(holder) == 1:
            table_block[id(table)] = holder[0]
        else:
            pending[table.page].append(table)
    for page, waiting in pending.items():
        candidates = by_page.get(page, [])
        if not candidates:
            for table in waiting:
                _unassigned(table.indicators, "no initiative on this page", diag)
            continue
        # Block text is only needed where geometry did not decide (always, for text input).
        grams = [bigrams(_block_text(blocks[b], sections[b])) for b in candidates]
        scores = [
            [max((matcher.score(ind.name, g) for ind in t.indicators), default=0.0) for g in grams]
            for t in waiting
        ]
        taken = [sum(1 for v in table_block.values() if v == b) for b in candidates]
        for t, col in enumerate(_assign(scores, taken, rules.shared_block_penalty)):
            table, score = waiting[t], scores[t][col]
            if score <= 0.0:
                _unassigned(table.indicators, "its names share no words with any initiative", diag)
                continue
            table_block[id(table)] = candidates[col]
            geometric = table.region.bbox is not None
            if score < rules.weak_score or geometric:
                for ind in table.indicators:
                    why = "geometry did not decide; " if geometric else ""
                    number = blocks[candidates[col]].headers[0].number
                    diag.warn(
                        "indicator.weak_match",
                        f"{why}{ind.name!r} attached to {number} on weak evidence "
                        f"(score {score:.2f})",
                        ind.span.page,
                        ind.span.line,
                    )
    for table in tables:
        index = table_block.get(id(table))
        if index is None:
            continue
        block = blocks[index]
        for ind in table.indicators:
            owners[id(ind)] = Owner(index, _member(block, ind, matcher, diag))
    return owners


def _member(block: Block, indicator: Indicator, matcher: Matcher, diag: Diagnostics) -> int:
    """Within a group, the member whose title the row names best; a tie is a warning."""
    if len(block.headers) == 1:
        return block.headers[0].number
    scored = sorted(
        (
            (matcher.score(indicator.name, bigrams(h.title)), -i, h.number)
            for i, h in enumerate(block.headers)
        ),
        reverse=True,
    )
    if scored[0][0] == scored[1][0]:
        diag.warn(
            "indicator.group_member_guess",
            f"{indicator.name!r} names no member of group {block.numbers} better than another; "
            f"attached to {scored[0][2]}",
            indicator.span.page,
            indicator.span.line,
        )
    return scored[0][2]


def _unassigned(indicators: list[Indicator], why: str, diag: Diagnostics) -> None:
    for ind in indicators:
        diag.warn(
            "indicator.unassigned",
            f"{ind.name!r} not attached: {why}",
            ind.span.page,
            ind.span.line,
        )
