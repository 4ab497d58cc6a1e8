"""The output contract (version 1) as pydantic models; the JSON Schema comes from these."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Span(_Model):
    """Where an object was found: page, line range and, for PDF, its box."""

    page: int | None = Field(None, description="1-based page")
    line: int | None = Field(
        None, description="first line (text: line of the file; PDF: line of the page)"
    )
    end_line: int | None = Field(None, description="last line")
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="x0, top, x1, bottom in PDF points (PDF input only)"
    )


class Source(_Model):
    path: str | None = Field(description="the input path, or null for stdin / bytes")
    format: Literal["pdf", "text"]
    sha256: str = Field(description="SHA-256 of the input bytes")
    pages: int | None = Field(description="pages in the input, when known")
    encoding: str | None = Field(None, description="text input: the encoding used to decode it")


class Quantity(_Model):
    raw: str = Field(description="as printed, without the parentheses of a target")
    value: int | float | None = Field(description="the number; null for a dash")
    unit: str | None = None
    bound: Literal["min", "max"] | None = Field(None, description="以上 → min, 以下 → max")
    per: str | None = Field(None, description="`/年度` → `年度`")


class Event(_Model):
    date: str = Field(description="YYYY-MM-DD")
    end_date: str | None = Field(None, description="end of a range, YYYY-MM-DD")
    text: str = Field(description="the rest of the entry")
    raw: str = Field(description="the date (and range) as printed")
    span: Span


class BreakdownPart(_Model):
    """One municipality's share of a total."""

    municipality: str = Field(description="the municipality (for a flow: where it went)")
    value: Quantity
    origin: str | None = Field(None, description="for a flow written `Aから`: A; else null")


class Breakdown(_Model):
    """A total broken down by municipality: `管理者研修 99人(今別町2人、…、青森市96人)`."""

    label: str = Field(description="the text before the total, without bullet and date")
    total: Quantity = Field(description="the number the parts break down")
    parts: list[BreakdownPart]
    sum_ok: bool | None = Field(
        description="true: the parts add up to the total; false: they do not "
        "(breakdown.sum_mismatch); null: not comparable (a unit differs)"
    )
    span: Span


class Section(_Model):
    marker: str = Field(description="the text inside 【】, as printed")
    kind: Literal["overview", "results", "effects", "other"]
    fiscal_year: int | None = None
    text: str
    items: list[str]
    events: list[Event]
    span: Span
    breakdowns: list[Breakdown] = Field(
        default_factory=list, description="totals in the text broken down by municipality"
    )


class Indicator(_Model):
    name: str = Field(description="the indicator name, wrapped lines joined")
    actual: Quantity | None
    target: Quantity | None
    final_target: Quantity | None
    actual_year: int | None
    target_year: int | None
    final_target_year: int | None
    grade: str | None = Field(description="NFKC-normalised 進捗評価; null for a dash or empty cell")
    page: int | None
    name_raw: str = Field(description="the name as printed, wrapped lines separated by newlines")
    grade_raw: str | None = Field(None, description="the grade as printed")
    span: Span
    achievement: float | None = Field(
        None,
        description="actual ÷ target (for a 以下/max target: target ÷ actual), 4 decimals; "
        "1 = target just reached, more is better; null when a value is missing or negative, "
        "the units differ, or the divisor is 0",
    )


class Initiative(_Model):
    number: int
    title: str
    group: list[int]
    category: str | None
    page: int | None
    sections: list[Section]
    indicators: list[Indicator]
    header_raw: str = Field(description="the header line as printed")
    span: Span


class Warning(_Model):
    code: str = Field(description="stable machine-readable code, e.g. indicator.unassigned")
    message: str
    page: int | None = None
    line: int | None = None


class Summary(_Model):
    """How far the output can be trusted, in a few numbers."""

    initiatives: int
    indicators: int = Field(description="indicators attached to an initiative")
    unassigned: int = Field(description="indicators in `unassigned_indicators`")
    tables: int = Field(description="indicator tables read")
    coverage: float | None = Field(
        description="share (0-1) of the pages' non-space characters that the output fields "
        "(or page furniture) account for; null when the input has no text"
    )
    warnings: dict[str, int] = Field(description="the number of warnings of each code")


class Report(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    fiscal_year: int | None
    initiatives: list[Initiative]
    unassigned_indicators: list[Indicator]
    warnings: list[Warning]
    summary: Summary | None = Field(
        None, description="counts, coverage and warnings by code (null in reports made before it)"
    )

    def to_json(self, indent: int | None = 2) -> str:
        """The contract JSON: UTF-8 text, fields in contract order."""
        return contract_json(self, indent)


# Where pydantic's JSON writer (Rust) may print a number unlike Python's json module: an
# exponent (`1e-7` for `1e-07`, `1e16` for `1e+16`) or five leading zeros (`0.00001`,
# which Python writes `1e-05`). A match anywhere, even inside a string, takes the slow path.
_UNLIKE_PYTHON = re.compile(r"[0-9]e|0\.0000")
# The same test, a dozen times faster on an initiative's JSON: a substring search for the
# zeros, and a scan that stops only at an `e` (common in keys) to look one digit back.
_DIGIT_E = re.compile(r"e(?<=[0-9]e)")


def printed_alike(text: str) -> bool:
    """No number in `text` that pydantic's writer and the json module may print unlike
    (`_UNLIKE_PYTHON` finds nothing)."""
    return "0.0000" not in text and _DIGIT_E.search(text) is None


def contract_json(model: BaseModel, indent: int | None = 2) -> str:
    """`model` as `json.dumps(model.model_dump(mode="json"), ensure_ascii=False,
    indent=indent)` gives it, byte for byte; with indent 2 written by pydantic's JSON
    writer, which is many times faster than the json module's indenting encoder (pure
    Python), unless its text holds a number the two may print differently."""
    if indent == 2:
        text = model.model_dump_json(indent=2)
        if printed_alike(text):
            return text
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=indent)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the output contract, generated from the models."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "reportparse output, contract version 1"
    return schema


def schema_json() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
