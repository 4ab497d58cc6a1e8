"""`panel --format html`: one small inline-SVG chart per indicator across fiscal years,
with the year's targets and the final target marked."""

from __future__ import annotations

from .htmlkit import esc, page
from .models import Indicator, Quantity
from .panel import Panel, Row, _title

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28  # margins of the plot area


def _value(q: Quantity | None) -> float | None:
    return None if q is None or q.value is None else float(q.value)


def _number(v: float) -> str:
    """A value for a label: thousands separated, at most two decimals."""
    return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")


def _series(row: Row, years: list[int]) -> dict[str, list[tuple[int, float]]]:
    """The year's actual, target and final target of each year that has them."""
    out: dict[str, list[tuple[int, float]]] = {"actual": [], "target": [], "final_target": []}
    for year in years:
        ind: Indicator | None = row.cells.get(year)
        if ind is None:
            continue
        for name in out:
            v = _value(getattr(ind, name))
            if v is not None:
                out[name].append((year, v))
    return out


def chart(row: Row, years: list[int]) -> str:
    """An SVG chart: actual as a line with dots, each year's target as a dark bar, each
    year's final target as a dashed grey bar; value labels on the actual."""
    series = _series(row, years)
    values = [v for points in series.values() for _, v in points]
    if not values:
        return '<p class="na small">no numbers to chart</p>'
    top = max(values) * 1.1 or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(years), 1)

    def x(year: int) -> float:
        return round(LEFT + step * (years.index(year) + 0.5), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - max(v, 0) / top), 1)

    parts = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#8c959f"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#8c959f"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="10">'
        f"{_number(top)}</text>",
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    for year in years:
        parts.append(
            f'<text x="{x(year)}" y="{HEIGHT - 10}" text-anchor="middle" font-size="11">'
            f"{year}</text>"
        )
    half = min(step / 3, 18)
    for year, v in series["final_target"]:
        parts.append(
            f'<line x1="{x(year) - half}" x2="{x(year) + half}" y1="{y(v)}" y2="{y(v)}" '
            f'stroke="#8c959f" stroke-width="2" stroke-dasharray="4,3">'
            f"<title>{year} final target {v:g}</title></line>"
        )
    for year, v in series["target"]:
        parts.append(
            f'<line x1="{x(year) - half}" x2="{x(year) + half}" y1="{y(v)}" y2="{y(v)}" '
            f'stroke="#1f2328" stroke-width="3"><title>{year} target {v:g}</title></line>'
        )
    points = series["actual"]
    if len(points) > 1:
        path = " ".join(f"{x(yr)},{y(v)}" for yr, v in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f6feb" stroke-width="2"/>')
    for year, v in points:
        parts.append(
            f'<circle cx="{x(year)}" cy="{y(v)}" r="4" fill="#1f6feb">'
            f"<title>{year} actual {v:g}</title></circle>"
            f'<text x="{x(year) + 6}" y="{y(v) - 5}" font-size="10" fill="#1f6feb">'
            f"{_number(v)}</text>"
        )
    label = f"{row.indicator}: actual per year, targets marked"
    return (
        f'<svg width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{esc(label)}">{"".join(parts)}</svg>'
    )


def _achievements(row: Row, years: list[int]) -> str:
    cells = []
    for year in years:
        ind = row.cells.get(year)
        a = None if ind is None else ind.achievement
        cells.append(f"{year}: {'—' if a is None else f'{a:.0%}'}")
    return " · ".join(cells)


def panel_html(panel: Panel) -> str:
    """The panel as one self-contained HTML page, a chart per row."""
    cards = []
    for row in panel.rows:
        units = {q.unit for ind in row.cells.values() if (q := ind.actual) is not None and q.unit}
        owner = f"#{row.number} {_title(row) or ''}" if row.number is not None else "unassigned"
        grades = " · ".join(f"{y}: {ind.grade or '—'}" for y, ind in sorted(row.cells.items()))
        cards.append(
            f'<div class="card" style="width:{WIDTH + 10}px" data-indicator="{esc(row.indicator)}">'
            f"<h3>{esc(row.indicator)}"
            f"{' (' + esc('/'.join(sorted(units))) + ')' if units else ''}</h3>"
            f'<div class="muted small">{esc(owner)}</div>{chart(row, panel.years)}'
            f'<div class="small">achievement {esc(_achievements(row, panel.years))}<br>'
            f"grade {esc(grades)}</div></div>"
        )
    warnings = "".join(
        f'<div class="warn">⚠ <code>{esc(w.code)}</code> {esc(w.message)}</div>'
        for w in panel.warnings
    )
    years = ", ".join(str(y) for y in panel.years)
    head = (
        f"<header><h1>reportparse panel: {len(panel.rows)} indicators, fiscal years "
        f'{esc(years)}</h1><p class="small"><span style="color:#1f6feb">● actual</span> · '
        '<b>━</b> the year\'s target · <span class="muted">┅ final target</span></p>'
        f"{warnings}</header>"
    )
    grid = '<section style="display:flex;flex-wrap:wrap;gap:8px">' + "".join(cards) + "</section>"
    return page(f"panel {years}", [head, grid])
