"""What a batch shows on stderr: a progress bar on a terminal, notes, the summary tables.
File names are data: never read as rich markup, control characters escaped."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..errors import printable
from ..inputs import MANIFEST

if TYPE_CHECKING:
    from .manifest import Entry


def _text(value: object) -> Text:
    return Text(printable(str(value)))


class Display:
    """Progress while the batch runs and its summary at the end (unless quiet)."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.console = Console(stderr=True, highlight=False)
        self.quiet = quiet
        self.progress = Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=quiet or not self.console.is_terminal,
            transient=True,
        )
        self.task = self.progress.add_task("batch", total=total, failed=0)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        with self.progress:
            yield

    def advance(self, failed: int) -> None:
        self.progress.update(self.task, advance=1, failed=failed)

    def stop(self) -> None:
        self.progress.stop()

    def _print(self, renderable: Text | Table, soft_wrap: bool = False) -> None:
        """Print on stderr; a closed or full stderr is not an error of the batch."""
        with contextlib.suppress(OSError, ValueError):
            self.console.print(renderable, soft_wrap=soft_wrap)

    def note(self, message: str) -> None:
        """A warning line (one line, however long), shown even when quiet."""
        self._print(_text(f"reportparse: warning: {message}"), soft_wrap=True)

    def summary(self, entries: Sequence[Entry], outdir: Path, seconds: float) -> None:
        if self.quiet:
            return
        counts = Counter(e.status for e in entries)
        table = Table(title="reportparse batch", title_justify="left")
        for name in ("inputs", "converted", "skipped", "failed", "warnings", "seconds"):
            table.add_column(name, justify="right")
        warnings = sum(e.warnings or 0 for e in entries)
        cells = [len(entries), counts["ok"], counts["skipped"], counts["failed"], warnings]
        table.add_row(*map(str, cells), f"{seconds:.1f}")
        self._print(table)
        failures = [e for e in entries if e.status == "failed"]
        if failures:
            errors = Table(title="failed inputs", title_justify="left")
            for name in ("input", "error", "message"):
                errors.add_column(name, overflow="fold")
            for e in failures:
                message = (e.error_message or "").removeprefix(f"{e.path}: ")
                errors.add_row(_text(e.path), _text(e.error_code or ""), _text(message))
            self._print(errors)
        self._print(_text(f"manifest: {outdir / MANIFEST}"))
