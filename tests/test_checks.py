"""The invariant checks after parsing: silent on right output, a named warning on each
kind of wrong output."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportparse
from reportparse.diagnostics import Diagnostics
from reportparse.document import Document, Line, Page, TextRegion
from reportparse.errors import GrammarError
from reportparse.grammar import DEFAULT_GRAMMAR, load_grammar
from reportparse.models import Initiative, Report, Span
from reportparse.stages.checks import PageChecker

from .conftest import FIXTURES

TEXT = FIXTURES / "text"
SEED = (TEXT / "seed_fy2020.txt").read_text(encoding="utf-8")
RIGHT = sorted(
    p
    for folder in ("text", "pdf")
    for p in (FIXTURES / folder).glob("*")
    if p.suffix in (".txt", ".pdf") and p.stem != "warnings_mixed"
)


def parse(text: str) -> Report:
    return reportparse.extract_bytes(text.encode("utf-8"), name="t.txt")


def codes(report: Report) -> list[str]:
    return [w.code for w in report.warnings]


def edit(old: str, new: str, count: int = 1) -> str:
    assert SEED.count(old) >= count, old
    return SEED.replace(old, new, count)


@pytest.mark.parametrize("case", RIGHT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_right_output_has_no_warning(case: Path) -> None:
    assert reportparse.extract(case).warnings == []


def test_warnings_mixed_gives_exactly_its_deliberate_warnings() -> None:
    report = reportparse.extract(TEXT / "warnings_mixed.txt")
    assert [(w.code, w.line) for w in report.warnings] == [
        ("event.invalid_date", 11),
        ("event.outside_fiscal_year", 12),
        ("quantity.unknown_unit", 41),
        ("quantity.unknown_unit", 41),
        ("quantity.unknown_unit", 44),
        ("table.missing_target", 55),
        ("indicator.unassigned", 65),
    ]


def test_a_table_without_its_start_line_is_unread() -> None:
    report = parse(edit("\n指標\n2020年度実績値", "\n2020年度実績値"))
    unread = [w for w in report.warnings if w.code == "table.unread"]
    in_text = [w for w in unread if "a table was read as text" in w.message]
    assert in_text and in_text[0].page == 1 and in_text[0].line is not None


def test_a_header_glued_to_the_previous_row_still_reads_right() -> None:
    # The header's first line glued to the previous row: the token reader starts the
    # table at 指標 mid-line, so the facts stay right and nothing is warned.
    report = parse(edit("Ａ 1回以上/年度\n\n指標\n", "Ａ 1回以上/年度 指標\n"))
    right = parse(SEED)

    def rows(r: Report) -> list[tuple[int, str, str | None, str | None]]:
        return [
            (
                ini.number,
                ind.name,
                ind.actual and ind.actual.raw,
                ind.final_target and ind.final_target.raw,
            )
            for ini in r.initiatives
            for ind in ini.indicators
        ]

    assert rows(report) == rows(right)
    assert codes(report) == []


def test_a_header_line_lost_leaves_a_year_unknown() -> None:
    report = parse(
        edit(
            "\n(2020年度目標値)\n\n進捗評価 2024年度目標値\n\n会議開催回数",
            "\n\n進捗評価 2024年度目標値\n\n会議開催回数",
        )
    )
    [warning] = report.warnings
    assert warning.code == "table.missing_year" and "target year" in warning.message


def test_two_headers_on_one_line_make_a_suspect_title() -> None:
    report = parse(
        edit("23一時預かり事業\n\n24病児一時保育事業", "23一時預かり事業 24病児一時保育事業")
    )
    assert "initiative.suspect_title" in codes(report)
    assert any("another initiative header" in w.message for w in report.warnings)


def test_an_overlong_title_is_suspect() -> None:
    long_title = "7企業誘致関係機関連携事業" + "圏域" * 30
    report = parse(edit("7企業誘致関係機関連携事業", long_title))
    [warning] = report.warnings
    assert warning.code == "initiative.suspect_title" and "characters long" in warning.message


def test_a_header_without_its_number_shows_as_a_duplicate_marker() -> None:
    report = parse(
        edit("\n 25東青母子保健広域ネットワーク事業", "\n東青母子保健広域ネットワーク事業")
    )
    duplicate = [w for w in report.warnings if w.code == "section.duplicate_marker"]
    assert duplicate and "【事業概要】" in duplicate[0].message
    assert 25 not in [i.number for i in report.initiatives]


def test_two_bullet_lines_merged_are_merged_lines() -> None:
    report = parse(edit("（書面開催）\n・経済誌", "（書面開催） ・経済誌"))
    assert codes(report) == ["text.merged_lines"]


def test_a_block_without_a_usual_section_kind() -> None:
    report = parse(edit("【令和2年度の実績】\n・令和3年2月2日", "【課題】\n・令和3年2月2日"))
    [warning] = report.warnings
    assert warning.code == "initiative.missing_sections" and "results" in warning.message


def test_tables_with_no_indicator_attached_anywhere() -> None:
    text = (TEXT / "warnings_mixed.txt").read_text(encoding="utf-8")
    blocks, _, tables = text.partition("\n指標\n")
    lonely = blocks + "\n指標\n" + tables.split("\n指標\n")[-1]  # only the cruise table
    report = parse(lonely)
    assert "indicator.unassigned" in codes(report)
    assert "report.tables_unattached" in codes(report)


def test_a_page_whose_text_is_not_in_the_output_has_low_coverage() -> None:
    grammar = load_grammar()
    lines = [Line(raw="圏域の住民が読む文章が出力にない", page=1, line=n) for n in (1, 2)]
    page = Document(pages=[Page(1, [TextRegion(lines)])], format="text")
    diag = Diagnostics()
    stats = PageChecker(grammar, diag).check(page, [], [], [])
    assert stats.chars == 32 and stats.accounted == 0
    [warning] = diag.warnings
    assert warning.code == "page.low_coverage" and "0%" in warning.message


def test_an_initiative_without_a_category_does_not_hide_lost_text() -> None:
    """A page whose initiative has no ■ category: only category headings count as
    accounted for, not every line that is no heading (which once set coverage to 100%)."""
    grammar = load_grammar()
    lines = [Line(raw="圏域の住民が読む文章が出力にない", page=1, line=n) for n in (1, 2)]
    page = Document(pages=[Page(1, [TextRegion(lines)])], format="text")
    orphan = Initiative(
        number=7,
        title="企業誘致",
        group=[7],
        category=None,
        page=1,
        sections=[],
        indicators=[],
        header_raw="7 企業誘致",
        span=Span(page=1, line=3, end_line=3),
    )
    diag = Diagnostics()
    stats = PageChecker(grammar, diag).check(page, [orphan], [], [])
    assert stats.accounted == 0
    assert [w.code for w in diag.warnings] == ["page.low_coverage"]


def test_page_furniture_counts_as_accounted() -> None:
    grammar = load_grammar()
    page = Document(
        pages=[Page(1, [TextRegion([Line(raw="- 12 -", page=1, line=1)])])], format="text"
    )
    diag = Diagnostics()
    stats = PageChecker(grammar, diag).check(page, [], [], [])
    assert (stats.chars, stats.accounted, diag.warnings) == (4, 4, [])


def test_a_broken_checks_pattern_names_its_key(tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{DEFAULT_GRAMMAR}"\n[checks]\ntable_words = ["指標("]\n', "utf-8")
    with pytest.raises(GrammarError, match=r"key 'checks\.table_words'.*指標\("):
        load_grammar(path)


def test_an_unknown_section_kind_in_checks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    path.write_text(
        f'extends = "{DEFAULT_GRAMMAR}"\n[checks]\nusual_kinds = ["summary"]\n', "utf-8"
    )
    with pytest.raises(GrammarError, match=r"checks\.usual_kinds"):
        load_grammar(path)


def test_summary_counts_what_the_report_holds() -> None:
    report = reportparse.extract(TEXT / "warnings_mixed.txt")
    assert report.summary is not None
    assert report.summary.model_dump() == {
        "initiatives": 2,
        "indicators": 2,
        "unassigned": 1,
        "tables": 3,
        "coverage": 1.0,
        "warnings": {
            "event.invalid_date": 1,
            "event.outside_fiscal_year": 1,
            "indicator.unassigned": 1,
            "quantity.unknown_unit": 3,
            "table.missing_target": 1,
        },
    }


def test_summary_coverage_falls_with_lost_text() -> None:
    # A category heading that heads no initiative: its characters are in no output field.
    report = parse(SEED + "\n■新たに追加した取組\n")
    assert report.summary is not None and report.summary.coverage is not None
    assert 0.99 < report.summary.coverage < 1.0
    [warning] = report.warnings
    assert warning.code == "page.low_coverage" and warning.page == 3
    assert "only 0% of the page" in warning.message


def test_a_group_header_without_its_number_is_suspect() -> None:
    # `23一時預かり事業` without 23 reads as the last line of block 25's text.
    report = parse(edit("\n23一時預かり事業\n", "\n一時預かり事業\n"))
    suspect = [w for w in report.warnings if w.code == "initiative.suspect_header"]
    assert len(suspect) == 1 and "一時預かり事業" in suspect[0].message


def test_the_line_starts_as_one_pattern_find_what_each_pattern_finds() -> None:
    grammar = load_grammar(DEFAULT_GRAMMAR)
    checker = PageChecker(grammar, Diagnostics())
    assert len(checker.line_starts) == 1 < len(grammar.patterns("checks.line_starts")), (
        "the bundled patterns combine"
    )
    texts = [
        "・一つ目 ・二つ目",
        "本文 ■カテゴリ 【事業概要】 続き",
        "本文 【事業概要 続き",
        "本文 【事業概要】 続き",
        "前 【連携事業で得られた効果】",
        "前\n後 ・箇条",
        "何もない 行",
        "",
        *(
            line
            for path in sorted(TEXT.glob("*.txt"))
            for line in path.read_bytes().decode("utf-8", "replace").splitlines()
        ),
    ]
    combined = [checker.merged(t) for t in texts]
    checker.line_starts = grammar.patterns("checks.line_starts")  # as if they cannot combine
    assert [checker.merged(t) for t in texts] == combined
    assert {"・", "■", "【事業概要】", "【連携事業で得られた効果】"} <= set(combined)


def test_block_text_in_an_indicator_name_is_suspect() -> None:
    # Plain pdftotext prints a table inside the text it interrupts: the text runs into
    # the name cell.
    name = "・圏域の母子保健の向上を図る。会議開催回数"
    report = parse(edit("会議開催回数", name))
    [suspect] = [w for w in report.warnings if w.code == "indicator.suspect_name"]
    assert "'。'" in suspect.message or "'・'" in suspect.message
    [ind] = [i for ini in report.initiatives for i in ini.indicators if i.name == name]
    assert (suspect.page, suspect.line) == (ind.span.page, ind.span.line)


def test_an_overlong_indicator_name_is_suspect() -> None:
    report = parse(edit("会議開催回数", "会議" * 25 + "開催回数"))
    assert [w.code for w in report.warnings] == ["indicator.suspect_name"]
    assert "characters long" in report.warnings[0].message


def test_the_fixtures_indicator_names_are_not_suspect() -> None:
    for path in RIGHT:
        report = reportparse.extract(path)
        assert "indicator.suspect_name" not in codes(report), path.name
