"""Structured warnings collected while a report is parsed."""

from __future__ import annotations

from dataclasses import dataclass, field

from .codes import WarningCode
from .models import Warning


@dataclass(slots=True)
class Diagnostics:
    """Collects recoverable problems as contract warnings, in the order they occur."""

    warnings: list[Warning] = field(default_factory=list)

    def warn(
        self, code: WarningCode, message: str, page: int | None = None, line: int | None = None
    ) -> None:
        self.warnings.append(Warning(code=code, message=message, page=page, line=line))
