"""Find batch inputs (files, folders, globs) and name their outputs without collisions."""

from __future__ import annotations

import glob
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

MANIFEST = "manifest.jsonl"
SUFFIXES = (".pdf", ".txt")  # what a folder is searched for
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class BatchUsageError(UsageError):
    """The inputs cannot be mapped to distinct outputs."""


def url_error(arg: str) -> str | None:
    """The message for an input given as a URL (not supported), else None."""
    if _URL.match(arg):
        return f"{arg}: URLs are not supported; download the file and give its path"
    return None


@dataclass(frozen=True, slots=True)
class Input:
    path: Path  # as found, for messages and the manifest
    rel: Path  # relative to the argument it came from


def _walk(folder: Path, links: list[Path]) -> list[Path]:
    """Report files under a folder, recursively, skipping hidden files and folders. A
    symlinked folder inside is not searched (a link loop would make the search endless);
    it is added to `links`, for the user to be told."""
    found = []
    for p in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if p.is_symlink() and p.is_dir():
            links.append(p)
        elif p.suffix.lower() in SUFFIXES and p.is_file():
            found.append(p)
    return found


def _glob_base(pattern: str) -> Path:
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    return Path(*parts[:first])


def _glob(base: Path, pattern: str) -> list[Path]:
    """Matches of `pattern` under `base`, sorted, without hidden names (unless the pattern
    names them). `**` does not descend into symlinked folders, so a link loop cannot make
    the search endless (glob.glob follows them)."""
    hidden = pattern.startswith(".") or "/." in pattern
    return sorted(
        m
        for m in base.glob(pattern)
        if hidden or not any(part.startswith(".") for part in m.relative_to(base).parts)
    )


@dataclass(slots=True)
class Discovered:
    """What the arguments of a batch name."""

    inputs: list[Input] = field(default_factory=list)  # each file once
    missing: list[str] = field(default_factory=list)  # arguments that match nothing
    links: list[Path] = field(default_factory=list)  # symlinked folders not searched


def discover(args: Iterable[str]) -> Discovered:
    """Inputs from files, folders and globs, each once; the arguments that match nothing;
    the symlinked folders that were not searched."""
    found = Discovered()
    seen: set[Path] = set()

    def add(path: Path, base: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.inputs.append(Input(path, path.relative_to(base)))

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for file in _walk(path, found.links):
                add(file, path)
        elif path.exists():
            add(path, path.parent)
        elif glob.has_magic(arg):
            base = _glob_base(arg)
            matches = _glob(base, Path(arg).relative_to(base).as_posix())
            for match in matches:
                for file in _walk(match, found.links) if match.is_dir() else [match]:
                    add(file, base)
            if not matches:
                found.missing.append(arg)
        else:
            found.missing.append(arg)
    return found


def _named(rels: Sequence[Path], folders: Sequence[Path], ext: str) -> list[Path]:
    """Each path with `ext` for its suffix, or after it when another input of the same
    folder differs from it only by its suffix (`a.pdf.json`, `a.txt.json`)."""
    stems = Counter(
        (folder, rel.with_suffix("")) for folder, rel in zip(folders, rels, strict=True)
    )
    return [
        rel.with_name(rel.name + ext)
        if stems[folder, rel.with_suffix("")] > 1
        else rel.with_suffix(ext)
        for folder, rel in zip(folders, rels, strict=True)
    ]


def assign_outputs(inputs: Sequence[Input], ext: str, outdir: Path) -> list[Path]:
    """Each input's output path relative to `outdir`: its path relative to the argument it
    came from, with `ext` (kept after the input's own suffix when two inputs of one folder
    differ only by it). Inputs of different arguments that would still share an output are
    placed relative to their common folder instead; a clash left is a usage error."""
    folders = [i.path.resolve().parent for i in inputs]
    wanted = _named([i.rel for i in inputs], folders, ext)
    groups: defaultdict[Path, list[int]] = defaultdict(list)
    for n, out in enumerate(wanted):
        groups[out].append(n)
    for members in (m for m in groups.values() if len(m) > 1):
        paths = [inputs[n].path.resolve() for n in members]
        root = Path(os.path.commonpath([str(p.parent) for p in paths]))
        renamed = _named([p.relative_to(root) for p in paths], [folders[n] for n in members], ext)
        for n, out in zip(members, renamed, strict=True):
            wanted[n] = out
    owners: dict[Path, Input] = {}
    for inp, out in zip(inputs, wanted, strict=True):
        if out in owners or out == Path(MANIFEST):
            other = owners.get(out)
            raise BatchUsageError(
                f"{inp.path} and {other.path if other else 'the manifest'} "
                f"would both be written to {outdir / out}"
            )
        if (outdir / out).resolve() == inp.path.resolve():
            raise BatchUsageError(f"{inp.path}: the output would overwrite the input")
        owners[out] = inp
    return wanted
