"""The cyclic collector is held off while the API assembles a Report, and given back."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import reportparse
from reportparse.cli import app
from reportparse.collector import collector_paused

from .conftest import FIXTURES


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_gives_the_collector_back(collector_on: None) -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_caller_that_had_it_off_keeps_it_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_cycles_made_inside_are_collected_on_the_way_out(collector_on: None) -> None:
    class Node:
        other: object

    gc.collect()
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    assert not [o for o in gc.get_objects() if type(o) is Node]


@pytest.fixture
def collector_seen(collector_on: None, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was on at each page a ReportBuilder was given."""
    from reportparse.stages import build

    seen: list[bool] = []
    add = build.ReportBuilder.add

    def spy(self: build.ReportBuilder, *args: object) -> None:
        seen.append(gc.isenabled())
        add(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(build.ReportBuilder, "add", spy)
    return seen


def test_extract_seen_from_inside_runs_with_the_collector_off(collector_seen: list[bool]) -> None:
    report = reportparse.extract(FIXTURES / "text" / "seed_fy2020.txt")
    assert report.initiatives
    assert collector_seen and not any(collector_seen)
    assert gc.isenabled()


def test_the_command_line_writer_runs_with_the_collector_off(collector_seen: list[bool]) -> None:
    result = CliRunner().invoke(app, ["extract", str(FIXTURES / "text" / "seed_fy2020.txt")])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["initiatives"]
    assert collector_seen and not any(collector_seen)
    assert gc.isenabled()
