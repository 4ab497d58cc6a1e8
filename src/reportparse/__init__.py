"""reportparse: Japanese municipal progress reports (PDF or text) to validated JSON.

>>> import reportparse
>>> report = reportparse.extract("report.pdf")
>>> report.initiatives[0].indicators[0].actual.value
"""

from __future__ import annotations

from pathlib import Path

from .engines import DEFAULT_ENGINE, ENGINES
from .errors import InputError, ReportparseError
from .grammar import DEFAULT_GRAMMAR, Grammar, load_grammar
from .models import Report, json_schema
from .pipeline import Options, run

# Read by hatch for the package metadata; no importlib.metadata at start-up (about 50 ms).
__version__ = "0.1.0"

__all__ = [
    "Report",
    "ReportparseError",
    "__version__",
    "extract",
    "extract_bytes",
    "json_schema",
    "load_grammar",
]


def read_input(path: str | Path) -> bytes:
    """The bytes of an input file; a missing or unreadable file is an InputError."""
    p = Path(path)
    try:
        data = p.read_bytes()
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
) -> Report:
    """Parse a report given as bytes (PDF or text) into the typed Report; `engine` reads
    PDFs: "pdfium" (the default, fast) or "pdfplumber"; `read_ahead` lets a child process
    read a long PDF's pages on a second core (off where the caller runs in parallel)."""
    if not data:
        raise InputError(f"{name or '<input>'}: is empty")
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine '{engine}'; use {' or '.join(ENGINES)}")
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
) -> Report:
    """Parse the report at `path` (PDF or text) into the typed Report model."""
    return extract_bytes(
        read_input(path),
        name=str(path),
        grammar=grammar,
        encoding=encoding,
        password=password,
        format=format,
        engine=engine,
        read_ahead=read_ahead,
    )
