"""The command line: argument handling only; the work is done by the library.

Start-up matters (`reportparse --version`, short extracts): this module imports only
typer and the light modules at the top; each command imports what it uses.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import MAX_INPUT_MB, __version__
from .cli_runtime import (
    DEBUG,
    HelpCommand,
    fail,
    print_warnings,
    run_reported,
    say,
    without_pydantic_plugins,
)
from .defaults import DEFAULT_ENGINE, DEFAULT_GRAMMAR, ENGINES
from .errors import BrokenPipe, ExitCode, InputError, ReportparseError, StrictError, UsageError
from .inputs import url_error
from .limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT
from .output import silence, write_stdout

if TYPE_CHECKING:
    from .models import Report

app = typer.Typer(
    name="reportparse",
    help=(
        "Turn Japanese municipal progress reports (PDF or text) into validated JSON.\n\n"
        "Examples:\n\n"
        "  reportparse extract report.pdf > out.json\n\n"
        "  reportparse extract report.txt -o out.json --strict\n\n"
        "  cat report.txt | reportparse extract - --encoding cp932\n\n"
        "  reportparse batch reports/ -o out/\n\n"
        "  reportparse schema > schema.json\n\n"
        "  reportparse codes"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        write_stdout(f"reportparse {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Tracebacks and stage timings on stderr (same exit codes)."),
    ] = False,
) -> None:
    DEBUG["on"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="reportparse: %(message)s",
        stream=sys.stderr,
    )
    # pdfminer logs a line per object at DEBUG and slows parsing badly.
    logging.getLogger("pdfminer").setLevel(logging.WARNING)


def _read_source(file: str, max_input_mb: int) -> tuple[bytes, str | None]:
    from . import read_input, read_limited

    if file == "-":
        data = read_limited(sys.stdin.buffer, "<stdin>", max_input_mb)
        if not data:
            raise InputError("<stdin>: is empty")
        return data, None
    url = url_error(file)
    if url:
        raise InputError(url)

    return read_input(file, max_input_mb), file


def unused_options(report: Report, encoding: str | None, password: str | None) -> list[str]:
    """Why an option given had no effect on this input (a line each)."""
    notes = []
    if password is not None and report.source.format == "text":
        notes.append("--password is ignored: the input is text, not a PDF")
    if encoding is not None and report.source.format == "pdf":
        notes.append("--encoding is ignored: the input is a PDF (it applies to text input)")
    return notes


def _check_format(fmt: str, formats: tuple[str, ...]) -> None:
    if fmt not in formats:
        fail(f"unknown format '{fmt}'; use {', '.join(formats)}", ExitCode.USAGE)


# Options that several commands share. Placeholders are words (FILE, NAME, SECONDS).
# The output formats (exports.FORMATS, named here so that start-up imports no exports).
FORMATS = ("json", "jsonl", "csv", "breakdowns-jsonl", "breakdowns-csv")
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="json, jsonl, csv, breakdowns-jsonl or breakdowns-csv.",
    ),
]
GrammarOption = Annotated[
    str,
    typer.Option("--grammar", "-g", metavar="NAME|FILE", help="Grammar name or .toml file."),
]
NoBomOption = Annotated[bool, typer.Option("--no-bom", help="CSV without the UTF-8 BOM.")]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", metavar="NAME", help="Text input encoding (default: detect)."),
]
PasswordOption = Annotated[
    str | None,
    typer.Option("--password", metavar="PASSWORD", help="Password of an encrypted PDF."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="FILE", help="Write here (atomically) instead of stdout."
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help="PDF engine: pdfium (default, fast) or pdfplumber.", metavar="NAME"
    ),
]

TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0, metavar="SECONDS", help="Seconds per input; 0: no limit."),
]
MaxMemoryOption = Annotated[
    int,
    typer.Option(
        "--max-memory", min=0, metavar="MB", help="MB of memory per conversion; 0: no limit."
    ),
]


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        fail(f"unknown PDF engine '{engine}'; use {' or '.join(ENGINES)}", ExitCode.USAGE)


@app.command(cls=HelpCommand)
def extract(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="Report file (PDF or text), or - for stdin.")
    ],
    output: OutputOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings.")
    ] = False,
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: PasswordOption = None,
    fmt: FormatOption = "json",
    no_bom: NoBomOption = False,
    engine: EngineOption = DEFAULT_ENGINE,
    max_input_mb: Annotated[
        int,
        typer.Option(
            "--max-input-mb", min=0, metavar="MB", help="Refuse larger input (MB); 0: no limit."
        ),
    ] = MAX_INPUT_MB,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
) -> None:
    """Parse one report and print its JSON (the output contract) on stdout.

    \b
    Examples:
      reportparse extract report.pdf > out.json
      reportparse extract report.txt -o out.json --strict
      reportparse extract - --encoding cp932 < report.txt
      reportparse extract report.pdf --format csv -o indicators.csv
    """
    _check_format(fmt, FORMATS)
    _check_engine(engine)

    def body() -> int:
        from .grammar import load_grammar
        from .limits import bounded, preload_conversion
        from .output import open_result, remove_stale_temporaries, write_report
        from .pipeline import Options, Timings

        if output is not None and file != "-":
            _refuse_overwriting(Path(file), output)
        loaded = load_grammar(grammar)
        data, name = _read_source(file, max_input_mb)
        if output is not None:
            remove_stale_temporaries(Path(os.path.realpath(output)).parent)
        options, timings = Options(encoding=encoding, password=password, engine=engine), Timings()
        preload_conversion(data, name, engine)
        limited = bounded(name or "<stdin>", timeout, max_memory, lambda: timings.page)
        with open_result(output) as fh, limited:  # stopped: no output, not even a partial one
            report = write_report(fh, data, name, loaded, options, fmt, not no_bom, timings)
        print_warnings(report.warnings)
        for note in unused_options(report, encoding, password):
            say(f"reportparse: warning: {note}")
        if strict and report.warnings:
            raise StrictError(f"{len(report.warnings)} warning(s) and --strict was given")
        return ExitCode.OK

    run_reported(body)


def _refuse_overwriting(source: Path, output: Path) -> None:
    """`-o` naming the input itself (or a link to it) is a usage error."""
    with contextlib.suppress(OSError):
        if os.path.samefile(source, output):
            raise UsageError(f"{output}: is the input; the output would overwrite it")


@app.command(cls=HelpCommand)
def batch(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files, folders (searched recursively for *.pdf, *.txt) and globs.",
        ),
    ],
    outdir: Annotated[
        Path,
        typer.Option(
            "-o", "--outdir", metavar="DIR", help="Folder for the outputs and manifest.jsonl."
        ),
    ],
    fmt: FormatOption = "json",
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: Annotated[
        str | None,
        typer.Option("--password", metavar="PASSWORD", help="Password of encrypted PDFs."),
    ] = None,
    engine: EngineOption = DEFAULT_ENGINE,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes [default: number of cores]."
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
    force: Annotated[
        bool, typer.Option("--force", help="Convert inputs that are unchanged since the last run.")
    ] = False,
    no_bom: NoBomOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
) -> None:
    """Convert many reports in parallel: one output per input in DIR, and
    DIR/manifest.jsonl. Exit 0 when all succeeded, 9 when some failed.

    \b
    Examples:
      reportparse batch reports/ -o out/
      reportparse batch 2019/*.pdf 2020/report.txt -o out/ --format csv
      reportparse batch reports/ -o out/ --jobs 4 --timeout 120 --force
    """
    _check_format(fmt, FORMATS)
    _check_engine(engine)

    def body() -> int:
        from .batch import Settings, default_jobs, run_batch

        settings = Settings(
            fmt=fmt,
            grammar=grammar,
            encoding=encoding,
            password=password,
            engine=engine,
            jobs=jobs or default_jobs(),
            timeout=timeout or None,
            max_memory=max_memory or None,
            force=force,
            bom=not no_bom,
            quiet=quiet,
        )
        return run_batch(paths, outdir, settings)

    run_reported(body)


@app.command(cls=HelpCommand)
def panel(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...",
            help="Report JSON files (from extract or batch), or folders of them.",
        ),
    ],
    output: OutputOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="csv, json or html.")
    ] = "csv",
    field: Annotated[
        str,
        typer.Option(
            "--field",
            metavar="FIELD",
            help="What the CSV shows per year: actual, target, final_target, grade or achievement.",
        ),
    ] = "actual",
    no_bom: NoBomOption = False,
) -> None:
    """Merge several years' reports into one indicator time series: a row per initiative
    and indicator, a column per fiscal year. Reads files, not stdin.

    \b
    Examples:
      reportparse panel out/*.json -o panel.csv
      reportparse panel out/ --field grade -o grades.csv
      reportparse panel out/*.json --format json -o panel.json
      reportparse panel out/*.json --format html -o panel.html
    """
    _check_format(fmt, ("csv", "json", "html"))
    if "-" in files:
        fail("panel reads JSON files or folders, not stdin (-): save it to a file", 2)

    def action() -> int:
        from .output import write_result
        from .panel import FIELDS, build_panel, load_reports, render_panel

        if field not in FIELDS:
            raise UsageError(f"unknown field '{field}'; use {', '.join(FIELDS)}")
        result = build_panel(load_reports(files), field)
        write_result(output, render_panel(result, fmt, bom=not no_bom))
        print_warnings(result.warnings)
        return ExitCode.OK

    run_reported(action)


@app.command(cls=HelpCommand)
def show(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="Report file (PDF or text), or - for stdin.")
    ],
    output: OutputOption = None,
    grammar: GrammarOption = DEFAULT_GRAMMAR,
    encoding: EncodingOption = None,
    password: PasswordOption = None,
    engine: EngineOption = DEFAULT_ENGINE,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
) -> None:
    """Write one self-contained HTML page to check what was read: the pages with the
    regions found, the facts beside them, the warnings at their place.

    \b
    Examples:
      reportparse show report.pdf -o review.html
      reportparse show report.txt -o review.html --encoding cp932
    """
    _check_engine(engine)

    def body() -> int:
        from .grammar import load_grammar
        from .limits import bounded, preload_conversion
        from .output import write_result
        from .pipeline import Options, Timings, run
        from .review import review_html

        if output is not None and file != "-":
            _refuse_overwriting(Path(file), output)
        data, name = _read_source(file, MAX_INPUT_MB)
        options, timings = Options(encoding=encoding, password=password, engine=engine), Timings()
        loaded = load_grammar(grammar)
        preload_conversion(data, name, engine, "reportparse.review_source", "PIL.PngImagePlugin")
        with bounded(name or "<stdin>", timeout, max_memory, lambda: timings.page):
            report = run(data, name, loaded, options, timings)
            timings.page = None  # rendering the pages: no one page to name
            html = review_html(report, data, password)
        write_result(output, html)
        print_warnings(report.warnings)
        return ExitCode.OK

    run_reported(body)


@app.command(cls=HelpCommand)
def schema() -> None:
    """Print the JSON Schema of the output, generated from the models.

    \b
    Examples:
      reportparse schema > report.schema.json
      reportparse schema | jq '.properties | keys'
    """

    def action() -> int:
        from .models import schema_json

        write_stdout(schema_json())
        return ExitCode.OK

    run_reported(action)


@app.command("codes", cls=HelpCommand)
def list_codes(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The README's markdown tables.")
    ] = False,
) -> None:
    """List every warning code with its meaning and what to do about it.

    \b
    Examples:
      reportparse codes
      reportparse codes | grep '^table\\.'
      reportparse codes --markdown
    """

    def action() -> int:
        from .codes import PANEL_CODES, REPORT_CODES, markdown_table

        if markdown:
            write_stdout(markdown_table(REPORT_CODES) + "\n" + markdown_table(PANEL_CODES))
        else:
            codes = [*REPORT_CODES.items(), *PANEL_CODES.items()]
            write_stdout("".join(f"{code}\t{c.meaning}\t{c.fix}\n" for code, c in codes))
        return ExitCode.OK

    run_reported(action)


@app.command("grammars", cls=HelpCommand)
def list_grammars() -> None:
    """List the bundled grammars (name and description), for --grammar.

    \b
    Examples:
      reportparse grammars
      reportparse extract report.pdf --grammar "$(reportparse grammars | cut -f1 | head -1)"
    """

    def action() -> int:
        from .grammar import available_grammars, load_grammar

        lines = []
        for name, path in available_grammars().items():
            try:
                description = load_grammar(path).spec.family.description
            except ReportparseError as exc:
                description = f"(invalid: {exc})"
            lines.append(f"{name}\t{description}\n")
        write_stdout("".join(lines))
        return ExitCode.OK

    run_reported(action)


def main() -> None:
    """Console entry point: usage errors, like all errors, are one line on stderr."""
    without_pydantic_plugins()
    try:
        code = app(standalone_mode=False)
    except SystemExit as exc:  # typer exits 1 itself when --help meets a closed pipe
        wrapped = type(sys.stdout).__name__ == "PacifyFlushWrapper"
        code = ExitCode.BROKEN_PIPE if wrapped else exc.code
    except typer.TyperException as exc:  # usage errors (exit code 2) and the like
        if type(exc).__name__ == "NoArgsIsHelpError":
            say(exc.format_message())  # no arguments at all: the help
        else:
            message = " ".join(exc.format_message().split())
            say(f"reportparse: error: {message} (see --help)")
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        say("reportparse: error: interrupted")
        code = ExitCode.INTERRUPTED
    except BrokenPipe:  # --version into a closed pipe
        code = ExitCode.BROKEN_PIPE
    except ReportparseError as exc:  # --version into a full disk
        say(f"reportparse: error: {exc.message}")
        code = exc.exit_code
    except BrokenPipeError:  # --help and the like into a closed pipe
        silence(sys.stdout)
        code = ExitCode.BROKEN_PIPE
    except OSError as exc:  # --help and the like into a full disk
        silence(sys.stdout)
        say(f"reportparse: error: <stdout>: cannot write: {exc.strerror or exc}")
        code = ExitCode.OUTPUT
    for stream in (sys.stdout, sys.stderr):  # Python's flush at exit must not fail
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            silence(stream)
    sys.exit(code if isinstance(code, int) else 0)
