"""The warning-code registry: declared once, used, documented in the README, type-checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportparse.codes import PANEL_CODES, REPORT_CODES, markdown_table, unregistered

from .conftest import ROOT

SRC = ROOT / "src" / "reportparse"
README = ROOT / "README.md"
SECTIONS = {"report": REPORT_CODES, "panel": PANEL_CODES}


def _readme_section(text: str, name: str) -> re.Match[str]:
    m = re.search(rf"(<!-- codes:{name} [^\n]*-->\n)(.*?)(<!-- /codes:{name} -->)", text, re.S)
    assert m, f"README.md lacks the <!-- codes:{name} … --> section"
    return m


def test_every_declared_code_has_a_meaning_and_the_reverse() -> None:
    assert unregistered() == []
    for code, entry in [*REPORT_CODES.items(), *PANEL_CODES.items()]:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", code)
        assert entry.meaning and entry.fix, code


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_readme_tables_are_the_registry(name: str, update_golden: bool) -> None:
    text = README.read_text(encoding="utf-8")
    m = _readme_section(text, name)
    expected = markdown_table(SECTIONS[name])
    if update_golden:
        README.write_text(text[: m.start(2)] + expected + text[m.end(2) :], encoding="utf-8")
        return
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", m.group(2), re.M))
    assert documented - set(SECTIONS[name]) == set(), "README documents unknown codes"
    assert set(SECTIONS[name]) - documented == set(), "README lacks registered codes"
    assert m.group(2) == expected, "run `make golden` (or `reportparse codes --markdown`)"


def test_every_registered_code_is_raised_somewhere_and_only_those() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "codes.py"
    )
    used = set(re.findall(r'"((?:[a-z]+)\.[a-z_]+)"', sources))
    registered = set(REPORT_CODES) | set(PANEL_CODES)
    assert registered - used == set(), "registered codes that no code raises"
    raised = set(re.findall(r'(?:warn|_warning)\(\s*"([a-z_.]+)"', sources))
    assert raised - registered == set()


def test_mypy_rejects_an_unregistered_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.setenv("MYPYPATH", str(ROOT / "src"))
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from reportparse.diagnostics import Diagnostics\n"
        "Diagnostics().warn('table.bad_header', 'fine')\n"
        "Diagnostics().warn('table.no_such_code', 'rejected')\n",
        encoding="utf-8",
    )
    out, _, status = api.run(["--strict", "--cache-dir", str(tmp_path / "cache"), str(probe)])
    assert status == 1
    assert "probe.py:3:" in out and "probe.py:2:" not in out
