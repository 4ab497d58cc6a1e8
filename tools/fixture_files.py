"""Write a generated fixture file, or check that the committed one is up to date."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(out: Path, data: bytes, check: bool, stale: list[Path]) -> None:
    """With `check`, add `out` to `stale` when it is missing or differs from `data`;
    otherwise write `data` to it."""
    if check:
        if not out.exists() or out.read_bytes() != data:
            stale.append(out)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {out.relative_to(ROOT)}")


def report_stale(stale: list[Path]) -> int:
    """Name each stale file on stderr; the exit code (1 when any)."""
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if stale else 0
