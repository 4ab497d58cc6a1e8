"""Turn table regions into indicator rows: header years, row splitting, quantities, grades."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .. import quantities
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


@dataclass(slots=True)
class RawRow:
    name: list[Line]
    actual: Line | None = None
    actual_text: str | None = None
    target_text: str | None = None
    grade: str | None = None
    final: str | None = None
    last: Line | None = None
    lines: list[Line] | None = None  # every line of the row, for its bbox


def header_years(text: str, grammar: Grammar) -> Years:
    def year(key: str) -> int | None:
        m = grammar.pattern(key).search(text)
        return int(m["year"]) if m else None

    return Years(year("table.actual_year"), year("table.target_year"), year("table.final_year"))


class _Rows:
    """Split a text table's lines into raw rows (the layout of the extracted text)."""

    def __init__(self, lines: list[Line], grammar: Grammar) -> None:
        self.lines = lines
        self.grammar = grammar

    def value(self, text: str) -> bool:
        return quantities.looks_like_quantity(text, self.grammar)

    def target(self, text: str) -> str | None:
        m = self.grammar.pattern("table.target").match(text)
        return m["inner"] if m else None

    def combined(self, text: str) -> tuple[str, str] | None:
        """`5人 （3人）` on one line: the actual and the target."""
        cut = max(text.rfind("("), text.rfind("（"))
        if cut <= 0:
            return None
        inner = self.target(text[cut:])
        head = text[:cut].strip()
        if inner is None or not self.value(head):
            return None
        return head, inner

    def grade_line(self, text: str) -> tuple[str, str | None] | None:
        """`Ａ 16件` or `Ａ` alone: the grade and the final target, if any."""
        first, _, tail = text.strip().partition(" ")
        rest = tail.strip() or None
        nfkc = unicodedata.normalize("NFKC", first)
        if nfkc not in self.grammar.grades and first not in self.grammar.dashes:
            return None
        if rest is not None and not self.value(rest):
            return None
        return first, rest

    def actual_at(self, i: int, have_name: bool) -> bool:
        text = self.lines[i].text.strip()
        if self.combined(text):
            return True
        if not self.value(text):
            return False
        nxt = self.lines[i + 1].text.strip() if i + 1 < len(self.lines) else None
        if nxt is not None and self.target(nxt) is not None:
            return True
        return have_name and (nxt is None or self.grade_line(nxt) is not None)

    def split(self, diag: Diagnostics) -> list[RawRow]:
        rows: list[RawRow] = []
        i, n = 0, len(self.lines)
        while i < n:
            row = RawRow(name=[])
            while i < n and not (row.name and self.actual_at(i, True)):
                row.name.append(self.lines[i])
                i += 1
            rows.append(row)
            if i >= n:
                break
            line = self.lines[i]
            row.actual = row.last = line
            start = i - len(row.name)
            both = self.combined(line.text.strip())
            if both:
                row.actual_text, row.target_text = both
                i += 1
            else:
                row.actual_text = line.text.strip()
                i += 1
                inner = self.target(self.lines[i].text.strip()) if i < n else None
                if inner is not None:
                    row.target_text, row.last = inner, self.lines[i]
                    i += 1
                else:
                    diag.warn(
                        "table.missing_target", "row has no (target) value", line.page, line.line
                    )
            if i < n and (grade := self.grade_line(self.lines[i].text)) is not None:
                row.grade, row.final = grade
                row.last = self.lines[i]
                i += 1
                final = self.lines[i].text.strip() if row.final is None and i < n else ""
                if final and self.value(final) and not self.actual_at(i, False):
                    row.final, row.last = final, self.lines[i]
                    i += 1
            row.lines = self.lines[start:i]
        return rows


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
        first = row.name[0] if row.name else row.actual
        last = row.last or (row.name[-1] if row.name else None)
        name_raw = "\n".join(ln.text.strip() for ln in row.name)
        if row.actual is None or row.final is None:
            self.diag.warn(
                "table.row_incomplete",
                f"indicator row {name_raw.replace(chr(10), '')!r} lacks its values or final target",
                first.page if first else page,
                first.line if first else None,
            )
        return Indicator(
            name="".join(ln.text.strip() for ln in row.name),
            actual=self.quantity("actual", row.actual_text, row.actual),
            target=self.quantity("target", row.target_text, row.actual),
            final_target=self.quantity("final target", row.final, row.last),
            actual_year=years.actual,
            target_year=years.target,
            final_target_year=years.final,
            grade=self.grade(row.grade),
            page=page,
            name_raw=name_raw,
            grade_raw=row.grade,
            span=Span(
                page=page,
                line=first.line if first else None,
                end_line=last.line if last else None,
                bbox=union([ln.bbox for ln in row.lines or row.name if ln.bbox]),
            ),
        )

    def text_table(self, region: TableRegion, page: int) -> list[Indicator]:
        lines = [ln for ln in region.lines if not ln.blank]
        head: list[str] = []
        complete = self.grammar.pattern("table.complete")
        limit = self.grammar.spec.table.max_header_lines
        while lines and len(head) < limit:
            head.append(lines.pop(0).text.strip())
            if complete.search(" ".join(head)):
                break
        years = header_years(" ".join(head), self.grammar)
        if not complete.search(" ".join(head)):
            start = region.lines[0]
            self.diag.warn(
                "table.bad_header", "indicator table header not recognised", start.page, start.line
            )
        return [
            self.indicator(row, years, page, region)
            for row in _Rows(lines, self.grammar).split(self.diag)
        ]

    def cell_table(self, region: TableRegion, page: int) -> list[Indicator]:
        rows = region.rows or []
        head = " ".join(ln.text.strip() for cell in rows[0] for ln in cell) if rows else ""
        years = header_years(head, self.grammar)
        out: list[Indicator] = []
        for cells in rows[1:]:
            lines = [ln for cell in cells for ln in cell if not ln.blank]
            for raw in _Rows(lines, self.grammar).split(self.diag):
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
