"""The Hungarian solver against brute force on small random matrices."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportparse.assignment import assign_max


@st.composite
def matrices(draw: st.DrawFn) -> list[list[float]]:
    n = draw(st.integers(1, 4))
    m = draw(st.integers(n, 5))
    cell = st.floats(-2, 2, allow_nan=False).map(lambda x: round(x, 3))
    return [[draw(cell) for _ in range(m)] for _ in range(n)]


@settings(max_examples=200, deadline=None)
@given(matrices())
def test_matches_brute_force(weights: list[list[float]]) -> None:
    n, m = len(weights), len(weights[0])
    best = max(
        sum(weights[r][c] for r, c in enumerate(cols))
        for cols in itertools.permutations(range(m), n)
    )
    chosen = assign_max(weights)
    assert len(set(chosen)) == n
    assert sum(weights[r][c] for r, c in enumerate(chosen)) == pytest.approx(best)


def test_needs_enough_columns() -> None:
    with pytest.raises(ValueError):
        assign_max([[1.0], [2.0]])
    assert assign_max([]) == []
