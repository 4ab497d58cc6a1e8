"""`reportparse batch`: many reports to one output each plus a manifest, in killable workers."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import glob
import hashlib
import json
import os
import resource
import signal
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__, extract, read_input
from .errors import ExitCode, InputError, OutputError, ReportparseError
from .exports import EXTENSIONS, render_format
from .grammar import DEFAULT_GRAMMAR, Grammar, load_grammar
from .inputs import MANIFEST, assign_outputs, discover
from .output import write_atomic

FAULT_ENV = "REPORTPARSE_TEST_FAULT"  # test hook (workers only): "hang:NAME,memory:NAME,crash:NAME"
MANIFEST_INTERVAL = 1.0  # seconds between rewrites of the manifest while running


def default_jobs() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Settings:
    """How to convert every input of one batch."""

    fmt: str = "json"
    grammar: str = DEFAULT_GRAMMAR
    encoding: str | None = None
    password: str | None = None
    jobs: int = field(default_factory=default_jobs)
    timeout: float | None = 300.0  # seconds per file; None: no limit
    max_memory: int | None = 2048  # MB of address space per worker; None: no limit
    force: bool = False
    bom: bool = True
    quiet: bool = False


@dataclass(slots=True)
class Entry:
    """One line of the manifest."""

    path: str
    sha256: str | None
    status: str  # ok | failed | skipped
    error_code: str | None = None
    error_message: str | None = None
    warnings: int | None = None
    summary: dict[str, Any] | None = None  # the report's summary (counts, coverage, codes)
    seconds: float | None = None
    output: str | None = None  # relative to the output folder
    format: str = "json"
    encoding: str | None = None  # the --encoding given; null: detected
    bom: bool = True
    grammar: str = ""
    grammar_sha256: str = ""
    tool_version: str = __version__

    def same_conversion(self, other: Entry) -> bool:
        """Would `other` produce the same output as this (successful) entry?"""
        mine, theirs = asdict(self), asdict(other)
        same = all(mine[k] == theirs[k] for k in mine if k not in _RUN_FIELDS)
        return same and self.status in ("ok", "skipped")


# Fields that describe one run; an output is reused when all the other fields are unchanged.
_RUN_FIELDS = frozenset(
    {"path", "status", "error_code", "error_message", "warnings", "summary", "seconds"}
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one input."""

    text: str | None
    seconds: float | None
    warnings: int = 0
    error_code: str | None = None
    error_message: str | None = None
    summary: dict[str, Any] | None = None


def limit_memory(megabytes: int | None) -> None:
    """Pool initializer: cap the worker's address space (RLIMIT_AS) so a blow-up is a
    MemoryError in that worker rather than the machine swapping."""
    if not megabytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):  # then the limit stays as it was
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _inject_fault(name: str) -> None:
    """Test hook: simulate a hanging, exploding or dying conversion for one file name."""
    for item in os.environ.get(FAULT_ENV, "").split(","):
        kind, _, target = item.partition(":")
        if target != name:
            continue
        if kind == "hang":
            while True:
                time.sleep(0.1)
        if kind == "memory":
            hog = [bytearray(64 << 20) for _ in range(1024)]  # 64 GB of address space
            raise RuntimeError(f"fault hook: {len(hog)} blocks allocated; no memory limit?")
        if kind == "crash":
            os._exit(70)


def _oom_message(path: str, settings: Settings) -> str:
    return f"{path}: out of memory (over --max-memory {settings.max_memory} MB)"


def convert(path: str, settings: Settings) -> Outcome:
    """Convert one input to the output text; every failure becomes a one-line Outcome."""
    start = time.perf_counter()
    try:
        _inject_fault(Path(path).name)
        report = extract(
            path, grammar=settings.grammar, encoding=settings.encoding, password=settings.password
        )
        text = render_format([report], settings.fmt, bom=settings.bom)
        summary = report.summary.model_dump(mode="json") if report.summary else None
        return Outcome(text, time.perf_counter() - start, len(report.warnings), summary=summary)
    except ReportparseError as exc:
        return Outcome(None, time.perf_counter() - start, 0, exc.code, exc.message)
    except MemoryError:
        return Outcome(None, time.perf_counter() - start, 0, "memory", _oom_message(path, settings))
    except Exception as exc:
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(None, time.perf_counter() - start, 0, "internal", message)


def read_manifest(outdir: Path) -> dict[str, Entry]:
    """The previous run's entries by output path; unreadable lines are ignored."""
    try:
        lines = (outdir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    names = {f.name for f in fields(Entry)}
    found: dict[str, Entry] = {}
    for line in lines:
        try:
            data = json.loads(line)
            entry = Entry(**{k: v for k, v in data.items() if k in names})
        except (ValueError, TypeError):
            continue
        if entry.output:
            found[entry.output] = entry
    return found


def manifest_text(entries: Iterable[Entry]) -> str:
    return "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries)


def grammar_sha256(grammar: Grammar) -> str:
    """A hash of the grammar as loaded (with whatever it extends)."""
    return hashlib.sha256(grammar.spec.model_dump_json().encode("utf-8")).hexdigest()


class _Run:
    """The state of one batch: entries by input, the manifest, progress and summary."""

    def __init__(self, outdir: Path, count: int, old: dict[str, Entry], quiet: bool) -> None:
        self.outdir = outdir
        self.entries: list[Entry | None] = [None] * count
        self.old = old
        self.outputs: list[str | None] = [None] * count
        self.last_write = 0.0
        self.failed = 0
        self.console = Console(stderr=True)
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
        self.task = self.progress.add_task("batch", total=count, failed=0)

    def record(self, n: int, entry: Entry) -> None:
        self.entries[n] = entry
        self.failed += entry.status == "failed"
        self.progress.update(self.task, advance=1, failed=self.failed)
        self.write_manifest(final=False)

    def write_manifest(self, final: bool) -> None:
        """Rewrite the manifest atomically: this run's entries so far and, for inputs not
        finished yet, their previous entry (so an interrupted run loses nothing)."""
        now = time.monotonic()
        if not final and now - self.last_write < MANIFEST_INTERVAL:
            return
        rows: list[Entry] = []
        for entry, out in zip(self.entries, self.outputs, strict=True):
            if entry is not None:
                rows.append(entry)
            elif out is not None and out in self.old:
                rows.append(self.old[out])
        write_atomic(self.outdir / MANIFEST, manifest_text(rows))
        self.last_write = now

    def summary(self, seconds: float) -> None:
        if self.quiet:
            return
        done = [e for e in self.entries if e is not None]
        counts = Counter(e.status for e in done)
        table = Table(title="reportparse batch", title_justify="left")
        for name in ("inputs", "converted", "skipped", "failed", "warnings", "seconds"):
            table.add_column(name, justify="right")
        warnings = sum(e.warnings or 0 for e in done)
        cells = [len(done), counts["ok"], counts["skipped"], counts["failed"], warnings]
        table.add_row(*map(str, cells), f"{seconds:.1f}")
        self.console.print(table)
        failures = [e for e in done if e.status == "failed"]
        if failures:
            errors = Table(title="failed inputs", title_justify="left")
            for name in ("input", "error", "message"):
                errors.add_column(name, overflow="fold")
            for e in failures:
                message = (e.error_message or "").removeprefix(f"{e.path}: ")
                errors.add_row(e.path, e.error_code or "", message)
            self.console.print(errors)
        self.console.print(f"manifest: {self.outdir / MANIFEST}")


def _outcome(future: cf.Future[Outcome], path: str, settings: Settings) -> Outcome:
    """The worker's outcome, or the failure the pool reported instead."""
    try:
        return future.result()
    except TimeoutError:
        message = f"{path}: stopped after {settings.timeout:g} s (--timeout)"
        return Outcome(None, settings.timeout, 0, "timeout", message)
    except ProcessExpired as exc:
        message = f"{path}: the worker process died (exit code {exc.exitcode})"
        return Outcome(None, None, 0, "crashed", message)
    except MemoryError:
        return Outcome(None, None, 0, "memory", _oom_message(path, settings))
    except Exception as exc:
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(None, None, 0, "internal", message)


def _finish(future: cf.Future[Outcome], base: Entry, outdir: Path, settings: Settings) -> Entry:
    """The manifest entry of a finished task; a successful output is written here, atomically."""
    outcome = _outcome(future, base.path, settings)
    seconds = None if outcome.seconds is None else round(outcome.seconds, 3)
    if outcome.text is not None:
        try:
            write_atomic(outdir / (base.output or ""), outcome.text)
            return replace(
                base,
                status="ok",
                warnings=outcome.warnings,
                summary=outcome.summary,
                seconds=seconds,
            )
        except OutputError as exc:
            outcome = Outcome(None, outcome.seconds, 0, exc.code, exc.message)
    code, message = outcome.error_code, outcome.error_message
    return replace(
        base, status="failed", error_code=code, error_message=message, seconds=seconds, output=None
    )


def run_batch(args: Sequence[str], outdir: Path, settings: Settings) -> ExitCode:
    """Convert every input; OK when all succeeded (or were skipped), PARTIAL otherwise.
    Ctrl-C stops the workers, keeps the manifest consistent and re-raises KeyboardInterrupt."""
    started = time.perf_counter()
    grammar = load_grammar(settings.grammar)
    inputs, missing = discover(args)
    if not inputs and not missing:
        raise InputError("no input files found (folders are searched for *.pdf and *.txt)")
    outputs = assign_outputs(inputs, EXTENSIONS[settings.fmt], outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{outdir}: cannot create: {exc.strerror or exc}") from None
    old = {} if settings.force else read_manifest(outdir)
    run = _Run(outdir, len(inputs) + len(missing), old, settings.quiet)
    run.outputs[: len(outputs)] = [out.as_posix() for out in outputs]
    common: dict[str, Any] = {
        "format": settings.fmt,
        "encoding": settings.encoding,
        "bom": settings.bom,
        "grammar": grammar.name,
        "grammar_sha256": grammar_sha256(grammar),
    }
    todo: dict[int, Entry] = {}
    sizes: dict[int, int] = {}
    with run.progress, _sigterm_interrupts():
        for n, arg in enumerate(missing, start=len(inputs)):
            message = f"{arg}: no such file" + (" (no match)" if glob.has_magic(arg) else "")
            run.record(n, Entry(arg, None, "failed", "input", message, **common))
        for n, (inp, out) in enumerate(zip(inputs, outputs, strict=True)):
            try:
                data = read_input(inp.path)
            except InputError as exc:
                run.record(n, Entry(str(inp.path), None, "failed", exc.code, exc.message, **common))
                continue
            sha, sizes[n] = hashlib.sha256(data).hexdigest(), len(data)
            del data
            entry = Entry(str(inp.path), sha, "pending", output=out.as_posix(), **common)
            prev = old.get(out.as_posix())
            if prev and prev.same_conversion(entry) and (outdir / out).is_file():
                kept = replace(entry, warnings=prev.warnings, summary=prev.summary)
                run.record(n, replace(kept, status="skipped", seconds=0.0))
            else:
                todo[n] = entry
        if todo:  # largest first, so that no big file is left running alone at the end
            _convert_all(run, dict(sorted(todo.items(), key=lambda t: -sizes[t[0]])), settings)
    run.write_manifest(final=True)
    run.summary(time.perf_counter() - started)
    return ExitCode.PARTIAL if run.failed else ExitCode.OK


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Let SIGTERM stop a batch as Ctrl-C does, so that no worker is left running."""

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


def _convert_all(run: _Run, todo: dict[int, Entry], settings: Settings) -> None:
    """Run the conversions in a pebble pool: a task over --timeout has its worker killed and
    a worker that dies fails only its own task; the pool replaces the worker and goes on."""
    workers = max(1, min(settings.jobs, len(todo)))
    pool = ProcessPool(
        max_workers=workers, initializer=limit_memory, initargs=(settings.max_memory,)
    )
    try:
        futures: dict[cf.Future[Outcome], int] = {
            pool.schedule(convert, args=(entry.path, settings), timeout=settings.timeout): n
            for n, entry in todo.items()
        }
        pending: set[cf.Future[Outcome]] = set(futures)
        while pending:
            done, pending = cf.wait(pending, timeout=0.5, return_when=cf.FIRST_COMPLETED)
            for future in done:
                n = futures[future]
                run.record(n, _finish(future, todo[n], run.outdir, settings))
        pool.close()  # type: ignore[no-untyped-call]  # pebble leaves it unannotated
    except BaseException:
        pool.stop()  # type: ignore[no-untyped-call]
        run.progress.stop()
        pool.join()
        run.write_manifest(final=True)
        raise
    pool.join()
