"""Find batch inputs (files, folders, globs) and name their outputs without collisions."""

from __future__ import annotations

import glob
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ExitCode, ReportparseError

MANIFEST = "manifest.jsonl"
SUFFIXES = (".pdf", ".txt")  # what a folder is searched for


class BatchUsageError(ReportparseError):
    """The inputs cannot be mapped to distinct outputs."""

    exit_code = ExitCode.USAGE
    code = "usage"


@dataclass(frozen=True, slots=True)
class Input:
    path: Path  # as found, for messages and the manifest
    rel: Path  # relative to the argument it came from


def _walk(folder: Path) -> list[Path]:
    """Report files under a folder, recursively, skipping hidden files and folders."""
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def _glob_base(pattern: str) -> Path:
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    return Path(*parts[:first])


def discover(args: Iterable[str]) -> tuple[list[Input], list[str]]:
    """Inputs from files, folders and globs, each once; and the arguments that match nothing."""
    inputs: list[Input] = []
    missing: list[str] = []
    seen: set[Path] = set()

    def add(path: Path, base: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            inputs.append(Input(path, path.relative_to(base)))

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for found in _walk(path):
                add(found, path)
        elif path.exists():
            add(path, path.parent)
        elif glob.has_magic(arg):
            base = _glob_base(arg)
            matches = [Path(m) for m in sorted(glob.glob(arg, recursive=True))]
            for match in matches:
                for found in _walk(match) if match.is_dir() else [match]:
                    add(found, base)
            if not matches:
                missing.append(arg)
        else:
            missing.append(arg)
    return inputs, missing


def assign_outputs(inputs: Sequence[Input], ext: str, outdir: Path) -> list[Path]:
    """Each input's output path relative to `outdir`: its path relative to its argument with
    `ext`. Inputs that would collide are placed relative to their common folder instead,
    keeping their own suffix when only that differs (`a.pdf.json`, `a.txt.json`)."""
    wanted = [i.rel.with_suffix(ext) for i in inputs]
    groups: defaultdict[Path, list[int]] = defaultdict(list)
    for n, out in enumerate(wanted):
        groups[out].append(n)
    for members in (m for m in groups.values() if len(m) > 1):
        paths = [inputs[n].path.resolve() for n in members]
        root = Path(os.path.commonpath([str(p.parent) for p in paths]))
        rels = [p.relative_to(root) for p in paths]
        stems = Counter(r.with_suffix("") for r in rels)
        for n, rel in zip(members, rels, strict=True):
            dup = stems[rel.with_suffix("")] > 1
            wanted[n] = rel.with_name(rel.name + ext) if dup else rel.with_suffix(ext)
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
