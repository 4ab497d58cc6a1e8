"""reportparse: Japanese municipal progress reports (PDF or text) to validated JSON.

>>> import reportparse
>>> report = reportparse.extract("report.pdf")
>>> report.initiatives[0].indicators[0].actual.value
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def read_input(path: str | Path) -> bytes:
    """The bytes of an input file; a missing or unreadable file (or a URL) is an InputError."""
    from .inputs import url_error

    url = url_error(path) if isinstance(path, str) else None
    if url:
        raise InputError(url)
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
    from .grammar import Grammar, load_grammar
    from .pipeline import Options, run

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
