"""CSV and JSON Lines exports of indicators, from the library and from `extract --format`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import reportparse
from reportparse.cli import app
from reportparse.exports import BREAKDOWN_COLUMNS, CSV_COLUMNS, csv_rows, render_format

TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SEED = TEXT / "seed_fy2020.txt"

EXPECTED_HEADER = [
    "source", "fiscal_year", "page", "initiative_number", "initiative_title", "category",
    "indicator",
    "actual_value", "actual_unit", "actual_bound", "actual_per", "actual_raw",
    "target_value", "target_unit", "target_bound", "target_per", "target_raw",
    "final_target_value", "final_target_unit", "final_target_bound", "final_target_per",
    "final_target_raw",
    "actual_year", "target_year", "final_target_year", "grade", "achievement",
]  # fmt: skip


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _row(rows: list[dict[str, str]], name: str) -> dict[str, str]:
    (row,) = [r for r in rows if r["indicator"] == name]
    return row


def test_csv_has_bom_header_and_seed_values() -> None:
    report = reportparse.extract(SEED)
    text = render_format([report], "csv")
    assert text.startswith("\ufeffsource,fiscal_year,")
    assert text.splitlines()[0].removeprefix("\ufeff").split(",") == EXPECTED_HEADER
    assert list(CSV_COLUMNS) == EXPECTED_HEADER
    rows = _read_csv(text)
    assert len(rows) == sum(len(i.indicators) for i in report.initiatives) == 8
    row = _row(rows, "圏域への立地企業数(累計)")
    assert row["source"] == str(SEED)
    assert (row["fiscal_year"], row["page"], row["initiative_number"]) == ("2020", "1", "7")
    assert row["initiative_title"] == "企業誘致関係機関連携事業"
    assert row["category"] == "ビジョンに記載している取組"
    assert (row["actual_value"], row["actual_unit"], row["actual_raw"]) == ("3", "件", "3件")
    assert (row["target_value"], row["target_unit"], row["target_raw"]) == ("3", "件", "3件")
    assert (row["final_target_value"], row["final_target_raw"]) == ("16", "16件")
    assert (row["actual_year"], row["target_year"], row["final_target_year"]) == (
        "2020",
        "2020",
        "2024",
    )
    assert (row["grade"], row["achievement"]) == ("A", "1.0")
    assert row["actual_bound"] == "" and row["actual_per"] == ""


def test_csv_bounds_per_and_quoting() -> None:
    rows = _read_csv(render_format([reportparse.extract(SEED)], "csv"))
    meetings = _row(rows, "会議開催回数")
    assert (meetings["target_bound"], meetings["target_raw"]) == ("min", "1回以上")
    assert (meetings["final_target_bound"], meetings["final_target_per"]) == ("min", "年度")
    # "1,036人" holds a comma: quoted in the CSV, intact when read back.
    cp932 = _read_csv(render_format([reportparse.extract(TEXT / "fy2022_cp932.txt")], "csv"))
    patients = _row(cp932, "休日夜間急患診療所の連携町村住民受診者数")
    assert (patients["actual_raw"], patients["actual_value"]) == ("1,036人", "1036")


def test_csv_without_bom_and_several_reports() -> None:
    reports = [reportparse.extract(SEED), reportparse.extract(TEXT / "fy2019_gannen.txt")]
    text = render_format(reports, "csv", bom=False)
    assert text.startswith("source,")
    years = {r["fiscal_year"] for r in _read_csv(text)}
    assert years == {"2019", "2020"}
    assert len(csv_rows(reports)) == len(_read_csv(text))


def test_jsonl_is_typed_and_lists_unassigned_indicators() -> None:
    report = reportparse.extract(TEXT / "warnings_mixed.txt")
    lines = render_format([report], "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3
    assert set(records[0]) == {
        "source", "fiscal_year", "page", "initiative_number", "initiative_title", "category",
        "indicator", "actual", "target", "final_target", "actual_year", "target_year",
        "final_target_year", "grade", "achievement",
    }  # fmt: skip
    last = records[-1]
    assert last["indicator"] == "クルーズ船の寄港回数"
    assert last["initiative_number"] is None and last["initiative_title"] is None
    assert last["actual"] == {"value": 6, "unit": "回", "bound": None, "per": None, "raw": "6回"}
    assert isinstance(records[0]["initiative_number"], int)


def test_json_format_is_the_contract() -> None:
    report = reportparse.extract(SEED)
    assert render_format([report], "json") == report.to_json() + "\n"
    with pytest.raises(ValueError, match="unknown format"):
        render_format([report], "xml")


def test_extract_cli_csv_bom_default_and_no_bom(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "seed.csv"
    result = runner.invoke(app, ["extract", str(SEED), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfsource,")
    result = runner.invoke(app, ["extract", str(SEED), "-f", "csv", "--no-bom", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"source,")
    result = runner.invoke(app, ["extract", str(SEED), "-f", "jsonl", "-o", str(out)])
    assert len(out.read_text(encoding="utf-8").splitlines()) == 8


def test_breakdown_parts_one_row_each() -> None:
    report = reportparse.extract(SEED)
    rows = _read_csv(render_format([report], "breakdowns-csv"))
    assert list(rows[0]) == list(BREAKDOWN_COLUMNS)
    # 23/24 share one body: their two breakdowns are listed once, under 23.
    assert len(rows) == 4 + 2 + 3 + 4 + 4 + 2 + 2
    general = [r for r in rows if r["label"] == "一般型 5,732人"]
    assert [(r["municipality"], r["origin"], r["value"]) for r in general] == [
        ("外ヶ浜町", "蓬田村", "60"),
        ("外ヶ浜町", "青森市", "19"),
        ("青森市", "平内町", "16"),
        ("青森市", "外ヶ浜町", "2"),
    ]
    assert {(r["initiative_number"], r["total_raw"], r["sum_ok"]) for r in general} == {
        ("23", "97人", "true")
    }
    aed = [r for r in rows if r["label"] == "AED研修"]
    assert [r["origin"] for r in aed] == [""] * 4
    assert (aed[0]["line"], aed[0]["section"]) == ("146", "令和2年度の実績")
    records = [json.loads(x) for x in render_format([report], "breakdowns-jsonl").splitlines()]
    assert len(records) == len(rows)
    assert records[0]["sum_ok"] is True and records[0]["value"] == 60
    assert records[0]["origin"] == "蓬田村" and records[-1]["origin"] is None
