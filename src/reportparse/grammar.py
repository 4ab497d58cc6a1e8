"""Load a report-family grammar (`grammars/*.toml`) into a validated, compiled model."""

from __future__ import annotations

import difflib
import tomllib
import unicodedata
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .defaults import DEFAULT_GRAMMAR as DEFAULT_GRAMMAR
from .errors import GrammarError
from .patterns import MAX_NESTING, SafePattern, TimeoutLog, nesting

SectionKind = Literal["overview", "results", "effects", "other"]
# A pattern of a bundled grammar (vetted: tests/test_hostile.py runs each against
# adversarial lines) runs as compiled; any other runs with a time limit (SafePattern).
Pattern = SafePattern | regex.Pattern[str]

# Bounds on a grammar file itself, checked at load: a grammar may come from anyone.
MAX_GRAMMAR_BYTES = 256 * 1024
MAX_PATTERN_LENGTH = 2000  # characters of one pattern
MAX_LIST_LENGTH = 2000  # entries of one list (units, patterns, replacements, ...)


def grammar_dirs() -> list[Path]:
    """Folders holding the bundled grammars: installed copy first, then the source tree."""
    here = Path(__file__).resolve().parent
    return [p for p in (here / "grammars", here.parents[1] / "grammars") if p.is_dir()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Family(_Strict):
    name: str
    description: str = ""


class Normalise(_Strict):
    replacements: list[tuple[str, str]] = Field(default_factory=list)
    joins: list[str] = Field(default_factory=list)


class Eras(_Strict):
    first_year: str = "元"
    starts: dict[str, int]


class Layout(_Strict):
    category: str
    header: str
    not_header: list[str] = Field(default_factory=list)
    marker: str


class SectionRule(_Strict):
    kind: SectionKind
    pattern: str


class TextRules(_Strict):
    bullets: list[str]
    standalone: list[str] = Field(default_factory=list)
    short_line_ratio: float = Field(0.75, gt=0, le=1)
    break_if_starts: list[str] = Field(default_factory=list)
    break_after_short_ratio: float = Field(0.9, gt=0, le=1)


class Dates(_Strict):
    date: str
    range_end: str
    trim: str = " "


class TableRules(_Strict):
    start: str
    header_words: list[str] = Field(default_factory=list)
    actual_year: str
    target_year: str
    final_year: str
    complete: str
    max_header_lines: int = Field(8, ge=1)
    target: str
    grades: list[str]
    dashes: list[str]


class ColumnRules(_Strict):
    """When a page of text is laid out in columns (see `stages/columns.py`)."""

    min_gutter: int = Field(4, ge=2)
    min_lines: int = Field(2, ge=1)
    min_share: float = Field(0.6, gt=0, le=1)
    table_indent: int = Field(20, ge=0)


class QuantityRules(_Strict):
    pattern: str
    bounds: dict[str, Literal["min", "max"]]
    units: list[str]


class Furniture(_Strict):
    """Page furniture: lines that are never content (page numbers, running titles)."""

    page_number: list[str] = Field(default_factory=list)
    running_title: list[str] = Field(default_factory=list)
    # A running title is looked for among this many first (and last) non-blank lines.
    edge_lines: int = Field(3, ge=0, le=20)


class AttachRules(_Strict):
    weak_score: float = Field(0.34, ge=0, le=1)
    shared_block_penalty: float = Field(0.15, ge=0, le=1)
    ignore: list[str] = Field(default_factory=list)


class CheckRules(_Strict):
    """The invariants checked after parsing (stages/checks.py); empty lists turn a check off."""

    table_words: list[str] = Field(default_factory=list)
    table_words_in_text: int = Field(2, ge=1)
    table_header: list[str] = Field(default_factory=list)
    line_starts: list[str] = Field(default_factory=list)
    max_title_length: int = Field(50, ge=1)
    name_not: list[str] = Field(default_factory=list)
    max_name_length: int = Field(40, ge=1)
    sentence_ends: tuple[str, ...] = ()
    usual_kinds: list[SectionKind] = Field(default_factory=list)
    min_coverage: float = Field(0.9, ge=0, le=1)


class Limits(_Strict):
    """Bounds on the work one line may cost (hostile or broken input)."""

    # Characters of a line that the patterns read; the rest of a longer line is cut off
    # (text.long_line).
    max_line_length: int = Field(2000, ge=80, le=100_000)


class BreakdownRules(_Strict):
    """Totals broken down by municipality (see `breakdowns.py`); patterns match NFKC text."""

    municipalities: list[str] = Field(default_factory=list)
    other_municipality: str
    part: str
    flow: str
    directed_flow: str
    receiver: str
    separator: str
    open: str
    close: str
    total_words: list[str] = Field(default_factory=list)


class GradeRules(_Strict):
    """Which grades say the year's target was reached (indicator.grade_mismatch)."""

    reached: list[str] = Field(default_factory=list)
    not_reached: list[str] = Field(default_factory=list)
    margin: float = Field(0.05, ge=0, le=1)


class GrammarSpec(_Strict):
    """The TOML document, as written."""

    extends: str | None = None
    family: Family
    normalise: Normalise = Normalise()
    eras: Eras
    layout: Layout
    sections: list[SectionRule]
    text: TextRules
    dates: Dates
    table: TableRules
    columns: ColumnRules = ColumnRules()
    quantity: QuantityRules
    attach: AttachRules = AttachRules()
    furniture: Furniture = Furniture()
    checks: CheckRules = CheckRules()
    limits: Limits = Limits()
    breakdowns: BreakdownRules | None = None
    grades: GradeRules = GradeRules()


# Named groups the code reads from each pattern; a pattern without them is refused at load.
_GROUPS: dict[str, tuple[str, ...]] = {
    "layout.category": ("name",),
    "layout.header": ("number", "title"),
    "layout.marker": ("marker", "rest"),
    "dates.date": ("era", "year", "month", "day"),
    "dates.range_end": ("era", "year", "month", "day"),
    "table.actual_year": ("year",),
    "table.target_year": ("year",),
    "table.final_year": ("year",),
    "table.target": ("inner",),
    "quantity.pattern": ("number", "unit", "bound", "per"),
    "breakdowns.part": ("municipality", "value"),
    "breakdowns.flow": ("origin", "value"),
    "breakdowns.directed_flow": ("origin", "municipality", "value"),
    "breakdowns.receiver": ("municipality",),
}

# Keys (dotted) of every pattern, and of every list of patterns, in a spec.
_PATTERNS = (
    "layout.category",
    "layout.header",
    "layout.not_header",
    "layout.marker",
    "text.break_if_starts",
    "text.standalone",
    "dates.date",
    "dates.range_end",
    "table.start",
    "table.header_words",
    "table.actual_year",
    "table.target_year",
    "table.final_year",
    "table.complete",
    "table.target",
    "quantity.pattern",
    "attach.ignore",
    "furniture.page_number",
    "furniture.running_title",
    "checks.table_words",
    "checks.table_header",
    "checks.line_starts",
    "checks.name_not",
    "normalise.joins",
    "breakdowns.other_municipality",
    "breakdowns.part",
    "breakdowns.flow",
    "breakdowns.directed_flow",
    "breakdowns.receiver",
    "breakdowns.separator",
    "breakdowns.open",
    "breakdowns.close",
)


# What may change meaning when a pattern is one alternative of several: a backreference,
# a conditional on a group, an inline flag (which `regex` may apply to the whole pattern).
_NOT_COMBINABLE = regex.compile(r"\\[1-9g]|\(\?P[=>]|\(\?\(|\(\?[a-zA-Z0-9^-]+[):]")


class Grammar:
    """A loaded grammar: the spec plus every pattern compiled."""

    def __init__(
        self, spec: GrammarSpec, path: Path, trusted: frozenset[str] = frozenset()
    ) -> None:
        self.spec = spec
        self.path = path
        self.trusted = trusted  # pattern sources as written in a bundled grammar file
        self.name = spec.family.name
        self.timeouts = TimeoutLog()  # pattern calls that timed out (see patterns.py)
        era = "|".join(regex.escape(name) for name in spec.eras.starts)
        self._placeholders = {"{era}": era}
        self._placeholders.update(self._breakdown_placeholders(spec))
        self._compiled: dict[str, list[Pattern]] = {}
        self._sources: dict[str, list[str]] = {}  # as written, by key
        self._any_of: dict[str, list[Pattern]] = {}
        data = spec.model_dump()
        for key in _PATTERNS:
            section, field = key.split(".")
            if data[section] is None:  # an optional section left out
                continue
            value = data[section][field]
            sources = value if isinstance(value, list) else [value]
            self._sources[key] = sources
            self._compiled[key] = [self._compile(key, src) for src in sources]
        for key in ("reached", "not_reached"):
            unknown = [g for g in getattr(spec.grades, key) if _nfkc(g) not in self.grades]
            if unknown:
                raise GrammarError(
                    f"{path}: key 'grades.{key}': {', '.join(unknown)} not in 'table.grades'"
                )
        self.section_rules: list[tuple[SectionKind, Pattern]] = [
            (rule.kind, self._compile(f"sections[{i}].pattern", rule.pattern))
            for i, rule in enumerate(spec.sections)
        ]

    def _breakdown_placeholders(self, spec: GrammarSpec) -> dict[str, str]:
        """`{municipality}` (a listed name, else `other_municipality`) and `{quantity}`
        (a number and a unit of the grammar), for the breakdown patterns."""
        if spec.breakdowns is None:
            return {}
        other = spec.breakdowns.other_municipality
        self._compile("breakdowns.other_municipality", other)
        known = sorted({_nfkc(m) for m in spec.breakdowns.municipalities}, key=len, reverse=True)
        names = "|".join([*(regex.escape(m) for m in known), f"(?:{other})"])
        units = sorted({_nfkc(u) for u in spec.quantity.units}, key=len, reverse=True)
        unit = "|".join(regex.escape(u) for u in units) or "(?!)"
        quantity = rf"\d[\d,]*(?:\.\d+)?\s*(?:{unit})"
        return {"{municipality}": f"(?:{names})", "{quantity}": quantity}

    def _compile(self, key: str, source: str) -> Pattern:
        where = f"{self.path}: key '{key}'"
        if len(source) > MAX_PATTERN_LENGTH:
            raise GrammarError(
                f"{where}: pattern of {len(source)} characters "
                f"(at most {MAX_PATTERN_LENGTH}): '{source[:40]}…'"
            )
        if nesting(source) > MAX_NESTING:
            raise GrammarError(
                f"{where}: pattern nested too deeply (groups at most {MAX_NESTING} deep): "
                f"'{source[:40]}…'"
            )
        expanded = source
        for name, value in self._placeholders.items():
            expanded = expanded.replace(name, value)
        try:
            compiled = regex.compile(expanded)
        except regex.error as exc:
            raise GrammarError(f"{where}: invalid pattern '{source}': {exc}") from None
        except RecursionError:
            raise GrammarError(f"{where}: pattern nested too deeply: '{source[:40]}…'") from None
        missing = [g for g in _GROUPS.get(key, ()) if g not in compiled.groupindex]
        if missing:
            raise GrammarError(
                f"{self.path}: key '{key}': pattern '{source}' lacks the named group(s) "
                + ", ".join(f"(?P<{g}>…)" for g in missing)
            )
        if source in self.trusted:
            return compiled
        return SafePattern(compiled, key, str(self.path), self.timeouts)

    def union(self, key: str, sources: list[str]) -> Pattern | None:
        """Patterns as one alternation (one call instead of one per pattern: it matches, or
        is found, where one of them is), or None where a pattern could read differently
        inside one (backreferences, inline flags), and for no patterns."""
        if not sources or any(_NOT_COMBINABLE.search(src) for src in sources):
            return None
        joined = "|".join(f"(?:{src})" for src in sources)
        if len(joined) > MAX_PATTERN_LENGTH or nesting(joined) > MAX_NESTING:
            return None
        compiled = self._compile(key, joined)
        if all(src in self.trusted for src in sources) and isinstance(compiled, SafePattern):
            return compiled.compiled  # as vetted as its parts
        return compiled

    @cached_property
    def header_word(self) -> Pattern | None:
        """`table.start` and every `table.header_words` pattern, as one `union`."""
        table = self.spec.table
        return self.union("table.header_words", [table.start, *table.header_words])

    @cached_property
    def page_number(self) -> Pattern | None:
        """Every `furniture.page_number` pattern, as one `union`."""
        return self.union("furniture.page_number", self.spec.furniture.page_number)

    def any_of(self, key: str) -> list[Pattern]:
        """The patterns of `key` for a test of whether any of them matches (or is found):
        their `union` alone where they combine, else each one."""
        found = self._any_of.get(key)
        if found is None:
            sources = self._sources.get(key, [])
            combined = self.union(key, sources) if len(sources) > 1 else None
            found = self._any_of[key] = [combined] if combined is not None else self.patterns(key)
        return found

    def pattern(self, key: str) -> Pattern:
        return self._compiled[key][0]

    def patterns(self, key: str) -> list[Pattern]:
        return self._compiled.get(key, [])

    # Derived word sets, computed once.
    @cached_property
    def grades(self) -> frozenset[str]:
        return frozenset(unicodedata.normalize("NFKC", g) for g in self.spec.table.grades)

    @cached_property
    def dashes(self) -> frozenset[str]:
        return frozenset(self.spec.table.dashes)

    @cached_property
    def quantity_token(self) -> Pattern:
        """A number and a unit of the grammar, as the breakdown patterns' `{quantity}`."""
        source = self._placeholders.get("{quantity}", "(?!)")
        return SafePattern(regex.compile(source), "quantity.units", str(self.path), self.timeouts)

    @cached_property
    def total_words(self) -> tuple[str, ...]:
        rules = self.spec.breakdowns
        return tuple(_nfkc(w) for w in rules.total_words) if rules else ()

    @cached_property
    def units(self) -> frozenset[str]:
        return frozenset(unicodedata.normalize("NFKC", u) for u in self.spec.quantity.units)

    def era_year(self, era: str, year: str) -> int:
        """The Western year of an era year (`令和`, `2` → 2020; `元` is 1)."""
        number = 1 if year.strip() == self.spec.eras.first_year else int(year)
        return self.spec.eras.starts[era] + number - 1


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_GRAMMAR_BYTES + 1)
    except OSError as exc:
        raise GrammarError(f"{path}: cannot read grammar: {exc.strerror or exc}") from None
    if len(data) > MAX_GRAMMAR_BYTES:
        raise GrammarError(f"{path}: grammar file larger than {MAX_GRAMMAR_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8")
        parsed = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise GrammarError(f"{path}: invalid TOML: not UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GrammarError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise GrammarError(f"{path}: key '{_deepest_key(text)}': nested too deeply") from None
    _check_sizes(path, parsed, "")
    return parsed


def _deepest_key(text: str) -> str:
    """The key of the line that opens the most arrays or tables (where TOML nests)."""
    line = max(text.splitlines() or [""], key=lambda ln: ln.count("[") + ln.count("{"))
    key = line.split("=", 1)[0].strip() if "=" in line else line.strip()
    return key[:40]


def _check_sizes(path: Path, value: Any, key: str, depth: int = 0) -> None:
    """No list or table of the grammar longer than MAX_LIST_LENGTH, nor nested deeper
    than a grammar ever is."""
    if depth > 8:
        raise GrammarError(f"{path}: key '{key}': nested too deeply")
    if isinstance(value, list | dict) and len(value) > MAX_LIST_LENGTH:
        raise GrammarError(f"{path}: key '{key}': {len(value)} entries (at most {MAX_LIST_LENGTH})")
    if isinstance(value, dict):
        for name, item in value.items():
            _check_sizes(path, item, f"{key}.{name}" if key else str(name), depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _check_sizes(path, item, f"{key}[{n}]", depth + 1)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def available_grammars() -> dict[str, Path]:
    """Names of the bundled grammars and their files."""
    found: dict[str, Path] = {}
    for folder in grammar_dirs():
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


def resolve(name_or_path: str | Path) -> Path:
    """The file of a grammar given by bundled name or by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.is_file() or "/" in str(name_or_path):
        if not candidate.is_file():
            raise GrammarError(f"grammar file not found: {candidate}")
        return candidate
    known = available_grammars()
    if str(name_or_path) in known:
        return known[str(name_or_path)]
    close = difflib.get_close_matches(str(name_or_path), list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(known) or 'none'}"
    raise GrammarError(f"unknown grammar '{name_or_path}'{hint}")


def _pattern_sources(data: dict[str, Any]) -> Iterator[str]:
    """The patterns written in one grammar file's data (at the keys of _PATTERNS)."""
    for key in _PATTERNS:
        section, name = key.split(".")
        table = data.get(section)
        value = table.get(name) if isinstance(table, dict) else None
        yield from [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for rule in data.get("sections") or []:
        if isinstance(rule, dict) and isinstance(rule.get("pattern"), str):
            yield rule["pattern"]


def _bundled_patterns(files: list[Path]) -> frozenset[str]:
    """The patterns written in the bundled grammar files among `files` (vetted by the
    tests; a user's file is not)."""
    bundled = {d.resolve() for d in grammar_dirs()}
    return frozenset(
        text
        for path in files
        if path.resolve().parent in bundled
        for text in _pattern_sources(_read_toml(path))
    )


def _load_data(path: Path, files: list[Path]) -> dict[str, Any]:
    """The grammar's data merged over what it extends; every file read is added to `files`."""
    if path.resolve() in [f.resolve() for f in files]:
        raise GrammarError(f"{path}: key 'extends': circular extension")
    files.append(path)
    data = _read_toml(path)
    parent = data.get("extends")
    if isinstance(parent, str):
        parent_path = resolve(parent) if not parent.endswith(".toml") else path.parent / parent
        base = _load_data(parent_path, files)
        base.pop("extends", None)
        data = _merge(base, data)
    return data


Stamp = tuple[tuple[Path, int], ...]
_CACHE: dict[Path, tuple[Stamp, Grammar]] = {}


def _stamp(files: list[Path]) -> Stamp:
    return tuple((p.resolve(), p.stat().st_mtime_ns) for p in files)


def load_grammar(name_or_path: str | Path = DEFAULT_GRAMMAR) -> Grammar:
    """Load, validate and compile a grammar; errors name the file, key and pattern.

    Loaded grammars are cached; a hit costs one stat per file of the extends chain, and a
    change to any of those files loads the grammar again."""
    path = resolve(name_or_path)
    cached = _CACHE.get(path.resolve())
    if cached is not None:
        stamp, grammar = cached
        try:
            if _stamp([p for p, _ in stamp]) == stamp:
                return grammar
        except OSError:
            pass  # a file went away: load again, which reports it
    files: list[Path] = []
    data = _load_data(path, files)
    try:
        spec = GrammarSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise GrammarError(f"{path}: key '{where}': {first['msg']}") from None
    grammar = Grammar(spec, path, _bundled_patterns(files))
    _CACHE[path.resolve()] = (_stamp(files), grammar)
    return grammar
