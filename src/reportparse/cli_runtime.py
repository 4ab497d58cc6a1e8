"""How the command line runs: its messages on stderr (never the cause of an exit code),
its exit codes and tracebacks, signals, the help layout, and start-up shortcuts."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
import types
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperCommand

from .errors import BrokenPipe, ExitCode, ReportparseError
from .errors import printable as _printable
from .output import silence

if TYPE_CHECKING:
    from .models import Warning

DEBUG = {"on": False}


class HelpCommand(TyperCommand):
    """Help that shows each argument by its placeholder word (`FILE`, `PATH...`), not as
    `{file}` or `file <str>`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        params = self.get_params(ctx)
        return pieces + [str(p.metavar or p.name) for p in params if _is(p, "argument")]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        records = [(p, p.get_help_record(ctx)) for p in self.get_params(ctx)]
        arguments = [
            (str(p.metavar or p.name), r[1]) for p, r in records if r and _is(p, "argument")
        ]
        for title, rows in (
            ("Arguments", arguments),
            ("Options", [r for p, r in records if r and _is(p, "option")]),
        ):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _is(param: Any, kind: str) -> bool:
    return bool(param.param_type_name == kind)


def say(line: str) -> None:
    """One line on stderr, control characters escaped. A closed or full stderr is
    ignored: losing a message must not change the exit code."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(_printable(line) + "\n")
        stream.flush()
    except (OSError, ValueError):
        silence(stream)


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr and the exit code; no traceback unless --debug."""
    say(f"reportparse: error: {message}")
    raise typer.Exit(code)


def describe_warning(w: Warning) -> str:
    """`code: message (page 2, line 14)` for a person on stderr."""
    where = ", ".join(f"{k} {v}" for k, v in (("page", w.page), ("line", w.line)) if v is not None)
    return f"{w.code}: {w.message}" + (f" ({where})" if where else "")


def print_warnings(warnings: list[Warning]) -> None:
    """Each warning as one line on stderr."""
    for w in warnings:
        say(f"reportparse: warning: {describe_warning(w)}")


def run_reported(action: Callable[[], int]) -> None:
    """Run a command body: its exit code, or a one-line error. --debug adds the traceback
    and keeps the exit code. SIGTERM stops a command as Ctrl-C does (temporary files are
    removed on the way out)."""
    try:
        with _sigterm_interrupts():
            code = action()
    except BrokenPipe:  # the reader of stdout went away: quiet, as Unix tools are
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None
    except ReportparseError as exc:
        _traceback()
        fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
    except Exception as exc:  # a bug: one line, the traceback only with --debug
        _traceback()
        fail(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug", ExitCode.INTERNAL)
    raise typer.Exit(code)


def _traceback() -> None:
    if DEBUG["on"]:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            traceback.print_exc(file=sys.stderr)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while a command runs, so it cleans up as Ctrl-C."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave SIGTERM alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def without_pydantic_plugins() -> None:
    """pydantic looks for plugins on its first model, importing importlib.metadata and
    scanning every installed distribution's entry points (20-40 ms, a tenth of a short
    `extract`). The command line uses no plugin: give pydantic an empty list instead,
    unless the user chose plugins through PYDANTIC_DISABLE_PLUGINS."""
    name = "pydantic.plugin._loader"
    if name in sys.modules or "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        return
    loader = types.ModuleType(name, "No pydantic plugins (set by reportparse.cli_runtime).")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[name] = loader
