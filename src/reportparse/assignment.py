"""Maximum-weight assignment of rows to distinct columns (the Hungarian method).

Pages hold a handful of tables and blocks, so a small pure-Python solver is enough; it
saves importing scipy (about 45 MB of memory per process) for one function.
"""

from __future__ import annotations

from collections.abc import Sequence


def assign_max(weights: Sequence[Sequence[float]]) -> list[int]:
    """For an n x m matrix with n <= m, the column of each row maximising the total weight,
    every column used at most once."""
    n = len(weights)
    if n == 0:
        return []
    m = len(weights[0])
    if m < n:
        raise ValueError("assign_max needs at least as many columns as rows")
    inf = float("inf")
    # Minimise cost = -weight with potentials u (rows) and v (columns); 1-based as usual.
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # row assigned to each column, 0 = none
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[col0] = True
            r0, delta, col1 = owner[col0], inf, 0
            for col in range(1, m + 1):
                if used[col]:
                    continue
                cur = -weights[r0 - 1][col - 1] - u[r0] - v[col]
                if cur < minv[col]:
                    minv[col], way[col] = cur, col0
                if minv[col] < delta:
                    delta, col1 = minv[col], col
            for col in range(m + 1):
                if used[col]:
                    u[owner[col]] += delta
                    v[col] -= delta
                else:
                    minv[col] -= delta
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            prev = way[col0]
            owner[col0] = owner[prev]
            col0 = prev
    result = [0] * n
    for col in range(1, m + 1):
        if owner[col]:
            result[owner[col] - 1] = col - 1
    return result
