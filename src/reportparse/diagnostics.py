"""Structured warnings collected while a report is parsed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .codes import WarningCode
from .models import Warning

# Warnings of one code listed at most; the rest are counted (in `summary.warnings`) but
# not listed, so that a hostile input (a million stray lines) cannot fill memory.
MAX_PER_CODE = 1000


@dataclass(slots=True)
class Diagnostics:
    """Collects recoverable problems as contract warnings, in the order they occur."""

    warnings: list[Warning] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # every warning, listed or not

    def warn(
        self, code: WarningCode, message: str, page: int | None = None, line: int | None = None
    ) -> None:
        self.counts[code] += 1
        if self.counts[code] <= MAX_PER_CODE:
            self.warnings.append(Warning(code=code, message=message, page=page, line=line))
        elif self.counts[code] == MAX_PER_CODE + 1:
            self.warn(
                "report.warnings_capped",
                f"more than {MAX_PER_CODE} {code} warnings: the rest are counted in "
                "summary.warnings but not listed",
                page,
                line,
            )

    @property
    def unlisted(self) -> Counter[str]:
        """Warnings counted but not listed, by code."""
        return Counter({c: n - MAX_PER_CODE for c, n in self.counts.items() if n > MAX_PER_CODE})
