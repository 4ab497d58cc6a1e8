"""Break each text fixture the way real inputs break (tests/mutations.py): every broken
input must give the same facts as the unbroken one, or at least one new warning."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

import reportparse
from reportparse.stages.decode import decode_bytes

from .conftest import FIXTURES
from .mutations import KINDS, facts

CASES = sorted(p.name for p in (FIXTURES / "text").glob("*.txt"))

_EVENT_END = (
    "no invariant is broken: a wrapped （…） line joined to its line only moves where the "
    "event's text ends, and both readings are plausible"
)
_GROUP_HEAD = (
    "segmentation: the first header of a group, without its number or glued to the end of "
    "a text line, reads as the previous block's last text; no character is lost, and a "
    "header-shaped check on body text would flag ordinary text such as '計 3市町村'"
)
# Mutations the checks do not catch, each with its reason; strict: a fix must remove it.
KNOWN_MISSES: dict[tuple[str, str, str], str] = {
    ("fy2019_gannen.txt", "merge_lines", "lines 200+201"): _EVENT_END,
    ("fy2022_cp932.txt", "merge_lines", "lines 154+155"): _EVENT_END,
    ("seed_fy2020.txt", "merge_lines", "lines 148+149"): _EVENT_END,
    ("fy2022_cp932.txt", "merge_lines", "lines 32+33"): _GROUP_HEAD,
    ("fy2022_cp932.txt", "delete_header_number", "line 33"): _GROUP_HEAD,
    ("fy2023_reiwa5.txt", "merge_lines", "lines 138+139"): _EVENT_END,
}


@dataclass(slots=True)
class Tally:
    """Mutations made, unchanged in facts, and caught by a warning, per kind."""

    made: Counter[str] = field(default_factory=Counter)
    same: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = ["mutations: kind, made, same facts, caught by a warning, missed"]
        for kind in KINDS:
            if self.made[kind]:
                missed = self.made[kind] - self.same[kind] - self.caught[kind]
                out.append(
                    f"  {kind:24} {self.made[kind]:4} {self.same[kind]:4} "
                    f"{self.caught[kind]:4} {missed:4}"
                )
        return out


TALLY = Tally()  # printed at the end of the run by conftest.pytest_terminal_summary


@cache
def _text(case: str) -> str:
    return decode_bytes((FIXTURES / "text" / case).read_bytes()).text


def _parse(text: str) -> tuple[Any, Counter[str]]:
    report = reportparse.extract_bytes(text.encode("utf-8"), name="mutated.txt")
    return facts(report), Counter(w.code for w in report.warnings)


@cache
def _base(case: str) -> tuple[Any, Counter[str]]:
    return _parse(_text(case))


def _verdict(case: str, broken: str) -> str:
    """`same` (facts unchanged), `caught` (a warning more than unbroken) or `missed`."""
    base_facts, base_warnings = _base(case)
    got_facts, got_warnings = _parse(broken)
    if got_facts == base_facts:
        return "same"
    return "caught" if got_warnings - base_warnings else "missed"


def test_mutations_are_made_for_every_kind() -> None:
    for kind, make in KINDS.items():
        assert sum(1 for case in CASES for _ in make(_text(case).split("\n"))) >= 10, kind


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("case", CASES)
def test_each_mutation_keeps_the_facts_or_warns(case: str, kind: str) -> None:
    missed: list[str] = []
    for label, broken in KINDS[kind](_text(case).split("\n")):
        verdict = _verdict(case, broken)
        TALLY.made[kind] += 1
        if verdict == "same":
            TALLY.same[kind] += 1
        elif verdict == "caught" or (case, kind, label) in KNOWN_MISSES:
            TALLY.caught[kind] += verdict == "caught"
            continue
        else:
            missed.append(label)
    assert missed == [], f"{case}: {kind}: changed facts without a warning"


@pytest.mark.parametrize(
    ("case", "kind", "label"),
    [
        pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason=reason))
        for key, reason in KNOWN_MISSES.items()
    ],
)
def test_known_misses(case: str, kind: str, label: str) -> None:
    [broken] = [text for name, text in KINDS[kind](_text(case).split("\n")) if name == label]
    assert _verdict(case, broken) != "missed"


def test_the_unbroken_fixtures_count_as_same() -> None:
    for case in CASES:
        assert _verdict(case, _text(case)) == "same"
