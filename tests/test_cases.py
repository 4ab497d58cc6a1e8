"""Stage-level cases from `fixtures/cases/*.toml`: readable input / expected pairs.

Each file holds `[[case]]` tables with a `name` (the test id), an `input` and the
expected fields described at the top of the file. A case with `xfail = "reason"`
documents a known bug and is a strict xfail.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest

from reportparse import lexicon, quantities, wareki
from reportparse.diagnostics import Diagnostics
from reportparse.document import Line
from reportparse.grammar import Grammar, load_grammar
from reportparse.stages.columns import split_columns
from reportparse.stages.decode import DecodedText
from reportparse.stages.normalise import normalise_document, normalise_text
from reportparse.stages.read_text import text_to_document
from reportparse.stages.sections import block_to_sections
from reportparse.stages.segment import Block
from reportparse.stages.tables import tables_to_indicators

from .conftest import FIXTURES

CASES = FIXTURES / "cases"
Case = dict[str, Any]


def load_cases(stem: str) -> list[Any]:
    """The cases of `fixtures/cases/<stem>.toml` as pytest params, ids = case names."""
    with (CASES / f"{stem}.toml").open("rb") as fh:
        cases: list[Case] = tomllib.load(fh)["case"]
    names = [case["name"] for case in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"{stem}.toml: duplicate case names {duplicates}"
    params = []
    for case in cases:
        marks = []
        if "xfail" in case:
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return load_grammar()


def text_lines(text: str, grammar: Grammar) -> list[Line]:
    """Numbered, normalised Lines of a case's input (its final newline dropped)."""
    return [
        Line(raw=raw, page=1, line=number, text=normalise_text(raw, grammar))
        for number, raw in enumerate(text.removesuffix("\n").split("\n"), start=1)
    ]


def test_every_case_file_is_used() -> None:
    assert sorted(p.stem for p in CASES.glob("*.toml")) == [
        "columns",
        "dates",
        "headers",
        "joining",
        "quantities",
        "tables",
    ]


@pytest.mark.parametrize("case", load_cases("headers"))
def test_header(case: Case, grammar: Grammar) -> None:
    lines = text_lines(case["input"], grammar)
    found = []
    for i, line in enumerate(lines):
        if not line.blank and lexicon.opens_block(grammar, lines, i):
            match = lexicon.header(grammar, line.text)
            assert match is not None, f"line {i + 1} opens a block but is no header"
            found.append([match.number, match.title])
    assert found == case["headers"]


@pytest.mark.parametrize("case", load_cases("quantities"))
def test_quantity(case: Case, grammar: Grammar) -> None:
    if case.get("error"):
        with pytest.raises(quantities.QuantityError):
            quantities.parse_quantity(case["input"], grammar)
        assert not quantities.looks_like_quantity(case["input"], grammar)
        return
    q = quantities.parse_quantity(case["input"], grammar)
    assert q.raw == case.get("raw", case["input"].strip())
    assert q.value == case.get("value")
    assert type(q.value) is type(case.get("value")), "int and float must not be mixed up"
    assert (q.unit, q.bound, q.per) == (case.get("unit"), case.get("bound"), case.get("per"))
    assert quantities.looks_like_quantity(case["input"], grammar)


@pytest.mark.parametrize("case", load_cases("dates"))
def test_dates(case: Case, grammar: Grammar) -> None:
    hits = wareki.find_dates(case["input"], grammar)
    expected: list[dict[str, Any]] = case["dates"]
    assert len(hits) == len(expected), [h.raw for h in hits]
    for hit, want in zip(hits, expected, strict=True):
        assert hit.date == want.get("date")
        assert hit.end_date == want.get("end")
        assert hit.error == want.get("error")
        if "raw" in want:
            assert hit.raw == want["raw"]
        assert case["input"][hit.start : hit.end] == hit.raw
        for day in (hit.date, hit.end_date):
            assert day is None or isinstance(day, dt.date)


@pytest.mark.parametrize("case", load_cases("tables"))
def test_table(case: Case, grammar: Grammar) -> None:
    diag = Diagnostics()
    document = text_to_document(DecodedText(case["input"], "utf-8"), grammar)
    tables = tables_to_indicators(normalise_document(document, grammar), grammar, diag)
    assert len(tables) == 1, "the input must hold exactly one table"
    indicators = tables[0].indicators
    got = []
    for ind in indicators:
        row: dict[str, Any] = {
            "name": ind.name,
            "actual": ind.actual.raw if ind.actual else None,
            "value": ind.actual.value if ind.actual else None,
            "target": ind.target.raw if ind.target else None,
            "grade": ind.grade,
            "final": ind.final_target.raw if ind.final_target else None,
        }
        got.append({k: v for k, v in row.items() if v is not None})
    expected = [{k: v for k, v in row.items() if k != "name_raw"} for row in case["rows"]]
    assert got == expected
    for ind, want in zip(indicators, case["rows"], strict=True):
        assert [ind.actual_year, ind.target_year, ind.final_target_year] == case["years"]
        if "name_raw" in want:
            assert ind.name_raw == want["name_raw"]
    assert [w.code for w in diag.warnings] == case["warnings"]


@pytest.mark.parametrize("case", load_cases("columns"))
def test_columns(case: Case, grammar: Grammar) -> None:
    lines = [
        Line(raw=raw, page=1, line=number)
        for number, raw in enumerate(case["input"].removesuffix("\n").split("\n"), start=1)
    ]
    split = split_columns(lines, grammar)
    assert [ln.raw.strip() for ln in split] == case["lines"]
    if "numbers" in case:
        assert [ln.line for ln in split] == case["numbers"]
    words = sorted(w for ln in split for w in ln.raw.split())
    assert words == sorted(w for ln in lines for w in ln.raw.split()), "every word, once"


@pytest.mark.parametrize("case", load_cases("joining"))
def test_joining(case: Case, grammar: Grammar) -> None:
    diag = Diagnostics()
    block = Block(headers=[], page=1, body=text_lines(case["input"], grammar))
    sections = block_to_sections(block, grammar, diag)
    got = [
        {
            "marker": s.marker,
            "kind": s.kind,
            "fiscal_year": s.fiscal_year,
            "text": s.text,
            "items": s.items,
        }
        for s in sections
    ]
    expected = [
        {
            "marker": s["marker"],
            "kind": s["kind"],
            "fiscal_year": s.get("fiscal_year"),
            "text": s["text"].removesuffix("\n"),
            "items": s["items"],
        }
        for s in case["sections"]
    ]
    assert got == expected
    assert [w.code for w in diag.warnings] == case.get("warnings", [])
