"""reportparse: Japanese municipal progress reports (PDF or text) to validated JSON.

>>> import reportparse
>>> report = reportparse.extract("report.pdf")
>>> report.initiatives[0].indicators[0].actual.value
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .defaults import DEFAULT_ENGINE, DEFAULT_GRAMMAR, ENGINES
from .errors import InputError, ReportparseError

if TYPE_CHECKING:
    from .grammar import Grammar, load_grammar
    from .models import Report, json_schema

# Read by hatch for the package metadata; no importlib.metadata at start-up (about 50 ms).
__version__ = "0.1.0"

# Imported on first use, so that `import reportparse.cli` (and `--version`) stays fast.
_LAZY = {
    "Report": "models",
    "json_schema": "models",
    "load_grammar": "grammar",
    "Grammar": "grammar",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Report",
    "ReportparseError",
    "__version__",
    "extract",
    "extract_bytes",
    "json_schema",
    "load_grammar",
]


MAX_INPUT_MB = 200  # the default limit on an input's size (`--max-input-mb`; 0: none)
_CHUNK = 1 << 20


def _limit(max_input_mb: int) -> int | None:
    return max_input_mb * 1024 * 1024 if max_input_mb > 0 else None


def _too_large(name: str, max_input_mb: int) -> InputError:
    return InputError(
        f"{name}: larger than {max_input_mb} MB, the input size limit (--max-input-mb)"
    )


def read_limited(stream: BinaryIO, name: str, max_input_mb: int = MAX_INPUT_MB) -> bytes:
    """All bytes of a stream, read in chunks; more than `max_input_mb` MB (an endless
    device, a pipe that never ends) is an InputError as soon as the limit is passed."""
    limit = _limit(max_input_mb)
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            raise _too_large(name, max_input_mb)
        chunks.append(chunk)
    return b"".join(chunks)


def read_input(path: str | Path, max_input_mb: int = MAX_INPUT_MB) -> bytes:
    """The bytes of an input file; a missing, unreadable or too large file (or a URL) is
    an InputError."""
    from .inputs import url_error

    url = url_error(path) if isinstance(path, str) else None
    if url:
        raise InputError(url)
    p = Path(path)
    try:
        with p.open("rb") as fh:
            limit = _limit(max_input_mb)
            if limit is not None and os.fstat(fh.fileno()).st_size > limit:
                raise _too_large(str(p), max_input_mb)
            data = read_limited(fh, str(p), max_input_mb)
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory (use `reportparse batch` for folders)") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if not data:
        raise InputError(f"{p}: is empty")
    return data


def extract_bytes(
    data: bytes,
    *,
    name: str | None = None,
    grammar: str | Path | Grammar = DEFAULT_GRAMMAR,
    encoding: str | None = None,
    password: str | None = None,
    format: str | None = None,
    engine: str = DEFAULT_ENGINE,
    read_ahead: bool = True,
    max_input_mb: int = MAX_INPUT_MB,
) -> Report:
    """Parse a report given as bytes (PDF or text) into the typed Report. `engine` reads
    PDFs: "pdfium" (the default, fast) or "pdfplumber"; `read_ahead` lets a child process
    read a long PDF's pages on a second core (off where the caller runs in parallel);
    more than `max_input_mb` MB (0: no limit) is an InputError."""
    from .grammar import Grammar, load_grammar
    from .pipeline import Options, run

    if not data:
        raise InputError(f"{name or '<input>'}: is empty")
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine '{engine}'; use {' or '.join(ENGINES)}")
    limit = _limit(max_input_mb)
    if limit is not None and len(data) > limit:
        raise _too_large(name or "<input>", max_input_mb)
    loaded = grammar if isinstance(grammar, Grammar) else load_grammar(grammar)
    options = Options(
        encoding=encoding, password=password, format=format, engine=engine, read_ahead=read_ahead
    )
    return run(data, name, loaded, options)


def extract(
    path: str | Path,
    *,
    grammar: str | Path | Grammar = DEFAULT_GRAMMAR,
    encoding: str | None = None,
    password: str | None = None,
    format: str | None = None,
    engine: str = DEFAULT_ENGINE,
    read_ahead: bool = True,
    max_input_mb: int = MAX_INPUT_MB,
) -> Report:
    """Parse the report at `path` (PDF or text) into the typed Report model; a file of
    more than `max_input_mb` MB (0: no limit) is an InputError."""
    return extract_bytes(
        read_input(path, max_input_mb),
        name=str(path),
        grammar=grammar,
        encoding=encoding,
        password=password,
        format=format,
        engine=engine,
        read_ahead=read_ahead,
        max_input_mb=max_input_mb,
    )
