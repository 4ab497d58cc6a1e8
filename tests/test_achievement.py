"""Achievement (actual against target) of each indicator, and grades that contradict it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reportparse
from reportparse.achievement import achievement, rate_indicators
from reportparse.diagnostics import Diagnostics
from reportparse.errors import GrammarError
from reportparse.grammar import DEFAULT_GRAMMAR, load_grammar
from reportparse.models import Indicator, Quantity, Span
from reportparse.panel import build_panel, render_panel

from .conftest import FIXTURES

TEXT = FIXTURES / "text"


def q(value: float | None, unit: str | None = "人", bound: str | None = None) -> Quantity:
    return Quantity.model_validate(
        {"raw": f"{value}{unit}", "value": value, "unit": unit, "bound": bound}
    )


def indicator(actual: Quantity | None, target: Quantity | None, grade: str | None) -> Indicator:
    return Indicator(
        name="指標", actual=actual, target=target, final_target=None, actual_year=2020,
        target_year=2020, final_target_year=2024, grade=grade, page=1, name_raw="指標",
        span=Span(page=1, line=3),
    )  # fmt: skip


def test_actual_over_target_and_max_targets_inverted() -> None:
    assert achievement(q(8450, "回"), q(10000, "回")) == 0.845
    assert achievement(q(3, "件"), q(3, "件")) == 1.0
    assert achievement(q(4, "回"), q(1, "回", "min")) == 4.0
    # 以下: lower is better, so target ÷ actual; above 1 is better than the target.
    assert achievement(q(7, "件"), q(5, "件", "max")) == 0.7143
    assert achievement(q(4, "件"), q(6, "件", "max")) == 1.5


@pytest.mark.parametrize(
    "actual,target",
    [
        (None, q(5)),
        (q(5), None),
        (q(None, None), q(None, None)),  # － / （－）
        (q(5, "人"), q(5, "件")),  # units differ
        (q(5), q(0)),  # nothing to divide by
        (q(0, "件"), q(5, "件", "max")),
        (q(-1), q(5)),
    ],
)
def test_null_when_missing_or_not_comparable(
    actual: Quantity | None, target: Quantity | None
) -> None:
    assert achievement(actual, target) is None


@pytest.mark.parametrize(
    "actual,target,grade,warned",
    [
        (q(84), q(100), "A", True),  # "reached", well short
        (q(120), q(100), "C", True),  # "not reached", well over
        (q(7), q(5, bound="max"), "A", True),  # 以下 missed: 7 against at most 5
        (q(4), q(6, bound="max"), "C", True),  # 以下 met, graded as not reached
        (q(96), q(100), "A", False),  # borderline: within the margin
        (q(104), q(100), "B", False),
        (q(100), q(100), "B", False),
        (q(50), q(100), "○", False),  # in neither list: never checked
        (q(50), q(100), None, False),
        (q(50, "件"), q(100), "A", False),  # not comparable
    ],
)
def test_grade_mismatch_only_on_clear_contradictions(
    actual: Quantity, target: Quantity, grade: str | None, warned: bool
) -> None:
    diag = Diagnostics()
    ind = indicator(actual, target, grade)
    rate_indicators([ind], load_grammar(), diag)
    assert [w.code for w in diag.warnings] == (["indicator.grade_mismatch"] if warned else [])
    if warned:
        assert (diag.warnings[0].page, diag.warnings[0].line) == (1, 3)
        assert f"grade {grade}" in diag.warnings[0].message


def test_fixtures_have_achievements_and_no_mismatch() -> None:
    report = reportparse.extract(TEXT / "fy2019_gannen.txt")
    got = {i.name: i.achievement for ini in report.initiatives for i in ini.indicators}
    assert got["観光プロモーション動画の再生回数"] == 0.845
    assert got["ごみ不法投棄の確認件数"] == 0.7143  # 7件 against (5件以下), graded C
    assert got["相互利用できる公共施設数(累計)"] is None  # － (－)
    assert "indicator.grade_mismatch" not in {w.code for w in report.warnings}


def test_a_grade_edited_against_its_numbers_is_flagged() -> None:
    seed = (TEXT / "seed_fy2020.txt").read_text(encoding="utf-8")
    # 合同研修開催回数: 4回 against (1回以上), graded Ａ; graded Ｃ it contradicts its numbers.
    text = seed.replace("4回\n\n（1回以上）\nＡ", "4回\n\n（1回以上）\nＣ")
    assert text != seed
    report = reportparse.extract_bytes(text.encode("utf-8"), name="t.txt")
    (w,) = [w for w in report.warnings if w.code == "indicator.grade_mismatch"]
    assert "grade C" in w.message and "4回" in w.message


def test_panel_shows_achievement_per_year() -> None:
    reports = [
        (str(TEXT / f"{n}.txt"), reportparse.extract(TEXT / f"{n}.txt"))
        for n in ("seed_fy2020", "fy2019_gannen")
    ]
    panel = build_panel(reports, "achievement")
    data = json.loads(render_panel(panel, "json", bom=False))
    (row,) = [r for r in data["rows"] if r["indicator"] == "観光プロモーション動画の再生回数"]
    assert row["values"] == {"2019": 0.845}
    assert row["series"]["2019"]["achievement"] == 0.845
    assert row["unit"] is None
    csv = render_panel(panel, "csv", bom=False)
    assert ",0.845" in csv


def test_grades_of_the_rule_must_be_grades_of_the_table(tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{DEFAULT_GRAMMAR}"\n[grades]\nreached = ["A", "Z"]\n', "utf-8")
    with pytest.raises(GrammarError, match=r"key 'grades\.reached': Z not in 'table\.grades'"):
        load_grammar(path)
