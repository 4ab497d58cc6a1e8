"""Every fixture report against its reviewed golden JSON (`<case>.expected.json` beside it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reportparse

from .conftest import FIXTURES, ROOT

CASES = sorted(
    p
    for folder in ("text", "pdf")
    for p in (FIXTURES / folder).glob("*")
    if p.suffix in (".txt", ".pdf")
)


def expected_path(case: Path) -> Path:
    return case.with_name(f"{case.stem}.expected.json")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(case: Path, update_golden: bool) -> None:
    # PDF goldens are pdfplumber's reading: pure Python, the same boxes on every machine.
    # The default engine, PDFium, must agree with it (tests/test_engines.py).
    report = reportparse.extract(case.relative_to(ROOT), engine="pdfplumber")
    actual = report.model_dump(mode="json")
    golden = expected_path(case)
    if update_golden:
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}; run `make golden`, review it, commit it")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_file_has_a_fixture() -> None:
    stems = {expected_path(c) for c in CASES}
    orphans = [p for p in FIXTURES.glob("*/*.expected.json") if p not in stems]
    assert not orphans
