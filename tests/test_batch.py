"""`reportparse batch`: isolation of bad inputs, timeouts, memory limits, manifest, re-runs."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reportparse.batch import Settings, run_batch
from reportparse.errors import ExitCode
from reportparse.inputs import MANIFEST, BatchUsageError, Input, assign_outputs
from reportparse.models import Report

from .faults import inject

TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "text"
FIELDS = {
    "path", "sha256", "status", "error_code", "error_message", "warnings", "summary", "seconds",
    "output",
    "format", "encoding", "engine", "bom", "grammar", "grammar_sha256", "tool_version",
}  # fmt: skip


def _manifest(outdir: Path) -> dict[str, dict[str, Any]]:
    lines = (outdir / MANIFEST).read_text(encoding="utf-8").splitlines()
    return {Path(e["path"]).name: e for e in map(json.loads, lines)}


def _settings(**kw: Any) -> Settings:
    return Settings(**{"jobs": 2, "quiet": True, **kw})


def _leftovers(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with a good report, binary junk and text in no known encoding."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TEXT / "seed_fy2020.txt", folder / "seed.txt")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "undecodable.txt").write_bytes("café naïve résumé\n".encode("latin-1") * 10)
    return folder


def test_bad_inputs_do_not_stop_the_good_one(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_batch([str(inputs)], out, _settings()) == ExitCode.PARTIAL
    manifest = _manifest(out)
    assert {k: e["status"] for k, e in manifest.items()} == {
        "seed.txt": "ok",
        "junk.txt": "failed",
        "undecodable.txt": "failed",
    }
    assert all(set(e) == FIELDS for e in manifest.values())
    assert manifest["junk.txt"]["error_code"] == "input"
    assert "binary" in manifest["junk.txt"]["error_message"]
    assert "not decodable" in manifest["undecodable.txt"]["error_message"]
    assert "\n" not in manifest["undecodable.txt"]["error_message"]
    good = manifest["seed.txt"]
    assert good["output"] == "seed.json" and good["warnings"] == 0 and good["seconds"] >= 0
    assert len(good["sha256"]) == 64 and good["grammar"] == "renkei-vision"
    assert good["summary"] == {
        "initiatives": 8, "indicators": 8, "unassigned": 0, "tables": 7,
        "coverage": 1.0, "warnings": {},
    }  # fmt: skip
    assert manifest["junk.txt"]["summary"] is None
    report = Report.model_validate_json((out / "seed.json").read_bytes())
    assert report.fiscal_year == 2020 and len(report.initiatives) == 8
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "seed.json"]


def test_all_good_exits_zero_and_rerun_skips_until_forced(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("seed_fy2020.txt", "fy2019_gannen.txt"):
        shutil.copy(TEXT / name, folder / name)
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, _settings()) == ExitCode.OK
    first = _manifest(out)
    mtime = (out / "seed_fy2020.json").stat().st_mtime_ns

    assert run_batch([str(folder)], out, _settings()) == ExitCode.OK
    second = _manifest(out)
    assert {e["status"] for e in second.values()} == {"skipped"}
    assert second["seed_fy2020.txt"]["sha256"] == first["seed_fy2020.txt"]["sha256"]
    assert second["seed_fy2020.txt"]["summary"] == first["seed_fy2020.txt"]["summary"]
    assert first["seed_fy2020.txt"]["summary"]["coverage"] == 1.0
    assert (out / "seed_fy2020.json").stat().st_mtime_ns == mtime

    (folder / "fy2019_gannen.txt").write_bytes((TEXT / "fy2019_gannen.txt").read_bytes() + b"\n")
    run_batch([str(folder)], out, _settings())
    third = _manifest(out)
    assert third["fy2019_gannen.txt"]["status"] == "ok"
    assert third["seed_fy2020.txt"]["status"] == "skipped"

    run_batch([str(folder)], out, _settings(force=True))
    assert {e["status"] for e in _manifest(out).values()} == {"ok"}
    assert (out / "seed_fy2020.json").stat().st_mtime_ns != mtime


def test_rerun_redoes_failures_and_changed_settings(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(inputs)], out, _settings())
    run_batch([str(inputs)], out, _settings())
    statuses = {k: e["status"] for k, e in _manifest(out).items()}
    assert statuses["seed.txt"] == "skipped" and statuses["junk.txt"] == "failed"
    run_batch([str(inputs / "seed.txt")], out, _settings(encoding="utf-8"))  # another setting
    assert _manifest(out)["seed.txt"]["status"] == "ok"


def test_timeout_stops_a_hanging_worker(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(TEXT / "seed_fy2020.txt", inputs / "hang.txt")
    inject(monkeypatch, "hang:hang.txt")
    out = tmp_path / "out"
    start = time.monotonic()
    # One worker: the files after the hanging one prove the pool replaced the killed worker.
    assert run_batch([str(inputs)], out, _settings(jobs=1, timeout=1.0)) == ExitCode.PARTIAL
    assert time.monotonic() - start < 15
    manifest = _manifest(out)
    assert manifest["hang.txt"]["error_code"] == "timeout"
    assert "--timeout" in manifest["hang.txt"]["error_message"]
    assert manifest["seed.txt"]["status"] == "ok"
    assert not (out / "hang.json").exists()


def test_max_memory_stops_a_blow_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a_mem.txt", "b_seed.txt"):
        shutil.copy(TEXT / "seed_fy2020.txt", folder / name)
    inject(monkeypatch, "memory:a_mem.txt")
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, _settings(jobs=1, max_memory=1024)) == ExitCode.PARTIAL
    manifest = _manifest(out)
    assert manifest["a_mem.txt"]["error_code"] == "memory"
    assert manifest["b_seed.txt"]["status"] == "ok"


def test_a_dying_worker_fails_only_its_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a_crash.txt", "b_seed.txt", "c_seed.txt"):
        shutil.copy(TEXT / "seed_fy2020.txt", folder / name)
    inject(monkeypatch, "crash:a_crash.txt")
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, _settings(jobs=1)) == ExitCode.PARTIAL
    manifest = _manifest(out)
    assert manifest["a_crash.txt"]["error_code"] == "crashed"
    assert manifest["b_seed.txt"]["status"] == manifest["c_seed.txt"]["status"] == "ok"


def test_year_folders_globs_and_missing_paths(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    for year, name in (("2019", "fy2019_gannen.txt"), ("2020", "seed_fy2020.txt")):
        (root / year).mkdir(parents=True)
        shutil.copy(TEXT / name, root / year / "report.txt")
    out = tmp_path / "out"
    run_batch([str(root)], out, _settings())
    assert (out / "2019" / "report.json").is_file() and (out / "2020" / "report.json").is_file()

    out2 = tmp_path / "out2"
    code = run_batch(
        [str(root / "*" / "report.txt"), str(tmp_path / "nope.pdf")], out2, _settings()
    )
    assert code == ExitCode.PARTIAL
    assert (out2 / "2019" / "report.json").is_file() and (out2 / "2020" / "report.json").is_file()
    lines = [json.loads(x) for x in (out2 / MANIFEST).read_text(encoding="utf-8").splitlines()]
    missing = [e for e in lines if e["path"].endswith("nope.pdf")]
    assert missing[0]["status"] == "failed" and missing[0]["error_code"] == "input"


def test_same_named_inputs_get_distinct_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    two_years = [
        Input(tmp_path / "2019" / "r.txt", Path("r.txt")),
        Input(tmp_path / "2020" / "r.txt", Path("r.txt")),
    ]
    assert assign_outputs(two_years, ".json", out) == [Path("2019/r.json"), Path("2020/r.json")]
    pdf_and_text = [
        Input(tmp_path / "r.pdf", Path("r.pdf")),
        Input(tmp_path / "r.txt", Path("r.txt")),
    ]
    assert assign_outputs(pdf_and_text, ".csv", out) == [Path("r.pdf.csv"), Path("r.txt.csv")]
    with pytest.raises(BatchUsageError, match="manifest"):
        assign_outputs([Input(tmp_path / "manifest.txt", Path("manifest.txt"))], ".jsonl", out)


def test_csv_format_per_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings(fmt="csv"))
    assert (out / "seed_fy2020.csv").read_bytes().startswith(b"\xef\xbb\xbfsource,")
    run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings(fmt="csv", bom=False))
    assert (out / "seed_fy2020.csv").read_bytes().startswith(b"source,")


def _cli(*args: str, faults: str = "") -> subprocess.Popen[bytes]:
    """`reportparse batch ARGS` in a process of its own (with faults: tests/faults.py)."""
    command = ["-m", "tests.faults", faults] if faults else ["-m", "reportparse"]
    return subprocess.Popen(
        [sys.executable, *command, "batch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_cli_exit_code_quiet_and_summary(inputs: Path, tmp_path: Path) -> None:
    proc = _cli(str(inputs), "-o", str(tmp_path / "q"), "--quiet")
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (ExitCode.PARTIAL, b"", b"")
    proc = _cli(str(inputs), "-o", str(tmp_path / "loud"), "-j", "2")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.PARTIAL and out == b""
    summary = err.decode()
    assert "converted" in summary and "junk.txt" in summary and MANIFEST in summary


def _workers_of(marker: str) -> list[str]:
    """Pids of live processes whose command line mentions `marker` (Linux /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and marker.encode() in cmdline:
            found.append(proc.name)
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_workers_and_exits_130(inputs: Path, tmp_path: Path, signum: int) -> None:
    for name in ("z_hang1.txt", "z_hang2.txt"):
        shutil.copy(TEXT / "seed_fy2020.txt", inputs / name)
    out = tmp_path / "interrupted-out"
    proc = _cli(str(inputs), "-o", str(out), "-j", "2", faults="hang:z_hang1.txt,hang:z_hang2.txt")
    deadline = time.monotonic() + 20
    while not (out / "seed.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # both workers are now stuck in the hanging inputs (sorted last)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert _leftovers(out) == []
    assert not (out / "z_hang1.json").exists()
    manifest = _manifest(out)
    assert manifest["seed.txt"]["status"] == "ok" and "z_hang1.txt" not in manifest
    time.sleep(0.2)
    assert _workers_of(str(out)) == []


# ---------------------------------------------------------------------------------------
# Output paths as the README documents them


def _tree(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_a_folder_of_years_keeps_its_folders_and_extensions_only_where_needed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "reports"
    for year in ("2019", "2020"):
        (root / year).mkdir(parents=True)
        shutil.copy(TEXT.parent / "pdf" / "seed_fy2020.pdf", root / year / "report.pdf")
        shutil.copy(TEXT / "seed_fy2020.txt", root / year / "report.txt")
    shutil.copy(TEXT / "fy2019_gannen.txt", root / "2019" / "fy2019_gannen.txt")
    inputs = [Input(p, p.relative_to(root)) for p in sorted(root.rglob("*.*"))]
    assert [o.as_posix() for o in assign_outputs(inputs, ".json", tmp_path / "out")] == [
        "2019/fy2019_gannen.json",
        "2019/report.pdf.json",
        "2019/report.txt.json",
        "2020/report.pdf.json",
        "2020/report.txt.json",
    ]
    out = tmp_path / "out"
    run_batch([str(root / "2019" / "fy2019_gannen.txt"), str(root / "2020")], out, _settings())
    assert _tree(out) == sorted(
        [MANIFEST, "fy2019_gannen.json", "report.pdf.json", "report.txt.json"]
    )


def test_format_switch_says_old_outputs_remain(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings())
    proc = _cli(str(TEXT / "seed_fy2020.txt"), "-o", str(out), "--format", "csv", "-q")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.OK
    assert "1 output(s) of an earlier run in another format" in err.decode()
    assert "seed_fy2020.json" in err.decode()
    assert _tree(out) == sorted([MANIFEST, "seed_fy2020.csv", "seed_fy2020.json"])
    proc = _cli(str(TEXT / "seed_fy2020.txt"), "-o", str(out), "--format", "csv", "-q")
    assert proc.communicate(timeout=60) == (b"", b"")  # said once, on the switch


def test_manifest_records_bom_for_csv_only(tmp_path: Path) -> None:
    for fmt, bom in (("json", None), ("jsonl", None), ("csv", True)):
        out = tmp_path / fmt
        run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings(fmt=fmt))
        assert _manifest(out)["seed_fy2020.txt"]["bom"] is bom
    run_batch([str(TEXT / "seed_fy2020.txt")], tmp_path / "nobom", _settings(fmt="csv", bom=False))
    assert _manifest(tmp_path / "nobom")["seed_fy2020.txt"]["bom"] is False


@pytest.mark.parametrize("fault", ["memory", "wrapped_memory", "unmappable"])
def test_out_of_memory_in_any_form_is_recorded_as_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TEXT / "seed_fy2020.txt", folder / "big.txt")
    inject(monkeypatch, f"{fault}:big.txt")
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, _settings(jobs=1, max_memory=512)) == ExitCode.PARTIAL
    entry = _manifest(out)["big.txt"]
    assert entry["error_code"] == "memory", entry
    assert "--max-memory 512 MB" in entry["error_message"]


def test_batch_reads_each_input_once_in_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent does not read inputs it converts (the worker reads and hashes them);
    it reads one only to decide whether it is unchanged since the last run."""
    from reportparse.batch import run as batch_run

    hashed: list[Path] = []
    original = batch_run._file_sha256
    monkeypatch.setattr(batch_run, "_file_sha256", lambda p: hashed.append(p) or original(p))
    out = tmp_path / "out"
    run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings())
    assert hashed == [] and len(_manifest(out)["seed_fy2020.txt"]["sha256"]) == 64
    run_batch([str(TEXT / "seed_fy2020.txt")], out, _settings())
    assert len(hashed) == 1 and _manifest(out)["seed_fy2020.txt"]["status"] == "skipped"


def test_batch_json_is_the_streamed_json_of_extract(tmp_path: Path) -> None:
    import reportparse

    out = tmp_path / "out"
    case = (TEXT / "seed_fy2020.txt").relative_to(Path.cwd())
    run_batch([str(case)], out, _settings())
    assert (out / "seed_fy2020.json").read_text("utf-8") == reportparse.extract(
        case
    ).to_json() + "\n"


def test_engine_is_recorded_and_a_new_engine_converts_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "pdf" / "seed_fy2020.pdf"
    shutil.copy(pdf, folder / "seed.pdf")
    out = tmp_path / "out"
    assert run_batch([str(folder)], out, _settings(engine="pdfplumber")) == ExitCode.OK
    assert _manifest(out)["seed.pdf"]["engine"] == "pdfplumber"
    assert run_batch([str(folder)], out, _settings(engine="pdfplumber")) == ExitCode.OK
    assert _manifest(out)["seed.pdf"]["status"] == "skipped"
    assert run_batch([str(folder)], out, _settings(engine="pdfium")) == ExitCode.OK
    entry = _manifest(out)["seed.pdf"]
    assert (entry["status"], entry["engine"]) == ("ok", "pdfium")
    report = Report.model_validate_json((out / "seed.json").read_text(encoding="utf-8"))
    assert len(report.initiatives) == 8 and not report.warnings


def test_batch_says_when_an_option_applied_to_no_input(tmp_path: Path) -> None:
    proc = _cli(str(TEXT / "seed_fy2020.txt"), "-o", str(tmp_path / "out"), "--password", "x", "-q")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.OK
    assert err.decode().strip() == "reportparse: warning: --password is ignored: no input was a PDF"


def test_workers_load_the_chosen_engine_and_the_fallback_only_under_a_memory_limit() -> None:
    """The batch process loads what a conversion needs before it forks its workers: the
    pipeline and the chosen engine; pdfplumber (PDFium's fallback) too when a memory
    limit would otherwise have it imported under the limit."""
    from reportparse.batch.worker import conversion_modules

    free = conversion_modules("pdfium", None)
    limited = conversion_modules("pdfium", 512)
    assert {"reportparse.pipeline", "reportparse.stages.read_pdf", "pypdfium2"} <= set(free)
    assert "pdfplumber" not in free
    assert {"pypdfium2", "pdfplumber"} <= set(limited)
    assert len(limited) == len(set(limited))
    assert "pypdfium2" not in conversion_modules("pdfplumber", None)
