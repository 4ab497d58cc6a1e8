"""The command line under careless or hostile use (issue 12): overwriting the input, names
that are markup or escapes, SIGTERM and kill -9, FIFOs, symlink loops. Every test is
bounded in time (well under 10 s)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportparse import cli
from reportparse.batch import Settings, run_batch
from reportparse.errors import ExitCode
from reportparse.inputs import MANIFEST, BatchUsageError

from .conftest import FIXTURES

TEXT = FIXTURES / "text"
SEED = TEXT / "seed_fy2020.txt"
LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _process(*args: str, faults: str = "") -> subprocess.Popen[bytes]:
    command = ["-m", "tests.faults", faults] if faults else ["-m", "reportparse"]
    return subprocess.Popen(
        [sys.executable, *command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for(condition: object, seconds: float = 8.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "timed out"  # type: ignore[operator]


def _temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def _dead_pid() -> int:
    pid = int(Path("/proc/sys/kernel/pid_max").read_text()) - 1
    while Path(f"/proc/{pid}").exists():
        pid -= 1
    return pid


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (Linux /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(proc.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ---------------------------------------------------------------------------------------
# -o naming the input


def test_extract_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    shutil.copy(SEED, report)
    link = tmp_path / "link.json"
    link.symlink_to(report)
    for out in (report, link):
        result = CliRunner().invoke(cli.app, ["extract", str(report), "-o", str(out)])
        assert result.exit_code == ExitCode.USAGE, result.stderr
        assert "is the input" in result.stderr
    assert report.read_bytes() == SEED.read_bytes()


def test_batch_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(TEXT / "seed_fy2020.txt", out / "seed.jsonl")
    with pytest.raises(BatchUsageError, match="overwrite the input"):
        run_batch([str(out / "seed.jsonl")], out, Settings(fmt="jsonl", jobs=1, quiet=True))
    assert (out / "seed.jsonl").read_bytes() == SEED.read_bytes()


# ---------------------------------------------------------------------------------------
# File names are data


def test_names_that_are_markup_or_escapes_are_shown_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "[").mkdir(parents=True)
    (folder / "[" / "].txt").write_bytes(bytes(range(256)))  # the path is in/[/].txt
    (folder / "\x1b[31mred.txt").write_bytes(bytes(range(256)))
    proc = _process("batch", str(folder), "-o", str(tmp_path / "out"))
    _, err = proc.communicate(timeout=30)
    text = err.decode()
    assert proc.returncode == ExitCode.PARTIAL, text
    assert "Traceback" not in text and "\x1b" not in text
    assert "[/].txt" in text.replace("\n", "") or "].txt" in text
    assert "\\x1b[31mred.txt" in text.replace("\n", "")


# ---------------------------------------------------------------------------------------
# Signals and killed runs


@LINUX
def test_sigterm_on_extract_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = _process("extract", str(SEED), "-o", str(out), faults=f"hang:{SEED.name}")
    _wait_for(lambda: _temporaries(tmp_path))  # the output is being written
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert err.decode().strip() == "reportparse: error: interrupted"
    assert list(tmp_path.iterdir()) == []


@LINUX
def test_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f".out.json.{_dead_pid()}-abcdefgh.tmp"
    live = tmp_path / f".out.json.{os.getpid()}-abcdefgh.tmp"  # a run still going
    other = tmp_path / ".notes.tmp"  # not ours
    for path in (dead, live, other):
        path.write_text("partial")
    result = CliRunner().invoke(cli.app, ["extract", str(SEED), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == ExitCode.OK
    assert not dead.exists() and live.exists() and other.exists()

    outdir = tmp_path / "batch"
    outdir.mkdir()
    stale = outdir / f".seed_fy2020.json.{_dead_pid()}-abcdefgh.tmp"
    stale.write_text("partial")
    run_batch([str(SEED)], outdir, Settings(jobs=1, quiet=True))
    assert not stale.exists() and (outdir / "seed_fy2020.json").is_file()


@LINUX
def test_workers_die_with_a_killed_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "hang.txt")
    proc = _process("batch", str(folder), "-o", str(tmp_path / "out"), faults="hang:hang.txt")
    _wait_for(lambda: _children(proc.pid), seconds=8)
    time.sleep(0.5)  # the worker is in the hanging conversion
    workers = _children(proc.pid)
    proc.kill()
    proc.communicate(timeout=5)
    _wait_for(lambda: not any(_alive(w) for w in workers), seconds=5)


@LINUX
def test_the_manifest_keeps_the_lines_not_reached_when_killed_under_force(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, folder / name)
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, Settings(jobs=1, quiet=True)) == ExitCode.OK
    before = (out / MANIFEST).read_text("utf-8").splitlines()
    (folder / "a.txt").write_bytes(SEED.read_bytes() * 3)  # largest: converted first
    (folder / "c.txt").write_bytes(SEED.read_bytes() * 2)
    proc = _process("batch", str(folder), "-o", str(out), "-j", "1", "--force", faults="hang:c.txt")

    def a_redone() -> bool:
        lines = (out / MANIFEST).read_text("utf-8").splitlines()
        return json.loads(lines[0])["sha256"] != json.loads(before[0])["sha256"]

    _wait_for(a_redone)
    proc.kill()
    proc.communicate(timeout=5)
    after = (out / MANIFEST).read_text("utf-8").splitlines()
    assert len(after) == 3
    assert after[1:] == before[1:]  # b and c not reached (c hangs): their previous lines


# ---------------------------------------------------------------------------------------
# Inputs that are not regular files, globs through symlink loops


@LINUX
def test_batch_skips_a_fifo_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    start = time.monotonic()
    out = tmp_path / "out"
    code = run_batch([str(fifo), str(SEED)], out, Settings(jobs=1, quiet=True))
    assert time.monotonic() - start < 10
    assert code == ExitCode.PARTIAL
    lines = [json.loads(x) for x in (out / MANIFEST).read_text("utf-8").splitlines()]
    assert [e["status"] for e in lines] == ["failed", "ok"]
    assert "FIFO" in lines[0]["error_message"] and lines[0]["error_code"] == "input"


def test_globs_do_not_follow_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "a" / "b").mkdir(parents=True)
    shutil.copy(SEED, root / "a" / "b" / "r.txt")
    (root / "a" / "b" / "loop").symlink_to(root / "a")
    (root / "a" / "up").symlink_to(root)
    start = time.monotonic()
    out = tmp_path / "out"
    pattern = str(root / "**" / "*.txt")
    assert run_batch([pattern, pattern], out, Settings(jobs=1, quiet=True)) == ExitCode.OK
    assert time.monotonic() - start < 10
    lines = (out / MANIFEST).read_text("utf-8").splitlines()
    assert [json.loads(x)["output"] for x in lines] == ["a/b/r.json"]


@LINUX
def test_no_output_is_on_disk_unlisted_when_the_batch_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate("abcde"):
        (folder / f"{name}.txt").write_bytes(SEED.read_bytes() * (6 - n))  # a first
    shutil.copy(SEED, folder / "z_hang.txt")  # smallest: last, and it hangs
    out = tmp_path / "out"
    proc = _process("batch", str(folder), "-o", str(out), "-j", "1", faults="hang:z_hang.txt")

    def outputs_listed() -> tuple[set[str], set[str]]:
        on_disk = {p.name for p in out.glob("*.json")}  # first: the manifest only grows
        lines = (out / MANIFEST).read_text("utf-8").splitlines() if on_disk else []
        return on_disk, {json.loads(x)["output"] for x in lines}

    _wait_for(lambda: outputs_listed()[0])
    deadline = time.monotonic() + 1.5  # a..e are done well within this
    while time.monotonic() < deadline:
        on_disk, listed = outputs_listed()
        assert on_disk <= listed
    proc.kill()
    proc.communicate(timeout=5)
    on_disk, listed = outputs_listed()
    assert on_disk and on_disk <= listed


def test_folder_search_says_when_it_skips_a_symlinked_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, elsewhere / "linked.txt")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "more").symlink_to(elsewhere)
    (folder / "loop").symlink_to(folder)
    proc = _process("batch", str(folder), "-o", str(tmp_path / "out"), "-q")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.OK
    notes = err.decode().splitlines()
    assert len(notes) == 2 and all("a symlinked folder; not searched" in n for n in notes)
    assert str(folder / "more") in notes[1] and str(folder / "loop") in notes[0]
    lines = (tmp_path / "out" / MANIFEST).read_text("utf-8").splitlines()
    assert [json.loads(x)["output"] for x in lines] == ["seed.json"]
