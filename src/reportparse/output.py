"""Write results: atomically to files, or to stdout; the contract JSON while it is parsed."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import OutputError
from .models import Report

if TYPE_CHECKING:
    from .pipeline import Run


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at `path` only when the block succeeds: written to a
    temporary file in the same folder, then renamed, so no reader sees a partial file."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        raise


def write_atomic(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write `data` to `path` atomically (see atomic_file)."""
    with atomic_file(path) as fh:
        fh.write(data.encode(encoding) if isinstance(data, str) else data)


def write_stdout(data: str | bytes | IO[bytes]) -> None:
    """Write the result (text, bytes or a binary file's content) to stdout as UTF-8,
    whatever the locale."""
    sys.stdout.flush()
    if isinstance(data, str | bytes):
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    else:
        shutil.copyfileobj(data, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def write_result(output: str | Path | None, data: str | bytes) -> None:
    """The result to `output` atomically, or to stdout when it is None."""
    if output is None:
        write_stdout(data)
    else:
        write_atomic(output, data)


_EMPTY_LIST = '\n  "initiatives": [],\n'


def stream_json(parse: Run, out: IO[bytes]) -> Report:
    """Write the contract JSON of a parse as its pages come, byte for byte what
    `Report.to_json()` gives, holding only one page's models at a time. Initiatives are
    spooled to a temporary file until the document-level fields are known; nothing is
    written to `out` if parsing fails. Returns the Report without its initiatives."""
    from .stages.build import ReportBuilder
    from .stages.checks import with_summary

    builder = ReportBuilder(parse.diag, keep=False)
    with tempfile.TemporaryFile() as spool:
        for initiatives, unassigned in parse.pages:
            builder.add(initiatives, unassigned)
            for ini in initiatives:
                text = json.dumps(ini.model_dump(mode="json"), ensure_ascii=False, indent=2)
                spool.write(((",\n" if spool.tell() else "") + _indent(text, 4)).encode())
        head = with_summary(builder.report(parse.source), parse.checks)
        before, after = head.to_json().split(_EMPTY_LIST, 1)
        if not spool.tell():
            out.write((before + _EMPTY_LIST + after + "\n").encode())
            return head
        out.write((before + '\n  "initiatives": [\n').encode())
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write(("\n  ],\n" + after + "\n").encode())
    return head


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))
