"""`reportparse show` and `panel --format html`: self-contained, escaped pages that show
every initiative, fact and warning, for every fixture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import reportparse
from reportparse.cli import app
from reportparse.errors import ExitCode
from reportparse.models import Report, Warning
from reportparse.panel import build_panel, render_panel
from reportparse.review import review_html, unique_breakdowns

from .conftest import FIXTURES

TEXT = FIXTURES / "text"
CASES = sorted([*TEXT.glob("*.txt"), *(FIXTURES / "pdf").glob("*.pdf")])
CASES += [FIXTURES / "bad" / "damaged_readable.pdf", FIXTURES / "bad" / "mixed_scanned.pdf"]
RENDERINGS = sorted((FIXTURES / "renderings").glob("*.*[tf]"))
SEED = (TEXT / "seed_fy2020.txt").read_text(encoding="utf-8")
# Anything that would make the page fetch something: only data: URIs are allowed.
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["'](?!data:|#)|<link\b|@import|url\(\s*["']?(?!data:)"""
)


def show(path: Path) -> tuple[Report, str]:
    report = reportparse.extract(path)
    return report, review_html(report, path.read_bytes())


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_review_is_self_contained_and_shows_everything(case: Path) -> None:
    report, html = show(case)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert EXTERNAL.search(html) is None
    shown = [int(n) for n in re.findall(r'<div class="card" data-initiative="(\d+)"', html)]
    assert shown == [ini.number for ini in report.initiatives]
    for ini in report.initiatives:
        assert f"#{ini.number} " in html
    for _, ind in (
        *((i, x) for i in report.initiatives for x in i.indicators),
        *((None, x) for x in report.unassigned_indicators),
    ):
        assert ind.name.replace("&", "&amp;") in html
    for k in range(len(report.warnings)):
        assert f'id="w{k}"' in html  # at its place
        assert f'data-ref="w{k}"' in html  # and listed in the summary, pointing there
    checks = len(unique_breakdowns(report))
    assert f"<b>{checks}</b>breakdowns" in html


@pytest.mark.parametrize("case", RENDERINGS, ids=lambda p: p.name)
def test_review_of_every_rendering_shows_every_initiative(case: Path) -> None:
    report, html = show(case)
    assert EXTERNAL.search(html) is None
    shown = [int(n) for n in re.findall(r'<div class="card" data-initiative="(\d+)"', html)]
    assert shown == [ini.number for ini in report.initiatives]
    if case.suffix == ".pdf":
        assert html.count('src="data:image/png;base64,') == report.source.pages
        assert html.count('<div class="box initiative"') == len(report.initiatives)


@pytest.mark.parametrize("case", sorted((FIXTURES / "pdf").glob("*.pdf")), ids=lambda p: p.name)
def test_pdf_review_draws_the_regions_over_each_page(case: Path) -> None:
    report, html = show(case)
    assert html.count('src="data:image/png;base64,') == report.source.pages
    kinds = re.findall(r'<div class="box (\w+)" id="r\d+"', html)
    assert kinds.count("initiative") == len(report.initiatives)
    assert kinds.count("indicator") == sum(len(i.indicators) for i in report.initiatives) + len(
        report.unassigned_indicators
    )
    assert kinds.count("section") == sum(len(i.sections) for i in report.initiatives)
    assert kinds.count("breakdown") == sum(
        len(s.breakdowns) for i in report.initiatives for s in i.sections
    )
    assert report.summary is not None
    assert kinds.count("table") == report.summary.tables
    # Every box is what some fact points to: hovering a fact finds its region.
    refs = {
        r
        for group in re.findall(r'class="[^"]*fact[^"]*" data-ref="([^"]+)"', html)
        for r in group.split()
    }
    ids = re.findall(r'<div class="box \w+" id="(r\d+)"', html)
    assert set(ids) <= refs


def test_text_review_marks_the_lines_of_each_fact() -> None:
    report, html = show(TEXT / "seed_fy2020.txt")
    lines = SEED.split("\n")
    assert html.count('<tr id="L') == len(lines)
    seven = next(i for i in report.initiatives if i.number == 7)
    start, end = seven.span.line, seven.span.end_line
    assert start is not None and end is not None
    want = " ".join(f"L{n}" for n in range(start, end + 1))
    assert f'<h3 class="fact" data-ref="{want}">#7 ' in html
    assert re.search(rf'<tr id="L{start}" class="in"[^>]*><td class="n">{start}</td>', html)


def test_warnings_are_shown_after_their_line() -> None:
    report, html = show(TEXT / "warnings_mixed.txt")
    first = report.warnings[0]
    assert first.code == "event.invalid_date" and first.line == 11
    row = html.index('<tr id="L11"')
    assert row < html.index('id="w0"') < html.index('<tr id="L12"')


def test_report_text_is_escaped() -> None:
    evil = SEED.replace("企業誘致関係機関連携事業", "<script>alert(1)</script>&事業", 1)
    evil = evil.replace("会議開催回数", '会議"><img src=x onerror=alert(2)>', 1)
    report = reportparse.extract_bytes(evil.encode("utf-8"), name="<b>evil</b>.txt")
    html = review_html(report, evil.encode("utf-8"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;事業" in html
    assert "&lt;b&gt;evil&lt;/b&gt;.txt" in html
    assert html.count("<script>") == 1  # the page's own


def test_show_cli_writes_the_file_and_fails_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    runner = CliRunner()
    result = runner.invoke(app, ["show", str(FIXTURES / "pdf" / "seed_fy2020.pdf"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('<div class="card" data-initiative=') == 8
    result = runner.invoke(app, ["show", str(tmp_path / "missing.pdf"), "-o", str(out)])
    assert result.exit_code == ExitCode.INPUT
    assert result.output.count("\n") == 1 and "reportparse: error:" in result.output


def test_panel_html_has_a_chart_per_indicator_with_targets() -> None:
    reports = [
        (str(TEXT / f"{n}.txt"), reportparse.extract(TEXT / f"{n}.txt"))
        for n in ("seed_fy2020", "fy2019_gannen", "fy2022_cp932", "fy2023_reiwa5")
    ]
    panel = build_panel(reports)
    html = render_panel(panel, "html")
    assert EXTERNAL.search(html) is None
    assert html.count("<svg ") == len(panel.rows) == html.count('<div class="card"')
    for row in panel.rows:
        assert f'data-indicator="{row.indicator}"' in html
    (row,) = [r for r in panel.rows if r.indicator == "観光プロモーション動画の再生回数"]
    assert "<title>2019 target 10000</title>" in html
    assert "<title>2019 actual 8450</title>" in html
    assert "<title>2019 final target 50000</title>" in html
    assert "achievement 2019: 84% · 2020: — · 2022: — · 2023: —" in html


def test_panel_cli_html(tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "seed.json"
    source.write_text(reportparse.extract(TEXT / "seed_fy2020.txt").to_json(), encoding="utf-8")
    out = tmp_path / "panel.html"
    result = runner.invoke(app, ["panel", str(source), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("<svg ") == 8


def test_pdf_warnings_without_a_place_and_encrypted_pages() -> None:
    path = FIXTURES / "bad" / "encrypted.pdf"
    report = reportparse.extract(path, password="secret")
    report.warnings.append(Warning(code="report.mixed_fiscal_years", message="<2019, 2020>"))
    html = review_html(report, path.read_bytes(), password="secret")
    assert html.count('src="data:image/png;base64,') == report.source.pages
    k = len(report.warnings) - 1
    assert f'<div class="warn" id="w{k}">' in html and "&lt;2019, 2020&gt;" in html
