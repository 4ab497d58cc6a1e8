"""Flat exports of the indicators of reports: CSV (Excel-friendly) and JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from .models import Indicator, Initiative, Quantity, Report

FORMATS = ("json", "jsonl", "csv")
EXTENSIONS = {"json": ".json", "jsonl": ".jsonl", "csv": ".csv"}
BOM = "\ufeff"
QUANTITIES = ("actual", "target", "final_target")
QUANTITY_FIELDS = ("value", "unit", "bound", "per", "raw")

# The leading columns of a row, before the quantities.
HEAD = (
    "source",
    "fiscal_year",
    "page",
    "initiative_number",
    "initiative_title",
    "category",
    "indicator",
)
TAIL = ("actual_year", "target_year", "final_target_year", "grade")
CSV_COLUMNS: tuple[str, ...] = (
    *HEAD,
    *(f"{q}_{f}" for q in QUANTITIES for f in QUANTITY_FIELDS),
    *TAIL,
)

Record = dict[str, Any]


def _quantity(q: Quantity | None) -> Record | None:
    if q is None:
        return None
    return {"value": q.value, "unit": q.unit, "bound": q.bound, "per": q.per, "raw": q.raw}


def _record(report: Report, owner: Initiative | None, ind: Indicator) -> Record:
    return {
        "source": report.source.path,
        "fiscal_year": report.fiscal_year,
        "page": ind.page,
        "initiative_number": owner.number if owner else None,
        "initiative_title": owner.title if owner else None,
        "category": owner.category if owner else None,
        "indicator": ind.name,
        "actual": _quantity(ind.actual),
        "target": _quantity(ind.target),
        "final_target": _quantity(ind.final_target),
        "actual_year": ind.actual_year,
        "target_year": ind.target_year,
        "final_target_year": ind.final_target_year,
        "grade": ind.grade,
    }


def indicator_records(reports: Sequence[Report]) -> Iterator[Record]:
    """One typed record per indicator, quantities nested; unassigned indicators come last
    in each report, with null initiative fields."""
    for report in reports:
        for initiative in report.initiatives:
            for ind in initiative.indicators:
                yield _record(report, initiative, ind)
        for ind in report.unassigned_indicators:
            yield _record(report, None, ind)


def csv_rows(reports: Sequence[Report]) -> list[Record]:
    """The CSV rows: the records with each quantity flattened to `<quantity>_<field>`."""
    rows: list[Record] = []
    for record in indicator_records(reports):
        row: Record = {key: record[key] for key in HEAD}
        for q in QUANTITIES:
            quantity = record[q] or {}
            for f in QUANTITY_FIELDS:
                row[f"{q}_{f}"] = quantity.get(f)
        row.update((key, record[key]) for key in TAIL)
        rows.append(row)
    return rows


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Record], *, bom: bool = True) -> str:
    """CSV text (CRLF rows, as Excel writes); null is an empty cell; a BOM first by default."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return (BOM if bom else "") + buffer.getvalue()


def render_csv(reports: Sequence[Report], *, bom: bool = True) -> str:
    """One CSV row per indicator of every report."""
    return to_csv(CSV_COLUMNS, csv_rows(reports), bom=bom)


def render_jsonl(reports: Sequence[Report]) -> str:
    """One JSON object per indicator per line; fields as in the CSV, quantities nested."""
    return "".join(
        json.dumps(record, ensure_ascii=False) + "\n" for record in indicator_records(reports)
    )


def render_format(reports: Sequence[Report], fmt: str, *, bom: bool = True) -> str:
    """Reports in an output format: `json` (the contract; an array for several reports),
    `jsonl` or `csv` (the indicators). `bom` applies to CSV only."""
    if fmt == "json":
        if len(reports) == 1:
            return reports[0].to_json() + "\n"
        data = [r.model_dump(mode="json") for r in reports]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return render_jsonl(reports)
    if fmt == "csv":
        return render_csv(reports, bom=bom)
    raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
