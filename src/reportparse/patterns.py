"""Grammar patterns run with a time limit, so that no pattern can hang the tool."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from .errors import GrammarError

# Seconds one call of a pattern may take. Report lines take microseconds; a call that
# reaches this has met catastrophic backtracking, and is taken as not matching.
MATCH_TIMEOUT = 0.5
# A pattern that times out this many times before it ever completed a call times out on
# every line: the grammar is refused (exit 7) rather than tried on every line.
FATAL_TIMEOUTS = 3
# Nesting of groups deeper than this in a grammar pattern is refused at load.
MAX_NESTING = 20

Match = regex.Match[str]


@dataclass(slots=True)
class TimeoutLog:
    """The calls that timed out since the log was last taken: (key, start of the text)."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def take(self) -> list[tuple[str, str]]:
        entries, self.entries = self.entries, []
        return entries


class SafePattern:
    """A compiled grammar pattern whose calls stop after MATCH_TIMEOUT seconds.

    A call that times out counts as no match (a `sub` changes nothing, a `finditer`
    stops) and is logged for a warning; FATAL_TIMEOUTS of them before any call completed
    is a GrammarError naming the key."""

    __slots__ = ("compiled", "completed", "key", "log", "path", "timeouts")

    def __init__(self, compiled: regex.Pattern[str], key: str, path: str, log: TimeoutLog) -> None:
        self.compiled = compiled
        self.key = key
        self.path = path
        self.log = log
        self.completed = False
        self.timeouts = 0

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self.compiled.groupindex)

    def _timed_out(self, text: str) -> None:
        self.timeouts += 1
        self.log.entries.append((self.key, text[:40]))
        if not self.completed and self.timeouts >= FATAL_TIMEOUTS:
            raise GrammarError(
                f"{self.path}: key '{self.key}': pattern '{self.pattern[:80]}' takes more than "
                f"{MATCH_TIMEOUT}s on every line it was run on (nested or adjacent unbounded "
                "quantifiers?); simplify it"
            )

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        try:
            found = self.compiled.match(text, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._timed_out(text)
            return None
        self.completed = True
        return found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        try:
            found = self.compiled.search(text, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._timed_out(text)
            return None
        self.completed = True
        return found

    def finditer(self, text: str) -> Iterator[Match]:
        try:
            yield from self.compiled.finditer(text, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._timed_out(text)
            return
        self.completed = True

    def sub(self, replacement: str, text: str) -> str:
        try:
            out = self.compiled.sub(replacement, text, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._timed_out(text)
            return text
        self.completed = True
        return out


def nesting(source: str) -> int:
    """How deeply the groups of a pattern nest (escapes and character classes skipped)."""
    depth = deepest = 0
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if source[i + 1 : i + 2] == "^" else 1
            i += source[i : i + 1] == "]"  # `[]…]`, `[^]…]`: that `]` is a member
            continue
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
        i += 1
    return deepest
