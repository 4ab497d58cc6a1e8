"""The HTML pages in a real browser: headless Chromium loads them without a console
message, runs their script, shows every initiative, and takes a screenshot.

Chromium from Debian (`apt-get install chromium`; `.ci/run` installs it). With
`--enable-logging=stderr` it prints every console message, errors and uncaught
exceptions included, as a `:CONSOLE` line on stderr; `--dump-dom` prints the DOM after
the page's scripts ran. That is all these tests need, so no DevTools client.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

import reportparse
from reportparse.panel import build_panel, render_panel
from reportparse.review import review_html

from .conftest import FIXTURES

BROWSER = next((p for name in ("chromium", "chromium-browser") if (p := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="needs Chromium on PATH (apt-get install chromium; .ci/run installs it)",
)


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        "--window-size=1400,1400",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def load(page: Path, tmp_path: Path) -> str:
    """The DOM after the page loaded; no console message allowed."""
    done = browse(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console(done.stderr) == []
    assert 'data-ready="yes"' in done.stdout, "the page's script did not run to its end"
    return done.stdout


def screenshot(page: Path, tmp_path: Path) -> Image.Image:
    shot = tmp_path / "shot.png"
    done = browse(page, tmp_path / "profile", f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console(done.stderr) == []
    image = Image.open(shot)
    assert image.size == (1400, 1400)
    return image


def test_console_errors_are_seen(tmp_path: Path) -> None:
    """The check below can fail: a page whose script throws shows on stderr."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>noSuchFunction();</script></body></html>", "utf-8")
    done = browse(bad, tmp_path / "profile", "--dump-dom")
    assert any("noSuchFunction" in line for line in console(done.stderr))


@pytest.mark.parametrize(
    "case",
    [FIXTURES / "pdf" / "seed_fy2020.pdf", FIXTURES / "text" / "warnings_mixed.txt"],
    ids=lambda p: p.name,
)
def test_review_loads_shows_every_initiative_and_looks_like_a_page(
    case: Path, tmp_path: Path
) -> None:
    report = reportparse.extract(case)
    page = tmp_path / "review.html"
    page.write_text(review_html(report, case.read_bytes()), encoding="utf-8")
    dom = load(page, tmp_path)
    shown = [int(n) for n in re.findall(r'class="card" data-initiative="(\d+)"', dom)]
    assert shown == [ini.number for ini in report.initiatives]
    image = screenshot(page, tmp_path).convert("RGB")
    # A rendered page, not a blank or an error page: many colours, mostly light.
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200
    grey = image.convert("L")
    histogram = grey.histogram()
    assert sum(histogram[200:]) > 0.6 * sum(histogram)


def test_panel_html_loads(tmp_path: Path) -> None:
    text = FIXTURES / "text"
    reports = [
        (str(text / f"{n}.txt"), reportparse.extract(text / f"{n}.txt"))
        for n in ("seed_fy2020", "fy2019_gannen")
    ]
    panel = build_panel(reports)
    page = tmp_path / "panel.html"
    page.write_text(render_panel(panel, "html"), encoding="utf-8")
    dom = load(page, tmp_path)
    assert dom.count("<svg ") == len(panel.rows)


HOVER = """<script>
var facts = document.querySelectorAll('.fact[data-ref]');
var fact = facts[facts.length - 1];
fact.dispatchEvent(new Event('mouseenter'));
var lit = Array.from(document.querySelectorAll('.hl')).map(function (e) { return e.id; });
document.body.setAttribute('data-lit', lit.join(' '));
document.body.setAttribute('data-want', fact.getAttribute('data-ref'));
fact.dispatchEvent(new Event('mouseleave'));
document.body.setAttribute('data-after', document.querySelectorAll('.hl').length);
</script></body>"""


@pytest.mark.parametrize(
    "case",
    [FIXTURES / "pdf" / "seed_fy2020.pdf", FIXTURES / "text" / "seed_fy2020.txt"],
    ids=lambda p: p.name,
)
def test_hovering_a_fact_highlights_where_it_came_from(case: Path, tmp_path: Path) -> None:
    html = review_html(reportparse.extract(case), case.read_bytes())
    page = tmp_path / "hover.html"
    page.write_text(html.replace("</body>", HOVER, 1), encoding="utf-8")
    dom = load(page, tmp_path)
    lit = re.search(r'data-lit="([^"]*)"', dom)
    want = re.search(r'data-want="([^"]*)"', dom)
    assert lit and want and lit.group(1) and lit.group(1) == want.group(1)
    assert 'data-after="0"' in dom
