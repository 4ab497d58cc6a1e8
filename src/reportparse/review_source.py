"""The source half of the review page: PDF pages as images with the regions drawn over
them, or text lines with each fact's lines marked; warnings at their place."""

from __future__ import annotations

import base64
import io
from collections import defaultdict

from .document import BBox
from .htmlkit import COLOURS, esc, legend
from .models import Report, Span, Warning
from .review import SCALE, Refs, _facts, _warning
from .stages.decode import decode_bytes

# Left-border colours of consecutive initiatives in the text view.
PALETTE = ("#1f6feb", "#2da44e", "#8250df", "#d4a72c", "#cf222e", "#1b7c83")


def _spans(report: Report) -> list[Span]:
    """Every span in the report, for placing warnings."""
    spans: list[Span] = []
    for ini in report.initiatives:
        spans.append(ini.span)
        for s in ini.sections:
            spans += [s.span, *(e.span for e in s.events), *(b.span for b in s.breakdowns)]
        spans += [ind.span for ind in ini.indicators]
    spans += [ind.span for ind in report.unassigned_indicators]
    return spans


def _locate(spans: list[Span], w: Warning) -> BBox | None:
    """The box of the smallest span on the warning's page that holds its line."""
    holding = [
        s
        for s in spans
        if s.bbox is not None
        and s.page == w.page
        and s.line is not None
        and w.line is not None
        and s.line <= w.line <= (s.end_line or s.line)
    ]
    if not holding:
        return None
    best = min(holding, key=lambda s: (s.end_line or s.line or 0) - (s.line or 0))
    return best.bbox


def _box(kind: str, bbox: BBox, size: tuple[float, float], label: str, rid: str, tip: str) -> str:
    width, height = size
    x0, top, x1, bottom = bbox
    style = (
        f"left:{x0 / width:.3%};top:{top / height:.3%};width:{(x1 - x0) / width:.3%};"
        f"height:{max(bottom - top, 2) / height:.3%};border-color:{COLOURS[kind]}"
    )
    side = "" if kind in ("initiative", "table") else ' class="r"'  # others: at the right
    tag = f'<i{side} style="background:{COLOURS[kind]}">{esc(label)}</i>' if label else ""
    return (
        f'<div class="box {kind}" id="{rid}" style="{style}" title="{esc(tip)}" '
        f'data-ref="{rid}">{tag}</div>'
    )


def pdf_pages(report: Report, data: bytes, password: str | None, refs: Refs) -> list[str]:
    """Each page as a PNG with its regions over it, beside the facts found on it."""
    import pypdfium2

    spans = _spans(report)
    placed: dict[int, list[tuple[int, Warning, BBox | None]]] = defaultdict(list)
    for k, w in enumerate(report.warnings):
        if w.page is not None:
            placed[w.page].append((k, w, _locate(spans, w)))
    nowhere = "".join(_warning(k, w) for k, w in enumerate(report.warnings) if w.page is None)
    out = [f"<section><h2>Pages</h2>{legend()}{nowhere}</section>"]
    document = pypdfium2.PdfDocument(data, password=password)
    try:
        for index in range(len(document)):
            number = index + 1
            sheet = document[index]
            size = sheet.get_size()
            image = sheet.render(scale=SCALE).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")  # optimize: 4x slower, 1% smaller
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
            boxes = [_box(k, b, size, lab, rid, tip) for k, b, lab, rid, tip in refs.boxes[number]]
            notes = []
            for k, w, bbox in placed[number]:
                if bbox is not None:
                    boxes.append(_box("warning", bbox, size, "⚠", f"w{k}", w.message))
                    notes.append(_warning(k, w).replace(f'id="w{k}"', f'data-ref="w{k}"', 1))
                else:
                    notes.append(_warning(k, w))
            cards = [_facts(ini, refs) for ini in report.initiatives if ini.page == number]
            out.append(
                f'<section id="page{number}"><h2>Page {number}</h2><div class="page">'
                f'<div class="sheet"><img alt="page {number}" src="data:image/png;base64,{png}">'
                f'{"".join(boxes)}</div><div class="facts">{"".join(notes)}{"".join(cards)}'
                "</div></div></section>"
            )
    finally:
        document.close()
    return out


def text_pages(report: Report, data: bytes, refs: Refs) -> list[str]:
    """The source lines (numbered as in the spans) beside every initiative's facts."""
    text = decode_bytes(data, report.source.encoding).text
    lines = text.split("\n")
    owner: dict[int, tuple[int, str]] = {}
    for k, ini in enumerate(report.initiatives):
        first, last = ini.span.line, ini.span.end_line or ini.span.line
        if first is None or last is None:
            continue
        for n in range(first, last + 1):
            owner.setdefault(n, (k, f"#{ini.number}" if n == first else ""))
        for ind in ini.indicators:  # the tables, often after the page's blocks
            if ind.span.line is not None:
                for n in range(ind.span.line, (ind.span.end_line or ind.span.line) + 1):
                    owner.setdefault(n, (k, f"#{ini.number}" if n == ind.span.line else ""))
    at_line: dict[int, list[str]] = defaultdict(list)
    loose: list[str] = []
    for k, w in enumerate(report.warnings):
        if w.line is not None and 1 <= w.line <= len(lines):
            at_line[w.line].append(_warning(k, w))
        else:
            loose.append(_warning(k, w))
    rows = []
    for n, line in enumerate(lines, 1):
        shown = line.replace("\f", "")
        mark = '<span class="muted">⏏ new page</span> ' if "\f" in line else ""
        cls, tag = "", ""
        if n in owner:
            k, label = owner[n]
            cls = f' class="in" style="--c:{PALETTE[k % len(PALETTE)]}"'
            tag = f"<b>{esc(label)}</b>"
        rows.append(
            f'<tr id="L{n}"{cls}><td class="n">{n}</td><td class="n">{tag}</td>'
            f'<td class="t">{mark}{esc(shown)}</td></tr>'
        )
        rows += [f'<tr><td></td><td></td><td class="t">{w}</td></tr>' for w in at_line[n]]
    cards = "".join(_facts(ini, refs) for ini in report.initiatives)
    return [
        '<section><h2>Source and facts</h2><p class="small muted">Hover a fact on the right '
        "to mark its lines; click it to scroll there.</p>"
        f'{"".join(loose)}<div class="page"><div class="facts"><table class="src">'
        f'{"".join(rows)}</table></div><div class="facts">{cards}</div></div></section>'
    ]
