"""The promises of the command line (issue 11): output safety, exit codes, help, typing.

Each test runs what a user would (`-o` on a device, a FIFO or a symlink, stdout into a
full disk or a closed pipe, `--debug`, a closed stderr) and checks the documented result.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner, Result

import reportparse
from reportparse import cli
from reportparse.errors import ExitCode
from reportparse.models import Report

from .conftest import FIXTURES, ROOT

SEED = (FIXTURES / "text" / "seed_fy2020.txt").relative_to(ROOT)
MIXED = (FIXTURES / "text" / "warnings_mixed.txt").relative_to(ROOT)
PDF = (FIXTURES / "pdf" / "seed_fy2020.pdf").relative_to(ROOT)
COMMANDS = sorted(typer.main.get_command(cli.app).commands)  # type: ignore[attr-defined]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """`python -m reportparse ARGS` as a real process (stdout and stderr captured unless
    given)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "reportparse", *args], timeout=60, check=False, **kwargs
    )


def one_error(stderr: bytes) -> str:
    lines = stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reportparse: error: "), lines
    return lines[0]


# ---------------------------------------------------------------------------------------
# -o never damages anything


def device(tmp_path: Path, real: str) -> Path:
    """A copy of the character device `real` (same numbers) in tmp_path when this user may
    make one (root), so that no bug can replace the real one; else `real` itself, which a
    user who cannot make devices cannot replace either."""
    st = os.stat(real)
    node = tmp_path / Path(real).name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, st.st_rdev)
    except OSError:
        return Path(real)
    return node


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_to_a_full_device_is_exit_8_and_the_device_stays(tmp_path: Path) -> None:
    full = device(tmp_path, "/dev/full")
    result = invoke("extract", str(SEED), "-o", str(full))
    assert result.exit_code == ExitCode.OUTPUT, result.stderr
    assert str(full) in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_output_to_dev_null_is_written_in_place(tmp_path: Path) -> None:
    null = device(tmp_path, os.devnull)
    result = invoke("extract", str(SEED), "-o", str(null))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_output_to_a_fifo_reaches_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke("extract", str(SEED), "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    Report.model_validate_json(received[0])
    assert list(tmp_path.iterdir()) == [fifo]


def test_output_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert invoke("extract", str(SEED), "-o", str(link)).exit_code == ExitCode.OK
    assert link.is_symlink() and os.readlink(link) == str(target)
    Report.model_validate_json(target.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs /proc")
def test_output_to_proc_self_fd_1_is_stdout() -> None:
    proc = run("extract", str(SEED), "-o", "/proc/self/fd/1")
    assert proc.returncode == ExitCode.OK, proc.stderr
    Report.model_validate_json(proc.stdout)


def test_output_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "secret.json"
    out.write_text("old")
    out.chmod(0o600)
    assert invoke("extract", str(SEED), "-o", str(out)).exit_code == ExitCode.OK
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "new.json"
    assert invoke("extract", str(SEED), "-o", str(fresh)).exit_code == ExitCode.OK
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_output_into_a_missing_folder_is_exit_8(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "out.json"
    result = invoke("extract", str(SEED), "-o", str(out))
    assert result.exit_code == ExitCode.OUTPUT
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_output_onto_a_directory_is_exit_8(tmp_path: Path) -> None:
    result = invoke("extract", str(SEED), "-o", str(tmp_path))
    assert result.exit_code == ExitCode.OUTPUT
    assert "is a directory" in result.stderr


# ---------------------------------------------------------------------------------------
# stdout: a full disk is exit 8, a closed pipe is quiet exit 141


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["extract", str(SEED)], ["schema"], ["grammars"], ["codes"], ["--version"]]
)
def test_stdout_on_a_full_disk_is_exit_8(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = run(*args, stdout=full)
    assert proc.returncode == ExitCode.OUTPUT, proc.stderr
    assert "No space left" in one_error(proc.stderr)


@pytest.mark.parametrize("args", [["extract", str(SEED)], ["schema"], ["grammars"], ["--help"]])
def test_closed_pipe_on_stdout_is_quiet_exit_141(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader has gone, as `| head -c 10` goes after its bytes
    try:
        proc = run(*args, stdout=write)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (ExitCode.BROKEN_PIPE, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_or_closed_stderr_keeps_the_exit_code() -> None:
    with open("/dev/full", "wb") as full:
        assert run("extract", str(MIXED), stderr=full).returncode == ExitCode.OK
        assert run("extract", str(MIXED), "--strict", stderr=full).returncode == ExitCode.STRICT
        assert run("extract", "missing.txt", stderr=full).returncode == ExitCode.INPUT
    read, write = os.pipe()
    os.close(read)
    try:
        assert run("extract", str(MIXED), stderr=write).returncode == ExitCode.OK
    finally:
        os.close(write)
    closed = run("extract", str(MIXED), stderr=None, preexec_fn=lambda: os.close(2))
    assert closed.returncode == ExitCode.OK  # `2>&-`


# ---------------------------------------------------------------------------------------
# Exit codes are the contract


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["extract", "missing.txt"], ExitCode.INPUT),
        (["extract", str(FIXTURES / "bad" / "corrupt.pdf")], ExitCode.PDF),
        (["extract", "-g", "no-such-grammar", str(SEED)], ExitCode.GRAMMAR),
        (["extract", str(MIXED), "--strict"], ExitCode.STRICT),
    ],
)
def test_debug_adds_the_traceback_and_keeps_the_exit_code(args: list[str], code: int) -> None:
    proc = run("--debug", *args)
    assert proc.returncode == code, proc.stderr
    err = proc.stderr.decode()
    assert "Traceback" in err and err.splitlines()[-1].startswith("reportparse: error: ")


def test_options_without_effect_are_said() -> None:
    result = invoke("extract", str(SEED), "--password", "secret")
    assert result.exit_code == ExitCode.OK
    assert "reportparse: warning: --password is ignored" in result.stderr
    result = invoke("extract", str(PDF), "--encoding", "cp932")
    assert result.exit_code == ExitCode.OK
    assert "reportparse: warning: --encoding is ignored" in result.stderr
    assert invoke("extract", str(SEED)).stderr == ""


def test_an_encoding_that_gives_no_japanese_is_exit_3() -> None:
    result = invoke("extract", str(SEED), "--encoding", "latin-1")
    assert result.exit_code == ExitCode.INPUT
    assert result.stdout == "" and "latin-1" in result.stderr
    assert "not plausible Japanese" in result.stderr


def test_a_url_is_refused_with_a_clear_message() -> None:
    proc = run("extract", "https://example.com/report.pdf")
    assert proc.returncode == ExitCode.INPUT
    line = one_error(proc.stderr)
    assert "https://example.com/report.pdf" in line and "URLs are not supported" in line
    with pytest.raises(reportparse.ReportparseError, match="URLs are not supported"):
        reportparse.extract("https://example.com/report.pdf")


def test_panel_says_it_does_not_read_stdin() -> None:
    result = invoke("panel", "-")
    assert result.exit_code == ExitCode.USAGE
    assert "not stdin" in result.stderr


# ---------------------------------------------------------------------------------------
# Help and conventions


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=lambda c: " ".join(c))
def test_help_h_examples_and_word_placeholders(command: list[str]) -> None:
    short, long = invoke(*command, "-h"), invoke(*command, "--help")
    assert short.exit_code == long.exit_code == ExitCode.OK
    assert short.stdout == long.stdout
    text = long.stdout
    examples = [ln for ln in text.splitlines() if ln.strip().startswith("reportparse ")]
    assert "Examples:" in text and len(examples) >= 2, text
    if command:
        assert any(command[0] in ln for ln in examples)
    for raw in ("{", "<str>", "<list", "<float", "<int", "<path>"):
        assert raw not in text, (raw, text)


def test_shell_completion_is_offered() -> None:
    text = invoke("--help").stdout
    assert "--install-completion" in text and "--show-completion" in text


def test_the_package_ships_type_information() -> None:
    assert (Path(reportparse.__file__).parent / "py.typed").is_file()


def test_no_fault_hook_in_production_code() -> None:
    sources = (ROOT / "src" / "reportparse").rglob("*.py")
    hooks = ("REPORTPARSE_TEST_FAULT", "inject_fault", "fault hook")
    assert not [p for p in sources if any(h in p.read_text(encoding="utf-8") for h in hooks)]


def _modules_after(*argv: str) -> set[str]:
    """The modules a run of the command line (cli.main, in a fresh process) imported."""
    code = (
        "import json, sys\nfrom reportparse import cli\n"
        f"sys.argv = ['reportparse', *{list(argv)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    return set(json.loads(proc.stderr.decode().splitlines()[-1]))


def test_version_imports_no_heavy_module() -> None:
    heavy = {"pydantic", "pdfplumber", "pypdfium2", "pebble", "rich", "regex"}
    ours = {"reportparse.models", "reportparse.pipeline", "reportparse.grammar"}
    assert _modules_after("--version") & (heavy | ours) == set()


def test_extract_of_text_skips_the_pdf_libraries_and_pydantic_plugin_scan() -> None:
    loaded = _modules_after("extract", str(SEED))
    assert "reportparse.pipeline" in loaded  # it did run
    unused = {"pdfplumber", "pdfminer", "pypdfium2", "pebble", "rich", "importlib.metadata"}
    assert loaded & unused == set()
