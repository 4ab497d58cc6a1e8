"""Check each parsed page against invariants of a right parse; what fails is a warning."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import NamedTuple

from .. import lexicon
from ..diagnostics import Diagnostics
from ..document import Document, Line, TableRegion
from ..grammar import Grammar
from ..models import Indicator, Initiative, Quantity, Report, Section, Summary, Warning

# Warnings that already name a skipped line: its characters are explained, not lost.
_LINE_WARNINGS = frozenset({"text.outside_block", "section.text_before_marker"})
_BlockKey = tuple[int | None, tuple[int, ...], int | None]
_SPACE = re.compile(r"\s")
_WORD_GAP = re.compile(r"(?<!\s)\s+(?=\S)")  # a run of white space, tried at its start


@dataclass(slots=True)
class PageStats:
    """What one page held and how much of it the output accounts for."""

    page: int
    chars: int = 0  # non-space characters on the page
    accounted: int = 0  # ... found in output fields or page furniture
    explained: int = 0  # ... in lines that a warning already names as skipped
    tables: int = 0  # table regions read
    initiatives: int = 0
    indicators: int = 0  # attached to an initiative
    unassigned: int = 0


@dataclass(slots=True)
class Totals:
    """The document's PageStats summed."""

    pages: list[PageStats] = field(default_factory=list)
    initiatives: int = 0  # built (a block over two pages counts once)
    indicators: int = 0  # ... and the rows attached to them

    def add(self, finished: list[Initiative]) -> None:
        self.initiatives += len(finished)
        self.indicators += sum(len(ini.indicators) for ini in finished)

    def total(self, name: str) -> int:
        return sum(int(getattr(p, name)) for p in self.pages)

    @property
    def coverage(self) -> float | None:
        chars = self.total("chars")
        return round(self.total("accounted") / chars, 3) if chars else None

    def summary(self, warnings: list[Warning], unlisted: Counter[str] | None = None) -> Summary:
        """The summary; `unlisted`: warnings counted but not listed (Diagnostics caps them)."""
        counts = Counter(w.code for w in warnings) + (unlisted or Counter())
        return Summary(
            initiatives=self.initiatives,
            indicators=self.indicators,
            unassigned=self.total("unassigned"),
            tables=self.total("tables"),
            coverage=self.coverage,
            warnings=dict(sorted(counts.items())),
        )


def _chars(texts: Iterable[str | None]) -> Counter[str]:
    """The non-space characters of the texts, counted."""
    return Counter("".join("".join(text for text in texts if text).split()))


def _count(text: str) -> int:
    """The number of non-space characters of a text."""
    return sum(map(len, text.split()))


class _LineFacts(NamedTuple):
    """What coverage needs to know of one line's text."""

    table_header: bool  # a table header's words are in it
    heading: str | None  # the category it heads
    furniture: bool  # a page number is in it
    chars: int  # its non-space characters


@lexicon.memoised
def _line_facts(grammar: Grammar, text: str) -> _LineFacts:
    """The coverage facts of a line's text (the same for every line with that text)."""
    return _LineFacts(
        any(pat.search(text) for pat in grammar.any_of("checks.table_header")),
        lexicon.category(grammar, text),
        _furniture_in(grammar, text),
        _count(text),
    )


def _furniture_in(grammar: Grammar, text: str) -> bool:
    """A page number found in the text."""
    combined = grammar.page_number
    if combined is not None:
        return combined.search(text) is not None
    return any(pat.search(text) for pat in grammar.patterns("furniture.page_number"))


def _quantities(ind: Indicator) -> Iterator[tuple[str, Quantity | None, int | None]]:
    yield "actual", ind.actual, ind.actual_year
    yield "target", ind.target, ind.target_year
    yield "final target", ind.final_target, ind.final_target_year


def _table_lines(region: TableRegion, grammar: Grammar) -> tuple[list[list[Line]], list[Line]]:
    """The header lines of each table of a region (as the tables stage reads them: a
    ruled grid may hold two tables drawn one under the other) and its other lines."""
    if region.rows:
        heads = [[ln for cell in region.rows[0] for ln in cell]]
        rest: list[Line] = []
        for row in region.rows[1:]:
            lines = [ln for cell in row for ln in cell]
            if lexicon.is_header_row(grammar, row):
                heads.append(lines)
            else:
                rest += lines
        return heads, rest
    lines = [ln for ln in region.lines if not ln.blank]
    for n in range(1, min(len(lines), grammar.spec.table.max_header_lines) + 1):
        if lexicon.is_complete_header(grammar, " ".join(ln.text.strip() for ln in lines[:n])):
            return [lines[:n]], lines[n:]
    return [lines[:1]], lines[1:]


class PageChecker:
    """The invariants of one page's output, checked against the page it came from."""

    def __init__(self, grammar: Grammar, diag: Diagnostics) -> None:
        self.grammar = grammar
        self.rules = grammar.spec.checks
        self.diag = diag
        self.words = grammar.patterns("checks.table_words")
        self.table_header = grammar.patterns("checks.table_header")
        self.name_not = grammar.patterns("checks.name_not")
        self.line_starts = grammar.any_of("checks.line_starts")  # one call where they combine
        self._bad_headers: set[int | None] = set()
        self._read = 0  # warnings read by bad_header_pages

    def table_words(self, text: str) -> list[str]:
        return [m.group(0) for p in self.words if (m := p.search(text))]

    def merged(self, text: str) -> str | None:
        """What starts a line but follows white space inside `text` (two lines merged)."""
        for line in text.split("\n"):
            for space in _SPACE.finditer(line):
                i = space.end()
                found = next((m for p in self.line_starts if (m := p.match(line, i))), None)
                if found:
                    return found.group(0)
        return None

    def title(self, ini: Initiative) -> None:
        """A title holding another header, a 【】 marker or table words, or too long."""
        title, why = ini.title, ""
        # what follows each run of white space (one try per run, not per space)
        rest = (title[m.end() :] for m in _WORD_GAP.finditer(title))
        if any(lexicon.header(self.grammar, r.strip()) for r in rest):
            why = "holds another initiative header"
        elif any(
            lexicon.marker(self.grammar, title[i:]) for i, ch in enumerate(title) if ch == "【"
        ):
            why = "holds a 【】 section marker"
        elif words := self.table_words(title):
            why = f"holds table words ({', '.join(words)})"
        elif len(title.strip()) > (limit := self.rules.max_title_length):
            why = f"is {len(title.strip())} characters long (titles are at most {limit})"
        if why:
            self.diag.warn(
                "initiative.suspect_title",
                f"the title of {ini.number} {why}: {title[:60]!r}",
                ini.page,
                ini.span.line,
            )

    def names(self, indicators: list[Indicator]) -> None:
        """An indicator name holding sentence text or a line's start, or too long."""
        limit = self.rules.max_name_length
        for ind in indicators:
            found = next((m for p in self.name_not if (m := p.search(ind.name))), None)
            if found is not None:
                why = f"holds {found.group(0)!r}"
            elif len(ind.name) > limit:
                why = f"is {len(ind.name)} characters long (names are at most {limit})"
            else:
                continue
            self.diag.warn(
                "indicator.suspect_name",
                f"the indicator name {ind.name[:50]!r} {why}: block text may have run "
                "into its table",
                ind.span.page,
                ind.span.line,
            )

    def sections(self, ini: Initiative, sections: list[Section]) -> None:
        """Each marker once, the family's usual kinds present, no table read as text."""
        seen: Counter[str] = Counter(s.marker for s in sections)
        for s in sections:
            if seen[s.marker] > 1:
                seen[s.marker] = 0  # one warning per marker
                self.diag.warn(
                    "section.duplicate_marker",
                    f"【{s.marker}】 appears more than once in {ini.group}; "
                    "a block boundary may have been missed",
                    s.span.page,
                    s.span.line,
                )
            if start := self.merged(s.text):
                self.diag.warn(
                    "text.merged_lines",
                    f"section 【{s.marker}】 of {ini.group} has {start!r} inside a line, "
                    "where it only starts one: two lines were merged (two columns?)",
                    s.span.page,
                    s.span.line,
                )
            words = self.table_words(s.text)
            if len(words) >= self.rules.table_words_in_text:
                self.diag.warn(
                    "table.unread",
                    f"section 【{s.marker}】 of {ini.group} holds table words "
                    f"({', '.join(words)}): a table was read as text",
                    s.span.page,
                    s.span.line,
                )
        if sections and (title := self.lost_header(sections[-1])):
            self.diag.warn(
                "initiative.suspect_header",
                f"{ini.group} ends in {title!r}, a short line on its own that reads like a "
                "title: a header whose number was lost?",
                sections[-1].span.page,
                sections[-1].span.end_line,
            )
        kinds = {s.kind for s in sections}
        missing = [k for k in self.rules.usual_kinds if k not in kinds]
        if missing:
            self.diag.warn(
                "initiative.missing_sections",
                f"{ini.group} has no {'/'.join(missing)} section",
                ini.page,
                ini.span.line,
            )

    def lost_header(self, last: Section) -> str | None:
        """The block's last line when it stands alone (no bullet, not in an item), is
        short, and does not end like a sentence: what a header without its number is."""
        line = last.text.rsplit("\n", 1)[-1].strip()
        if "\n" not in last.text or not line or any(line in item for item in last.items):
            return None
        if line.startswith(tuple(self.grammar.spec.text.bullets)) or any(
            p.match(line) for p in self.grammar.any_of("text.standalone")
        ):
            return None
        if len(line) > self.rules.max_title_length or line.endswith(self.rules.sentence_ends):
            return None
        return line

    def bad_header_pages(self) -> set[int | None]:
        """The pages with a table.bad_header warning so far (read once per warning)."""
        for w in self.diag.warnings[self._read :]:
            if w.code == "table.bad_header":
                self._bad_headers.add(w.page)
        self._read = len(self.diag.warnings)
        return self._bad_headers

    def years(self, indicators: list[Indicator]) -> None:
        """A row without one of its years: the table header lacks it (unless warned)."""
        bad = self.bad_header_pages()
        done: set[str] = set()
        for ind in indicators:
            if ind.span.page in bad:
                continue
            for name, _, year in _quantities(ind):
                if year is None and name not in done:
                    done.add(name)
                    self.diag.warn(
                        "table.missing_year",
                        f"the {name} year of {ind.name!r} is unknown: the table header lacks it",
                        ind.span.page,
                        ind.span.line,
                    )

    def finished(self, finished: list[Initiative], unassigned: list[Indicator]) -> None:
        """The checks of finished initiatives (each is checked once, when it is built)."""
        seen: set[_BlockKey] = set()
        for ini in finished:
            self.title(ini)
            key = (ini.page, tuple(ini.group), ini.span.end_line)  # group members share it
            if key not in seen:
                seen.add(key)
                self.sections(ini, ini.sections)
        rows = [*(i for ini in finished for i in ini.indicators), *unassigned]
        self.years(rows)
        self.names(rows)

    def check(
        self,
        page: Document,
        initiatives: list[Initiative],
        unassigned: list[Indicator],
        page_warnings: list[Warning],
    ) -> PageStats:
        """Coverage of one page by the initiatives that have text on it."""
        number = next((p.number for p in page.pages), 0)
        stats = PageStats(number, initiatives=len(initiatives), unassigned=len(unassigned))
        by_block: dict[_BlockKey, list[Section]] = {}
        for ini in initiatives:
            key = (ini.page, tuple(ini.group), ini.span.end_line)  # group members share it
            by_block.setdefault(key, ini.sections)
        attached = [ind for ini in initiatives for ind in ini.indicators]
        stats.indicators = len(attached)
        self.coverage(page, initiatives, by_block, [*attached, *unassigned], page_warnings, stats)
        return stats

    def coverage(
        self,
        page: Document,
        initiatives: list[Initiative],
        by_block: dict[_BlockKey, list[Section]],
        indicators: list[Indicator],
        page_warnings: list[Warning],
        stats: PageStats,
    ) -> None:
        """Share of the page's characters that the output holds; tables seen vs read."""
        held: list[str | None] = [ini.header_raw for ini in initiatives]
        for sections in by_block.values():
            for s in sections:
                held += (s.marker, "【】", s.text)
        for ind in indicators:
            held += [ind.name_raw, ind.grade_raw, "()（）"]
            held += [q.raw for _, q, _ in _quantities(ind) if q is not None]
        output = _chars(held)  # counted at once: a Counter's update is a Python loop
        categories = {ini.category for ini in initiatives}
        skipped = {(w.page, w.line) for w in page_warnings if w.code in _LINE_WARNINGS}
        texts: list[str] = []  # the content lines
        free = explained = 0
        headers_seen = 0
        for p in page.pages:
            heads: list[list[Line]] = []  # of each table, in order
            for region in p.regions:
                if isinstance(region, TableRegion):
                    tables, rest = _table_lines(region, self.grammar)
                    stats.tables += len(tables)
                    heads += tables
                    free += sum(_count(ln.text) for head in tables for ln in head)
                    lines = rest
                else:
                    lines = region.lines
                for line in lines:
                    text = line.text
                    facts = _line_facts(self.grammar, text)
                    headers_seen += facts.table_header
                    if facts.furniture or (
                        facts.heading is not None and facts.heading in categories
                    ):
                        free += facts.chars
                    elif skipped and (line.page, line.line) in skipped:
                        explained += facts.chars
                    else:
                        texts.append(text)
            for head in heads:
                joined = " ".join(ln.text for ln in head)
                headers_seen += any(pat.search(joined) for pat in self.table_header)
        content = _chars(texts)
        stats.chars = content.total() + free + explained
        # (content & output).total(), without building the intersection
        held_too = map(output.get, content.keys(), repeat(0))
        stats.accounted = free + sum(map(min, content.values(), held_too))
        stats.explained = explained
        if headers_seen > stats.tables:
            self.diag.warn(
                "table.unread",
                f"{headers_seen} table headers on the page but {stats.tables} table(s) read",
                stats.page,
            )
        share = (stats.accounted + explained) / stats.chars if stats.chars else 1.0
        if share < self.rules.min_coverage:
            self.diag.warn(
                "page.low_coverage",
                f"only {share:.0%} of the page's characters are in the output "
                f"(expected at least {self.rules.min_coverage:.0%}); text was lost",
                stats.page,
            )


class Checks:
    """The pipeline's hook: check each page as it is built, then the document."""

    def __init__(self, grammar: Grammar, diag: Diagnostics) -> None:
        self.checker = PageChecker(grammar, diag)
        self.diag = diag
        self.totals = Totals()
        self._seen = 0  # warnings before the current page

    def page(
        self,
        page: Document,
        on_page: list[Initiative],
        finished: list[Initiative],
        unassigned: list[Indicator],
    ) -> None:
        """Check one page (call after its build stage): the coverage of its text by the
        initiatives that have text on it, and the rules on the initiatives it finished."""
        page_warnings = self.diag.warnings[self._seen :]
        self.checker.finished(finished, unassigned)
        self.totals.add(finished)
        self.totals.pages.append(self.checker.check(page, on_page, unassigned, page_warnings))
        self._seen = len(self.diag.warnings)

    def rules(self, finished: list[Initiative]) -> None:
        """The rules on initiatives finished after the last page."""
        self.checker.finished(finished, [])
        self.totals.add(finished)

    def finish(self) -> Totals:
        """The document-level checks; call once after the last page."""
        tables, attached = self.totals.total("tables"), self.totals.indicators
        if tables and not attached and self.totals.initiatives:
            self.diag.warn(
                "report.tables_unattached",
                f"{tables} table(s) read but no indicator is attached to any initiative",
            )
        return self.totals


def with_summary(report: Report, checks: Checks) -> Report:
    """The report with its summary set from the checks' totals and its warnings."""
    report.summary = checks.totals.summary(report.warnings, checks.diag.unlisted)
    return report
