"""Attach indicator rows to blocks: geometry first, then content as one assignment per page."""

from __future__ import annotations

from ..assignment import assign_max
from ..blocks import Block
from ..diagnostics import Diagnostics
from ..document import BBox, center_inside
from ..grammar import Grammar
from ..models import Indicator
from .tables import TableRows


def bigrams(text: str) -> set[str]:
    chars = "".join(text.split())
    return set(map(str.__add__, chars, chars[1:])) or ({chars} if chars else set())


class Grams:
    """A text's bigrams as `bigrams` gives them, without building the set: a bigram is
    one of them when it stands in the text with its spaces taken out. A block's text is
    long and a name's bigrams few, so looking each up is cheaper than the set."""

    __slots__ = ("chars",)

    def __init__(self, text: str) -> None:
        self.chars = "".join(text.split())

    def shared(self, grams: set[str]) -> int:
        """How many of `grams` are bigrams of the text (`len(grams & bigrams(text))`)."""
        chars = self.chars
        if len(chars) < 2:  # `bigrams` gives the text itself, or nothing
            return int(bool(chars) and chars in grams)
        return sum(1 for g in grams if len(g) == 2 and g in chars)


class Matcher:
    """Similarity of indicator names to block text, as shared character bigrams."""

    def __init__(self, grammar: Grammar) -> None:
        self.ignore = grammar.patterns("attach.ignore")
        self.log = grammar.timeouts.entries
        self.keys: dict[str, set[str]] = {}  # by name: a name is scored against every block

    def key(self, name: str) -> set[str]:
        found = self.keys.get(name)
        if found is None:
            timeouts, text = len(self.log), name
            for pattern in self.ignore:
                text = pattern.sub(" ", text)
            found = {g for g in bigrams(text) if " " not in g}
            if len(self.log) == timeouts:  # a call that ran out of time is made again
                self.keys[name] = found
        return found

    def score(self, name: str, text_grams: set[str] | Grams) -> float:
        key = self.key(name)
        if not key:
            return 0.0
        if isinstance(text_grams, Grams):
            return text_grams.shared(key) / len(key)
        return len(key & text_grams) / len(key)


def _block_text(block: Block) -> str:
    titles = " ".join(h.title for h in block.headers)
    return titles + " " + " ".join(s.text for s in block.sections)


def _assign(scores: list[list[float]], taken: list[int], penalty: float) -> list[int]:
    """Best block for each table; a block's second table costs `penalty`, so one
    assignment over the page stops two tables crowding onto one block."""
    tables, blocks = len(scores), len(scores[0])
    cols = [(b, k) for b in range(blocks) for k in range(taken[b], taken[b] + tables)]
    matrix = [[scores[t][b] - penalty * k for b, k in cols] for t in range(tables)]
    return [cols[c][0] for c in assign_max(matrix)]


def _center(box: BBox) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def by_geometry(table: BBox, page: int, blocks: list[Block], carried: Block | None) -> Block | None:
    """The block a table belongs to by position, or None when position does not decide.

    In order: the one block whose box (frame, or column and vertical extent) holds the
    table; else the nearest block to its left level with it (tables set in a column of
    their own); else, above every block that shares its column, the block carried over
    from the page before."""
    holders = [b for b in blocks if any(center_inside(table, box) for box in b.boxes_on(page))]
    if holders:
        return holders[0] if len(holders) == 1 else None
    cx, cy = _center(table)
    beside = [
        (box[2], b)
        for b in blocks
        for box in b.boxes_on(page)
        if box[1] <= cy <= box[3] and box[2] < cx
    ]
    if beside:
        right = max(x1 for x1, _ in beside)
        nearest = {id(b): b for x1, b in beside if x1 == right}
        return next(iter(nearest.values())) if len(nearest) == 1 else None
    if carried is not None:
        column = [
            box
            for b in blocks
            if b is not carried
            for box in b.boxes_on(page)
            if box[0] < table[2] and table[0] < box[2]
        ]
        if all(cy < box[1] for box in column):
            return carried
    return None


def attach_rows(
    page: int,
    blocks: list[Block],
    carried: Block | None,
    continued: bool,
    tables: list[TableRows],
    grammar: Grammar,
    diag: Diagnostics,
) -> list[Indicator]:
    """Give each table's rows to a block of the page (or to `carried`, the block open from
    an earlier page); returns the rows that belong to none."""
    matcher = Matcher(grammar)
    rules = grammar.spec.attach
    everyone = ([carried] if carried is not None else []) + blocks
    owner: dict[int, Block] = {}  # table position -> block
    waiting: list[int] = []
    for t, table in enumerate(tables):
        found = (
            by_geometry(table.region.bbox, page, everyone, carried)
            if table.region.bbox is not None
            else None
        )
        if found is not None:
            owner[t] = found
        else:
            waiting.append(t)
    candidates = ([carried] if carried is not None and continued else []) + blocks
    unassigned: list[Indicator] = []
    if waiting and not candidates:
        for t in waiting:
            _unassigned(tables[t].indicators, "no initiative on this page", diag)
    elif waiting:
        # Block text is only needed where geometry did not decide (always, for text input).
        grams = [Grams(_block_text(b)) for b in candidates]
        scores = [
            [
                max((matcher.score(ind.name, g) for ind in tables[t].indicators), default=0.0)
                for g in grams
            ]
            for t in waiting
        ]
        taken = [sum(1 for b in owner.values() if b is c) for c in candidates]
        for k, col in enumerate(_assign(scores, taken, rules.shared_block_penalty)):
            t, score = waiting[k], scores[k][col]
            table = tables[t]
            if score <= 0.0:
                _unassigned(table.indicators, "its names share no words with any initiative", diag)
                continue
            owner[t] = candidates[col]
            geometric = table.region.bbox is not None
            if score < rules.weak_score or geometric:
                for ind in table.indicators:
                    why = "geometry did not decide; " if geometric else ""
                    number = candidates[col].headers[0].number
                    diag.warn(
                        "indicator.weak_match",
                        f"{why}{ind.name!r} attached to {number} on weak evidence "
                        f"(score {score:.2f})",
                        ind.span.page,
                        ind.span.line,
                    )
    for t, table in enumerate(tables):
        block = owner.get(t)
        if block is None:
            unassigned += table.indicators
            continue
        for ind in table.indicators:
            block.rows.setdefault(_member(block, ind, matcher, diag), []).append(ind)
    return unassigned


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
