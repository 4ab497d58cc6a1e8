"""Assemble blocks, sections and attached rows into the validated Report model."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Diagnostics
from ..models import Indicator, Initiative, Report, Section, Source, Span
from .attach import Owner
from .segment import Block
from .tables import TableRows


def page_to_initiatives(
    blocks: list[Block],
    sections: list[list[Section]],
    tables: list[TableRows],
    owners: dict[int, Owner],
) -> tuple[list[Initiative], list[Indicator]]:
    """One page's initiatives in order, each with its sections and rows, and the rows
    that belong to none."""
    rows: dict[tuple[int, int], list[Indicator]] = {}
    unassigned: list[Indicator] = []
    for table in tables:
        for ind in table.indicators:
            owner = owners.get(id(ind))
            if owner is None:
                unassigned.append(ind)
            else:
                rows.setdefault((owner.block, owner.number), []).append(ind)
    initiatives: list[Initiative] = []
    for block in blocks:
        last = next((ln for ln in reversed(block.body) if not ln.blank), block.headers[-1].line)
        for head in block.headers:
            initiatives.append(
                Initiative(
                    number=head.number,
                    title=head.title.strip(),
                    group=block.numbers,
                    category=block.category,
                    page=block.page,
                    sections=[s.model_copy(deep=True) for s in sections[block.index]],
                    indicators=rows.get((block.index, head.number), []),
                    header_raw=head.line.raw,
                    span=Span(
                        page=block.page, line=head.line.line, end_line=last.line, bbox=block.bbox
                    ),
                )
            )
    return initiatives, unassigned


def _fiscal_year(initiatives: list[Initiative], diag: Diagnostics) -> int | None:
    years = Counter(
        s.fiscal_year for i in initiatives for s in i.sections if s.fiscal_year is not None
    )
    if not years:
        return None
    if len(years) > 1:
        listed = ", ".join(str(y) for y in sorted(years))
        diag.warn(
            "report.mixed_fiscal_years", f"results markers name several fiscal years: {listed}"
        )
    return years.most_common(1)[0][0]


def build_report(
    source: Source,
    initiatives: list[Initiative],
    unassigned: list[Indicator],
    diag: Diagnostics,
) -> Report:
    """The Report, with the checks that need the whole document."""
    first_page: dict[int, int | None] = {}
    for ini in initiatives:
        if ini.number in first_page:
            diag.warn(
                "initiative.duplicate_number",
                f"initiative {ini.number} appears again (first on page {first_page[ini.number]})",
                ini.page,
                ini.span.line,
            )
        first_page.setdefault(ini.number, ini.page)
    if not initiatives:
        diag.warn(
            "report.no_initiatives", "no initiative header was found; is this the right grammar?"
        )
    fiscal_year = _fiscal_year(initiatives, diag)
    return Report(
        source=source,
        fiscal_year=fiscal_year,
        initiatives=initiatives,
        unassigned_indicators=unassigned,
        warnings=diag.warnings,
    )
