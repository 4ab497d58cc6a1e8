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

ENGINES = ("pdfium", "pdfplumber")
CASES = [
    ("empty.pdf", ExitCode.INPUT, "is empty"),
    ("not_a_pdf.pdf", ExitCode.PDF, "not a PDF (no %PDF- header)"),
    ("corrupt.pdf", ExitCode.PDF, "corrupt or truncated PDF"),
    ("truncated.pdf", ExitCode.PDF, "corrupt or truncated PDF"),
    ("encrypted.pdf", ExitCode.ENCRYPTED, "PDF is encrypted; pass --password"),
    ("scanned.pdf", ExitCode.NO_TEXT, "no text layer (scanned?); run OCR"),
    ("cid_unmapped.pdf", ExitCode.NO_TEXT, "(cid:N)"),
    ("bad_mediabox.pdf", ExitCode.PDF, "corrupt or truncated PDF"),
]
# What each engine adds to the shared message: the cause as that engine saw it.
DETAIL = {
    ("bad_mediabox.pdf", "pdfplumber"): "MalformedPDFException",
    ("bad_mediabox.pdf", "pdfium"): "page 2: its MediaBox has no area",
    ("corrupt.pdf", "pdfium"): "PDFium: Data format error",
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportparse", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name,code,message", CASES, ids=[c[0] for c in CASES])
def test_bad_pdf_exit_code_and_one_line(
    name: str, code: ExitCode, message: str, engine: str
) -> None:
    result = run_cli("extract", str(BAD / name), "--engine", engine)
    assert result.returncode == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("reportparse: error: ") and message in lines[0]
    assert DETAIL.get((name, engine), "") in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_api_raises_the_same_error_classes_with_either_engine(engine: str) -> None:
    for name, error in [
        ("truncated.pdf", PdfError),
        ("corrupt.pdf", PdfError),
        ("bad_mediabox.pdf", PdfError),
        ("encrypted.pdf", EncryptedPdfError),
        ("scanned.pdf", NoTextError),
        ("cid_unmapped.pdf", NoTextError),
    ]:
        with pytest.raises(error):
            reportparse.extract(BAD / name, engine=engine)


def test_api_raises_typed_errors() -> None:
    with pytest.raises(InputError):
        reportparse.extract(BAD / "empty.pdf")
    with pytest.raises(PdfError):
        reportparse.extract(BAD / "truncated.pdf")
    with pytest.raises(EncryptedPdfError):
        reportparse.extract(BAD / "encrypted.pdf")
    with pytest.raises(NoTextError):
        reportparse.extract(BAD / "scanned.pdf")


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_opens_with_password(engine: str) -> None:
    report = reportparse.extract(BAD / "encrypted.pdf", password="secret", engine=engine)
    assert report.source.pages == 1
    assert [i.number for i in report.initiatives][:1] == [7]


@pytest.mark.parametrize("engine", ENGINES)
def test_wrong_password_is_its_own_message(engine: str) -> None:
    result = run_cli(
        "extract", str(BAD / "encrypted.pdf"), "--password", "nope", "--engine", engine
    )
    assert result.returncode == ExitCode.ENCRYPTED
    assert "wrong password" in result.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_page_without_text_among_text_pages_is_a_warning(engine: str) -> None:
    report = reportparse.extract(BAD / "mixed_scanned.pdf", engine=engine)
    codes = [(w.code, w.page) for w in report.warnings]
    assert ("pdf.page_without_text", 2) in codes
    assert report.initiatives, "the readable page is still parsed"


def test_pdf_named_file_without_header_is_not_read_as_text() -> None:
    result = run_cli("extract", str(BAD / "not_a_pdf.pdf"))
    assert result.returncode == ExitCode.PDF


@pytest.mark.parametrize("engine", ENGINES)
def test_damaged_but_readable_pdf_gives_warnings_not_log_lines(engine: str) -> None:
    result = run_cli("extract", str(BAD / "damaged_readable.pdf"), "--engine", engine)
    assert result.returncode == ExitCode.OK
    stderr = result.stderr.strip().splitlines()
    assert stderr and all(line.startswith("reportparse: warning: ") for line in stderr)
    report = reportparse.extract(BAD / "damaged_readable.pdf", engine=engine)
    codes = [w.code for w in report.warnings]
    # pdfminer says what it repaired; PDFium repairs silently, and the checks flag the
    # table the lost bytes broke, with either engine.
    assert ("pdf.damaged" in codes) == (engine == "pdfplumber")
    assert "table.unread" in codes
    assert len(report.initiatives) == 8
