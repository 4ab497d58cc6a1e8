"""The command line: exit codes, stdout/stderr discipline, -o, stdin and encodings.

Most tests run the Typer app in-process (CliRunner); a few run `python -m reportparse`
to check a real process. PDF exit codes (4, 5, 6) are tested with the PDF reader, and
9 (batch) with the batch command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import reportparse
from reportparse import cli, output
from reportparse.errors import ExitCode
from reportparse.models import Report, schema_json

from .conftest import FIXTURES, ROOT

TEXT = (FIXTURES / "text").relative_to(ROOT)  # relative: the tests run from ROOT
SEED = TEXT / "seed_fy2020.txt"
CP932 = TEXT / "fy2022_cp932.txt"
MIXED = TEXT / "warnings_mixed.txt"
ERROR_PREFIX = "reportparse: error: "


def invoke(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), input=input)


def error_line(result: Result) -> str:
    """The one error line on stderr (warnings may precede it); no traceback anywhere."""
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    errors = [ln for ln in lines if ln.startswith(ERROR_PREFIX)]
    assert len(errors) == 1, result.stderr
    assert all(ln.startswith("reportparse: warning: ") for ln in lines if ln not in errors)
    assert lines[-1] == errors[0]
    return errors[0]


def only_error(result: Result, code: int) -> str:
    """Exit `code`, nothing on stdout and exactly one line on stderr: that line."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return error_line(result)


def stdout_report(result: Result) -> Report:
    """The whole of stdout is one JSON document of the contract."""
    return Report.model_validate(json.loads(result.stdout))


def golden(case: Path) -> object:
    return json.loads(case.with_name(f"{case.stem}.expected.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# 0 and 1


def test_extract_seed_exit_0_json_only_on_stdout() -> None:
    result = invoke("extract", str(SEED))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == golden(SEED)
    assert result.stdout.endswith("}\n")
    stdout_report(result)


def test_warnings_go_to_stderr_and_exit_0_without_strict() -> None:
    result = invoke("extract", str(MIXED))
    assert result.exit_code == ExitCode.OK
    report = stdout_report(result)
    lines = result.stderr.splitlines()
    assert len(lines) == len(report.warnings) > 0
    assert all(ln.startswith("reportparse: warning: ") for ln in lines)
    assert [ln.split(": ")[2] for ln in lines] == [w.code for w in report.warnings]


def test_strict_with_warnings_exit_1() -> None:
    result = invoke("extract", "--strict", str(MIXED))
    assert result.exit_code == ExitCode.STRICT
    line = error_line(result)
    assert "--strict" in line
    assert stdout_report(result).warnings  # the output is still written


def test_strict_without_warnings_exit_0() -> None:
    result = invoke("extract", "--strict", str(SEED))
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""


# ---------------------------------------------------------------------------------------
# 2: usage


def test_unknown_format_exit_2() -> None:
    line = only_error(invoke("extract", "--format", "xml", str(SEED)), ExitCode.USAGE)
    assert "xml" in line


@pytest.mark.parametrize(
    "args",
    [["extract", "--bogus", str(SEED)], ["extract"], ["nosuchcommand"]],
    ids=["unknown-option", "missing-argument", "unknown-command"],
)
def test_bad_arguments_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "Error:" in result.stderr


def test_bad_option_is_one_line() -> None:
    # The console entry point (cli.main) turns usage errors into one line; run it for real.
    result = subprocess.run(
        [sys.executable, "-m", "reportparse", "extract", "--bogus", str(SEED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("reportparse: error: No such option: --bogus")


# ---------------------------------------------------------------------------------------
# 3: input


def test_missing_file_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    line = only_error(invoke("extract", str(path)), ExitCode.INPUT)
    assert str(path) in line and "no such file" in line


def test_empty_file_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    line = only_error(invoke("extract", str(path)), ExitCode.INPUT)
    assert str(path) in line and "empty" in line


def test_directory_exit_3(tmp_path: Path) -> None:
    line = only_error(invoke("extract", str(tmp_path)), ExitCode.INPUT)
    assert "directory" in line


def test_binary_junk_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(bytes(range(256)) * 4)
    line = only_error(invoke("extract", str(path)), ExitCode.INPUT)
    assert str(path) in line


def test_empty_stdin_exit_3() -> None:
    line = only_error(invoke("extract", "-", input=b""), ExitCode.INPUT)
    assert "<stdin>" in line


# ---------------------------------------------------------------------------------------
# 7: grammar


def test_unknown_grammar_exit_7_suggests_close_name() -> None:
    line = only_error(invoke("extract", "-g", "renkei-visoin", str(SEED)), ExitCode.GRAMMAR)
    assert "renkei-visoin" in line
    assert "did you mean 'renkei-vision'" in line


def test_broken_grammar_file_exit_7(tmp_path: Path) -> None:
    pattern = "^(?P<number>[0-9]+(?P<title>.*)$"
    path = tmp_path / "broken.toml"
    path.write_text(f"extends = \"renkei-vision\"\n[layout]\nheader = '{pattern}'\n", "utf-8")
    line = only_error(invoke("extract", "--grammar", str(path), str(SEED)), ExitCode.GRAMMAR)
    assert str(path) in line
    assert "layout.header" in line
    assert pattern in line


def test_missing_grammar_file_exit_7(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    line = only_error(invoke("extract", "-g", str(path), str(SEED)), ExitCode.GRAMMAR)
    assert str(path) in line


# ---------------------------------------------------------------------------------------
# 8, 70, 130


def test_unwritable_output_exit_8(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    line = only_error(invoke("extract", str(SEED), "-o", str(blocker / "out.json")), 8)
    assert str(blocker / "out.json") in line
    assert blocker.read_text() == "not a folder"


def test_internal_error_exit_70_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(output, "write_report", broken)
    line = only_error(invoke("extract", str(SEED)), ExitCode.INTERNAL)
    assert "RuntimeError: boom" in line and "--debug" in line


def test_interrupt_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "write_report", interrupted)
    only_error(invoke("extract", str(SEED)), ExitCode.INTERRUPTED)


# ---------------------------------------------------------------------------------------
# -o, stdin, encodings


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("extract", str(SEED), "-o", str(out))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out.json"]
    assert out.read_bytes().decode("utf-8") == invoke("extract", str(SEED)).stdout


def test_output_file_replaces_existing(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old content that is longer than nothing")
    assert invoke("extract", str(MIXED), "-o", str(out)).exit_code == ExitCode.OK
    Report.model_validate_json(out.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_stdin() -> None:
    result = invoke("extract", "-", input=SEED.read_bytes())
    assert result.exit_code == ExitCode.OK, result.stderr
    from_stdin = json.loads(result.stdout)
    expected = golden(SEED)
    assert isinstance(expected, dict)
    assert from_stdin["source"]["path"] is None
    from_stdin["source"]["path"] = expected["source"]["path"]
    assert from_stdin == expected


def test_encoding_cp932() -> None:
    result = invoke("extract", "--encoding", "cp932", str(CP932))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout) == golden(CP932)


def test_wrong_encoding_exit_3() -> None:
    line = only_error(invoke("extract", "--encoding", "utf-8", str(CP932)), ExitCode.INPUT)
    assert str(CP932) in line and "utf-8" in line


def test_unknown_encoding_exit_3() -> None:
    line = only_error(invoke("extract", "--encoding", "klingon", str(SEED)), ExitCode.INPUT)
    assert "klingon" in line


def test_stdout_is_strict_json_for_huge_numbers(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("17人\n", "1" * 400 + ".5人\n", 1)
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    result = invoke("extract", str(path))
    assert result.exit_code == ExitCode.OK

    def reject(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    json.loads(result.stdout, parse_constant=reject)


# ---------------------------------------------------------------------------------------
# --version, schema, grammars


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == ExitCode.OK
    assert result.stdout == f"reportparse {reportparse.__version__}\n"


def test_schema_command() -> None:
    result = invoke("schema")
    assert result.exit_code == ExitCode.OK
    assert result.stdout == schema_json()
    assert json.loads(result.stdout)["title"]


def test_grammars_command() -> None:
    result = invoke("grammars")
    assert result.exit_code == ExitCode.OK
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert "renkei-vision" in names
    assert "invalid" not in result.stdout


# ---------------------------------------------------------------------------------------
# A real process: stdout bytes are UTF-8 JSON; errors are one line without a traceback.


def run_module(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reportparse", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_process_extract_from_stdin() -> None:
    proc = run_module("extract", "-", stdin=SEED.read_bytes())
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert proc.stderr == b""
    Report.model_validate_json(proc.stdout)


def test_process_error_is_one_line(tmp_path: Path) -> None:
    proc = run_module("extract", str(tmp_path / "missing.txt"))
    assert proc.returncode == ExitCode.INPUT
    assert proc.stdout == b""
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), lines


@pytest.mark.parametrize("case", sorted((FIXTURES / "text").glob("*.txt")), ids=lambda p: p.name)
def test_streamed_json_equals_the_model_json(case: Path, tmp_path: Path) -> None:
    """extract streams the JSON page by page; it must be what Report.to_json() gives."""
    case = case.relative_to(ROOT)
    out = tmp_path / "out.json"
    result = invoke("extract", str(case), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == reportparse.extract(case).to_json() + "\n"


def test_streamed_json_with_no_initiatives() -> None:
    result = invoke("extract", "-", input="ただの文章です。\n".encode())
    assert result.exit_code == 0
    report = stdout_report(result)
    assert report.initiatives == []
    assert [w.code for w in report.warnings] == ["text.outside_block", "report.no_initiatives"]


def test_version_matches_the_package_metadata() -> None:
    from importlib.metadata import version

    assert reportparse.__version__ == version("reportparse")
    assert invoke("--version").stdout.strip() == f"reportparse {reportparse.__version__}"
