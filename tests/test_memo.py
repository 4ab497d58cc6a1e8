"""What the back stages remember or skip to save time changes nothing they give: a section,
a quantity, a table line or a table header read again; a text the prefilters skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportparse import breakdowns, lexicon, quantities
from reportparse.blocks import Block
from reportparse.diagnostics import Diagnostics
from reportparse.document import Line
from reportparse.grammar import DEFAULT_GRAMMAR, Grammar, load_grammar
from reportparse.stages import tables
from reportparse.stages.sections import block_to_sections
from reportparse.stages.tables import Shape, Tokens

BODY = """\
【令和2年度の実績】
・令和3年5月10日 研修会を開催（管理者研修 99人(今別町2人、蓬田村1人、青森市96人)）
・令和2年7月1日 協議会を開催
【連携事業で得られた効果】
・参加者が増えた。
"""


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return load_grammar(DEFAULT_GRAMMAR)


def lines(text: str, first: int = 1) -> list[Line]:
    return [Line(raw=t, page=1, line=n) for n, t in enumerate(text.splitlines(), start=first)]


def read(block: Block, grammar: Grammar) -> tuple[list[str], list[tuple[str, str]]]:
    diag = Diagnostics()
    sections = block_to_sections(block, grammar, diag)
    return [s.model_dump_json() for s in sections], [(w.code, w.message) for w in diag.warnings]


def test_a_section_read_again_gives_the_same_sections_and_warnings(grammar: Grammar) -> None:
    block = Block(headers=[], page=1, body=lines(BODY))
    first = read(block, grammar)
    assert first[1], "the fixture warns (a date outside the fiscal year)"
    again = read(block, grammar)  # as the page loop reads the block open at a page's end
    fresh = read(Block(headers=[], page=1, body=lines(BODY)), grammar)  # other Line objects
    assert again == first == fresh


def test_a_block_that_grew_is_read_anew(grammar: Grammar) -> None:
    block = Block(headers=[], page=1, body=lines(BODY))
    read(block, grammar)
    block.body += lines("・令和2年8月1日 説明会を開催\n", first=6)
    grown = read(block, grammar)
    whole = read(
        Block(headers=[], page=1, body=lines(BODY + "・令和2年8月1日 説明会を開催\n")), grammar
    )
    assert grown == whole
    assert "説明会" in grown[0][-1]


def test_a_line_changed_in_place_is_read_anew(grammar: Grammar) -> None:
    block = Block(headers=[], page=1, body=lines(BODY))
    read(block, grammar)
    block.body[2].text = "・令和2年7月1日 総会を開催"
    assert "総会" in read(block, grammar)[0][0]


def test_a_quantity_read_again_is_a_new_equal_model(grammar: Grammar) -> None:
    a = quantities.parse_quantity("1,250千円", grammar)
    b = quantities.parse_quantity(" 1,250千円 ", grammar)
    assert a == b and a is not b
    assert (a.value, a.unit) == (1250, "千円")
    for _ in range(2):  # an error is raised again, not remembered as a value
        with pytest.raises(quantities.QuantityError, match="not a quantity"):
            quantities.parse_quantity("未定", grammar)


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        (r"(?P<m>[市町])\s*(?P<v>\d+人)", r"(?:[市町])\s*(?:\d+人)"),
        (r"[^]x]\p{Han}{1,5}?", r"[^]x]\p{Han}{1,5}?"),
        (r"[$^]a+?", r"[$^]a+?"),
        (r"^市", None),
        (r"市$", None),
        (r"\b市", None),
        (r"(?=市)", None),
        (r"(?<!市)町", None),
        (r"(?>市)", None),
        (r"市++", None),
        (r"市{2}+", None),
        (r"(?i)市", None),
        (r"(?P<a>市)(?P=a)", None),
        (r"(市)\1", None),
        (r"市{e<=1}", None),
    ],
)
def test_only_patterns_that_read_nothing_around_a_match_are_prefiltered(
    source: str, plain: str | None
) -> None:
    assert breakdowns._plain(source) == plain


@pytest.mark.parametrize(
    "text",
    [
        "管理者研修 99人(今別町2人、蓬田村1人、青森市96人)",
        "一般型 5,732人 （97人） 外ヶ浜町：蓬田村から60人、青森市から19人",
        "南原町から北浜市へ 11人 東川村から北浜市へ 3人",
        "参加者 120人 (うち市外 20人)",
        "研修会 3回 延べ63人",
        "計 10人 青森市",
        "今別町2人、蓬田村1人、青森市96人",
        "（今別町2人、蓬田村1人）",
        "、青森市96人",
        "外ヶ浜町：蓬田村から60人、青森市から19人",
        "・研修会を開催 青森市96人",
        "青森市",
        "",
        "96人",
        "蓬田村から60人",
    ],
)
def test_the_prefilters_never_hide_a_breakdown_or_a_parts_line(grammar: Grammar, text: str) -> None:
    rules = breakdowns._rules(grammar)
    assert rules.any_part is not None, "the bundled patterns can be prefiltered"
    assert rules.first_step is not None
    joined = breakdowns._joined([lines(text)])

    def reading() -> tuple[bool, list[object]]:
        found = breakdowns._read(grammar, joined, Diagnostics())
        return breakdowns.parts_only(grammar, text), [b.model_dump() for b in found]

    with_filters = reading()
    try:
        rules.any_part = rules.first_step = None
        without = reading()
    finally:
        breakdowns._RULES.pop(grammar)
    assert with_filters == without


@pytest.mark.parametrize(
    "text",
    [
        "管理者研修 99人(今別町2人、蓬田村1人、青森市96人)",
        "管理者研修 ９９人（今別町２人、蓬田村１人、青森市９６人）",
        "一般型 5,732人 （97人） 外ヶ浜町：蓬田村から60人、青森市から19人",
    ],
)
def test_a_text_that_folds_char_for_char_reads_as_with_an_offset_map(
    grammar: Grammar, text: str
) -> None:
    joined = breakdowns._joined([lines(text)])
    assert joined.to_raw is None, "every character folds to one"
    mapped = breakdowns._Text(
        joined.norm, joined.raw, list(range(len(joined.raw) + 1)), joined.starts, joined.lines
    )
    fast, general = (
        [b.model_dump() for b in breakdowns._read(grammar, t, Diagnostics())]
        for t in (joined, mapped)
    )
    assert fast == general and fast


def test_a_table_line_read_again_gives_the_tokens_read_anew(grammar: Grammar) -> None:
    reader = Tokens(grammar)
    texts = [
        line
        for path in sorted((Path(__file__).parents[1] / "fixtures" / "text").glob("*.txt"))
        for line in path.read_bytes().decode("utf-8", "replace").splitlines()
    ]
    assert len(texts) > 100
    for text in texts:
        for start in (0, len(text) // 2):
            first = reader.shape(text, start)
            assert reader.shape(text, start) == first == reader.read_shape(text, start)
    line = Line(raw="指標 Ａ 5人（3人） 1,000 人", page=2, line=7)
    tokens = reader.line(line, 4)
    assert [(t.kind, t.text) for t in tokens] == list(reader.read_shape(line.text))
    assert all(t.line is line and t.row == 4 for t in tokens)
    assert tokens[0] is not reader.line(line, 4)[0], "new tokens each time"


def test_a_table_line_whose_pattern_ran_out_of_time_is_not_remembered(
    grammar: Grammar, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = Tokens(grammar)
    real, calls = Tokens.read_shape, []

    def timing_out(self: Tokens, text: str, start: int = 0) -> Shape:
        calls.append(text)
        grammar.timeouts.entries.append(("table.target", text))
        return real(self, text, start)

    monkeypatch.setattr(Tokens, "read_shape", timing_out)
    try:
        reader.shape("Ａ 98人 未知の行")
        reader.shape("Ａ 98人 未知の行")
    finally:
        grammar.timeouts.take()
    assert calls == ["Ａ 98人 未知の行"] * 2


def test_a_character_nfkc_changes_never_stands_in_nfkc_text() -> None:
    # What breakdowns._joined relies on to skip folding a text already in NFKC form.
    import sys
    import unicodedata

    changed = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]
    assert len(changed) > 1000
    for ch in changed:
        for text in (ch, "a" + ch, "あ" + ch + "い", "\u0301" + ch, ch + "\u0301", "ｶ" + ch):
            assert not unicodedata.is_normalized("NFKC", text), hex(ord(ch))


def test_table_header_facts_read_again_are_the_facts_read_anew(grammar: Grammar) -> None:
    texts = [
        "指標 2020年度実績値 (2020年度目標値) 進捗評価 2024年度目標値",
        "指標 2020年度実績値",
        "2024年度目標値 指標",
        "",
        *(
            line
            for path in sorted((Path(__file__).parents[1] / "fixtures" / "text").glob("*.txt"))
            for line in path.read_bytes().decode("utf-8", "replace").splitlines()[:80]
        ),
    ]
    memos = (lexicon.is_complete_header, lexicon.header_rank, tables._header_years)
    for text in texts:
        for memo in memos:
            first = memo(grammar, text)
            assert memo(grammar, text) == first == memo.__wrapped__(grammar, text)  # type: ignore[attr-defined]
    assert any(lexicon.is_complete_header(grammar, t) for t in texts)
    assert tables.header_years(texts[0], grammar) == tables.Years(2020, 2020, 2024)
