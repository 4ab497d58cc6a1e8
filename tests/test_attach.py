"""Attaching indicator tables to initiatives by content (text input)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportparse
from reportparse.grammar import DEFAULT_GRAMMAR, load_grammar
from reportparse.stages.attach import Grams, Matcher, bigrams

HEADER = "指標\n2020年度実績値\n(2020年度目標値)\n進捗評価 2024年度目標値\n"


def block(number: int, title: str, body: str) -> str:
    return f"{number}{title}\n\n【事業概要】\n・{body}\n\n【令和2年度の実績】\n・実施。\n\n"


def table(name: str) -> str:
    return f"{HEADER}{name}\n1回\n（1回）\nＡ 2回\n\n"


def owners(text: str) -> dict[str, int | None]:
    report = reportparse.extract_bytes(text.encode(), name="case.txt")
    found: dict[str, int | None] = {
        ind.name: ini.number for ini in report.initiatives for ind in ini.indicators
    }
    found.update({ind.name: None for ind in report.unassigned_indicators})
    return found


def codes(text: str) -> list[str]:
    return [w.code for w in reportparse.extract_bytes(text.encode(), name="c.txt").warnings]


def test_page_assignment_keeps_two_similar_blocks_from_sharing_a_table() -> None:
    # Both tables score best on block 37 (研修会の共同開催), so matching each table on its
    # own would give 37 both; as one assignment, block 48 (職員研修) gets the training one.
    text = (
        block(37, "水道事業の広域連携事業", "災害訓練や研修会の共同開催を実施。")
        + block(48, "職員研修", "職員の資質向上。")
        + table("災害訓練の共同開催回数")
        + table("合同研修開催回数")
    )
    assert owners(text) == {"災害訓練の共同開催回数": 37, "合同研修開催回数": 48}


def test_one_block_may_own_two_tables_when_the_evidence_says_so() -> None:
    text = (
        block(14, "観光プロモーション事業", "観光動画の制作と観光イベントへの出展。")
        + block(31, "消費生活相談事業", "消費生活相談を受け付ける。")
        + table("観光動画の再生回数")
        + table("観光イベントの来場者数")
        + table("消費生活相談の解決率")
    )
    assert owners(text) == {
        "観光動画の再生回数": 14,
        "観光イベントの来場者数": 14,
        "消費生活相談の解決率": 31,
    }


def test_no_shared_words_means_unassigned_with_a_warning() -> None:
    text = block(9, "空き家対策事業", "空き家の調査。") + table("クルーズ船の寄港回数")
    assert owners(text) == {"クルーズ船の寄港回数": None}
    assert "indicator.unassigned" in codes(text)


def test_weak_evidence_attaches_with_a_warning() -> None:
    text = block(9, "空き家対策事業", "空き家の調査。") + table("家屋調査の件数")
    assert owners(text) == {"家屋調査の件数": 9}
    assert "indicator.weak_match" in codes(text)


def test_group_rows_go_to_the_member_they_name() -> None:
    text = (
        "23一時預かり事業\n\n24病児一時保育事業\n\n【事業概要】\n・一時預かりと病児一時保育。\n\n"
        + HEADER
        + "病児一時保育の利用割合\n100％\n（100％）\nＡ 100％\n"
        + "一時預かりの利用割合\n100％\n（100％）\nＡ 100％\n"
    )
    assert owners(text) == {"病児一時保育の利用割合": 24, "一時預かりの利用割合": 23}


def test_group_row_naming_no_member_is_a_guess_with_a_warning() -> None:
    text = "23一時預かり事業\n24病児一時保育事業\n【事業概要】\n・子育て支援の事業。\n\n" + table(
        "子育て支援の利用割合"
    )
    assert owners(text) == {"子育て支援の利用割合": 23}
    assert "indicator.group_member_guess" in codes(text)


@pytest.mark.parametrize(
    "text",
    ["", "研", " 研 ", "研修", "職員 研修 の 共同開催", "aaa", "ab ab", "  \n\t", "水道事業の連携"],
)
@pytest.mark.parametrize(
    "name", ["", "研", "研修", "職員研修", "災害訓練の共同開催回数", "a", "aa", "b a", "ab"]
)
def test_counting_a_names_bigrams_in_the_text_equals_the_set_intersection(
    text: str, name: str
) -> None:
    matcher = Matcher(load_grammar(DEFAULT_GRAMMAR))
    assert matcher.score(name, Grams(text)) == matcher.score(name, bigrams(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="研修 職員a\n", max_size=12), st.text(alphabet="研修 職員a", max_size=6))
def test_grams_count_what_the_set_holds(text: str, name: str) -> None:
    key = bigrams(name) | {name[:1]} if name else set()
    assert Grams(text).shared(key) == len(key & bigrams(text))
