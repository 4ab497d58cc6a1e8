"""`reportparse panel`: several years' JSON reports merged into one indicator time series."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .codes import PanelCode
from .errors import InputError
from .exports import to_csv
from .models import Indicator, Initiative, Report, Warning

FIELDS = ("actual", "target", "final_target", "grade", "achievement")
NOT_QUANTITIES = ("grade", "achievement")  # fields without a unit
HEAD = ("initiative_number", "initiative_title", "category", "indicator", "unit")


@dataclass(slots=True)
class Row:
    """One indicator of one initiative (or an unassigned one) across the years."""

    number: int | None
    indicator: str
    titles: dict[int, str] = field(default_factory=dict)
    category: str | None = None
    cells: dict[int, Indicator] = field(default_factory=dict)


@dataclass(slots=True)
class Panel:
    field: str  # what the CSV's year columns hold: one of FIELDS
    years: list[int]
    sources: dict[int, str]
    rows: list[Row]
    warnings: list[Warning]
    coverage: dict[int, float | None]  # each year's summary.coverage (null: none recorded)


def load_reports(paths: Iterable[str]) -> list[tuple[str, Report]]:
    """Report JSON files (the output of `extract` or `batch --format json`), or folders of
    them; anything else is an InputError."""
    files: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{arg}: no such file")
    reports: list[tuple[str, Report]] = []
    for path in files:
        try:
            reports.append((str(path), Report.model_validate_json(path.read_bytes())))
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "document"
            raise InputError(
                f"{path}: not a reportparse JSON report ({where}: {first['msg']}); "
                "panel reads the output of `extract` or `batch --format json`"
            ) from None
    if not reports:
        raise InputError("no report JSON files given")
    return reports


def _warning(code: PanelCode, message: str) -> Warning:
    """A panel warning; only registered codes type-check."""
    return Warning(code=code, message=message)


def _key(title: str) -> str:
    """A title compared across years: NFKC, without white space."""
    return "".join(unicodedata.normalize("NFKC", title).split())


def _title_warnings(initiatives: dict[int, list[tuple[int, Initiative]]]) -> list[Warning]:
    warnings: list[Warning] = []
    for number, seen in sorted(initiatives.items()):
        changes = [
            f"{y0} 「{a.title}」 → {y1} 「{b.title}」"
            for (y0, a), (y1, b) in pairwise(seen)
            if _key(a.title) != _key(b.title)
        ]
        if changes:
            message = f"initiative {number}: title changed between years: {'; '.join(changes)}"
            warnings.append(_warning("panel.title_changed", message))
    by_title: defaultdict[str, dict[int, int]] = defaultdict(dict)
    for number, seen in initiatives.items():
        for year, initiative in seen:
            by_title[_key(initiative.title)][year] = number
    for title, numbers in by_title.items():
        if len(set(numbers.values())) > 1:
            where = ", ".join(f"{n} in {y}" for y, n in sorted(numbers.items()))
            message = f"initiative 「{title}」 has different numbers: {where}"
            warnings.append(_warning("panel.number_changed", message))
    return warnings


def build_panel(reports: Sequence[tuple[str, Report]], name: str = "actual") -> Panel:
    """Match initiatives across years by number (warning where the title changed) and
    indicators within them by name; one report per fiscal year. `name` is the field the
    CSV shows per year."""
    if name not in FIELDS:
        raise ValueError(f"unknown field {name!r}; use {', '.join(FIELDS)}")
    warnings: list[Warning] = []
    by_year: dict[int, tuple[str, Report]] = {}
    for path, report in reports:
        year = report.fiscal_year
        if year is None:
            message = f"{path}: no fiscal year; left out"
            warnings.append(_warning("panel.no_fiscal_year", message))
        elif year in by_year:
            message = f"{path}: fiscal year {year} is already given by {by_year[year][0]}; left out"
            warnings.append(_warning("panel.duplicate_year", message))
        else:
            by_year[year] = (path, report)
    rows: dict[tuple[int | None, str], Row] = {}
    initiatives: defaultdict[int, list[tuple[int, Initiative]]] = defaultdict(list)
    for year in sorted(by_year):
        path, report = by_year[year]
        owned = [(i, ind) for i in report.initiatives for ind in i.indicators]
        for owner, ind in [*owned, *((None, ind) for ind in report.unassigned_indicators)]:
            key = (owner.number if owner else None, ind.name)
            row = rows.setdefault(key, Row(*key))
            if year in row.cells:
                message = f"{path}: indicator 「{ind.name}」 appears twice in {key[0]}; first kept"
                warnings.append(_warning("panel.duplicate_indicator", message))
                continue
            row.cells[year] = ind
            if owner:
                row.titles[year] = owner.title
                row.category = owner.category or row.category
        for initiative in report.initiatives:
            initiatives[initiative.number].append((year, initiative))
    warnings += _title_warnings(initiatives)
    order = sorted(rows.values(), key=lambda r: (r.number is None, r.number or 0))
    warnings += _unit_warnings(order, name)
    sources = {year: path for year, (path, _) in by_year.items()}
    coverage = {y: r.summary.coverage if r.summary else None for y, (_, r) in by_year.items()}
    return Panel(name, sorted(by_year), sources, order, warnings, coverage)


def _value(ind: Indicator | None, name: str) -> Any:
    if ind is None:
        return None
    if name in NOT_QUANTITIES:
        return getattr(ind, name)
    quantity = getattr(ind, name)
    return None if quantity is None else quantity.value


def _unit(row: Row, name: str) -> str | None:
    if name in NOT_QUANTITIES:
        return None
    units = [q.unit for ind in row.cells.values() if (q := getattr(ind, name)) and q.unit]
    return units[-1] if units else None


def _title(row: Row) -> str | None:
    return row.titles[max(row.titles)] if row.titles else None


def _unit_warnings(rows: Iterable[Row], name: str) -> list[Warning]:
    """A warning per row whose unit differs between years."""
    warnings: list[Warning] = []
    if name in NOT_QUANTITIES:
        return warnings
    for row in rows:
        units = {q.unit for ind in row.cells.values() if (q := getattr(ind, name)) and q.unit}
        if len(units) > 1:
            message = f"{row.number}: 「{row.indicator}」: unit differs between years: "
            warnings.append(_warning("panel.unit_changed", message + "/".join(units)))
    return warnings


def render_panel(panel: Panel, fmt: str, *, bom: bool = True) -> str:
    """The panel as CSV (a column per fiscal year holding the panel's field), JSON (every
    field per year, plus the warnings) or HTML (a chart per indicator)."""
    name = panel.field
    if fmt == "csv":
        columns = [*HEAD, *(str(y) for y in panel.years)]
        records = []
        for row in panel.rows:
            record: dict[str, Any] = dict(zip(HEAD, _head(row, name), strict=True))
            record.update((str(y), _value(row.cells.get(y), name)) for y in panel.years)
            records.append(record)
        return to_csv(columns, records, bom=bom)
    if fmt == "html":
        from .panel_html import panel_html

        return panel_html(panel)
    if fmt != "json":
        raise ValueError(f"unknown panel format {fmt!r}; use csv, json or html")
    data = {
        "field": name,
        "years": panel.years,
        "sources": {str(y): p for y, p in sorted(panel.sources.items())},
        "coverage": {str(y): c for y, c in sorted(panel.coverage.items())},
        "rows": [_json_row(row, name) for row in panel.rows],
        "warnings": [w.model_dump(mode="json", exclude_none=True) for w in panel.warnings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _head(row: Row, name: str) -> tuple[Any, ...]:
    return (row.number, _title(row), row.category, row.indicator, _unit(row, name))


def _json_row(row: Row, name: str) -> dict[str, Any]:
    record: dict[str, Any] = dict(zip(HEAD, _head(row, name), strict=True))
    record["titles"] = {str(y): t for y, t in sorted(row.titles.items())}
    record["values"] = {str(y): _value(ind, name) for y, ind in sorted(row.cells.items())}
    drop = {"name", "span", "name_raw", "grade_raw"}
    record["series"] = {
        str(y): ind.model_dump(mode="json", exclude=drop) for y, ind in sorted(row.cells.items())
    }
    return record
