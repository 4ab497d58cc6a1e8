"""The command line: argument handling only; the work is done by the library."""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import ExitCode, InputError, ReportparseError, StrictError
from .grammar import DEFAULT_GRAMMAR, available_grammars, load_grammar
from .models import Report, Warning, schema_json
from .output import atomic_file, stream_json, write_result, write_stdout
from .pipeline import Options, Timings, run, start

app = typer.Typer(
    name="reportparse",
    help=(
        "Turn Japanese municipal progress reports (PDF or text) into validated JSON.\n\n"
        "Examples:\n\n"
        "  reportparse extract report.pdf > out.json\n\n"
        "  reportparse extract report.txt -o out.json --strict\n\n"
        "  cat report.txt | reportparse extract - --encoding cp932\n\n"
        "  reportparse schema > schema.json\n\n"
        "  reportparse codes"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_DEBUG = {"on": False}


def fail(message: str, code: int) -> None:
    """One line on stderr and the exit code; no traceback unless --debug."""
    typer.echo(f"reportparse: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reportparse {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Tracebacks and stage timings on stderr.")
    ] = False,
) -> None:
    _DEBUG["on"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="reportparse: %(message)s",
        stream=sys.stderr,
    )
    # pdfminer logs a line per object at DEBUG and slows parsing badly.
    logging.getLogger("pdfminer").setLevel(logging.WARNING)


def _read_source(file: str) -> tuple[bytes, str | None]:
    if file == "-":
        data = sys.stdin.buffer.read()
        if not data:
            raise InputError("<stdin>: is empty")
        return data, None
    from . import read_input

    return read_input(file), file


def describe_warning(w: Warning) -> str:
    """`code: message (page 2, line 14)` for a person on stderr."""
    where = ", ".join(f"{k} {v}" for k, v in (("page", w.page), ("line", w.line)) if v is not None)
    return f"{w.code}: {w.message}" + (f" ({where})" if where else "")


def print_warnings(warnings: list[Warning]) -> None:
    """Each warning as one line on stderr."""
    for w in warnings:
        typer.echo(f"reportparse: warning: {describe_warning(w)}", err=True)


def render(report: Report, fmt: str, bom: bool = True) -> str:
    """The report in an output format; `bom` starts a CSV with a UTF-8 BOM (for Excel)."""
    if fmt == "json":
        return report.to_json() + "\n"
    from .exports import render_format

    return render_format([report], fmt, bom=bom)


# Options that several commands share.
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="json, jsonl, csv, breakdowns-jsonl or breakdowns-csv."),
]
GrammarOption = Annotated[str, typer.Option("--grammar", "-g", help="Grammar name or .toml path.")]
NoBomOption = Annotated[bool, typer.Option("--no-bom", help="CSV without the UTF-8 BOM.")]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Text input encoding (default: detect).")
]


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="Report file (PDF or text), or - for stdin.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (atomically) instead of stdout."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings.")
    ] = False,
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password of an encrypted PDF.")
    ] = None,
    fmt: FormatOption = "json",
    no_bom: NoBomOption = False,
) -> None:
    """Parse one report and print its JSON (the output contract) on stdout."""
    from .exports import FORMATS

    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}'; use {', '.join(FORMATS)}", ExitCode.USAGE)

    def body() -> int:
        loaded = load_grammar(grammar)
        data, name = _read_source(file)
        options = Options(encoding=encoding, password=password)
        if fmt == "json":  # streamed: memory stays flat however long the report
            parse = start(data, name, loaded, options, Timings())
            if output is not None:
                with atomic_file(output) as fh:
                    report = stream_json(parse, fh)
            else:
                with tempfile.TemporaryFile() as buffer:  # stdout gets all or nothing
                    report = stream_json(parse, buffer)
                    buffer.seek(0)
                    write_stdout(buffer)
        else:
            report = run(data, name, loaded, options, Timings())
            write_result(output, render(report, fmt, bom=not no_bom))
        print_warnings(report.warnings)
        if strict and report.warnings:
            raise StrictError(f"{len(report.warnings)} warning(s) and --strict was given")
        return ExitCode.OK

    _run_reported(body)


def _run_reported(action: Callable[[], int]) -> None:
    """Run a command body: its exit code, or a one-line error (traceback only with --debug)."""
    try:
        code = action()
    except ReportparseError as exc:
        if _DEBUG["on"]:
            raise
        fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
    except Exception as exc:  # a bug: one line, the traceback only with --debug
        if _DEBUG["on"]:
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug", ExitCode.INTERNAL)
    raise typer.Exit(code)


@app.command()
def batch(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (searched recursively for *.pdf, *.txt) and globs."),
    ],
    outdir: Annotated[
        Path, typer.Option("-o", "--outdir", help="Folder for the outputs and manifest.jsonl.")
    ],
    fmt: FormatOption = "json",
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password of encrypted PDFs.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes [default: number of cores]."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds per file; 0: no limit.")
    ] = 300.0,
    max_memory: Annotated[
        int, typer.Option("--max-memory", min=0, help="MB of memory per worker; 0: no limit.")
    ] = 2048,
    force: Annotated[
        bool, typer.Option("--force", help="Convert inputs that are unchanged since the last run.")
    ] = False,
    no_bom: NoBomOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
) -> None:
    """Convert many reports in parallel: one output per input in OUTDIR, and
    OUTDIR/manifest.jsonl. Exit 0 when all succeeded, 9 when some failed."""
    from .batch import Settings, default_jobs, run_batch
    from .exports import FORMATS

    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}'; use {', '.join(FORMATS)}", ExitCode.USAGE)
    settings = Settings(
        fmt=fmt,
        grammar=grammar,
        encoding=encoding,
        password=password,
        jobs=jobs or default_jobs(),
        timeout=timeout or None,
        max_memory=max_memory or None,
        force=force,
        bom=not no_bom,
        quiet=quiet,
    )
    _run_reported(lambda: run_batch(paths, outdir, settings))


@app.command()
def panel(
    files: Annotated[
        list[str],
        typer.Argument(help="Report JSON files (from extract or batch), or folders of them."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (atomically) instead of stdout."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, json or html.")] = "csv",
    field: Annotated[
        str,
        typer.Option(
            "--field",
            help="What the CSV shows per year: actual, target, final_target, grade or achievement.",
        ),
    ] = "actual",
    no_bom: NoBomOption = False,
) -> None:
    """Merge several years' reports into one indicator time series: a row per initiative
    and indicator, a column per fiscal year."""
    from .panel import FIELDS, build_panel, load_reports, render_panel

    if fmt not in ("csv", "json", "html"):
        fail(f"unknown format '{fmt}'; use csv, json or html", ExitCode.USAGE)
    if field not in FIELDS:
        fail(f"unknown field '{field}'; use {', '.join(FIELDS)}", ExitCode.USAGE)

    def action() -> int:
        result = build_panel(load_reports(files), field)
        write_result(output, render_panel(result, fmt, bom=not no_bom))
        print_warnings(result.warnings)
        return ExitCode.OK

    _run_reported(action)


@app.command()
def show(
    file: Annotated[str, typer.Argument(help="Report file (PDF or text), or - for stdin.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the HTML here (atomically) instead of stdout."),
    ] = None,
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password of an encrypted PDF.")
    ] = None,
) -> None:
    """Write one self-contained HTML page to check what was read: the pages with the
    regions found, the facts beside them, the warnings at their place."""

    def body() -> int:
        from .review import review_html

        data, name = _read_source(file)
        options = Options(encoding=encoding, password=password)
        report = run(data, name, load_grammar(grammar), options, Timings())
        write_result(output, review_html(report, data, password))
        print_warnings(report.warnings)
        return ExitCode.OK

    _run_reported(body)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output, generated from the models."""
    write_stdout(schema_json())


@app.command("codes")
def list_codes(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The README's markdown tables.")
    ] = False,
) -> None:
    """List every warning code with its meaning and what to do about it."""
    from .codes import PANEL_CODES, REPORT_CODES, markdown_table

    if markdown:
        write_stdout(markdown_table(REPORT_CODES) + "\n" + markdown_table(PANEL_CODES))
        return
    for code, c in [*REPORT_CODES.items(), *PANEL_CODES.items()]:
        typer.echo(f"{code}\t{c.meaning}\t{c.fix}")


@app.command("grammars")
def list_grammars() -> None:
    """List the bundled grammars."""
    for name, path in available_grammars().items():
        try:
            description = load_grammar(path).spec.family.description
        except ReportparseError as exc:
            description = f"(invalid: {exc})"
        typer.echo(f"{name}\t{description}")


def main() -> None:
    """Console entry point: usage errors, like all errors, are one line on stderr."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # usage errors (exit code 2) and the like
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message(), err=True)  # no arguments at all: the help
        else:
            message = " ".join(exc.format_message().split())
            typer.echo(f"reportparse: error: {message} (see --help)", err=True)
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("reportparse: error: interrupted", err=True)
        code = ExitCode.INTERRUPTED
    sys.exit(code if isinstance(code, int) else 0)
