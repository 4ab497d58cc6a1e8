"""Assemble finished blocks into the validated Initiative models, and the Report."""

from __future__ import annotations

from collections import Counter

from ..blocks import Block
from ..diagnostics import Diagnostics
from ..models import Indicator, Initiative, Report, Source, Span


def blocks_to_initiatives(blocks: list[Block]) -> list[Initiative]:
    """One Initiative per header of each block, in order, with the block's sections and
    the rows attached to that header. The members of a group share one body: each has its
    own list of the same Section models (not copies: built once, serialised as they are)."""
    initiatives: list[Initiative] = []
    for block in blocks:
        last = next((ln for ln in reversed(block.body) if not ln.blank), block.headers[-1].line)
        shared = len(block.headers) > 1
        for head in block.headers:
            initiatives.append(
                Initiative(
                    number=head.number,
                    title=head.title.strip(),
                    group=block.numbers,
                    category=block.category,
                    page=block.page,
                    sections=list(block.sections) if shared else block.sections,
                    indicators=block.rows.get(head.number, []),
                    header_raw=head.line.raw,
                    span=Span(
                        page=block.page,
                        line=head.line.line,
                        end_line=last.line,
                        bbox=block.bbox,
                    ),
                )
            )
    return initiatives


class ReportBuilder:
    """Whole-document checks, fed one page at a time; keeps the initiatives when asked
    (the API) or leaves them to the caller (streaming output)."""

    def __init__(self, diag: Diagnostics, keep: bool = True) -> None:
        self.diag = diag
        self.keep = keep
        self.initiatives: list[Initiative] = []
        self.unassigned: list[Indicator] = []
        self.count = 0
        self._years: Counter[int] = Counter()
        self._first_page: dict[int, int | None] = {}

    def add(self, initiatives: list[Initiative], unassigned: list[Indicator]) -> None:
        for ini in initiatives:
            if ini.number in self._first_page:
                self.diag.warn(
                    "initiative.duplicate_number",
                    f"initiative {ini.number} appears again "
                    f"(first on page {self._first_page[ini.number]})",
                    ini.page,
                    ini.span.line,
                )
            self._first_page.setdefault(ini.number, ini.page)
            self._years.update(s.fiscal_year for s in ini.sections if s.fiscal_year is not None)
        self.count += len(initiatives)
        if self.keep:
            self.initiatives += initiatives
        self.unassigned += unassigned

    def _fiscal_year(self) -> int | None:
        if not self._years:
            return None
        if len(self._years) > 1:
            listed = ", ".join(str(y) for y in sorted(self._years))
            self.diag.warn(
                "report.mixed_fiscal_years", f"results markers name several fiscal years: {listed}"
            )
        return self._years.most_common(1)[0][0]

    def report(self, source: Source) -> Report:
        """The Report (without initiatives when they were not kept)."""
        if not self.count:
            self.diag.warn(
                "report.no_initiatives",
                "no initiative header was found; is this the right grammar?",
            )
        fiscal_year = self._fiscal_year()
        return Report(
            source=source,
            fiscal_year=fiscal_year,
            initiatives=self.initiatives,
            unassigned_indicators=self.unassigned,
            warnings=self.diag.warnings,
        )
