"""Pieces shared by the HTML pages (`show`, `panel --format html`): escaping, the page
shell with its inline style and script, colours, and the small value bar."""

from __future__ import annotations

import html
from collections.abc import Iterable

from .models import Quantity

# Colour of each kind of region drawn over a page, and of its entry in the legend.
COLOURS = {
    "initiative": "#1f6feb",
    "section": "#2da44e",
    "table": "#d4a72c",
    "indicator": "#cf222e",
    "breakdown": "#8250df",
    "warning": "#e16f24",
}

STYLE = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","IPAPGothic","IPAGothic",sans-serif;margin:0;
  color:#1f2328;background:#f6f8fa;font-size:14px}
header,main>section{margin:12px 16px;background:#fff;border:1px solid #d0d7de;
  border-radius:6px;padding:10px 14px}
h1{font-size:18px;margin:4px 0 8px}h2{font-size:16px;margin:4px 0 8px}
h3{font-size:14px;margin:6px 0}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eaeef2;padding:3px 6px;
  text-align:left;vertical-align:top}th{background:#f6f8fa}
.num{text-align:right;font-variant-numeric:tabular-nums}
.stats{display:flex;flex-wrap:wrap;gap:8px}.stat{border:1px solid #d0d7de;
  border-radius:6px;padding:4px 10px}.stat b{font-size:18px;display:block}
.legend span{display:inline-block;margin-right:12px}
.swatch{display:inline-block;width:12px;height:12px;border:2px solid;margin-right:4px;
  vertical-align:middle}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.na{color:#6e7781}
.warn{background:#fff8c5;border-left:4px solid #e16f24;padding:2px 6px;margin:2px 0}
.page{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px}
.sheet{position:relative;border:1px solid #d0d7de;align-self:start}
.sheet img{width:100%;display:block}
.box{position:absolute;border:2px solid;box-sizing:border-box;cursor:pointer}
.box>i{position:absolute;top:-1px;left:-1px;font-style:normal;font-size:10px;
  color:#fff;padding:0 3px;line-height:13px}
.box>i.r{left:auto;right:-1px}.box.initiative{border-width:3px}.box.section,.box.breakdown{border-style:dashed}
.box.warning{background:rgba(225,111,36,.25)}
.hl{outline:4px solid #ffd33d!important;background:rgba(255,211,61,.35)!important}
.facts{max-height:1100px;overflow:auto}
.card{border:1px solid #d0d7de;border-left:6px solid #1f6feb;border-radius:4px;
  padding:4px 8px;margin:0 0 8px}
.fact{cursor:pointer;border-radius:3px;padding:1px 3px}.fact:hover{background:#ddf4ff}
.src{font-family:monospace,"Noto Sans Mono CJK JP";font-size:12px;white-space:pre-wrap}
.src td{border:0;padding:0 6px}.src td.n{color:#6e7781;text-align:right;user-select:none}
.src tr.in td.t{border-left:4px solid var(--c)}.src td.t{border-left:4px solid transparent}
.src tr.hl td{background:#fff3b0}
.muted{color:#6e7781}.small{font-size:12px}
"""

SCRIPT = """
document.querySelectorAll('[data-ref]').forEach(function (el) {
  var ids = el.getAttribute('data-ref').split(' ');
  function targets() {
    return ids.map(function (id) { return document.getElementById(id); })
              .filter(function (t) { return t !== null; });
  }
  el.addEventListener('mouseenter', function () {
    targets().forEach(function (t) { t.classList.add('hl'); });
  });
  el.addEventListener('mouseleave', function () {
    targets().forEach(function (t) { t.classList.remove('hl'); });
  });
  el.addEventListener('click', function () {
    var t = targets();
    if (t.length) { t[0].scrollIntoView({block: 'center', behavior: 'smooth'}); }
  });
});
document.body.setAttribute('data-ready', 'yes');
"""


def esc(text: object) -> str:
    """Text of the report (or anything else) made safe inside HTML and attributes."""
    return html.escape("" if text is None else str(text), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    """One self-contained HTML document: inline style and script, no external asset."""
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n"
        + "<main>\n"
        + "\n".join(body)
        + f"\n</main><script>{SCRIPT}</script></body></html>\n"
    )


def legend() -> str:
    spans = "".join(
        f'<span><i class="swatch" style="border-color:{c}"></i>{esc(kind)}</span>'
        for kind, c in COLOURS.items()
    )
    return f'<p class="legend small">{spans}</p>'


def quantity(q: Quantity | None) -> str:
    return '<span class="na">—</span>' if q is None else esc(q.raw)


def _comparable(*qs: Quantity | None) -> list[float] | None:
    """The values when every quantity has one and all share a unit, else None."""
    if any(q is None or q.value is None for q in qs):
        return None
    if len({q.unit for q in qs if q is not None}) > 1:
        return None
    return [float(q.value) for q in qs if q is not None and q.value is not None]


def value_bar(
    actual: Quantity | None, target: Quantity | None, final: Quantity | None, reached: bool
) -> str:
    """A small SVG bar of the actual, with a tick at the target and a dashed one at the
    final target; a dash when they are not comparable numbers."""
    values = _comparable(actual, target)
    if values is None:
        return '<span class="na">—</span>'
    finals = _comparable(actual, final)
    top = max([*values, *(finals or [])]) or 1.0
    width, height = 160, 14

    def x(v: float) -> float:
        return round(max(v, 0) / top * (width - 2) + 1, 1)

    colour = "#2da44e" if reached else "#d4a72c"
    parts = [
        f'<rect x="1" y="3" width="{x(values[0]) - 1}" height="8" fill="{colour}"/>',
        f'<line x1="{x(values[1])}" x2="{x(values[1])}" y1="0" y2="14" stroke="#1f2328" '
        'stroke-width="2"/>',
    ]
    if finals is not None:
        parts.append(
            f'<line x1="{x(finals[1])}" x2="{x(finals[1])}" y1="0" y2="14" stroke="#6e7781" '
            'stroke-width="2" stroke-dasharray="2,2"/>'
        )
    label = f"actual {values[0]:g}, target {values[1]:g}" + (
        f", final target {finals[1]:g}" if finals is not None else ""
    )
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(label)}">'
        f'<title>{esc(label)}</title><rect x="0.5" y="2.5" width="{width - 1}" height="9" '
        f'fill="#eaeef2"/>{"".join(parts)}</svg>'
    )
