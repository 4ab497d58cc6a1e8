"""Report layout descriptions for the PDF fixtures: TOML file -> frozen dataclasses.

The TOML format is documented in ``tools/make_pdf_fixtures.py``.  Everything here is
validation and conversion; drawing lives in ``tools/pdf_render.py``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

Rulings = Literal["lines", "rects"]
RULINGS: tuple[Rulings, ...] = ("lines", "rects")


class LayoutError(ValueError):
    """A layout description is malformed or does not fit on its page."""


@dataclass(frozen=True)
class Header:
    number: str
    title: str


@dataclass(frozen=True)
class Section:
    marker: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    headers: tuple[Header, ...]
    sections: tuple[Section, ...]

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(h.number for h in self.headers)


@dataclass(frozen=True)
class Row:
    name: tuple[str, ...]
    actual: str
    target: str
    grade: str
    final: str


@dataclass(frozen=True)
class Table:
    owner: str
    header: tuple[tuple[str, ...], ...]  # four cells, each a tuple of printed lines
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Category:
    text: str
    before: str | None  # number of the block it is drawn above; None = top of page


@dataclass(frozen=True)
class Page:
    categories: tuple[Category, ...]
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]  # in drawing (content stream) order


@dataclass(frozen=True)
class Style:
    body_font: str = "HeiseiMin-W3"
    head_font: str = "HeiseiKakuGo-W5"
    body_size: float = 7.0
    head_size: float = 8.5
    table_size: float = 5.5
    leading: float = 8.6  # pitch of body lines; a blank line ("") takes one pitch too
    margin: float = 30.0


@dataclass(frozen=True)
class Rendering:
    """One standard way of drawing a report, applied to every layout by
    ``make_pdf_fixtures.py --renderings`` (``fixtures/renderings/<report>__<name>.pdf``).

    ``tables`` says where a block's tables go: ``"right"`` of its text (level with its
    sections, as in the fixtures/pdf PDFs) or ``"below"`` it, inside the same box.
    ``furniture`` adds a running title at the top and ``- n -`` at the bottom of every
    page; ``flow`` ignores the layout's page breaks and lets blocks run on, splitting a
    block over a page break (see ``pdf_render.RenderingDrawer``).

    How the PDF is written, as real files vary: ``fonts`` are reportlab's built-in CID
    fonts, not embedded (``"cid"``), or subsets of the IPA TrueType fonts embedded in the
    file (``"embedded"``); ``rotate = 90`` stores each landscape page portrait with
    ``/Rotate 90`` and its content turned; ``offset_box`` puts the MediaBox and a smaller
    CropBox away from (0, 0); ``kerned`` writes block text as ``TJ`` arrays with kerning
    (a header's gap is a displacement in the array) and table cells one glyph per text
    object; ``rule_path`` draws each table's rulings as one path of many subpaths.
    """

    name: str
    description: str
    orientation: Literal["portrait", "landscape"] = "portrait"
    columns: int = 1
    frames: bool = True
    tables: Literal["right", "below"] = "right"
    furniture: bool = False
    flow: bool = False
    fonts: Literal["cid", "embedded"] = "cid"
    rotate: Literal[0, 90] = 0
    offset_box: bool = False
    kerned: bool = False
    rule_path: bool = False

    @property
    def plain_portrait(self) -> bool:
        """Drawn by ``pdf_render.PageDrawer`` page by page, as ``fixtures/pdf``."""
        return (self.columns, self.tables, self.furniture, self.flow) == (1, "right", False, False)


# The existing fixtures/pdf/<report>.pdf is this rendering (drawn by PageDrawer).
PORTRAIT_FRAMED = "portrait_framed"

RENDERINGS: tuple[Rendering, ...] = (
    Rendering(
        "portrait_frameless",
        "portrait A4 like fixtures/pdf/<report>.pdf, tables right of the text, no frames",
        frames=False,
    ),
    Rendering(
        "landscape_2col_framed",
        "landscape A4, two columns; one framed box per block, its tables under its text",
        orientation="landscape",
        columns=2,
        tables="below",
    ),
    Rendering(
        "landscape_2col_frameless",
        "landscape_2col_framed without frames (only the table rulings are drawn)",
        orientation="landscape",
        columns=2,
        frames=False,
        tables="below",
    ),
    Rendering(
        "landscape_2col_furniture",
        "landscape_2col_framed plus a running title and page numbers",
        orientation="landscape",
        columns=2,
        tables="below",
        furniture=True,
    ),
    Rendering(
        "portrait_furniture_flow",
        "portrait, framed, tables right, running title and page numbers; blocks flow over "
        "the layout's page breaks, at least one block is split over a page break and at "
        "least one page has no ■ line",
        furniture=True,
        flow=True,
    ),
    Rendering(
        "landscape_2col_frameless_flow",
        "landscape, two columns, no frames, tables under the text, running title and page "
        "numbers; blocks flow over columns and pages, so a block is split over a page break",
        orientation="landscape",
        columns=2,
        frames=False,
        tables="below",
        furniture=True,
        flow=True,
    ),
    Rendering(
        "portrait_embedded",
        "portrait_framed with subsets of the IPA TrueType fonts embedded (no CID fonts)",
        fonts="embedded",
    ),
    Rendering(
        "landscape_rotated",
        "landscape_2col_framed with embedded fonts, each page stored portrait with "
        "/Rotate 90 and its content turned (as scanners and office suites write them)",
        orientation="landscape",
        columns=2,
        tables="below",
        fonts="embedded",
        rotate=90,
    ),
    Rendering(
        "portrait_offset_box",
        "portrait_framed with embedded fonts on a MediaBox and a smaller CropBox that do "
        "not start at (0, 0)",
        fonts="embedded",
        offset_box=True,
    ),
    Rendering(
        "portrait_kerned",
        "portrait_framed with embedded fonts: block text in TJ arrays with kerning, a "
        "header's gap a TJ displacement, table cells one glyph per text object, each "
        "table's rulings one path of many subpaths",
        fonts="embedded",
        kerned=True,
        rule_path=True,
    ),
)
RENDERING_NAMES = (PORTRAIT_FRAMED, *(r.name for r in RENDERINGS))

REPORT_NAME = "連携中枢都市圏ビジョン進捗状況報告書"
ERAS = (("令和", 2019), ("平成", 1989), ("昭和", 1926))


def era_year(year: int) -> str:
    """``2020`` -> ``令和2``, ``2019`` -> ``令和元``."""
    for era, first in ERAS:
        if year >= first:
            n = year - first + 1
            return f"{era}{'元' if n == 1 else n}"
    raise LayoutError(f"no era for year {year}")


def default_running_title(year: int) -> str:
    return f"{era_year(year)}年度 {REPORT_NAME}"


@dataclass(frozen=True)
class Layout:
    name: str
    outputs: dict[str, Output]  # PDF name (without .pdf) -> ruling style, frames drawn
    style: Style
    pages: tuple[Page, ...]
    year: int = 0
    final_year: int = 0
    running_title: str = ""  # page furniture of the renderings that have it
    flow_height: float | None = None  # content height per page of flow renderings
    rendering_styles: dict[str, Style] | None = None  # rendering name -> its style
    text_generated: bool = False  # fixtures/text/<name>.txt is written by make_stream_text

    @property
    def rulings(self) -> Rulings:
        return self.outputs[self.name].rulings

    def style_for(self, rendering: str) -> Style:
        return (self.rendering_styles or {}).get(rendering, self.style)


def _get(d: dict[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
    if key not in d:
        if default is None:
            raise LayoutError(f"{where}: missing '{key}'")
        return default
    value = d[key]
    if kind is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, kind):
        raise LayoutError(f"{where}: '{key}' must be {kind.__name__}, got {value!r}")
    return value


def _lines(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LayoutError(f"{where}: expected a string or a list of strings")
    return tuple(cast(list[str], value))


@dataclass(frozen=True)
class Output:
    """How one PDF of a layout is drawn: ruling style, and whether block frames are drawn
    (without them the parser must find blocks by their headers)."""

    rulings: Rulings
    frames: bool = True


def _rulings(value: Any, where: str) -> Rulings:
    if value not in RULINGS:
        raise LayoutError(f"{where}: rulings must be one of {RULINGS}, got {value!r}")
    return cast(Rulings, value)


def default_header(year: int, final_year: int, wrap_final: bool) -> tuple[tuple[str, ...], ...]:
    final = (f"{final_year}年度", "目標値") if wrap_final else (f"{final_year}年度目標値",)
    return (("指標",), (f"{year}年度実績値", f"({year}年度目標値)"), ("進捗評価",), final)


def _table(d: dict[str, Any], year: int, final_year: int, where: str) -> Table:
    if "header" in d:
        header = tuple(_lines(cell, f"{where}.header") for cell in d["header"])
        if len(header) != 4:
            raise LayoutError(f"{where}: header needs exactly 4 cells")
    else:
        header = default_header(
            _get(d, "year", int, where, year),
            _get(d, "final_year", int, where, final_year),
            _get(d, "wrap_final_header", bool, where, False),
        )
    rows = []
    for i, r in enumerate(_get(d, "rows", list, where)):
        w = f"{where}.rows[{i}]"
        rows.append(
            Row(
                name=_lines(_get(r, "name", object, w), w),
                actual=_get(r, "actual", str, w),
                target=_get(r, "target", str, w),
                grade=_get(r, "grade", str, w),
                final=_get(r, "final", str, w),
            )
        )
    return Table(owner=str(_get(d, "owner", str, where)), header=header, rows=tuple(rows))


def _block(d: dict[str, Any], where: str) -> Block:
    headers = []
    for h in _get(d, "headers", list, where):
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            raise LayoutError(f"{where}: each header is [number, title], got {h!r}")
        headers.append(Header(number=h[0], title=h[1]))
    sections = []
    for i, s in enumerate(d.get("sections", [])):
        w = f"{where}.sections[{i}]"
        sections.append(Section(_get(s, "marker", str, w), _lines(_get(s, "lines", list, w), w)))
    return Block(headers=tuple(headers), sections=tuple(sections))


def _page(d: dict[str, Any], year: int, final_year: int, where: str) -> Page:
    blocks = tuple(
        _block(b, f"{where}.blocks[{i}]") for i, b in enumerate(_get(d, "blocks", list, where))
    )
    numbers = {n for b in blocks for n in b.numbers}
    categories = []
    for i, c in enumerate(d.get("categories", [])):
        w = f"{where}.categories[{i}]"
        before = c.get("before")
        if before is not None and before not in numbers:
            raise LayoutError(f"{w}: before={before!r} names no block on this page")
        categories.append(Category(text=_get(c, "text", str, w), before=before))
    tables = []
    for i, t in enumerate(d.get("tables", [])):
        table = _table(t, year, final_year, f"{where}.tables[{i}]")
        if table.owner not in numbers:
            raise LayoutError(f"{where}.tables[{i}]: owner={table.owner!r} names no block")
        tables.append(table)
    return Page(categories=tuple(categories), blocks=blocks, tables=tuple(tables))


def load_layout(path: Path) -> Layout:
    """Parse and validate ``path`` (a ``fixtures/layouts/<case>.toml``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{path}: {exc}") from exc
    where = path.name
    name = path.stem
    year = _get(data, "year", int, where)
    final_year = _get(data, "final_year", int, where)
    outputs: dict[str, Output] = {name: Output(_rulings(data.get("rulings", "lines"), where))}
    for variant, spec in data.get("variants", {}).items():
        at = f"{where}.variants.{variant}"
        if isinstance(spec, dict):  # { rulings = "lines", frames = false }
            frames = _get(spec, "frames", bool, at) if "frames" in spec else True
            outputs[variant] = Output(_rulings(spec.get("rulings", "lines"), at), frames)
        else:
            outputs[variant] = Output(_rulings(spec, at))
    style = _style(data.get("style", {}), Style(), f"{where}.style")
    rendering_styles = {}
    for rname, overrides in data.get("rendering_style", {}).items():
        if rname not in RENDERING_NAMES[1:]:
            raise LayoutError(f"{where}.rendering_style: unknown rendering {rname!r}")
        rendering_styles[rname] = _style(overrides, style, f"{where}.rendering_style.{rname}")
    flow_height = data.get("flow_height")
    if flow_height is not None:
        flow_height = float(_get(data, "flow_height", float, where))
    pages = tuple(
        _page(p, year, final_year, f"{where}.pages[{i}]")
        for i, p in enumerate(_get(data, "pages", list, where))
    )
    return Layout(
        name=name,
        outputs=outputs,
        style=style,
        pages=pages,
        year=year,
        final_year=final_year,
        running_title=_get(data, "running_title", str, where, default_running_title(year)),
        flow_height=flow_height,
        rendering_styles=rendering_styles,
        text_generated=_get(data, "text_generated", bool, where, False),
    )


def _style(data: dict[str, Any], base: Style, where: str) -> Style:
    """``base`` with the keys of ``data`` (a ``[style]`` table) replaced."""
    if unknown := set(data) - set(Style.__dataclass_fields__):
        raise LayoutError(f"{where}: unknown style keys {sorted(unknown)}")
    return replace(base, **{k: _get(data, k, type(getattr(base, k)), where) for k in data})
