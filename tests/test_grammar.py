"""Loading grammars: the bundled one, `extends`, and errors that name file, key and pattern."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import reportparse
from reportparse.errors import GrammarError
from reportparse.grammar import DEFAULT_GRAMMAR, available_grammars, load_grammar

from .conftest import ROOT

BUNDLED = ROOT / "grammars" / "renkei-vision.toml"

REPORT = """■ビジョンに記載している取組

7企業誘致関係機関連携事業

{overview}
・圏域の企業立地の促進に向けた活動を実施。

{results}
・令和3年2月2日 青森圏域企業誘致協議会設立総会
"""


def report(overview: str = "【事業概要】", results: str = "【令和2年度の実績】") -> bytes:
    return REPORT.format(overview=overview, results=results).encode("utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def child(folder: Path, body: str, name: str = "child.toml") -> Path:
    """A grammar extending the bundled one."""
    return write(folder, name, f'extends = "{DEFAULT_GRAMMAR}"\n{body}')


# ---------------------------------------------------------------------------------------
# The bundled grammar


def test_bundled_grammar_loads() -> None:
    grammar = load_grammar()
    assert grammar.name == DEFAULT_GRAMMAR
    assert grammar.path.resolve() == BUNDLED.resolve()
    assert available_grammars()[DEFAULT_GRAMMAR].resolve() == BUNDLED.resolve()
    assert load_grammar(DEFAULT_GRAMMAR) is grammar
    assert load_grammar(BUNDLED) is load_grammar(str(BUNDLED))
    assert grammar.era_year("令和", "元") == 2019
    assert grammar.era_year("令和", "２") == 2020
    assert grammar.era_year("平成", "31") == 2019
    assert [kind for kind, _ in grammar.section_rules] == ["overview", "results", "effects"]
    assert {"A", "S", "◎"} <= grammar.grades
    assert "%" in grammar.units and "－" in grammar.dashes


def test_bundled_grammar_stands_alone() -> None:
    with BUNDLED.open("rb") as fh:
        data = tomllib.load(fh)
    assert "extends" not in data
    assert data["family"]["name"] == BUNDLED.stem


def test_every_pattern_of_the_bundled_grammar_compiles() -> None:
    grammar = load_grammar()
    assert grammar.pattern("layout.marker").match("【事業概要】")
    assert grammar.pattern("dates.date").search("令和元年５月１日")
    assert grammar.pattern("table.complete").search("進捗評価 2024年度目標値")


# ---------------------------------------------------------------------------------------
# extends


def test_extends_overrides_one_layout_key(tmp_path: Path) -> None:
    marker = r"^\s*〔(?P<marker>[^〕]+)〕\s*(?P<rest>.*?)\s*$"
    path = child(tmp_path, f"[layout]\nmarker = '{marker}'\n")
    grammar = load_grammar(path)
    base = load_grammar()
    assert grammar.spec.layout.header == base.spec.layout.header  # merged, not replaced
    assert grammar.spec.layout.category == base.spec.layout.category
    assert grammar.spec.table == base.spec.table

    data = report("〔事業概要〕", "〔令和2年度の実績〕")
    parsed = reportparse.extract_bytes(data, grammar=grammar)
    [initiative] = parsed.initiatives
    assert [(s.kind, s.fiscal_year) for s in initiative.sections] == [
        ("overview", None),
        ("results", 2020),
    ]
    assert parsed.warnings == []
    # The bundled grammar does not know these markers: no block at all.
    assert reportparse.extract_bytes(data).initiatives == []


def test_extends_with_a_different_results_marker(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """
[[sections]]
kind = "overview"
pattern = '^事業概要$'

[[sections]]
kind = "results"
pattern = '^(?P<era>{era})\\s*(?P<year>元|\\d{1,2})\\s*年度の取組実績$'
""",
    )
    data = report(results="【令和2年度の取組実績】")
    [initiative] = reportparse.extract_bytes(data, grammar=path).initiatives
    assert [(s.kind, s.fiscal_year) for s in initiative.sections] == [
        ("overview", None),
        ("results", 2020),
    ]
    assert initiative.sections[1].events[0].date == "2021-02-02"
    [bundled] = reportparse.extract_bytes(data).initiatives
    assert [s.kind for s in bundled.sections] == ["overview", "other"]


def test_extends_a_relative_toml_file(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", BUNDLED.read_text(encoding="utf-8"))
    path = write(tmp_path, "mine.toml", 'extends = "base.toml"\n[family]\nname = "mine"\n')
    grammar = load_grammar(path)
    assert grammar.name == "mine"
    assert grammar.spec.family.description == load_grammar().spec.family.description


def test_a_change_to_the_extended_file_is_seen_by_the_next_load(tmp_path: Path) -> None:
    import os

    base = write(tmp_path, "base.toml", BUNDLED.read_text(encoding="utf-8"))
    path = write(tmp_path, "mine.toml", 'extends = "base.toml"\n[family]\nname = "mine"\n')
    assert load_grammar(path) is load_grammar(path)  # cached while nothing changes
    text = base.read_text(encoding="utf-8").replace('description = "', 'description = "edited ', 1)
    base.write_text(text, encoding="utf-8")
    stat = base.stat()
    os.utime(base, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_grammar(path).spec.family.description.startswith("edited ")


def test_circular_extends_is_a_grammar_error(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(GrammarError, match="extends"):
        load_grammar(tmp_path / "a.toml")


# ---------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[layout]\nheader = '^(?P<number>[0-9]+(?P<title>.*)$'\n", "layout.header"),
        ("[text]\nstandalone = ['^〈.*〉$', '[unclosed']\n", "text.standalone"),
        ("[table]\ntarget = '(?P<inner'\n", "table.target"),
        (
            "[[sections]]\nkind = 'overview'\npattern = '^事業概要$'\n"
            "[[sections]]\nkind = 'results'\npattern = '^(令和[0-9]+年度の実績$'\n",
            "sections[1].pattern",
        ),
    ],
    ids=["header", "list-item", "table-target", "section-pattern"],
)
def test_invalid_regex_names_file_key_and_pattern(tmp_path: Path, body: str, key: str) -> None:
    pattern = body.split("'")[-2]  # the last quoted string of the body is the bad one
    path = child(tmp_path, body)
    with pytest.raises(GrammarError) as info:
        load_grammar(path)
    message = str(info.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert pattern in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("colour = 'red'\n", "colour"),
        ("[table]\ncolour = 'red'\n", "table.colour"),
        ("[quantity]\nunit = ['件']\n", "quantity.unit"),
    ],
    ids=["top-level", "nested", "typo"],
)
def test_unknown_key_names_the_key(tmp_path: Path, body: str, key: str) -> None:
    path = child(tmp_path, body)
    with pytest.raises(GrammarError) as info:
        load_grammar(path)
    assert str(path) in str(info.value)
    assert f"'{key}'" in str(info.value)


def test_bad_value_names_the_key(tmp_path: Path) -> None:
    path = child(tmp_path, "[text]\nbullets = ['・']\nshort_line_ratio = 2.0\n")
    with pytest.raises(GrammarError, match=r"'text\.short_line_ratio'"):
        load_grammar(path)


def test_missing_required_section_names_the_key(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    path = write(tmp_path, "nolayout.toml", text.replace("[layout]", "[layout_typo]", 1))
    with pytest.raises(GrammarError) as info:
        load_grammar(path)
    assert str(path) in str(info.value)
    assert "'layout'" in str(info.value) or "'layout_typo'" in str(info.value)  # either error


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", "[layout\nheader = 1\n")
    with pytest.raises(GrammarError, match="invalid TOML") as info:
        load_grammar(path)
    assert str(path) in str(info.value)


def test_missing_grammar_file(tmp_path: Path) -> None:
    with pytest.raises(GrammarError, match="not found"):
        load_grammar(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("renkei-visoin", "did you mean 'renkei-vision'?"),
        ("renkei_vision", "did you mean 'renkei-vision'?"),
        ("zzz", "known: renkei-vision"),
    ],
)
def test_unknown_grammar_name_suggests(name: str, hint: str) -> None:
    with pytest.raises(GrammarError) as info:
        load_grammar(name)
    assert f"unknown grammar '{name}'" in str(info.value)
    assert hint in str(info.value)


def test_unknown_grammar_through_the_api() -> None:
    with pytest.raises(GrammarError, match="did you mean 'renkei-vision'"):
        reportparse.extract_bytes(report(), grammar="renkei-visoin")


def test_pattern_without_its_named_group_is_a_grammar_error(tmp_path: Path) -> None:
    path = child(tmp_path, "[layout]\nheader = '^\\s*(\\d{1,3})\\s*(?P<title>\\S.*?)\\s*$'\n")
    with pytest.raises(GrammarError, match=r"layout\.header"):
        reportparse.extract_bytes(report(), grammar=load_grammar(path))


@pytest.mark.parametrize(
    "key", ["text.standalone", "text.break_if_starts", "checks.table_header", "layout.header"]
)
def test_any_of_finds_where_one_of_the_patterns_does(key: str) -> None:
    grammar = load_grammar(DEFAULT_GRAMMAR)
    combined, each = grammar.any_of(key), grammar.patterns(key)
    assert len(combined) == 1 or combined == each
    if len(each) > 1:
        assert len(combined) == 1, "the bundled patterns combine"
    texts = [
        "〈参考〉",
        "<参考>",
        "〈参考〉 続き",
        "（注）",
        "(注)",
        "令和2年4月1日 開始",
        "令和 2 年 4 月",
        "2020年度実績値",
        "指標 2020 年度 実績値",
        "7 企業誘致関係機関連携事業",
        "",
        *(
            line
            for path in sorted((ROOT / "fixtures" / "text").glob("*.txt"))
            for line in path.read_bytes().decode("utf-8", "replace").splitlines()
        ),
    ]
    for text in texts:
        assert any(p.match(text) for p in combined) == any(p.match(text) for p in each)
        assert any(p.search(text) for p in combined) == any(p.search(text) for p in each)


def test_any_of_keeps_patterns_that_cannot_combine_apart(tmp_path: Path) -> None:
    grammar = load_grammar(child(tmp_path, "[text]\nstandalone = ['^(〈)参考\\1$', '^<.*>$']\n"))
    assert grammar.any_of("text.standalone") == grammar.patterns("text.standalone")


def test_a_join_that_matches_a_line_end_applies_to_each_line_alone(tmp_path: Path) -> None:
    # `\s` also matches the newline that the normalise stage joins a page's lines with:
    # each line must still be normalised alone, and the page keep its lines.
    path = child(tmp_path, "[normalise]\njoins = ['\\s(?=【)']\n")
    parsed = reportparse.extract_bytes(report(), grammar=load_grammar(path))
    [initiative] = parsed.initiatives
    assert [s.kind for s in initiative.sections] == ["overview", "results"]
    assert parsed.warnings == []
