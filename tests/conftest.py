"""Shared fixtures and the --update-golden flag."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reportparse.models import Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite fixtures/**/<case>.expected.json from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root so recorded source paths are relative and stable."""
    monkeypatch.chdir(ROOT)
    os.environ.setdefault("COLUMNS", "120")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The mutation tests' counts (made, same facts, caught, missed), when they ran."""
    from .test_mutations import TALLY

    if sum(TALLY.made.values()):
        for line in TALLY.lines():
            terminalreporter.write_line(line)


def facts(report: Report, provenance: set[str]) -> dict[str, Any]:
    """What a reading of the report found (fiscal year, initiatives, unassigned rows),
    without the fields named in `provenance` (positions, raw text, ...)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in provenance}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = report.model_dump(mode="json")
    return dict(
        strip({k: data[k] for k in ("fiscal_year", "initiatives", "unassigned_indicators")})
    )
