"""Every warning code, defined once: what it means and what to do about it."""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

# The codes a report's `warnings` may hold. `Diagnostics.warn` takes only these, so mypy
# rejects an unregistered code at any call site; REPORT_CODES below must give each one
# its meaning (a test checks the two agree, and the README table against both).
WarningCode = Literal[
    "indicator.unassigned",
    "indicator.weak_match",
    "indicator.group_member_guess",
    "table.missing_target",
    "table.row_incomplete",
    "table.bad_header",
    "table.ambiguous_row",
    "quantity.unparsed",
    "quantity.unknown_unit",
    "event.invalid_date",
    "event.outside_fiscal_year",
    "section.text_before_marker",
    "section.paragraphs_unsure",
    "text.outside_block",
    "initiative.duplicate_number",
    "initiative.category_unsure",
    "report.mixed_fiscal_years",
    "report.no_initiatives",
    "pdf.page_without_text",
    "pdf.unmappable_text",
    "pdf.damaged",
    "table.unread",
    "table.missing_year",
    "text.merged_lines",
    "initiative.suspect_title",
    "indicator.suspect_name",
    "initiative.suspect_header",
    "initiative.missing_sections",
    "section.duplicate_marker",
    "page.low_coverage",
    "report.tables_unattached",
    "text.long_line",
    "grammar.timeout",
    "breakdown.sum_mismatch",
    "indicator.grade_mismatch",
    "report.warnings_capped",
]

# The codes of `reportparse panel` (its own warnings, not a report's).
PanelCode = Literal[
    "panel.title_changed",
    "panel.number_changed",
    "panel.unit_changed",
    "panel.duplicate_year",
    "panel.duplicate_indicator",
    "panel.no_fiscal_year",
]


class Code(NamedTuple):
    """A warning code's meaning and what a reader of the output should do about it."""

    meaning: str
    fix: str


REPORT_CODES: dict[WarningCode, Code] = {
    "indicator.unassigned": Code(
        "a row whose names share nothing with any initiative on its page; "
        "it is in `unassigned_indicators`",
        "find its initiative in the source; the row's values are right",
    ),
    "indicator.weak_match": Code(
        "a row attached on weak evidence (or, in a PDF, by content because geometry "
        "did not decide)",
        "check that the row belongs to the initiative it was attached to",
    ),
    "indicator.group_member_guess": Code(
        "in a group of initiatives sharing one body, a row that names no member better "
        "than another; it went to the first",
        "check which member of the group the row belongs to",
    ),
    "table.missing_target": Code(
        "an indicator row without its parenthesised target",
        "the row's target is null; read it from the source if it exists",
    ),
    "table.row_incomplete": Code(
        "an indicator row without its values or its final target",
        "read the row in the source; its missing fields are null",
    ),
    "table.bad_header": Code(
        "an indicator table whose header is not the expected one",
        "the years of the table's values may be null or wrong; check the header",
    ),
    "table.ambiguous_row": Code(
        "text table: a row with two values for one cell (none is taken), or a name fragment "
        "between two rows that is as near to one as to the other (it goes to the next row)",
        "check the row's name and values against the source",
    ),
    "quantity.unparsed": Code(
        "a value that is not a quantity; it is kept as `raw` with a null value",
        "read the value from `raw`",
    ),
    "quantity.unknown_unit": Code(
        "a quantity whose unit the grammar does not list",
        "check the unit; add it to the grammar's `quantity.units` if it is right",
    ),
    "event.invalid_date": Code(
        "an impossible date (such as 2月30日)",
        "the source has a typo; the event is kept only if a date could be read",
    ),
    "event.outside_fiscal_year": Code(
        "a date outside the section's fiscal year (April to March)",
        "check the date in the source; it may be a typo or a plan",
    ),
    "section.paragraphs_unsure": Code(
        "a section of text without blank lines (as `pdftotext -raw` prints) in which a line "
        "without a bullet follows an item: whether it continues the item is a guess",
        "check the section's items and text against the source; extract with another mode",
    ),
    "section.text_before_marker": Code(
        "text in a block before its first 【】 marker; it was skipped",
        "read the text in the source; it is not in the output",
    ),
    "text.outside_block": Code(
        "text that belongs to no initiative; it was skipped",
        "read the text in the source; a header may not have been recognised",
    ),
    "initiative.category_unsure": Code(
        "extracted text: an initiative before its page's first ■ heading takes that heading, "
        "but another one runs on from an earlier page",
        "check the initiative's category in the source (in text, a heading can come after "
        "the first blocks of its page)",
    ),
    "initiative.duplicate_number": Code(
        "an initiative number that appears twice in the report",
        "check both occurrences; one may be a misread header",
    ),
    "report.mixed_fiscal_years": Code(
        "results markers that name several fiscal years",
        "`fiscal_year` is the most frequent one; check the report",
    ),
    "report.no_initiatives": Code(
        "no initiative header was found",
        "check that the grammar (`--grammar`) fits this report family",
    ),
    "pdf.page_without_text": Code(
        "a PDF page without a text layer, among readable pages",
        "the page is scanned; run OCR on it if its content matters",
    ),
    "pdf.unmappable_text": Code(
        "a PDF page whose text extracts as (cid:N) glyph codes",
        "the page's fonts have no character map; convert that page another way",
    ),
    "pdf.damaged": Code(
        "pdfminer repaired damage while reading the page (its log, which would otherwise "
        "spill on stderr, is the message)",
        "compare the page's output with the PDF as displayed",
    ),
    "table.unread": Code(
        "table header words in a section's text, or more table headers on a page than "
        "tables read: a table was read as text (grammar `checks.table_words`, "
        "`checks.table_header`)",
        "the page's indicators are missing or wrong; read its tables from the source",
    ),
    "table.missing_year": Code(
        "an indicator row without one of its years: the table header did not give it",
        "read the year from the table header in the source",
    ),
    "text.merged_lines": Code(
        "a section whose text holds, after white space inside a line, what only starts a "
        "line (`checks.line_starts`: a bullet, ■, a 【】 marker): lines were merged",
        "check the section's items and events against the source (two columns read as one?)",
    ),
    "initiative.suspect_header": Code(
        "a block ends in a short line on its own that does not end like a sentence "
        "(grammar `checks.sentence_ends`): a header whose number was lost?",
        "check the source: an initiative may be missing, its title read as the block's text",
    ),
    "initiative.suspect_title": Code(
        "a title that holds another header, a 【】 marker or table words, or is longer "
        "than `checks.max_title_length`: lines were merged (two columns?)",
        "check the page's initiatives against the source; one may be missing",
    ),
    "indicator.suspect_name": Code(
        "an indicator name that holds sentence text or the start of a block's line "
        "(`checks.name_not`), or is longer than `checks.max_name_length`: block text ran "
        "into the table",
        "check the indicator's name, values and owner against the source",
    ),
    "initiative.missing_sections": Code(
        "a block without one of the family's usual section kinds (`checks.usual_kinds`)",
        "check the block in the source: a marker may have been merged into other text",
    ),
    "section.duplicate_marker": Code(
        "the same 【】 marker twice in one block: a header between them was not recognised",
        "check the block in the source; an initiative may be missing or merged",
    ),
    "page.low_coverage": Code(
        "less than `checks.min_coverage` of the page's characters are in the output "
        "(the message gives the share)",
        "compare the page with the output; text was lost (a layout the readers do not know?)",
    ),
    "report.tables_unattached": Code(
        "tables were read but no indicator is attached to any initiative",
        "check the grammar and the layout; every indicator is in `unassigned_indicators`",
    ),
    "text.long_line": Code(
        "a line longer than the grammar's `limits.max_line_length`: only its start was read",
        "the line is not report text as printed (or the limit is too low for this layout); "
        "read the rest of the line in the source",
    ),
    "grammar.timeout": Code(
        "a grammar pattern ran past its time limit on a line and was taken as not matching",
        "the pattern backtracks badly on this line: simplify it (no nested or adjacent "
        "unbounded quantifiers over the same characters)",
    ),
    "breakdown.sum_mismatch": Code(
        "a total broken down by municipality whose parts do not add up to it (the message "
        "gives both numbers); its `sum_ok` is false",
        "read the breakdown in the source: a part may be misread, missing, or a typo there",
    ),
    "indicator.grade_mismatch": Code(
        'a grade that clearly contradicts the numbers: a grade meaning "reached" '
        "(grammar `grades.reached`) with the actual well short of the target, or the reverse "
        "(borderline cases within `grades.margin` are not flagged)",
        "check the actual, the target and the grade in the source; one of them is misread "
        "or the report is inconsistent",
    ),
    "report.warnings_capped": Code(
        "more than 1000 warnings of one code: the rest are counted in `summary.warnings` "
        "but not listed",
        "the input is not a report of this family, or badly broken; read the listed ones",
    ),
}

PANEL_CODES: dict[PanelCode, Code] = {
    "panel.title_changed": Code(
        "an initiative number has a different title in another year",
        "check whether it is the same initiative renamed or the number was reused",
    ),
    "panel.number_changed": Code(
        "the same title appears under different numbers",
        "check whether the initiative was renumbered",
    ),
    "panel.unit_changed": Code(
        "an indicator's unit differs between years",
        "the year columns are not comparable as they stand; check the units",
    ),
    "panel.duplicate_year": Code(
        "two inputs have the same fiscal year; the first one is kept",
        "leave one report per year out of the inputs",
    ),
    "panel.duplicate_indicator": Code(
        "an initiative has the same indicator twice in one year; the first is kept",
        "check the report; one of the rows may belong to another initiative",
    ),
    "panel.no_fiscal_year": Code(
        "the input has no fiscal year and is left out",
        "check the report's results markers",
    ),
}


def unregistered() -> list[str]:
    """Codes declared in a Literal without a registry entry, or the reverse (should be [])."""
    pairs: list[tuple[tuple[str, ...], set[str]]] = [
        (get_args(WarningCode), set(REPORT_CODES)),
        (get_args(PanelCode), set(PANEL_CODES)),
    ]
    return sorted(set().union(*(set(declared) ^ table for declared, table in pairs)))


def markdown_table(codes: dict[WarningCode, Code] | dict[PanelCode, Code]) -> str:
    """The codes as the README's markdown table: code, meaning, what to do."""
    rows = ["| code | meaning | what to do |", "|---|---|---|"]
    rows += [f"| `{code}` | {c.meaning} | {c.fix} |" for code, c in codes.items()]
    return "\n".join(rows) + "\n"
