"""Flat exports of reports: CSV (Excel-friendly) and JSON Lines, one row per indicator or
one row per part of a municipality breakdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .models import Indicator, Initiative, Quantity, Report

FORMATS = ("json", "jsonl", "csv", "breakdowns-jsonl", "breakdowns-csv")
EXTENSIONS = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "breakdowns-jsonl": ".breakdowns.jsonl",
    "breakdowns-csv": ".breakdowns.csv",
}
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
TAIL = ("actual_year", "target_year", "final_target_year", "grade", "achievement")
CSV_COLUMNS: tuple[str, ...] = (
    *HEAD,
    *(f"{q}_{f}" for q in QUANTITIES for f in QUANTITY_FIELDS),
    *TAIL,
)

# One row per part of a breakdown (Section.breakdowns).
BREAKDOWN_COLUMNS = (
    "source",
    "fiscal_year",
    "page",
    "line",
    "initiative_number",
    "initiative_title",
    "section",
    "label",
    "total_value",
    "total_unit",
    "total_raw",
    "municipality",
    "origin",
    "value",
    "unit",
    "raw",
    "sum_ok",
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
        "achievement": ind.achievement,
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


def breakdown_records(reports: Sequence[Report]) -> Iterator[Record]:
    """One record per part of every breakdown, in document order. Initiatives of a group
    share their sections: a breakdown is listed once, under the first of them."""
    for report in reports:
        seen: set[tuple[int | None, int | None, str]] = set()
        for initiative in report.initiatives:
            for section in initiative.sections:
                for b in section.breakdowns:
                    key = (b.span.page, b.span.line, b.label)
                    if key in seen:
                        continue
                    seen.add(key)
                    for part in b.parts:
                        yield {
                            "source": report.source.path,
                            "fiscal_year": report.fiscal_year,
                            "page": b.span.page,
                            "line": b.span.line,
                            "initiative_number": initiative.number,
                            "initiative_title": initiative.title,
                            "section": section.marker,
                            "label": b.label,
                            "total_value": b.total.value,
                            "total_unit": b.total.unit,
                            "total_raw": b.total.raw,
                            "municipality": part.municipality,
                            "origin": part.origin,
                            "value": part.value.value,
                            "unit": part.value.unit,
                            "raw": part.value.raw,
                            "sum_ok": b.sum_ok,
                        }


def _jsonl(records: Iterable[Record]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


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
    if isinstance(value, bool):
        return "true" if value else "false"
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
    return _jsonl(indicator_records(reports))


def render_format(reports: Sequence[Report], fmt: str, *, bom: bool = True) -> str:
    """Reports in an output format: `json` (the contract; an array for several reports),
    `jsonl` or `csv` (the indicators), `breakdowns-jsonl` or `breakdowns-csv` (the parts
    of municipality breakdowns). `bom` applies to CSV only."""
    if fmt == "json":
        if len(reports) == 1:
            return reports[0].to_json() + "\n"
        data = [r.model_dump(mode="json") for r in reports]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return render_jsonl(reports)
    if fmt == "csv":
        return render_csv(reports, bom=bom)
    if fmt == "breakdowns-jsonl":
        return _jsonl(breakdown_records(reports))
    if fmt == "breakdowns-csv":
        return to_csv(BREAKDOWN_COLUMNS, list(breakdown_records(reports)), bom=bom)
    raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
