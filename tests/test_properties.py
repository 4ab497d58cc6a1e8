"""Property tests: quantities and wareki dates round-trip, display width, and a fuzz test
that nothing but a ReportparseError escapes `extract_bytes`."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reportparse
from reportparse.errors import ReportparseError
from reportparse.grammar import load_grammar
from reportparse.models import _UNLIKE_PYTHON, Quantity, Report, Span, contract_json, printed_alike
from reportparse.output import _indent
from reportparse.quantities import QuantityError, parse_quantity
from reportparse.stages.sections import width
from reportparse.wareki import find_dates

from .conftest import FIXTURES

GRAMMAR = load_grammar()
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def full_width(text: str, chars: str) -> str:
    """`text` with each of `chars` turned into its full-width form."""
    return "".join(ch.translate(FULL_WIDTH) if ch in chars else ch for ch in text)


# ---------------------------------------------------------------------------------------
# Quantities

UNITS = sorted(GRAMMAR.spec.quantity.units)


@st.composite
def printed_quantities(draw: st.DrawFn) -> tuple[str, int | float, str | None, str | None, str]:
    """A quantity as a report prints it, and its value, unit, bound and per."""
    integer = draw(st.integers(0, 10**10))
    fraction = draw(st.none() | st.text("0123456789", min_size=1, max_size=3))
    number = f"{integer:,}" if draw(st.booleans()) else str(integer)
    value: int | float = integer
    if fraction is not None:
        number += "." + fraction
        value = float(f"{integer}.{fraction}")
    unit = draw(st.sampled_from(["", *UNITS]))
    bound = draw(st.sampled_from(["", "以上", "以下"]))
    per = draw(st.sampled_from(["", "年度", "年", "月", "回"]))
    gap = draw(st.sampled_from(["", " "]))
    raw = number + gap + unit + bound + (f"/{per}" if per else "")
    if draw(st.booleans()):
        raw = full_width(raw, "0123456789,.%/")
    return raw, value, nfkc(unit) or None, {"": None, "以上": "min", "以下": "max"}[bound], per


@given(printed_quantities())
@settings(max_examples=300, deadline=None)
def test_quantity_round_trip(
    case: tuple[str, int | float, str | None, str | None, str],
) -> None:
    raw, value, unit, bound, per = case
    q = parse_quantity(raw, GRAMMAR)
    assert q.raw == raw.strip()
    assert q.value == value
    assert type(q.value) is type(value)
    assert q.unit == unit
    assert q.bound == bound
    assert q.per == (per or None)


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_parse_quantity_raises_only_quantity_error(text: str) -> None:
    with contextlib.suppress(QuantityError):
        parse_quantity(text, GRAMMAR)


def test_parse_quantity_huge_number_is_quantity_error_or_value() -> None:
    raw = "1" * 5000 + "人"
    try:
        parse_quantity(raw, GRAMMAR)
    except QuantityError:
        pass
    except ValueError as exc:  # QuantityError is a ValueError too: check the exact type
        pytest.fail(f"escaped as {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------
# Wareki dates

REIWA = dt.date(2019, 5, 1)
SPACES = st.sampled_from(["", " ", "\u3000"])


@st.composite
def wareki(draw: st.DrawFn, day: dt.date) -> str:
    """`day` written in its era: 元 for the first year, optional full-width digits and
    spaces between the parts."""
    era, first = ("令和", 2019) if day >= REIWA else ("平成", 1989)
    number = day.year - first + 1
    year = "元" if number == 1 and draw(st.booleans()) else str(number)
    parts = [era, year, "年", str(day.month), "月", str(day.day), "日"]
    text = "".join(part + draw(SPACES) for part in parts[:-1]) + parts[-1]
    if draw(st.booleans()):
        text = full_width(text, "0123456789")
    return text


DATES = st.dates(dt.date(1989, 1, 8), dt.date(2030, 12, 31))
# Text around a date: no digits, no range dashes, no era names.
AROUND = st.sampled_from(["", "・", "実績 ", "（書面開催）", "、"])


@given(DATES, st.data())
@settings(max_examples=300, deadline=None)
def test_wareki_date_round_trip(day: dt.date, data: st.DataObject) -> None:
    printed = data.draw(wareki(day))
    before, after = data.draw(AROUND), data.draw(AROUND)
    hits = find_dates(before + printed + after, GRAMMAR)
    assert [(h.date, h.end_date, h.error, h.raw) for h in hits] == [(day, None, None, printed)]


@given(DATES, st.integers(0, 400), st.data())
@settings(max_examples=200, deadline=None)
def test_wareki_range_round_trip(start: dt.date, days: int, data: st.DataObject) -> None:
    end = start + dt.timedelta(days=days)
    assume(end <= dt.date(2030, 12, 31))
    if (end.year, end.month) == (start.year, start.month):
        tail = f"{end.day}日"
    elif end.year == start.year:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = data.draw(wareki(end))
    dash = data.draw(st.sampled_from(["～", "~", "〜", "－"]))
    printed = data.draw(wareki(start)) + dash + tail
    hits = find_dates(printed + " 研修", GRAMMAR)
    assert [(h.date, h.end_date, h.error, h.raw) for h in hits] == [(start, end, None, printed)]


# ---------------------------------------------------------------------------------------
# Display width

ASCII = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
WIDE = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E) | st.sampled_from(
    "あいうアイウ漢字圏域事業【】■・（）〈〉"
)


@given(st.lists(st.tuples(ASCII, st.just(1)) | st.tuples(WIDE, st.just(2)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_width_counts_full_width_as_two(chars: list[tuple[str, int]]) -> None:
    text = "".join(ch for ch, _ in chars)
    assert width(text) == sum(w for _, w in chars)
    assert width(" \u3000" + text + " \n") == width(text)


@given(st.text(ASCII, max_size=40))
@settings(max_examples=100, deadline=None)
def test_width_of_full_width_form_is_double(text: str) -> None:
    wide = text.translate(FULL_WIDTH)
    assert width(wide) == 2 * width(text) == 2 * len(text)
    assert width(nfkc(wide)) == width(text)


# ---------------------------------------------------------------------------------------
# Fuzz: extract_bytes returns a valid Report or raises a ReportparseError, nothing else.

SEEDS = [
    (FIXTURES / "text" / name).read_bytes().decode(encoding)
    for name, encoding in (
        ("seed_fy2020.txt", "utf-8"),
        ("fy2019_gannen.txt", "utf-8"),
        ("warnings_mixed.txt", "utf-8"),
        ("fy2022_cp932.txt", "cp932"),
    )
]
TOKENS = [
    "\n",
    "\n\n",
    "\f",
    "\r\n",
    " ",
    "\u3000",
    "■取組",
    "7企業誘致事業",
    "１４観光",
    "【事業概要】",
    "【令和2年度の実績】",
    "【令和元年度の実績】",
    "【連携事業で得られた効果】",
    "【",
    "】",
    "・",
    "〈開催〉",
    "指標",
    "2020年度実績値",
    "(2020年度目標値)",
    "進捗評価 2024年度目標値",
    "進捗評価",
    "1回",
    "（1回以上）",
    "Ａ 1回以上/年度",
    "Ａ",
    "－",
    "98.5％",
    "1,250千円",
    "令和2年10月1日～2日",
    "令和4年2月30日",
    "令和2年12月28日～1月4日",
    "平成31年4月30日",
    "（",
    "）",
    "\ufeff",
    "\u2212",
]
PIECES = st.sampled_from(TOKENS) | st.text(st.characters(exclude_categories=["Cs"]), max_size=6)
# Loose pieces, or whole lines of them (so headers, markers and tables line up).
RANDOM_TEXT = st.lists(PIECES, max_size=60).map("".join) | st.lists(
    st.lists(PIECES, max_size=3).map("".join), max_size=40
).map("\n".join)


def check_extract(data: bytes) -> None:
    try:
        report = reportparse.extract_bytes(data)
    except ReportparseError:
        return
    assert isinstance(report, Report)
    Report.model_validate_json(report.model_dump_json())
    assert report.source.sha256 == hashlib.sha256(data).hexdigest()


@given(RANDOM_TEXT, st.sampled_from(["utf-8", "cp932", "euc_jp", "utf-16"]))
@settings(max_examples=150, deadline=None)
def test_fuzz_random_text(text: str, encoding: str) -> None:
    check_extract(text.encode(encoding, errors="replace"))


@given(st.binary(max_size=400))
@settings(max_examples=100, deadline=None)
def test_fuzz_random_bytes(data: bytes) -> None:
    check_extract(data)


Edit = tuple[str, int, int, str]
EDITS = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "cut"]),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    RANDOM_TEXT,
)


def mutate(text: str, edits: list[Edit]) -> str:
    """Apply line edits; positions are taken modulo the current length."""
    lines = text.split("\n")
    for op, i, j, insert in edits:
        if not lines:
            break
        i, j = i % len(lines), j % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = j % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + insert + lines[i][at:]
        elif op == "truncate":
            lines = lines[:i]
        else:  # cut the line short
            lines[i] = lines[i][: j % (len(lines[i]) + 1)]
    return "\n".join(lines)


@given(st.sampled_from(range(len(SEEDS))), st.lists(EDITS, min_size=1, max_size=8))
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_fuzz_mutated_fixtures(seed: int, edits: list[Edit]) -> None:
    check_extract(mutate(SEEDS[seed], edits).encode("utf-8", errors="replace"))


def _python_json(model: Quantity | Span) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)


@given(
    value=st.one_of(
        st.none(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([1e-5, 3.5e-5, 1e-4, 1e-7, 1e15, 1e16, 123456789012345678.0, -0.0]),
    ),
    raw=st.text(),
)
def test_contract_json_is_python_json_byte_for_byte(value: int | float | None, raw: str) -> None:
    # Any string (control characters, non-ASCII, a `1e5` inside it) and any number.
    quantity = Quantity(raw=raw, value=value, unit=raw or None)
    assert contract_json(quantity) == _python_json(quantity)


_JSONISH = st.text(alphabet='0123456789.e-+E"{}:, \nxé１ｅ', max_size=40)


@given(_JSONISH)
def test_the_fast_number_check_is_the_regex(text: str) -> None:
    # Digits, dots and e's (also full-width ones, which are not ASCII digits) in any order.
    assert printed_alike(text) == (_UNLIKE_PYTHON.search(text) is None)


@given(st.text(alphabet="ab \n", max_size=20), st.integers(min_value=0, max_value=6))
def test_indent_pads_every_line(text: str, spaces: int) -> None:
    assert _indent(text, spaces) == "\n".join(" " * spaces + ln for ln in text.split("\n"))


@given(st.lists(st.floats(min_value=-1e20, max_value=1e20), min_size=4, max_size=4))
def test_contract_json_of_bboxes_is_python_json(box: list[float]) -> None:
    span = Span(page=1, line=None, bbox=(box[0], box[1], box[2], box[3]))
    assert contract_json(span) == _python_json(span)
