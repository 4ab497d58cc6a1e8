"""Parse printed quantities (`1,250千円`, `98.5％`, `1回以上/年度`, `－`) into typed values."""

from __future__ import annotations

import unicodedata
import weakref
from typing import Any

from .grammar import Grammar
from .models import Quantity

MAX_DIGITS = 30  # longer numbers are not report values (and would overflow a float)
MEMO_SIZE = 4096  # printed quantities remembered per grammar (a report repeats many)


class QuantityError(ValueError):
    """The text is not a quantity of this grammar."""


def is_dash(text: str, grammar: Grammar) -> bool:
    return text.strip() in grammar.dashes


Fields = dict[str, Any]
_MEMO: weakref.WeakKeyDictionary[Grammar, dict[str, Fields | QuantityError]] = (
    weakref.WeakKeyDictionary()
)


def parse_quantity(raw: str, grammar: Grammar) -> Quantity:
    """The Quantity printed as `raw`; a dash gives a null value. Raises QuantityError."""
    return Quantity(**quantity_fields(raw, grammar))


def quantity_fields(raw: str, grammar: Grammar) -> Fields:
    """The fields of the Quantity printed as `raw`, not yet validated (the caller must
    not change them). Raises QuantityError.

    What a printed text reads as is remembered per grammar (not when a pattern ran out of
    time, so that such a call is made and logged again)."""
    raw = raw.strip()
    memo = _MEMO.get(grammar)
    if memo is None:
        memo = _MEMO[grammar] = {}
    found = memo.get(raw)
    if found is None:
        timeouts = len(grammar.timeouts.entries)
        try:
            found = _fields(raw, grammar)
        except QuantityError as exc:
            found = exc
        if len(grammar.timeouts.entries) == timeouts:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[raw] = found
    if isinstance(found, QuantityError):
        raise QuantityError(*found.args) from None
    return found


def _fields(raw: str, grammar: Grammar) -> Fields:
    if is_dash(raw, grammar):
        return {"raw": raw, "value": None}
    text = unicodedata.normalize("NFKC", raw)
    m = grammar.pattern("quantity.pattern").match(text)
    if m is None:
        raise QuantityError(f"not a quantity: {raw!r}")
    number = m["number"].replace(",", "")
    if len(number) > MAX_DIGITS:
        raise QuantityError(f"number too long: {raw[:20]!r}…")
    try:  # `regex`'s \d takes digits of every script; int() and float() do not
        value: int | float = float(number) if "." in number else int(number)
    except ValueError:
        raise QuantityError(f"not a number: {raw!r}") from None
    bound = grammar.spec.quantity.bounds.get(m["bound"]) if m["bound"] else None
    return {"raw": raw, "value": value, "unit": m["unit"] or None, "bound": bound, "per": m["per"]}


def looks_like_quantity(text: str, grammar: Grammar) -> bool:
    try:
        quantity_fields(text, grammar)
    except QuantityError:
        return False
    return True


def unit_known(quantity: Quantity, grammar: Grammar) -> bool:
    return quantity.unit is None or quantity.unit in grammar.units


def known_unit(fields: Fields, grammar: Grammar) -> bool:
    """The quantity has a unit, one of the grammar's."""
    unit = fields.get("unit")
    return unit is not None and unit in grammar.units
