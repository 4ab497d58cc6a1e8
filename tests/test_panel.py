"""`reportparse panel`: several years merged into one indicator time series."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import reportparse
from reportparse.cli import app
from reportparse.errors import InputError
from reportparse.models import Report
from reportparse.panel import build_panel, load_reports, render_panel

TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "text"
NAME = "圏域への立地企業数(累計)"


def _next_year(report: Report, title: str, actual: int) -> Report:
    """The seed report as if published a year later, with initiative 7 renamed."""
    data = report.model_dump(mode="json")
    data["fiscal_year"] = 2021
    data["source"]["path"] = "fy2021.txt"
    seven = next(i for i in data["initiatives"] if i["number"] == 7)
    seven["title"] = title
    seven["indicators"][0]["actual"].update(value=actual, raw=f"{actual}件")
    return Report.model_validate(data)


@pytest.fixture
def seed() -> Report:
    return reportparse.extract(TEXT / "seed_fy2020.txt")


def _csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_renamed_initiative_is_matched_by_number_with_a_warning(seed: Report) -> None:
    later = _next_year(seed, "企業誘致推進事業", 5)
    panel = build_panel([("fy2021.json", later), ("fy2020.json", seed)])
    assert panel.years == [2020, 2021]
    rows = _csv(render_panel(panel, "csv"))
    assert list(rows[0]) == [
        "initiative_number", "initiative_title", "category", "indicator", "unit", "2020", "2021",
    ]  # fmt: skip
    (row,) = [r for r in rows if r["indicator"] == NAME]
    assert (row["initiative_number"], row["unit"], row["2020"], row["2021"]) == (
        "7",
        "件",
        "3",
        "5",
    )
    assert row["initiative_title"] == "企業誘致推進事業"  # the latest title
    assert len(rows) == 8  # every indicator once, both years in the same row
    (warning,) = [w for w in panel.warnings if w.code == "panel.title_changed"]
    assert "initiative 7" in warning.message
    assert "企業誘致関係機関連携事業" in warning.message and "企業誘致推進事業" in warning.message


def test_same_title_gives_no_warning_and_json_has_every_field(seed: Report) -> None:
    later = _next_year(seed, "企業誘致関係機関連携事業", 4)
    later.summary = None  # as in a report made before the summary existed
    panel = build_panel([("a.json", seed), ("b.json", later)], "target")
    assert panel.warnings == []
    data = json.loads(render_panel(panel, "json"))
    assert data["field"] == "target" and data["years"] == [2020, 2021]
    assert data["sources"] == {"2020": "a.json", "2021": "b.json"}
    assert data["coverage"] == {"2020": 1.0, "2021": None}
    row = next(r for r in data["rows"] if r["indicator"] == NAME)
    assert row["values"] == {"2020": 3, "2021": 3}
    assert row["series"]["2021"]["actual"]["value"] == 4
    assert row["series"]["2020"]["grade"] == "A"
    assert row["titles"] == {"2020": "企業誘致関係機関連携事業", "2021": "企業誘致関係機関連携事業"}


def test_real_fixtures_reused_number_and_duplicate_year(seed: Report) -> None:
    fy2019 = reportparse.extract(TEXT / "fy2019_gannen.txt")
    fy2022 = reportparse.extract(TEXT / "fy2022_cp932.txt")
    panel = build_panel([("19", fy2019), ("22", fy2022), ("20", seed), ("20b", seed)])
    assert panel.years == [2019, 2020, 2022]
    codes = [w.code for w in panel.warnings]
    assert codes.count("panel.duplicate_year") == 1
    changed = [w.message for w in panel.warnings if w.code == "panel.title_changed"]
    assert any(m.startswith("initiative 41:") for m in changed)  # 41 names two projects
    rows = [r for r in _csv(render_panel(panel, "csv")) if r["initiative_number"] == "41"]
    assert {(r["2019"], r["2022"]) for r in rows} == {("1250", ""), ("", "4120")}


def test_unassigned_indicators_have_an_empty_number() -> None:
    mixed = reportparse.extract(TEXT / "warnings_mixed.txt")
    rows = _csv(render_panel(build_panel([("m", mixed)]), "csv"))
    assert rows[-1]["indicator"] == "クルーズ船の寄港回数"
    assert rows[-1]["initiative_number"] == "" and rows[-1]["2021"] == "6"


def test_load_reports_rejects_other_json(tmp_path: Path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_text('{"path": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a reportparse JSON report"):
        load_reports([str(bad)])
    with pytest.raises(InputError, match="no such file"):
        load_reports([str(tmp_path / "missing.json")])


def test_cli_panel_from_batch_outputs(seed: Report, tmp_path: Path) -> None:
    (tmp_path / "fy2020.json").write_text(seed.to_json(), encoding="utf-8")
    renamed = _next_year(seed, "企業誘致推進事業", 5)
    (tmp_path / "fy2021.json").write_text(renamed.to_json(), encoding="utf-8")
    out = tmp_path / "panel.csv"
    runner = CliRunner()
    result = runner.invoke(app, ["panel", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "panel.title_changed" in result.output  # the warning, on stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfinitiative_number,")
    result = runner.invoke(app, ["panel", str(tmp_path), "-f", "json", "--no-bom", "-o", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["years"] == [2020, 2021]
    result = runner.invoke(app, ["panel", str(tmp_path), "--field", "size"])
    assert result.exit_code == 2
