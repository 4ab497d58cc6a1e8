"""Segmentation across pages: categories that run on, blocks continued over a page break."""

from __future__ import annotations

import reportparse
from reportparse.models import Report

from .test_attach import block, table


def parse(text: str) -> Report:
    return reportparse.extract_bytes(text.encode(), name="pages.txt")


def categories(report: Report) -> dict[int, str | None]:
    return {ini.number: ini.category for ini in report.initiatives}


def test_a_page_without_a_heading_continues_the_category() -> None:
    page1 = "■取組A\n\n" + block(1, "水道事業", "水道。") + table("水道の回数")
    page2 = block(2, "図書館事業", "図書館。") + table("図書館の回数")
    report = parse(page1 + "\f" + page2)
    assert categories(report) == {1: "取組A", 2: "取組A"}
    assert report.warnings == []


def test_a_block_before_its_pages_first_heading_takes_it_and_says_when_unsure() -> None:
    page1 = "■取組A\n\n" + block(1, "水道事業", "水道。") + table("水道の回数")
    page2 = block(2, "図書館事業", "図書館。") + "■取組B\n\n" + block(3, "防災事業", "防災。")
    report = parse(page1 + "\f" + page2 + table("図書館の回数") + table("防災の回数"))
    assert categories(report) == {1: "取組A", 2: "取組B", 3: "取組B"}
    unsure = [w for w in report.warnings if w.code == "initiative.category_unsure"]
    assert [(w.page, w.line) for w in unsure] == [(2, page1.count("\n") + 1)]


def test_a_block_continued_over_a_page_break_is_one_initiative() -> None:
    first = "1水道事業\n\n【事業概要】\n・水道の広域化。\n\n"
    first += "【令和2年度の実績】\n・令和2年5月1日 会議\n\n"
    rest = "【連携事業で得られた効果】\n・水道の効率化。\n\n"
    report = parse(first + "\f" + rest + block(2, "図書館事業", "図書館。") + table("水道の回数"))
    one = report.initiatives[0]
    assert [s.kind for s in one.sections] == ["overview", "results", "effects"]
    assert one.page == 1 and one.sections[2].span.page == 2
    assert [ind.name for ind in one.indicators] == ["水道の回数"]
    assert report.warnings == []


def test_page_numbers_and_a_running_title_are_not_content() -> None:
    title = "令和2年度 連携中枢都市圏ビジョン進捗状況報告書\n"
    page1 = title + block(1, "水道事業", "水道。") + table("水道の回数") + "- 1 -\n"
    page2 = title + block(2, "図書館事業", "図書館。") + table("図書館の回数") + "- 2 -\n"
    report = parse(page1 + "\f" + page2)
    assert [ini.number for ini in report.initiatives] == [1, 2]
    assert all("報告書" not in s.text for ini in report.initiatives for s in ini.sections)
    assert report.warnings == []


def test_a_header_that_ends_a_page_opens_the_block_its_marker_starts_on_the_next() -> None:
    first = block(1, "水道事業", "水道。") + table("水道の回数") + "2図書館事業\n\n"
    rest = "【事業概要】\n・図書館。\n\n【令和2年度の実績】\n・実施。\n\n" + table("図書館の回数")
    report = parse(first + "\f" + rest)
    one, two = report.initiatives
    assert (two.number, two.title, two.page) == (2, "図書館事業", 1)
    assert [s.kind for s in two.sections] == ["overview", "results"]
    assert two.sections[0].span.page == 2 and two.sections[0].text == "・図書館。"
    assert all("図書館" not in s.text for s in one.sections)
    assert [ind.name for ind in two.indicators] == ["図書館の回数"]
    assert report.warnings == []


def test_a_group_of_headers_can_end_a_page() -> None:
    first = block(1, "水道事業", "水道。") + table("水道の回数") + "2図書館事業\n\n3公民館事業\n"
    rest = "【事業概要】\n・図書館と公民館。\n\n" + table("図書館の回数")
    report = parse(first + "\f" + rest)
    assert [ini.group for ini in report.initiatives] == [[1], [2, 3], [2, 3]]
    assert report.initiatives[1].sections[0].text == "・図書館と公民館。"


def test_a_header_like_line_at_a_page_foot_without_a_marker_after_it_stays_text() -> None:
    body = "水道。\n\n【令和2年度の実績】\n・実施。\n2図書館事業\n"
    first = "1水道事業\n\n【事業概要】\n・" + body
    rest = "・続けて実施。\n\n" + table("水道の回数")
    report = parse(first + "\f" + rest)
    assert [ini.number for ini in report.initiatives] == [1]
    results = report.initiatives[0].sections[1]
    assert "2図書館事業" in results.text and "続けて実施" in results.text
