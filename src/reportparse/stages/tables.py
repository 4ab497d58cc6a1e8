"""Turn table regions into indicator rows: header years, row splitting, quantities, grades."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal, cast

from .. import lexicon, quantities
from ..codes import WarningCode
from ..diagnostics import Diagnostics
from ..document import Document, Line, TableRegion, union
from ..grammar import Grammar
from ..models import Indicator, Quantity, Span


@dataclass(slots=True)
class TableRows:
    """The indicators of one table region, kept together for attachment."""

    region: TableRegion
    page: int
    indicators: list[Indicator]


@dataclass(slots=True)
class Years:
    actual: int | None = None
    target: int | None = None
    final: int | None = None


TokenKind = Literal["text", "value", "target", "grade", "dash", "header"]
MAX_MERGE = 4  # words one value or (target) may be split into (`1,000 人`, `（ 3人 ）`)
Shape = tuple[tuple[TokenKind, str], ...]  # the kind and text of each token of a line


@dataclass(slots=True)
class Token:
    """One cell's worth of a text table: a name fragment, a value, a (target), a grade."""

    kind: TokenKind
    text: str  # as printed; a target without its parentheses
    line: Line
    row: int  # index of its line in the table, for vertical distances


@dataclass(slots=True)
class RawRow:
    name: list[Token] = field(default_factory=list)
    actual: Token | None = None
    target: Token | None = None
    grade: Token | None = None
    final: Token | None = None

    def tokens(self) -> list[Token]:
        parts = [self.actual, self.target, self.grade, self.final]
        return sorted(
            self.name + [t for t in parts if t is not None], key=lambda t: (t.row, t.line.line)
        )


def header_years(text: str, grammar: Grammar) -> Years:
    return Years(*_header_years(grammar, text))


@lexicon.memoised
def _header_years(grammar: Grammar, text: str) -> tuple[int | None, int | None, int | None]:
    """The years a table header names (every table of a report has much the same one)."""

    def year(key: str) -> int | None:
        m = grammar.pattern(key).search(text)
        return int(m["year"]) if m else None

    return year("table.actual_year"), year("table.target_year"), year("table.final_year")


def header_text(words: list[str], grammar: Grammar) -> str:
    """Header words joined in the grammar's order (`table.header_words`), so the patterns
    read them however an extractor ordered them: `2024年度` printed above `指標`, or
    `(2020年度目標値)` between `2024年度` and `目標値`. Words of one kind keep their order."""
    return " ".join(sorted(words, key=lambda word: lexicon.header_rank(grammar, word)))


class Tokens:
    """Read the words of a text table's lines as a stream of typed tokens."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar

    def target(self, text: str) -> str | None:
        m = self.grammar.pattern("table.target").match(text)
        return m["inner"] if m else None

    def value(self, text: str, merged: bool) -> bool:
        """A quantity; one split over words must have a unit of the grammar (`5 人`)."""
        try:
            fields = quantities.quantity_fields(text, self.grammar)
        except quantities.QuantityError:
            return False
        return not merged or quantities.known_unit(fields, self.grammar)

    def kind(self, word: str) -> TokenKind:
        if lexicon.is_header_word(self.grammar, word):
            return "header"
        if lexicon.is_grade(self.grammar, word):
            return "grade"
        if quantities.is_dash(word, self.grammar):
            return "dash"
        if self.value(word, False):
            return "value"
        return "text"

    def line(self, line: Line, row: int, start: int = 0) -> list[Token]:
        """The tokens of one line, from character `start` on."""
        return [Token(kind, text, line, row) for kind, text in self.shape(line.text, start)]

    def shape(self, text: str, start: int = 0) -> Shape:
        """The kind and text of each token of a line's text from character `start` on;
        remembered per grammar, text and start (table lines repeat: headers, grades,
        values; see lexicon.memoised)."""
        return _shape(self.grammar, (text, start))

    def read_shape(self, text: str, start: int = 0) -> Shape:
        """`shape`, read anew."""
        found = [(o, w) for o, w in lexicon.words(text) if o >= start]
        out: list[list[str]] = []  # [kind, text] of each token
        i = 0
        while i < len(found):
            taken = None
            if not lexicon.is_header_word(self.grammar, found[i][1]):
                taken = self._merged(text, found, i)
            if taken is not None:
                token, i = taken
                out.append(list(token))
                continue
            offset, word = found[i]
            i += 1
            cut = max(word.rfind("("), word.rfind("（"))
            if cut > 0:  # `5人（3人）`: the actual and the target
                head, inner = word[:cut], self.target(word[cut:])
                head_kind = self.kind(head)
                if inner is not None and head_kind in ("value", "dash"):
                    out.append([head_kind, head])
                    out.append(["target", inner])
                    continue
            kind = self.kind(word)
            if kind == "text" and out and out[-1][0] == "text":
                begin = text.find(out[-1][1], 0, offset)
                out[-1][1] = text[begin : offset + len(word)]
                continue
            out.append([kind, word])
        return tuple((cast(TokenKind, kind), token) for kind, token in out)

    def _merged(
        self, text: str, found: list[tuple[int, str]], i: int
    ) -> tuple[tuple[TokenKind, str], int] | None:
        """A (target) or value starting at word i, the longest first, and the next index."""
        for j in range(min(len(found), i + MAX_MERGE) - 1, i - 1, -1):
            begin, (end, last) = found[i][0], found[j]
            sub = text[begin : end + len(last)]
            inner = self.target(sub)
            if inner is not None:
                return ("target", inner), j + 1
            if j > i and self.value(sub, True):
                return ("value", sub), j + 1
        return None


@lexicon.memoised
def _shape(grammar: Grammar, key: tuple[str, int]) -> Shape:
    """`Tokens.shape` of (text, start), read anew."""
    return Tokens(grammar).read_shape(*key)


def _anchors(tokens: list[Token]) -> list[int]:
    """Indexes of each row's grade: a grade symbol, or a dash followed by the final."""
    out: list[int] = []
    i = 0
    while i < len(tokens):
        kind = tokens[i].kind
        nxt = tokens[i + 1].kind if i + 1 < len(tokens) else None
        after = tokens[i + 2].kind if i + 2 < len(tokens) else None
        if kind == "grade" or (
            kind == "dash" and nxt in ("value", "dash") and not (nxt == "dash" and after == "value")
        ):
            out.append(i)
            i += 2 if nxt in ("value", "dash") else 1
            continue
        i += 1
    return out


class _Rows:
    """Assemble a table's token stream into rows, whichever way its cells were printed.

    Each row has one grade, followed by its final target: these anchor the rows. The
    actual value comes before its row's grade. The (target) comes before the grade when
    cells are printed one after another (stream order), or after it when a row's cells
    are printed side by side around the grade's line (`pdftotext -layout`); then the name
    is printed around that line too, and a name fragment between two rows goes to the
    nearer grade line (a tie is a warning)."""

    def __init__(self, tokens: list[Token], diag: Diagnostics) -> None:
        self.tokens = tokens
        self.diag = diag

    def warn(self, code: WarningCode, message: str, token: Token) -> None:
        self.diag.warn(code, message, token.line.page, token.line.line)

    def one(self, found: list[Token], what: str) -> Token | None:
        """The single token of a slot; several are a warning, and none is taken."""
        if len(found) > 1:
            shown = ", ".join(repr(t.text) for t in found)
            self.warn("table.ambiguous_row", f"{len(found)} {what} values ({shown})", found[0])
            return None
        return found[0] if found else None

    def split(self) -> list[RawRow]:
        tokens = [t for t in self.tokens if t.kind != "header"]
        anchors = _anchors(tokens)
        ends = [a + (2 if self._has_final(tokens, a) else 1) for a in anchors]
        starts = [0, *ends]
        segments = [tokens[b:a] for b, a in zip(starts, anchors, strict=False)]
        segments.append(tokens[starts[-1] :])
        rows = [RawRow() for _ in anchors]
        for row, a in zip(rows, anchors, strict=True):
            row.grade = tokens[a]
            row.final = tokens[a + 1] if self._has_final(tokens, a) else None
        first = segments[0]
        later_targets = any(t.kind == "target" for seg in segments[1:] for t in seg)
        side_by_side = (
            bool(anchors) and later_targets and not any(t.kind == "target" for t in first)
        )
        if side_by_side:
            tail = self._side_by_side(rows, segments)
        else:
            for row, seg in zip(rows, segments, strict=False):
                self._fill(row, seg, seg)
            tail = segments[-1]
        if tail:
            rows.append(RawRow())
            self._fill(rows[-1], tail, tail)
        for row in rows:
            if row.actual is not None and row.target is None:
                self.warn("table.missing_target", "row has no (target) value", row.actual)
        return rows

    @staticmethod
    def _has_final(tokens: list[Token], a: int) -> bool:
        return a + 1 < len(tokens) and tokens[a + 1].kind in ("value", "dash")

    def _fill(self, row: RawRow, values: list[Token], targets: list[Token]) -> None:
        row.name += [t for t in values if t.kind == "text"]
        row.actual = self.one([t for t in values if t.kind in ("value", "dash")], "actual")
        row.target = self.one([t for t in targets if t.kind == "target"], "(target)")

    def _side_by_side(self, rows: list[RawRow], segments: list[list[Token]]) -> list[Token]:
        """Fill rows printed around their grade lines; returns trailing unplaced tokens."""
        tail: list[Token] = []
        for i, seg in enumerate(segments):
            prev = rows[i - 1] if i else None
            row = rows[i] if i < len(rows) else None
            cut = next((k for k, t in enumerate(seg) if t.kind == "target"), None)
            if prev is not None:
                prev.target = self.one([t for t in seg if t.kind == "target"], "(target)")
            values = [t for t in seg if t.kind in ("value", "dash")]
            if row is not None:
                row.actual = self.one(values, "actual")
            else:
                tail += values
            begin = seg.index(values[0]) if values and row is not None else len(seg)
            for k, token in enumerate(seg):
                if token.kind != "text":
                    continue
                if prev is not None and cut is not None and k < cut:
                    prev.name.append(token)
                elif row is not None and k > begin:
                    row.name.append(token)
                else:
                    owner = self._nearer(token, prev, row)
                    (owner.name if owner is not None else tail).append(token)
        return tail

    def _nearer(self, token: Token, prev: RawRow | None, row: RawRow | None) -> RawRow | None:
        """The row whose grade line is nearer; a tie is a warning and goes to the next row."""
        if prev is None or prev.grade is None:
            return row
        up = token.row - prev.grade.row
        if row is None or row.grade is None:
            above = [t.row for t in prev.name if t.row < prev.grade.row]
            reach = prev.grade.row - min(above) if above else 0
            return prev if up <= reach + 1 else None
        down = row.grade.row - token.row
        if up == down:
            self.warn(
                "table.ambiguous_row",
                f"{token.text!r} may end one indicator's name or start the next",
                token,
            )
        return prev if up < down else row


class TableParser:
    """Parse the table regions of a document into indicators."""

    def __init__(self, grammar: Grammar, diag: Diagnostics) -> None:
        self.grammar = grammar
        self.diag = diag

    def quantity(self, field: str, raw: str | None, line: Line | None) -> Quantity | None:
        if raw is None or not raw.strip():
            return None
        page, number = (line.page, line.line) if line else (None, None)
        try:
            q = quantities.parse_quantity(raw, self.grammar)
        except quantities.QuantityError:
            self.diag.warn("quantity.unparsed", f"cannot read the {field} {raw!r}", page, number)
            return Quantity(raw=raw.strip(), value=None)
        if not quantities.unit_known(q, self.grammar):
            self.diag.warn(
                "quantity.unknown_unit",
                f"unit {q.unit!r} of the {field} {raw!r} is not in the grammar",
                page,
                number,
            )
        return q

    def grade(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip() or raw.strip() in self.grammar.dashes:
            return None
        return unicodedata.normalize("NFKC", raw.strip())

    def indicator(self, row: RawRow, years: Years, page: int, region: TableRegion) -> Indicator:
        tokens = row.tokens()
        first = tokens[0].line if tokens else None
        last = tokens[-1].line if tokens else None
        name_raw = "\n".join(t.text.strip() for t in row.name)
        if row.actual is None or row.final is None or not row.name:
            self.diag.warn(
                "table.row_incomplete",
                f"indicator row {name_raw.replace(chr(10), '')!r} lacks its name, values or "
                "final target",
                first.page if first else page,
                first.line if first else None,
            )
        actual_line = row.actual.line if row.actual else None
        lines: list[Line] = []
        for t in tokens:
            if all(t.line is not ln for ln in lines):
                lines.append(t.line)
        return Indicator(
            name="".join(t.text.strip() for t in row.name),
            actual=self.quantity("actual", row.actual.text if row.actual else None, actual_line),
            target=self.quantity("target", row.target.text if row.target else None, actual_line),
            final_target=self.quantity("final target", row.final.text if row.final else None, last),
            actual_year=years.actual,
            target_year=years.target,
            final_target_year=years.final,
            grade=self.grade(row.grade.text if row.grade else None),
            page=page,
            name_raw=name_raw,
            grade_raw=row.grade.text if row.grade else None,
            span=Span(
                page=page,
                line=first.line if first else None,
                end_line=last.line if last else None,
                bbox=union([ln.bbox for ln in lines if ln.bbox]),
            ),
        )

    def _header_wraps_joined(self, lines: list[Line]) -> list[Line]:
        """`lines` with a header word that a narrow cell wrapped onto the next line made
        whole again (`(2020年度目標` / `値)` -> `(2020年度目標値)`), in the header lines
        only: the joined word stays on the first line, the rest of the second on its own."""
        grammar, out = self.grammar, list(lines)
        for i in range(min(len(out), grammar.spec.table.max_header_lines) - 1):
            words = out[i].text.split()
            after = out[i + 1].text.split()
            if not words or not after or lexicon.is_header_word(grammar, words[-1]):
                continue
            if not all(lexicon.is_header_word(grammar, w) for w in words[:-1]):
                break  # past the header
            whole = words[-1] + after[0]
            if lexicon.glued(words[-1][-1], after[0][0]) and lexicon.is_header_word(grammar, whole):
                first, second = out[i], out[i + 1]
                out[i] = Line(raw=first.raw, page=first.page, line=first.line, bbox=first.bbox)
                out[i].text = " ".join([*words[:-1], whole])
                out[i + 1] = Line(raw=second.raw, page=second.page, line=second.line)
                out[i + 1].text = " ".join(after[1:])
        return out

    def rows(self, lines: list[Line], skip_header: bool) -> tuple[list[str], list[RawRow]]:
        """Header words and rows of lines; with `skip_header`, the leading header words
        (at most `max_header_lines` lines of them) are the header."""
        reader = Tokens(self.grammar)
        head: list[str] = []
        tokens: list[Token] = []
        limit = self.grammar.spec.table.max_header_lines
        if skip_header:
            lines = [ln for ln in self._header_wraps_joined(lines) if not ln.blank]
        in_head = skip_header
        for row, line in enumerate(lines):
            start = 0
            if in_head:
                for offset, word in lexicon.words(line.text):
                    if row >= limit or not lexicon.is_header_word(self.grammar, word):
                        in_head = False
                        start = offset
                        break
                    head.append(word)
                else:
                    continue
            found = reader.line(line, row, start)
            head += [t.text for t in found if t.kind == "header"]
            tokens += found
        return head, _Rows(tokens, self.diag).split()

    def text_table(self, region: TableRegion, page: int) -> list[Indicator]:
        lines = [ln for ln in region.lines if not ln.blank]
        head, rows = self.rows(lines, True)
        text = header_text(head, self.grammar)
        years = header_years(text, self.grammar)
        if not lexicon.is_complete_header(self.grammar, text):
            start = region.lines[0]
            self.diag.warn(
                "table.bad_header", "indicator table header not recognised", start.page, start.line
            )
        return [self.indicator(row, years, page, region) for row in rows]

    def cell_table(self, region: TableRegion, page: int) -> list[Indicator]:
        rows = region.rows or []
        head = lexicon.row_text(rows[0]) if rows else ""
        years = header_years(head, self.grammar)
        out: list[Indicator] = []
        for cells in rows[1:]:
            lines = [ln for cell in cells for ln in cell if not ln.blank]
            text = lexicon.row_text(cells)
            if lexicon.is_complete_header(self.grammar, text):  # a table right under the last
                years = header_years(text, self.grammar)
                continue
            for raw in self.rows(lines, False)[1]:
                out.append(self.indicator(raw, years, page, region))
        return out


def tables_to_indicators(
    document: Document, grammar: Grammar, diag: Diagnostics
) -> list[TableRows]:
    """Every table region of the document with its parsed indicator rows, in order."""
    parser = TableParser(grammar, diag)
    out: list[TableRows] = []
    for page in document.pages:
        for region in page.tables:
            rows = (
                parser.cell_table(region, page.number)
                if region.rows
                else parser.text_table(region, page.number)
            )
            out.append(TableRows(region, page.number, rows))
    return out
