"""The exception hierarchy and the exit code of each failure."""

from __future__ import annotations

import re
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of the command line (see README)."""

    OK = 0
    STRICT = 1  # --strict and the output has warnings
    USAGE = 2  # bad command-line arguments
    INPUT = 3  # missing, unreadable, empty or undecodable input
    PDF = 4  # not a PDF, truncated or corrupt PDF
    ENCRYPTED = 5  # encrypted PDF: no or wrong --password
    NO_TEXT = 6  # PDF without a usable text layer (scanned, unmappable font)
    GRAMMAR = 7  # unknown or invalid grammar
    OUTPUT = 8  # output could not be written
    PARTIAL = 9  # batch: some inputs failed
    LIMIT = 10  # a resource limit was reached: --timeout or --max-memory
    INTERNAL = 70  # a bug: rerun with --debug and report it
    INTERRUPTED = 130  # Ctrl-C (or SIGTERM)
    BROKEN_PIPE = 141  # stdout closed by its reader (128 + SIGPIPE, as the shell reports)


class ReportparseError(Exception):
    """Base of every error the tool reports to a user in one line."""

    exit_code: ExitCode = ExitCode.INTERNAL
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ReportparseError):
    """The command line asks for something that cannot be done (exit 2)."""

    exit_code = ExitCode.USAGE
    code = "usage"


class InputError(ReportparseError):
    """The input cannot be read or decoded."""

    exit_code = ExitCode.INPUT
    code = "input"


class PdfError(ReportparseError):
    """The input is not a readable PDF."""

    exit_code = ExitCode.PDF
    code = "pdf.invalid"


class EncryptedPdfError(PdfError):
    """The PDF is encrypted and no (or a wrong) password was given."""

    exit_code = ExitCode.ENCRYPTED
    code = "pdf.encrypted"


class NoTextError(PdfError):
    """The PDF has no text layer that can be read."""

    exit_code = ExitCode.NO_TEXT
    code = "pdf.no_text"


class GrammarError(ReportparseError):
    """A grammar is unknown or invalid."""

    exit_code = ExitCode.GRAMMAR
    code = "grammar"


class OutputError(ReportparseError):
    """The result cannot be written."""

    exit_code = ExitCode.OUTPUT
    code = "output"


class LimitError(ReportparseError):
    """A resource limit of the conversion was reached (exit 10)."""

    exit_code = ExitCode.LIMIT
    code = "limit"


class MemoryLimitError(LimitError):
    """The conversion ran out of memory under --max-memory."""

    code = "memory"


class TimeLimitError(LimitError):
    """The conversion ran past --timeout."""

    code = "timeout"


class StrictError(ReportparseError):
    """--strict was given and the result has warnings."""

    exit_code = ExitCode.STRICT
    code = "strict"


class BrokenPipe(OutputError):
    """The reader of stdout went away (`| head`): stop quietly, as Unix tools do."""

    exit_code = ExitCode.BROKEN_PIPE
    code = "broken_pipe"


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters (terminal escapes) shown as `\\xNN`, never sent raw."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
