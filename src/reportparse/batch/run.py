"""The run of one batch: find the inputs, skip the unchanged ones, convert the others in a
pool of killable workers, and keep the manifest up to date all along."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import glob
import hashlib
import multiprocessing
import os
import stat
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool

from ..errors import ExitCode, InputError, OutputError
from ..exports import EXTENSIONS
from ..inputs import Input, assign_outputs, discover, url_error
from ..limits import died_of_memory, memory_message, preload, timeout_message
from ..output import publish, remove_stale_temporaries
from .display import Display
from .manifest import Entry, grammar_sha256, read_manifest, write_manifest
from .settings import Settings
from .worker import Outcome, conversion_modules, convert, prepare

MANIFEST_INTERVAL = 1.0  # seconds between rewrites of the manifest while running
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class _Run:
    """The state of one batch: entries by input, the manifest, progress and summary."""

    def __init__(self, outdir: Path, count: int, old: list[Entry], settings: Settings) -> None:
        self.outdir = outdir
        self.entries: list[Entry | None] = [None] * count
        self.old = {e.output: e for e in old if e.output}
        self.outputs: list[str | None] = [None] * count
        self.last_write = 0.0
        self.failed = 0
        self.formats: set[str] = set()  # of the inputs converted: "pdf", "text"
        self.staged: list[tuple[Path, Path]] = []  # outputs written, not yet in place
        self.display = Display(count, settings.quiet)

    def record(self, n: int, entry: Entry, outcome: Outcome | None = None) -> None:
        self.entries[n] = entry
        self.failed += entry.status == "failed"
        if outcome is not None and outcome.source_format:
            self.formats.add(outcome.source_format)
        if outcome is not None and outcome.staged is not None and entry.output:
            self.staged.append((outcome.staged, self.outdir / entry.output))
        self.display.advance(self.failed)
        self.write_manifest(final=False)

    def write_manifest(self, final: bool) -> None:
        """Rewrite the manifest atomically: this run's entries so far and, for inputs not
        finished yet, their previous entry (so an interrupted run loses nothing); then
        put the outputs it lists in place. The old file at such an output goes first, so
        whenever the run stops, no output is on disk that the manifest does not list as
        it is (a listed output that is missing is converted again by the next run)."""
        now = time.monotonic()
        if not final and now - self.last_write < MANIFEST_INTERVAL:
            return
        rows: list[Entry] = []
        for entry, out in zip(self.entries, self.outputs, strict=True):
            if entry is not None:
                rows.append(entry)
            elif out is not None and out in self.old:
                rows.append(self.old[out])
        staged, self.staged = self.staged, []
        for _, target in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        write_manifest(self.outdir, rows)
        for tmp, target in staged:
            publish(tmp, target)
        self.last_write = now

    def done(self) -> list[Entry]:
        return [e for e in self.entries if e is not None]


def _file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _not_regular(path: Path) -> str | None:
    """Why `path` cannot be converted (gone, a FIFO, a device...), else None. A FIFO is
    never opened: with no writer, reading it would hang the batch."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return f"{path}: no such file"
    except OSError as exc:
        return f"{path}: cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(st.st_mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(st.st_mode), "a socket or special file")
    return f"{path}: is {kind}, not a regular file; skipped"


def run_batch(args: Sequence[str], outdir: Path, settings: Settings) -> ExitCode:
    """Convert every input; OK when all succeeded (or were skipped), PARTIAL otherwise.
    Ctrl-C stops the workers, keeps the manifest consistent and re-raises KeyboardInterrupt."""
    from ..grammar import load_grammar

    started = time.perf_counter()
    grammar = load_grammar(settings.grammar)
    found = discover(args)
    inputs, missing = found.inputs, found.missing
    if not inputs and not missing:
        raise InputError("no input files found (folders are searched for *.pdf and *.txt)")
    outputs = [out.as_posix() for out in assign_outputs(inputs, EXTENSIONS[settings.fmt], outdir)]
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{outdir}: cannot create: {exc.strerror or exc}") from None
    previous = read_manifest(outdir)
    run = _Run(outdir, len(inputs) + len(missing), previous, settings)
    run.outputs[: len(outputs)] = outputs
    common: dict[str, Any] = {
        "format": settings.fmt,
        "encoding": settings.encoding,
        "engine": settings.engine,
        "bom": settings.bom if settings.fmt == "csv" else None,
        "grammar": grammar.name,
        "grammar_sha256": grammar_sha256(grammar),
    }
    folders = {outdir, *((outdir / out).parent for out in outputs)}
    todo: dict[int, Entry] = {}
    sizes: dict[int, int] = {}
    try:
        with run.display.running():
            for n, arg in enumerate(missing, start=len(inputs)):
                message = url_error(arg) or f"{arg}: no such file" + (
                    " (no match)" if glob.has_magic(arg) else ""
                )
                run.record(n, Entry(arg, None, "failed", "input", message, **common))
            for n, (inp, out) in enumerate(zip(inputs, outputs, strict=True)):
                entry = Entry(str(inp.path), None, "pending", output=out, **common)
                problem = _not_regular(inp.path)
                if problem is not None:
                    failed = replace(entry, status="failed", output=None)
                    run.record(n, replace(failed, error_code="input", error_message=problem))
                elif (skipped := _unchanged(inp, entry, run, settings)) is not None:
                    run.record(n, skipped)
                else:
                    todo[n], sizes[n] = entry, inp.path.stat().st_size
            for folder in folders:
                remove_stale_temporaries(folder)  # left by a run that was killed
            if todo:  # largest first, so that no big file is left running alone at the end
                _convert_all(run, dict(sorted(todo.items(), key=lambda t: -sizes[t[0]])), settings)
    finally:
        run.write_manifest(final=True)  # puts the last outputs in place
        for folder in folders:
            remove_stale_temporaries(folder)
    for link in sorted(set(found.links)):
        run.display.note(f"{link}: a symlinked folder; not searched (name it to include it)")
    _notes(run, inputs, outputs, previous, settings)
    run.display.summary(run.done(), outdir, time.perf_counter() - started)
    return ExitCode.PARTIAL if run.failed else ExitCode.OK


def _unchanged(inp: Input, entry: Entry, run: _Run, settings: Settings) -> Entry | None:
    """The `skipped` entry of an input unchanged since the last run, else None. Only
    then is the input read here (for its SHA-256); otherwise the worker reads it once."""
    prev = run.old.get(entry.output or "")
    if settings.force or prev is None or not (run.outdir / (entry.output or "")).is_file():
        return None
    candidate = replace(entry, sha256=_file_sha256(inp.path))
    if candidate.sha256 is None or not prev.same_conversion(candidate):
        return None
    kept = replace(candidate, warnings=prev.warnings, summary=prev.summary)
    return replace(kept, status="skipped", seconds=0.0)


def _notes(
    run: _Run,
    inputs: Sequence[Input],
    outputs: Sequence[str],
    previous: Sequence[Entry],
    settings: Settings,
) -> None:
    """Say what the user may not expect: options without effect, outputs of an earlier run
    in another format left in the folder."""
    if settings.password is not None and run.formats and "pdf" not in run.formats:
        run.display.note("--password is ignored: no input was a PDF")
    if settings.encoding is not None and run.formats and "text" not in run.formats:
        run.display.note("--encoding is ignored: no input was text (it applies to text input)")
    earlier: defaultdict[str, list[str]] = defaultdict(list)
    for e in previous:
        if e.output:
            earlier[e.path].append(e.output)
    current = set(outputs)
    stale = [
        old
        for inp in inputs
        for old in earlier.get(str(inp.path), [])
        if old not in current and (run.outdir / old).is_file()
    ]
    if stale:
        run.display.note(
            f"{len(stale)} output(s) of an earlier run in another format are still in "
            f"{run.outdir} (such as {stale[0]}) and no longer in the manifest; remove them "
            "if they are not wanted"
        )


def _outcome(future: cf.Future[Outcome], path: str, settings: Settings) -> Outcome:
    """The worker's outcome, or the failure the pool reported instead."""
    try:
        return future.result()
    except TimeoutError:
        message = timeout_message(path, settings.timeout)
        return Outcome(False, settings.timeout, None, 0, "timeout", message)
    except ProcessExpired as exc:
        if died_of_memory(exc.exitcode, bool(settings.max_memory)):  # PDFium's abort
            return _out_of_memory(path, settings)
        message = f"{path}: the worker process died (exit code {exc.exitcode})"
        return Outcome(False, None, None, 0, "crashed", message)
    except MemoryError:
        return _out_of_memory(path, settings)
    except Exception as exc:
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(False, None, None, 0, "internal", message)


def _out_of_memory(path: str, settings: Settings) -> Outcome:
    return Outcome(False, None, None, 0, "memory", memory_message(path, settings.max_memory))


def _entry(outcome: Outcome, base: Entry) -> Entry:
    """The manifest entry of a finished conversion."""
    seconds = None if outcome.seconds is None else round(outcome.seconds, 3)
    base = replace(base, sha256=outcome.sha256, seconds=seconds)
    if outcome.ok:
        return replace(base, status="ok", warnings=outcome.warnings, summary=outcome.summary)
    code, message = outcome.error_code, outcome.error_message
    return replace(base, status="failed", error_code=code, error_message=message, output=None)


def _convert_all(run: _Run, todo: dict[int, Entry], settings: Settings) -> None:
    """Run the conversions in a pebble pool: a task over --timeout has its worker killed and
    a worker that dies fails only its own task; the pool replaces the worker and goes on.
    Workers write their outputs themselves (atomically), so no result crosses a pipe."""
    for entry in todo.values():
        try:
            (run.outdir / (entry.output or "")).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{run.outdir}: cannot create a folder: {exc}") from None
    workers = max(1, min(settings.jobs, len(todo)))
    modules = conversion_modules(settings.engine, settings.max_memory)
    if multiprocessing.get_start_method() == "fork":
        preload(modules)  # once, here: each worker forks with it (a respawned one too)
    pool = ProcessPool(
        max_workers=workers,
        initializer=prepare,
        initargs=(modules, settings.max_memory, os.getpid()),
    )
    try:
        futures: dict[cf.Future[Outcome], int] = {
            pool.schedule(
                convert,
                args=(entry.path, run.outdir / (entry.output or ""), settings),
                timeout=settings.timeout,
            ): n
            for n, entry in todo.items()
        }
        pending: set[cf.Future[Outcome]] = set(futures)
        while pending:
            done, pending = cf.wait(pending, timeout=0.5, return_when=cf.FIRST_COMPLETED)
            for future in done:
                n = futures[future]
                outcome = _outcome(future, todo[n].path, settings)
                run.record(n, _entry(outcome, todo[n]), outcome)
        pool.close()  # type: ignore[no-untyped-call]  # pebble leaves it unannotated
    except BaseException:
        pool.stop()  # type: ignore[no-untyped-call]
        run.display.stop()
        pool.join()
        raise
    pool.join()
