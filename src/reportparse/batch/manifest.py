"""The manifest (`OUTDIR/manifest.jsonl`): one line per input of the last run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..defaults import DEFAULT_ENGINE
from ..inputs import MANIFEST
from ..output import write_atomic

if TYPE_CHECKING:
    from ..grammar import Grammar


@dataclass(slots=True)
class Entry:
    """One line of the manifest."""

    path: str
    sha256: str | None
    status: str  # ok | failed | skipped
    error_code: str | None = None
    error_message: str | None = None
    warnings: int | None = None
    summary: dict[str, Any] | None = None  # the report's summary (counts, coverage, codes)
    seconds: float | None = None
    output: str | None = None  # relative to the output folder
    format: str = "json"
    encoding: str | None = None  # the --encoding given; null: detected
    engine: str = DEFAULT_ENGINE  # the PDF engine
    bom: bool | None = None  # CSV only: whether it starts with a BOM; null for JSON and JSONL
    grammar: str = ""
    grammar_sha256: str = ""
    tool_version: str = __version__

    def same_conversion(self, other: Entry) -> bool:
        """Would `other` produce the same output as this (successful) entry?"""
        mine, theirs = asdict(self), asdict(other)
        same = all(mine[k] == theirs[k] for k in mine if k not in _RUN_FIELDS)
        return same and self.status in ("ok", "skipped")


# Fields that describe one run; an output is reused when all the other fields are unchanged.
_RUN_FIELDS = frozenset(
    {"path", "status", "error_code", "error_message", "warnings", "summary", "seconds"}
)


def read_manifest(outdir: Path) -> list[Entry]:
    """The previous run's entries, in order; unreadable lines are ignored."""
    try:
        lines = (outdir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    names = {f.name for f in fields(Entry)}
    found: list[Entry] = []
    for line in lines:
        try:
            data = json.loads(line)
            found.append(Entry(**{k: v for k, v in data.items() if k in names}))
        except (ValueError, TypeError):
            continue
    return found


def manifest_text(entries: Iterable[Entry]) -> str:
    return "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries)


def write_manifest(outdir: Path, entries: Iterable[Entry]) -> None:
    """Rewrite the manifest atomically."""
    write_atomic(outdir / MANIFEST, manifest_text(entries))


def grammar_sha256(grammar: Grammar) -> str:
    """A hash of the grammar as loaded (with whatever it extends)."""
    return hashlib.sha256(grammar.spec.model_dump_json().encode("utf-8")).hexdigest()
