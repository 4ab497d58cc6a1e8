"""Parse printed quantities (`1,250千円`, `98.5％`, `1回以上/年度`, `－`) into typed values."""

from __future__ import annotations

import unicodedata

from .grammar import Grammar
from .models import Quantity

MAX_DIGITS = 30  # longer numbers are not report values (and would overflow a float)


class QuantityError(ValueError):
    """The text is not a quantity of this grammar."""


def is_dash(text: str, grammar: Grammar) -> bool:
    return text.strip() in grammar.dashes


def parse_quantity(raw: str, grammar: Grammar) -> Quantity:
    """The Quantity printed as `raw`; a dash gives a null value. Raises QuantityError."""
    raw = raw.strip()
    if is_dash(raw, grammar):
        return Quantity(raw=raw, value=None)
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
    return Quantity(raw=raw, value=value, unit=m["unit"] or None, bound=bound, per=m["per"])


def looks_like_quantity(text: str, grammar: Grammar) -> bool:
    try:
        parse_quantity(text, grammar)
    except QuantityError:
        return False
    return True


def unit_known(quantity: Quantity, grammar: Grammar) -> bool:
    return quantity.unit is None or quantity.unit in grammar.units
