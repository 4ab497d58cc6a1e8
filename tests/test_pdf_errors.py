"""Bad PDFs: each gives its own one-line message and documented exit code, never a traceback.

Every file in fixtures/bad/ is a regression fixture: most are made by tools/make_bad_pdfs.py;
bad_mediabox.pdf and damaged_readable.pdf are mutations of seed_fy2020.pdf found by fuzzing
(random byte changes) that once let an exception escape or spill pdfminer's log on stderr.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import reportparse
from reportparse.errors import EncryptedPdfError, ExitCode, InputError, NoTextError, PdfError

from .conftest import FIXTURES

BAD = FIXTURES / "bad"

CASES = [
    ("empty.pdf", ExitCode.INPUT, "is empty"),
    ("not_a_pdf.pdf", ExitCode.PDF, "not a PDF (no %PDF- header)"),
    ("corrupt.pdf", ExitCode.PDF, "corrupt or truncated PDF"),
    ("truncated.pdf", ExitCode.PDF, "corrupt or truncated PDF"),
    ("encrypted.pdf", ExitCode.ENCRYPTED, "PDF is encrypted; pass --password"),
    ("scanned.pdf", ExitCode.NO_TEXT, "no text layer (scanned?); run OCR"),
    ("cid_unmapped.pdf", ExitCode.NO_TEXT, "(cid:N)"),
    ("bad_mediabox.pdf", ExitCode.PDF, "MalformedPDFException"),
]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportparse", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("name,code,message", CASES, ids=[c[0] for c in CASES])
def test_bad_pdf_exit_code_and_one_line(name: str, code: ExitCode, message: str) -> None:
    result = run_cli("extract", str(BAD / name))
    assert result.returncode == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("reportparse: error: ") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_api_raises_typed_errors() -> None:
    with pytest.raises(InputError):
        reportparse.extract(BAD / "empty.pdf")
    with pytest.raises(PdfError):
        reportparse.extract(BAD / "truncated.pdf")
    with pytest.raises(EncryptedPdfError):
        reportparse.extract(BAD / "encrypted.pdf")
    with pytest.raises(NoTextError):
        reportparse.extract(BAD / "scanned.pdf")


def test_encrypted_opens_with_password() -> None:
    report = reportparse.extract(BAD / "encrypted.pdf", password="secret")
    assert report.source.pages == 1
    assert [i.number for i in report.initiatives][:1] == [7]


def test_wrong_password_is_its_own_message() -> None:
    result = run_cli("extract", str(BAD / "encrypted.pdf"), "--password", "nope")
    assert result.returncode == ExitCode.ENCRYPTED
    assert "wrong password" in result.stderr


def test_page_without_text_among_text_pages_is_a_warning() -> None:
    report = reportparse.extract(BAD / "mixed_scanned.pdf")
    codes = [(w.code, w.page) for w in report.warnings]
    assert ("pdf.page_without_text", 2) in codes
    assert report.initiatives, "the readable page is still parsed"


def test_pdf_named_file_without_header_is_not_read_as_text() -> None:
    result = run_cli("extract", str(BAD / "not_a_pdf.pdf"))
    assert result.returncode == ExitCode.PDF


def test_damaged_but_readable_pdf_gives_a_warning_not_log_lines() -> None:
    result = run_cli("extract", str(BAD / "damaged_readable.pdf"))
    assert result.returncode == ExitCode.OK
    stderr = result.stderr.strip().splitlines()
    assert stderr and all(line.startswith("reportparse: warning: ") for line in stderr)
    report = reportparse.extract(BAD / "damaged_readable.pdf")
    assert "pdf.damaged" in [w.code for w in report.warnings]
    assert len(report.initiatives) == 8
