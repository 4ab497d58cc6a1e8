"""Find wareki (Japanese era) dates and ranges in a line and convert them to ISO dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from .grammar import Grammar


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date (or range) found in a line; `error` says why it could not be converted."""

    start: int
    end: int
    raw: str
    date: dt.date | None
    end_date: dt.date | None
    error: str | None = None


def _to_date(grammar: Grammar, era: str, year: str, month: str, day: str) -> dt.date:
    return dt.date(grammar.era_year(era, year), int(month), int(day))


def find_dates(text: str, grammar: Grammar) -> list[DateHit]:
    """Every wareki date in `text`, with the end of a range that follows it."""
    hits: list[DateHit] = []
    range_end = grammar.pattern("dates.range_end")
    consumed = 0  # the end of a range already read: its end date is not a new date
    for m in grammar.pattern("dates.date").finditer(text):
        if m.start() < consumed:
            continue
        raw_end = m.end()
        try:
            start = _to_date(grammar, m["era"], m["year"], m["month"], m["day"])
        except ValueError:
            hits.append(DateHit(m.start(), m.end(), m.group(), None, None, "no such date"))
            continue
        end: dt.date | None = None
        error: str | None = None
        r = range_end.match(text, pos=m.end())
        if r is not None:
            raw_end = r.end()
            try:
                if r["era"]:
                    end = _to_date(grammar, r["era"], r["year"], r["month"] or "1", r["day"])
                else:
                    month = int(r["month"]) if r["month"] else start.month
                    end = dt.date(start.year, month, int(r["day"]))
                    if end < start:  # 令和2年12月28日～1月4日 runs into the next year
                        end = dt.date(start.year + 1, month, int(r["day"]))
            except ValueError:
                end, error = None, "no such end date"
            if end is not None and end < start:
                end, error = None, "range ends before it starts"
        consumed = raw_end
        hits.append(DateHit(m.start(), raw_end, text[m.start() : raw_end], start, end, error))
    return hits


_SPACES = regex.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
