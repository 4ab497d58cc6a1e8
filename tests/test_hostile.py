"""Hostile and huge input (issue 12): every case ends with its documented exit code, within
a generous time bound and well under 300 MB, each one generated here.

Each input runs as a real `python -m reportparse extract` process, so that its time and
peak memory (from `wait4`) are its own. The bounds are generous (a loaded machine is slow);
what they catch is the polynomial backtracking, quadratic loops and unbounded memory these
inputs used to cause (minutes, gigabytes)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import regex

from reportparse import lexicon, wareki
from reportparse.errors import ExitCode
from reportparse.grammar import _NOT_COMBINABLE, _PATTERNS, Pattern, load_grammar
from reportparse.patterns import FATAL_TIMEOUTS, MATCH_TIMEOUT, SafePattern
from reportparse.stages import checks, columns

from .conftest import ROOT

SECONDS = 10.0  # per process, start-up included
MEGABYTES = 300.0
GRAMMAR = load_grammar()
LINE = GRAMMAR.spec.limits.max_line_length  # the longest text a pattern is run on

REPORT_START = "7企業誘致関係機関連携事業\n【事業概要】\n・圏域の企業立地を促進。\n"
TABLE_HEAD = "指標\n2020年度実績値\n(2020年度目標値)\n進捗評価\n2024年度目標値\n"


@dataclass(frozen=True, slots=True)
class Outcome:
    code: int
    stderr: str
    seconds: float
    megabytes: float


# Peak RSS is kept across fork and exec: a command forked straight from this test process
# (hundreds of MB late in a run) would report this process's size. So the command is
# forked from a small launcher, which reports its exit code and peak RSS (KB) on stdout.
_LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]))
"""


def measured(argv: list[str], stderr: IO[bytes] | int) -> tuple[int, float]:
    """Python run with `argv` from the launcher: its exit code and its own peak RSS (MB)."""
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv],
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=ROOT,
        check=True,
    )
    code, kilobytes = json.loads(launched.stdout)
    return code, kilobytes / 1024


def run_extract(tmp_path: Path, source: str | Path, *args: str) -> Outcome:
    """`reportparse extract SOURCE ARGS -o OUT` in its own process: exit code, stderr,
    wall time and peak RSS."""
    start = time.perf_counter()
    with open(tmp_path / "stderr", "wb") as err:
        argv = [
            "-m",
            "reportparse",
            "extract",
            str(source),
            *args,
            "-o",
            str(tmp_path / "out.json"),
        ]
        code, megabytes = measured(argv, err)
    seconds = time.perf_counter() - start
    stderr = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert "Traceback" not in stderr
    return Outcome(code, stderr, seconds, megabytes)


def test_peak_memory_is_the_commands_own_not_this_processes() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # this process, 300 MB bigger
    ballast[::4096] = b"x" * len(ballast[::4096])
    code, small = measured(["-c", "pass"], subprocess.DEVNULL)
    touch = "b = bytearray(120 * 1024 * 1024)"  # zeroed by calloc: resident once written
    touch += "\nfor i in range(0, len(b), 4096): b[i] = 1"
    code_big, big = measured(["-c", touch], subprocess.DEVNULL)
    del ballast
    assert (code, code_big) == (0, 0)
    assert small < 60
    assert 120 < big < 240


def within_bounds(outcome: Outcome) -> None:
    assert outcome.seconds < SECONDS, outcome
    assert outcome.megabytes < MEGABYTES, outcome


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    return path


# Each hostile text input, built by a small generator, with the exit code it must give.
TEXTS: dict[str, tuple[Callable[[], str], int]] = {
    # digits, then a long run of one character, on a header-like line (each class the
    # header pattern touches: spaces, digits, title characters, ideographic spaces)
    **{
        f"header-run-{name}": (lambda c=c: REPORT_START + "12" + c * 100_000 + "x\n", 0)
        for name, c in [("space", " "), ("digit", "1"), ("kana", "あ"), ("wide-space", "\u3000")]
    },
    # an indicator row whose (target) holds thousands of spaces: under the line limit
    # (the pattern itself is run on it) and over it (the line is cut)
    **{
        f"target-spaces-{n}": (
            lambda n=n: REPORT_START + TABLE_HEAD + "企業数\n5件\n（" + " " * n + "3件\nＡ\n8件\n",
            0,
        )
        for n in (LINE - 10, 4000)
    },
    "header-line-of-spaces": (lambda: REPORT_START + " " * 100_000 + "\n", 0),
    "form-feed-pages": (lambda: "あいう\n\f" * 20_000, 0),
    "lines-of-1": (lambda: "1\n" * 100_000, 0),  # a tenth of the million of issue 12
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_hostile_text_is_bounded(tmp_path: Path, name: str) -> None:
    make, code = TEXTS[name]
    outcome = run_extract(tmp_path, write(tmp_path, make()))
    assert outcome.code == code, outcome.stderr[-500:]
    within_bounds(outcome)


def test_a_long_line_is_cut_with_a_warning(tmp_path: Path) -> None:
    outcome = run_extract(tmp_path, write(tmp_path, REPORT_START + "あ" * (LINE + 1) + "\n"))
    assert outcome.code == 0
    assert "text.long_line" in outcome.stderr


def test_lines_of_1_list_a_bounded_number_of_warnings(tmp_path: Path) -> None:
    import json

    outcome = run_extract(tmp_path, write(tmp_path, "1\n" * 5000))
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert outcome.code == 0
    assert report["summary"]["warnings"]["text.outside_block"] == 5000
    listed = [w for w in report["warnings"] if w["code"] == "text.outside_block"]
    assert len(listed) == 1000
    assert "report.warnings_capped" in report["summary"]["warnings"]


def test_a_huge_text_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # sparse: no disk or memory needed
        fh.truncate(201 * 1024 * 1024)
    outcome = run_extract(tmp_path, path)
    assert outcome.code == ExitCode.INPUT
    assert "--max-input-mb" in outcome.stderr
    within_bounds(outcome)


def test_dev_zero_is_an_input_error_before_memory_grows(tmp_path: Path) -> None:
    outcome = run_extract(tmp_path, "/dev/zero", "--max-input-mb", "20")
    assert outcome.code == ExitCode.INPUT
    assert outcome.stderr.startswith("reportparse: error: /dev/zero: larger than 20 MB")
    within_bounds(outcome)


def test_max_input_mb_zero_is_no_limit(tmp_path: Path) -> None:
    path = write(tmp_path, REPORT_START + "あ" * 400_000 + "\n")  # 1.2 MB, one long line
    assert run_extract(tmp_path, path, "--max-input-mb", "1").code == ExitCode.INPUT
    assert run_extract(tmp_path, path, "--max-input-mb", "0").code == 0


# ---------------------------------------------------------------------------------------
# Hostile grammars


def grammar_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(f'extends = "renkei-vision"\n{body}', encoding="utf-8")
    return path


GRAMMARS: dict[str, tuple[Callable[[], str], str]] = {
    "nested-regex": (
        lambda: "[layout]\nmarker = '" + "(" * 5000 + "x" + ")" * 5000 + "'\n",
        "layout.marker",
    ),
    "nested-toml": (lambda: "[quantity]\nunits = " + "[" * 5000 + "]" * 5000 + "\n", "units"),
    "huge-regex": (lambda: "[layout]\nmarker = '" + "a" * 1_000_000 + "'\n", ""),
    "long-regex": (lambda: "[layout]\nmarker = '" + "a" * 100_000 + "'\n", "layout.marker"),
    "huge-unit-list": (
        lambda: "[quantity]\nunits = [" + ", ".join(f'"u{n}"' for n in range(100_000)) + "]\n",
        "",
    ),
    "many-units": (
        lambda: "[quantity]\nunits = [" + ", ".join(f'"u{n}"' for n in range(5_000)) + "]\n",
        "quantity.units",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(GRAMMARS))
def test_hostile_grammar_is_exit_7_naming_the_key(tmp_path: Path, name: str) -> None:
    make, key = GRAMMARS[name]
    path = grammar_file(tmp_path, make())
    outcome = run_extract(tmp_path, ROOT / "fixtures" / "text" / "seed_fy2020.txt", "-g", str(path))
    assert outcome.code == ExitCode.GRAMMAR, outcome.stderr
    assert outcome.stderr.count("\n") == 1 and str(path) in outcome.stderr
    assert f"key '{key}" in outcome.stderr or not key
    within_bounds(outcome)


def test_only_the_bundled_patterns_run_without_a_time_limit(tmp_path: Path) -> None:
    path = grammar_file(tmp_path, "[layout]\nmarker = '^【(?P<marker>[^】]+)】(?P<rest>.*)$'\n")
    user = load_grammar(path)
    assert isinstance(user.pattern("layout.marker"), SafePattern)  # the user's own
    assert not isinstance(user.pattern("layout.header"), SafePattern)  # as bundled
    assert not any(isinstance(p, SafePattern) for key in _PATTERNS for p in GRAMMAR.patterns(key))


# Nested unbounded quantifiers over the same characters: exponential on `a…ab`.
EXPONENTIAL = "(?:a|aa)+"
HOSTILE_LINE = "a" * 40 + "b"


def test_a_pattern_that_times_out_on_every_line_is_exit_7(tmp_path: Path) -> None:
    path = grammar_file(tmp_path, f"[layout]\ncategory = '^(?P<name>{EXPONENTIAL})$'\n")
    outcome = run_extract(tmp_path, write(tmp_path, f"{HOSTILE_LINE}\n" * 10), "-g", str(path))
    assert outcome.code == ExitCode.GRAMMAR, outcome.stderr
    assert "key 'layout.category'" in outcome.stderr
    assert outcome.seconds < SECONDS + FATAL_TIMEOUTS * MATCH_TIMEOUT * 2


def test_a_pattern_that_times_out_on_one_line_is_a_warning(tmp_path: Path) -> None:
    path = grammar_file(tmp_path, f"[text]\nstandalone = ['^{EXPONENTIAL}$', '^〈.*〉$']\n")
    text = REPORT_START + HOSTILE_LINE + "\n"  # the only line on which it backtracks
    outcome = run_extract(tmp_path, write(tmp_path, text), "-g", str(path))
    assert outcome.code == 0, outcome.stderr
    warnings = [ln for ln in outcome.stderr.splitlines() if "grammar.timeout" in ln]
    assert warnings and all("text.standalone" in ln and "line 4" in ln for ln in warnings)


def test_a_pattern_that_times_out_while_text_is_read_is_a_warning(tmp_path: Path) -> None:
    # table.start runs as the text is cut into regions, before the page loop
    path = grammar_file(tmp_path, f"[table]\nstart = '^{EXPONENTIAL}$'\n")
    outcome = run_extract(
        tmp_path, write(tmp_path, REPORT_START + HOSTILE_LINE + "\n"), "-g", str(path)
    )
    assert outcome.code == 0, outcome.stderr
    warnings = [ln for ln in outcome.stderr.splitlines() if "grammar.timeout" in ln]
    assert any("'table.start'" in ln for ln in warnings)  # table.header_words derives from it
    assert warnings and all("line 4" in ln for ln in warnings)


# ---------------------------------------------------------------------------------------
# Every pattern against long runs of each character it touches

# Beginnings that take a pattern past its first tokens, so that the run is where it
# backtracks: a number, a heading mark, a marker, an opening bracket, a date, a header.
PREFIXES = ["", "1", "1a", "■a", "【a】a", "（", "1人", "令和2年", "2020年度", "指標 "]
ENDINGS = ["", "x", "）", "1"]
PER_CALL = 0.25  # seconds; a linear pattern takes about a millisecond on these


def classes(source: str) -> list[str]:
    """One character of each class a pattern touches: white space, digits, letters,
    brackets and every character written in it."""
    chars = {" ", "\u3000", "1", "１", "x", "あ", ",", ".", "/", "-", "(", "（", ")", "）"}
    return sorted(chars | {c for c in source if not c.isascii() or c in "%+~<>"})


def compiled(p: Pattern) -> regex.Pattern[str]:
    return p.compiled if isinstance(p, SafePattern) else p


def every_pattern() -> list[tuple[str, regex.Pattern[str]]]:
    found = [(key, compiled(p)) for key in _PATTERNS for p in GRAMMAR.patterns(key)]
    found += [(f"sections.{kind}", compiled(p)) for kind, p in GRAMMAR.section_rules]
    if GRAMMAR.header_word is not None:
        found.append(("header words", compiled(GRAMMAR.header_word)))
    code = {
        "lexicon words": lexicon._WORD,
        "squeeze": wareki._SPACES,
        "column gutters": columns._RUNS,
        "combinable check": _NOT_COMBINABLE,
        "title word gaps": checks._WORD_GAP,
    }
    return found + [(name, regex.compile(p.pattern)) for name, p in code.items()]


@pytest.mark.parametrize(("key", "pattern"), every_pattern(), ids=lambda v: str(v)[:30])
def test_pattern_is_fast_on_adversarial_runs(key: str, pattern: regex.Pattern[str]) -> None:
    slowest = (0.0, "")
    for prefix in PREFIXES:
        for ch in classes(pattern.pattern):
            for ending in ENDINGS:
                text = prefix + ch * LINE + ending
                for call in (pattern.match, pattern.search):
                    start = time.perf_counter()
                    call(text)
                    seconds = time.perf_counter() - start
                    slowest = max(
                        slowest, (seconds, f"{call.__name__} {prefix!r}+{ch!r}*N+{ending!r}")
                    )
    assert slowest[0] < PER_CALL, f"{key}: {slowest}"
