"""Achievement of each indicator (actual against target) and the grade checked against it."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostics
from .grammar import Grammar
from .models import Indicator, Quantity

DIGITS = 4  # achievement is rounded to this many decimals


def achievement(actual: Quantity | None, target: Quantity | None) -> float | None:
    """actual ÷ target; for a `以下` (max) target, where lower is better, target ÷ actual.
    Either way 1 means the target was just reached and more is better. Null when a value
    is missing or negative, the units differ, or the divisor is 0."""
    if actual is None or target is None or actual.value is None or target.value is None:
        return None
    if actual.unit != target.unit or actual.value < 0 or target.value < 0:
        return None
    num, den = (
        (target.value, actual.value) if target.bound == "max" else (actual.value, target.value)
    )
    if den == 0:
        return None
    return round(num / den, DIGITS)


def _contradiction(grammar: Grammar, ind: Indicator) -> str | None:
    """Why the grade clearly contradicts the achievement, or None (borderline: None)."""
    rules = grammar.spec.grades
    if ind.grade is None or ind.achievement is None:
        return None
    if ind.grade in rules.reached and ind.achievement < 1 - rules.margin:
        return "means the target was reached"
    if ind.grade in rules.not_reached and ind.achievement >= 1 + rules.margin:
        return "means the target was not reached"
    return None


def rate_indicators(indicators: Iterable[Indicator], grammar: Grammar, diag: Diagnostics) -> None:
    """Set each indicator's achievement; warn where its grade says the opposite."""
    for ind in indicators:
        ind.achievement = achievement(ind.actual, ind.target)
        why = _contradiction(grammar, ind)
        if why is not None:
            assert ind.actual is not None and ind.target is not None
            diag.warn(
                "indicator.grade_mismatch",
                f"「{ind.name}」: grade {ind.grade} {why}, but the actual {ind.actual.raw} "
                f"against the target {ind.target.raw} is an achievement of {ind.achievement:g}",
                ind.span.page,
                ind.span.line,
            )
