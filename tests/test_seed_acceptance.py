"""The acceptance facts of the real FY2020 seed, stated one by one (as text and as PDF)."""

from __future__ import annotations

import pytest

import reportparse
from reportparse.models import Report

from .conftest import FIXTURES

SOURCES = [FIXTURES / "text" / "seed_fy2020.txt", FIXTURES / "pdf" / "seed_fy2020.pdf"]
OWNERS = {
    "会議開催回数": 25,
    "圏域への立地企業数(累計)": 7,
    "一時預かりを希望者が利用できた割合": 23,
    "病児一時保育を希望者が利用できた割合": 24,
    "災害訓練の共同開催回数": 37,
    "合同研修開催回数": 48,
    "人事交流人数(累計)": 47,
    "食生活改善推進員会新規入会者数": 26,
}


@pytest.fixture(params=SOURCES, ids=lambda p: p.suffix[1:])
def seed(request: pytest.FixtureRequest) -> Report:
    return reportparse.extract(request.param)


def test_initiatives_in_order_with_the_group(seed: Report) -> None:
    assert [i.number for i in seed.initiatives] == [7, 25, 23, 24, 37, 48, 47, 26]
    groups = {i.number: i.group for i in seed.initiatives}
    assert groups[23] == groups[24] == [23, 24]
    assert all(groups[n] == [n] for n in (7, 25, 37, 48, 47, 26))


def test_categories_and_pages(seed: Report) -> None:
    assert {i.category for i in seed.initiatives} == {"ビジョンに記載している取組"}
    assert [i.page for i in seed.initiatives] == [1, 1, 1, 1, 2, 2, 2, 2]
    assert seed.fiscal_year == 2020


def test_every_indicator_has_its_owner(seed: Report) -> None:
    owners = {ind.name: i.number for i in seed.initiatives for ind in i.indicators}
    assert owners == OWNERS
    assert seed.unassigned_indicators == []


def test_the_range_among_48s_events(seed: Report) -> None:
    (training,) = [i for i in seed.initiatives if i.number == 48]
    ranges = [(e.date, e.end_date) for s in training.sections for e in s.events if e.end_date]
    assert ("2020-10-01", "2020-10-02") in ranges


def test_not_applicable_row(seed: Report) -> None:
    (row,) = [
        ind for i in seed.initiatives for ind in i.indicators if ind.name == "人事交流人数(累計)"
    ]
    assert row.actual is not None and row.actual.value is None
    assert row.target is not None and row.target.value is None
    assert row.grade is None
    assert row.final_target is not None
    assert (row.final_target.value, row.final_target.unit) == (8, "人")


def test_no_warnings(seed: Report) -> None:
    assert seed.warnings == []
