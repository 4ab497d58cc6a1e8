"""Municipality breakdowns of totals in section text: found, parsed, and their sums checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import reportparse
from reportparse.errors import GrammarError
from reportparse.grammar import DEFAULT_GRAMMAR, load_grammar
from reportparse.models import Breakdown, Report

from .conftest import FIXTURES

TEXT = FIXTURES / "text"
SEED = (TEXT / "seed_fy2020.txt").read_text(encoding="utf-8")
CASES = sorted(TEXT.glob("*.txt"))
# What a breakdown's lines show, found independently of the parser: a municipality's
# number (`青森市96人`), a flow (`蓬田村から60人`), a flow with both ends (`北浜市へ 11人`).
SHOWS_A_PART = re.compile(r"(?:[市町村]|から|へ)\s*[0-9０-９]")


def parse(text: str) -> Report:
    return reportparse.extract_bytes(text.encode("utf-8"), name="t.txt")


def unique(report: Report) -> list[Breakdown]:
    """Each breakdown once (initiatives of a group carry the same sections)."""
    found: dict[tuple[int | None, str], Breakdown] = {}
    for ini in report.initiatives:
        for section in ini.sections:
            for b in section.breakdowns:
                found.setdefault((b.span.line, b.label), b)
    return list(found.values())


def shape(b: Breakdown) -> tuple[str, str, list[tuple[str, str, str | None]], bool | None]:
    return (
        b.label,
        b.total.raw,
        [(p.municipality, p.value.raw, p.origin) for p in b.parts],
        b.sum_ok,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_line_showing_a_part_is_in_a_checked_breakdown(case: Path) -> None:
    report = reportparse.extract(case)
    found = unique(report)
    covered = {n for b in found for n in range(b.span.line or 0, (b.span.end_line or 0) + 1)}
    lines = report_lines(case)
    showing = {n for n, line in enumerate(lines, 1) if SHOWS_A_PART.search(line)}
    assert showing <= covered, (
        f"lines with parts outside any breakdown: {sorted(showing - covered)}"
    )
    assert all(b.sum_ok is True for b in found)
    assert "breakdown.sum_mismatch" not in {w.code for w in report.warnings}
    for b in found:  # the total and every part have the same unit, and add up
        assert {p.value.unit for p in b.parts} == {b.total.unit}
        assert sum(p.value.value or 0 for p in b.parts) == b.total.value


def report_lines(case: Path) -> list[str]:
    data = case.read_bytes()
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").split("\n")
        except UnicodeDecodeError:
            continue
    raise AssertionError(case)


def written(b: Breakdown) -> str:
    """A breakdown in a line: `label total: part part …`, a flow as `origin>municipality`."""
    parts = " ".join(
        (f"{p.origin}>" if p.origin else "") + f"{p.municipality}{p.value.raw}" for p in b.parts
    )
    return f"{b.label} {b.total.raw}: {parts} {b.sum_ok}"


def test_the_seed_breakdowns() -> None:
    found = [written(b) for b in unique(reportparse.extract(TEXT / "seed_fy2020.txt"))]
    assert found == [
        "一般型 5,732人 97人: 蓬田村>外ヶ浜町60人 青森市>外ヶ浜町19人 平内町>青森市16人 "
        "外ヶ浜町>青森市2人 True",
        "幼稚園型 86,921人 297人: 蓬田村>外ヶ浜町273人 蓬田村>青森市24人 True",
        "管理者研修 99人: 今別町2人 蓬田村1人 青森市96人 True",
        "AED研修 51人: 今別町2人 外ヶ浜町1人 蓬田村3人 青森市45人 True",
        "不当要求防止責任者講習 27人: 今別町2人 外ヶ浜町1人 蓬田村2人 青森市22人 True",
        "接遇研修 55人: 蓬田村2人 青森市53人 True",
        "食生活改善推進員会新規入会者 17人: 今別町4人 青森市13人 True",
    ]


def test_flows_with_both_ends_break_down_the_line_before() -> None:
    found = [written(b) for b in unique(reportparse.extract(TEXT / "fy2023_reiwa5.txt"))]
    assert found[0] == "病児保育広域利用者数 63人: 南原町>北浜市41人 西岬町>北浜市22人 True"


def test_a_wrapped_breakdown_spans_both_lines() -> None:
    (b,) = [b for b in unique(parse(SEED)) if b.label == "不当要求防止責任者講習"]
    assert (b.span.line, b.span.end_line) == (148, 149)
    (general,) = [b for b in unique(parse(SEED)) if b.total.raw == "97人"]
    assert (general.span.line, general.span.end_line) == (51, 53)


def test_one_number_broken_gives_the_warning_with_both_numbers() -> None:
    report = parse(SEED.replace("青森市96人", "青森市95人"))
    (b,) = [b for b in unique(report) if b.label == "管理者研修"]
    assert b.sum_ok is False
    (w,) = [w for w in report.warnings if w.code == "breakdown.sum_mismatch"]
    assert (w.page, w.line) == (2, 144)
    assert "98人" in w.message and "99" in w.message and "管理者研修" in w.message
    # A flow's number broken: the bracketed total it breaks down is the one checked.
    report = parse(SEED.replace("外ヶ浜町から2人", "外ヶ浜町から3人"))
    (w,) = [w for w in report.warnings if w.code == "breakdown.sum_mismatch"]
    assert "98人" in w.message and "not 97" in w.message and w.line == 51


def test_unknown_names_ending_in_a_municipality_suffix_are_parts() -> None:
    grammar = load_grammar()
    assert grammar.spec.breakdowns is not None
    assert "架空町" not in grammar.spec.breakdowns.municipalities
    report = parse(SEED.replace("今別町2人、蓬田村1人", "架空町2人、ミナミ村1人"))
    (b,) = [b for b in unique(report) if b.label == "管理者研修"]
    assert [p.municipality for p in b.parts] == ["架空町", "ミナミ村", "青森市"]
    assert b.sum_ok is True


def test_no_breakdown_without_a_total_or_with_text_among_the_parts() -> None:
    for line in (
        "・令和2年8月18日 管理者研修(今別町2人、青森市96人)",  # no total
        "・令和2年8月18日 管理者研修 99人(今別町2人、その他97人)",  # not a municipality
        "・ごみ分別啓発キャンペーン（北浜市、西岬町） 64人",  # names without numbers
        "・青森市納税支援課1人⇔蓬田村税務課1人（実務研修）",
    ):
        report = parse(
            SEED.replace("・令和2年8月18日 管理者研修 99人(今別町2人、蓬田村1人、青森市96人)", line)
        )
        assert all(b.label != "管理者研修" for b in unique(report)), line
        assert len(unique(report)) == 6


def test_parts_in_another_unit_are_not_compared() -> None:
    report = parse(SEED.replace("蓬田村1人、青森市96人", "蓬田村1件、青森市96人"))
    (b,) = [b for b in unique(report) if b.label == "管理者研修"]
    assert b.sum_ok is None
    assert "breakdown.sum_mismatch" not in {w.code for w in report.warnings}


def test_full_width_digits_and_brackets() -> None:
    report = parse(
        SEED.replace(
            "接遇研修 55人(蓬田村2人、青森市53人)", "接遇研修 ５５人（蓬田村２人、青森市５３人）"
        )
    )
    (b,) = [b for b in unique(report) if b.label == "接遇研修"]
    assert (b.total.value, b.total.raw, b.sum_ok) == (55, "５５人", True)
    assert [p.value.raw for p in b.parts] == ["２人", "５３人"]


def test_a_grammar_without_breakdowns_finds_none(tmp_path: Path) -> None:
    text = load_grammar().path.read_text(encoding="utf-8")
    text = text[: text.index("[breakdowns]")] + text[text.index("[grades]") :]
    path = tmp_path / "plain.toml"
    path.write_text(text.replace('name = "renkei-vision"', 'name = "plain"'), encoding="utf-8")
    report = reportparse.extract_bytes(SEED.encode("utf-8"), name="t.txt", grammar=str(path))
    assert unique(report) == []


def test_a_broken_breakdown_pattern_names_its_key(tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    body = f'extends = "{DEFAULT_GRAMMAR}"\n[breakdowns]\n'
    path.write_text(body + "part = '(?P<municipality>{municipality}'\n", "utf-8")
    with pytest.raises(GrammarError, match=r"key 'breakdowns\.part'"):
        load_grammar(path)
    path.write_text(body + "flow = '{municipality}から{quantity}'\n", "utf-8")
    with pytest.raises(GrammarError, match=r"key 'breakdowns\.flow'.*\(\?P<origin>"):
        load_grammar(path)
    path.write_text(body + "other_municipality = '[市'\n", "utf-8")
    with pytest.raises(GrammarError, match=r"key 'breakdowns\.other_municipality'"):
        load_grammar(path)


def test_a_line_of_thousands_of_parts_reads_in_one_pass(tmp_path: Path) -> None:
    """Every total on a line is tried, and each tries to read the rest as parts; states
    that failed are not tried again, so this line (quadratic before) reads at once. (The
    line is longer than the default `limits.max_line_length`, which is raised here.)"""
    grammar = tmp_path / "long-lines.toml"
    grammar.write_text(
        f'extends = "{DEFAULT_GRAMMAR}"\n[family]\nname = "long-lines"\n'
        "[limits]\nmax_line_length = 30000\n",
        encoding="utf-8",
    )
    old = "・令和2年8月18日 管理者研修 99人(今別町2人、蓬田村1人、青森市96人)"
    parts = " ".join(["青森市1人"] * 3000)

    def parse_long(text: str) -> Report:
        return reportparse.extract_bytes(text.encode("utf-8"), name="t.txt", grammar=grammar)

    good = parse_long(SEED.replace(old, f"・研修 3000人 {parts}"))
    (b,) = [b for b in unique(good) if b.label == "研修"]
    assert (len(b.parts), b.sum_ok) == (3000, True)
    bad = parse_long(SEED.replace(old, f"・研修 3000人 {parts} 以上"))
    assert [b for b in unique(bad) if b.label == "研修"] == []


def test_joined_text_maps_folded_offsets_back_to_the_printed_text() -> None:
    """NFKC may make one printed character several (㈱ -> (株)): the offsets still map
    back, on the fast path (one for one) and the slow one alike."""
    from reportparse.breakdowns import _joined
    from reportparse.document import Line

    def entry(*texts: str) -> list[Line]:
        return [Line(raw=t, page=1, line=n) for n, t in enumerate(texts, start=1)]

    fast = _joined([entry("研修 ９９人"), entry("（青森市９６人、", "蓬田村３人）")])
    assert fast.norm == "研修 99人 (青森市96人、蓬田村3人)"
    assert fast.starts == [0, 7, 15]
    slow = _joined([entry("㈱研修 ９９人"), entry("", "（青森市９６人）")])
    assert slow.norm == "(株)研修 99人 (青森市96人)"
    assert slow.starts == [0, 10, 10]
    at = slow.norm.index("99人")
    assert slow.printed(at, at + 3) == "９９人"
    assert slow.printed(0, 3) == "㈱"
