"""Write results: safely to files, or to stdout; the contract JSON while it is parsed."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .collector import collector_paused
from .errors import BrokenPipe, OutputError

if TYPE_CHECKING:
    from .grammar import Grammar
    from .models import Report
    from .pipeline import Options, Run, Timings

# Temporary files are `.<name>.<pid>-<random>.tmp` beside their target; the pid tells
# whether the run that made one is still alive.
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-[a-z0-9_]{8}\.tmp")


def _cannot(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write: {exc.strerror or exc}")


@contextlib.contextmanager
def output_file(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file for a result at `path`, which is never damaged on failure.

    A regular file (or a new name in an existing folder) is written to a temporary file
    beside it and renamed over it when the block succeeds, keeping the old file's mode;
    a symlink is followed and its target replaced. A character device or FIFO
    (`/dev/null`, `/dev/stdout`, a named pipe) is written in place. A directory, block
    device, socket or a missing parent folder is an OutputError (exit 8).
    """
    target = Path(path)
    try:
        st: os.stat_result | None = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot(target, exc) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _in_place(target, st) as fh:
            yield fh
        return
    real = Path(os.path.realpath(target))
    if not real.parent.is_dir():
        raise OutputError(f"{target}: cannot write: folder {real.parent} does not exist")
    with staged_file(real) as (fh, tmp):
        yield fh
    try:
        publish(tmp, real)
    except OutputError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def staged_file(path: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A temporary file beside `path` (`.NAME.PID-XXXXXXXX.tmp`), on disk when the block
    succeeds and removed when it fails; `publish` puts it in place."""
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, Path(tmp)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot(path, exc) from None
        raise


def publish(tmp: Path, target: Path) -> None:
    """Rename a staged file over `target`, giving it the mode of the file it replaces."""
    try:
        try:
            old: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            old = None
        _copy_mode(str(tmp), old)
        os.replace(tmp, target)
    except OSError as exc:
        raise _cannot(target, exc) from None


@contextlib.contextmanager
def _in_place(target: Path, st: os.stat_result) -> Iterator[IO[bytes]]:
    """Write a character device or FIFO directly; refuse other special files."""
    mode = st.st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        kind = "directory" if stat.S_ISDIR(mode) else "block device" if stat.S_ISBLK(mode) else None
        raise OutputError(f"{target}: cannot write: is a {kind or 'special file'}")
    try:
        with open(target, "wb") as fh:
            yield fh
    except OSError as exc:
        raise _cannot(target, exc) from None


def _copy_mode(tmp: str, old: os.stat_result | None) -> None:
    """Give the new file the replaced file's mode (and owner, where allowed), else the
    mode a new file gets (mkstemp makes 0600)."""
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):
            os.chown(tmp, old.st_uid, old.st_gid)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of ours in `folder` left by a run that was killed (its
    process is gone); the ones removed."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP.fullmatch(entry.name)
            if match and not _alive(int(match["pid"])) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill(pid, 0) is not a probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours
        return True
    return True


def write_atomic(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write `data` to `path` (see output_file)."""
    with output_file(path) as fh:
        fh.write(data.encode(encoding) if isinstance(data, str) else data)


def write_stdout(data: str | bytes | IO[bytes]) -> None:
    """Write the result (text, bytes or a binary file's content) to stdout as UTF-8,
    whatever the locale. A reader that went away is BrokenPipe; any other failure is an
    OutputError (exit 8)."""
    try:
        sys.stdout.flush()
        if isinstance(data, str | bytes):
            sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        else:
            shutil.copyfileobj(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        silence(sys.stdout)
        raise BrokenPipe("<stdout>: closed by its reader") from None
    except OSError as exc:
        silence(sys.stdout)
        raise OutputError(f"<stdout>: cannot write: {exc.strerror or exc}") from None


def silence(stream: IO[str] | None) -> None:
    """Point a standard stream that cannot be written at /dev/null, so that Python's own
    flush at exit does not fail (and change the exit code) again."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


@contextlib.contextmanager
def open_result(output: str | Path | None) -> Iterator[IO[bytes]]:
    """Where a result goes: the file `output` (see output_file), or stdout, which gets
    all of it or nothing."""
    if output is not None:
        with output_file(output) as fh:
            yield fh
        return
    with tempfile.TemporaryFile() as buffer:
        yield buffer
        buffer.seek(0)
        write_stdout(buffer)


def write_result(output: str | Path | None, data: str | bytes) -> None:
    """The result to `output`, or to stdout when it is None."""
    with open_result(output) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_report(
    out: IO[bytes],
    data: bytes,
    name: str | None,
    grammar: Grammar,
    options: Options,
    fmt: str = "json",
    bom: bool = True,
    timings: Timings | None = None,
) -> Report:
    """Parse one report and write it to `out` in `fmt`: the contract JSON streamed page
    by page (stream_json), the flat exports from the whole Report. The one writer of
    `extract` and `batch`. Returns the Report (without initiatives when streamed)."""
    from .pipeline import Timings, run, start

    timings = timings or Timings()
    with collector_paused():  # a text's lines live through the run: 5% of its CPU
        if fmt == "json":  # streamed: memory stays flat however long the report
            return stream_json(start(data, name, grammar, options, timings), out)
        from .exports import render_format

        report = run(data, name, grammar, options, timings)
        out.write(render_format([report], fmt, bom=bom).encode("utf-8"))
        return report


_EMPTY_LIST = '\n  "initiatives": [],\n'


def stream_json(parse: Run, out: IO[bytes]) -> Report:
    """Write the contract JSON of a parse as its pages come, byte for byte what
    `Report.to_json()` gives, holding only one page's models at a time. Initiatives are
    spooled to a temporary file until the document-level fields are known; nothing is
    written to `out` if parsing fails. Returns the Report without its initiatives."""
    from .models import contract_json
    from .stages.build import ReportBuilder
    from .stages.checks import with_summary

    builder = ReportBuilder(parse.diag, keep=False)
    with tempfile.TemporaryFile() as spool:
        for initiatives, unassigned in parse.pages:
            builder.add(initiatives, unassigned)
            for ini in initiatives:
                text = contract_json(ini)
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
    """Every line of `text` indented by `spaces`, empty lines too."""
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)
