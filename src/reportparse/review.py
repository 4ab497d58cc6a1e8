"""`reportparse show`: one self-contained HTML page to check what was read from a report.

A summary, an indicator overview, then the source with the facts beside it: for a PDF
each page as an image (rendered with pypdfium2) with the regions found drawn over it,
for text the source lines with the lines of each fact marked. Hovering a fact highlights
where it came from; clicking it scrolls there. Every warning is shown at its place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from .document import BBox, union_of
from .htmlkit import esc, page, quantity, value_bar
from .models import Breakdown, Indicator, Initiative, Report, Span, Warning

SCALE = 1.5  # pixels per PDF point of the page images
TABLE_GAP = 30.0  # points between two indicator rows that are in different tables


def unique_breakdowns(report: Report) -> list[Breakdown]:
    """Each breakdown once (the initiatives of a group carry the same sections)."""
    found: dict[tuple[int | None, int | None, str], Breakdown] = {}
    for ini in report.initiatives:
        for section in ini.sections:
            for b in section.breakdowns:
                found.setdefault((b.span.page, b.span.line, b.label), b)
    return list(found.values())


def _indicators(report: Report) -> Iterator[tuple[Initiative | None, Indicator]]:
    for ini in report.initiatives:
        for ind in ini.indicators:
            yield ini, ind
    for ind in report.unassigned_indicators:
        yield None, ind


def _where(page_no: int | None, line: int | None) -> str:
    parts = [f"page {page_no}" if page_no else "", f"line {line}" if line else ""]
    return ", ".join(p for p in parts if p)


def _sum_state(b: Breakdown) -> str:
    if b.sum_ok is None:
        return '<span class="na">not comparable</span>'
    if b.sum_ok:
        return '<span class="ok">✓ adds up</span>'
    return '<span class="bad">✗ does not add up</span>'


def summary(report: Report) -> str:
    """Counts at the top: initiatives, indicators, grades, breakdown checks, warnings."""
    inds = [ind for _, ind in _indicators(report)]
    grades = Counter(ind.grade or "—" for ind in inds)
    checks = Counter(b.sum_ok for b in unique_breakdowns(report))
    by_code = Counter(w.code for w in report.warnings)
    coverage = report.summary.coverage if report.summary else None
    stats = [
        ("initiatives", len(report.initiatives)),
        ("indicators", len(inds)),
        ("unassigned", len(report.unassigned_indicators)),
        ("breakdowns", sum(checks.values())),
        ("warnings", len(report.warnings)),
        ("coverage", "—" if coverage is None else f"{coverage:.1%}"),
    ]
    boxes = "".join(f'<div class="stat"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in stats)
    grade_list = ", ".join(f"{esc(g)} × {n}" for g, n in sorted(grades.items()))
    sums = (
        f'<span class="ok">{checks[True]} add up</span>, '
        f'<span class="{"bad" if checks[False] else "ok"}">{checks[False]} do not</span>, '
        f'<span class="na">{checks[None]} not comparable</span>'
    )
    codes = ", ".join(f"<code>{esc(c)}</code> × {n}" for c, n in sorted(by_code.items()))
    warnings = "".join(
        f'<div class="warn fact" data-ref="w{k}">⚠ <code>{esc(w.code)}</code> '
        f'{esc(w.message)} <span class="muted">({esc(_where(w.page, w.line) or "report")})'
        "</span></div>"
        for k, w in enumerate(report.warnings)
    )
    source = report.source
    return (
        f"<header><h1>reportparse review: {esc(source.path or '<stdin>')}</h1>"
        f'<p class="muted small">{esc(source.format)}'
        + (f", {source.pages} page(s)" if source.pages else "")
        + f", fiscal year {esc(report.fiscal_year)}, sha256 {esc(source.sha256[:12])}…</p>"
        f'<div class="stats">{boxes}</div>'
        f"<p><b>Grades:</b> {grade_list or '—'}<br><b>Breakdown checks:</b> {sums}<br>"
        f"<b>Warnings by code:</b> {codes or 'none'}</p>{warnings}</header>"
    )


def overview(report: Report, refs: Refs) -> str:
    """One row per indicator: values, grade, achievement and a bar of actual vs targets."""
    rows = []
    for ini, ind in _indicators(report):
        owner = f"#{ini.number}" if ini else '<span class="bad">unassigned</span>'
        reached = ind.achievement is not None and ind.achievement >= 1
        achieved = "—" if ind.achievement is None else f"{ind.achievement:.0%}"
        rows.append(
            f'<tr class="fact" data-ref="{refs.of(ind)}"><td>{owner}</td><td>{esc(ind.name)}</td>'
            f'<td class="num">{quantity(ind.actual)}</td>'
            f'<td class="num">{quantity(ind.target)}</td>'
            f'<td class="num">{quantity(ind.final_target)}</td>'
            f'<td>{esc(ind.grade or "—")}</td><td class="num">{achieved}</td>'
            f"<td>{value_bar(ind.actual, ind.target, ind.final_target, reached)}</td></tr>"
        )
    head = (
        "<tr><th>initiative</th><th>indicator</th><th>actual</th><th>target</th>"
        "<th>final target</th><th>grade</th><th>achievement</th>"
        '<th>bar: actual, <span title="target">┃ target</span>, ┆ final target</th></tr>'
    )
    return f"<section><h2>Indicators</h2><table>{head}{''.join(rows)}</table></section>"


@dataclass(slots=True)
class Refs:
    """Where each fact is shown in the source: element ids, one or more per fact."""

    pdf: bool
    ids: dict[int, str] = field(default_factory=dict)  # id() of a fact -> its data-ref
    boxes: dict[int, list[tuple[str, BBox, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # page -> (kind, bbox, label, element id, tooltip)
    count: int = 0

    def add(self, facts: list[object], kind: str, span: Span, label: str, tip: str) -> None:
        """A region for these facts: a box over the PDF page, or the lines of the text."""
        if self.pdf:
            if span.bbox is None or span.page is None:
                return
            self.count += 1
            rid = f"r{self.count}"
            self.boxes[span.page].append((kind, span.bbox, label, rid, tip))
            for fact in facts:
                self.ids[id(fact)] = (self.ids.get(id(fact), "") + " " + rid).strip()
        elif span.line is not None:
            end = span.end_line or span.line
            for fact in facts:
                self.ids[id(fact)] = " ".join(f"L{n}" for n in range(span.line, end + 1))

    def of(self, fact: object) -> str:
        return self.ids.get(id(fact), "")


def _tables(rows: list[Indicator]) -> list[tuple[int, BBox, list[Indicator]]]:
    """Indicator rows of one owner grouped into tables by their gaps: page, box, rows."""
    boxed = sorted(
        (r for r in rows if r.span.bbox and r.span.page),
        key=lambda r: (r.span.page or 0, r.span.bbox[1] if r.span.bbox else 0),
    )
    tables: list[tuple[int, list[BBox], list[Indicator]]] = []
    for row in boxed:
        page_no, box = row.span.page or 0, row.span.bbox or (0, 0, 0, 0)
        last = tables[-1] if tables else None
        if last and last[0] == page_no and box[1] - last[1][-1][3] < TABLE_GAP:
            last[1].append(box)
            last[2].append(row)
        else:
            tables.append((page_no, [box], [row]))
    return [(p, union_of(boxes), members) for p, boxes, members in tables]


def collect(report: Report, pdf: bool) -> Refs:
    """Every fact with a place: initiatives, sections, breakdowns, tables, indicator rows."""
    refs = Refs(pdf)
    for ini in report.initiatives:
        label = "#" + "/".join(str(n) for n in ini.group)
        refs.add([ini], "initiative", ini.span, label, f"{label} {ini.title}")
        for section in ini.sections:
            refs.add([section], "section", section.span, label, f"{label} 【{section.marker}】")
            for b in section.breakdowns:
                refs.add([b], "breakdown", b.span, label, f"{label} {b.label} {b.total.raw}")
    for ini in report.initiatives:
        for ind in ini.indicators:
            refs.add([ind], "indicator", ind.span, f"#{ini.number}", f"#{ini.number} {ind.name}")
    for ind in report.unassigned_indicators:
        refs.add([ind], "indicator", ind.span, "?", f"unassigned: {ind.name}")
    # Tables are drawn per block: the members of a group share theirs.
    blocks: dict[tuple[int, ...], list[Indicator]] = defaultdict(list)
    for ini in report.initiatives:
        blocks[tuple(ini.group)] += ini.indicators
    owners = [("#" + "/".join(map(str, group)), rows) for group, rows in blocks.items()]
    owners.append(("unassigned", report.unassigned_indicators))
    for label, rows in owners:
        if pdf:  # a row's fact points to its table too
            for page_no, box, members in _tables(rows):
                table = Span(page=page_no, bbox=box)
                refs.add(list(members), "table", table, f"table {label}", f"table {label}")
    return refs


def _facts(ini: Initiative, refs: Refs) -> str:
    """An initiative's card: title, sections with their breakdowns, indicators."""
    items = [
        f'<h3 class="fact" data-ref="{refs.of(ini)}">#{ini.number} {esc(ini.title)}</h3>'
        f'<div class="muted small">{esc(ini.category or "no category")} · page {esc(ini.page)}'
        f"{' · group ' + esc(ini.group) if len(ini.group) > 1 else ''}</div>"
    ]
    for s in ini.sections:
        text = s.text if len(s.text) <= 160 else s.text[:160] + "…"
        events = f" · {len(s.events)} event(s)" if s.events else ""
        items.append(
            f'<div class="fact small" data-ref="{refs.of(s)}"><b>【{esc(s.marker)}】</b> '
            f'<span class="muted">{esc(s.kind)}{events}</span><br>{esc(text)}</div>'
        )
        for b in s.breakdowns:
            parts = "、".join(
                f"{esc(p.origin) + '→' if p.origin else ''}{esc(p.municipality)} {esc(p.value.raw)}"
                for p in b.parts
            )
            items.append(
                f'<div class="fact small" data-ref="{refs.of(b)}">▸ {esc(b.label)} '
                f"<b>{esc(b.total.raw)}</b> = {parts} {_sum_state(b)}</div>"
            )
    for ind in ini.indicators:
        items.append(_indicator_fact(ind, refs))
    return f'<div class="card" data-initiative="{ini.number}">{"".join(items)}</div>'


def _indicator_fact(ind: Indicator, refs: Refs) -> str:
    achieved = "" if ind.achievement is None else f" · {ind.achievement:.0%}"
    return (
        f'<div class="fact small" data-ref="{refs.of(ind)}">■ {esc(ind.name)}: '
        f"{quantity(ind.actual)} ({quantity(ind.target)}) {esc(ind.grade or '—')} → "
        f"{quantity(ind.final_target)}{achieved}</div>"
    )


def _warning(k: int, w: Warning) -> str:
    return (
        f'<div class="warn" id="w{k}">⚠ <code>{esc(w.code)}</code> {esc(w.message)} '
        f'<span class="muted">({esc(_where(w.page, w.line) or "report")})</span></div>'
    )


def review_html(report: Report, data: bytes, password: str | None = None) -> str:
    """The review page of a parsed report; `data` is the input it was parsed from."""
    from .review_source import pdf_pages, text_pages

    pdf = report.source.format == "pdf"
    refs = collect(report, pdf)
    body = [summary(report), overview(report, refs)]
    if pdf:
        body += pdf_pages(report, data, password, refs)
    else:
        body += text_pages(report, data, refs)
    if report.unassigned_indicators:
        rows = "".join(_indicator_fact(ind, refs) for ind in report.unassigned_indicators)
        body.append(f"<section><h2>Unassigned indicators</h2>{rows}</section>")
    return page(f"review: {report.source.path or 'stdin'}", body)
