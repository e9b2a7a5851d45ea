"""The hostile-input suite: every generated bad file (``eval.hostile_files``) in one batch with good files around
them (the sample corpus), through the Python API and through the CLI.

    python -m eval.hostile [--work DIR]

Measures, for each way in: files in the batch; bad files that failed with the expected typed reason and a message
naming the file; good files ingested (with the flag or warning each must carry); whether the store is consistent
afterwards (the same chunk ids in the catalog, Chroma and BM25); the batch's time and the slowest file. The CLI run
also checks the exit status (1: some files failed, the others were ingested). Prints one line per failure and the
figures; exits 1 when any expectation is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant import FileResult, Settings, Workspace
from eval.hostile_files import Case, write_cases

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REASONS = {"unsupported", "empty", "encrypted", "scanned", "corrupt", "too_large", "over_limits", "unreadable", "not_found"}
MAX_FILE_MB = 2  # so big.txt (3 MB) is over the limit


def build_batch(folder: Path) -> tuple[list[Case], list[str]]:
    """The hostile cases and the corpus's documents side by side in one folder (names interleave when sorted)."""
    cases = write_cases(folder)
    good = []
    for source in sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".pdf", ".docx", ".txt", ".md", ".html")
                         and "_src" not in p.parts):
        target = folder / f"good_{source.name}"
        shutil.copy(source, target)
        good.append(target.name)
    return cases, good


def check(results: list[FileResult], folder: Path, cases: list[Case], good: list[str]) -> tuple[list[str], dict[str, int]]:
    """Every expectation missed (one line each) and the counts."""
    by_name = {_relative(r.path, folder): r for r in results}
    problems: list[str] = []
    bad_ok = good_ok = 0
    for case in cases:
        result = by_name.get(case.name)
        if result is None:
            problems.append(f"{case.name}: not in the report")
            continue
        if case.expect == "ok":
            marked = not case.mark or any(case.mark in w for w in result.warnings)
            if result.ok and marked:
                good_ok += 1
            else:
                problems.append(f"{case.name}: expected to be read{' with ' + case.mark if case.mark else ''}, got {result.status} "
                                f"{result.reason} {result.detail[:160]} {list(result.warnings)}")
        else:
            named = Path(case.name).name.split("\\")[0][:12] in result.detail
            if result.status in ("failed", "skipped") and result.reason == case.expect and result.reason in REASONS and named:
                bad_ok += 1
            else:
                problems.append(f"{case.name}: expected {case.expect} naming the file, got {result.status} {result.reason} {result.detail[:160]}")
    corpus_ok = 0
    for name in good:
        result = by_name.get(name)
        if result is not None and result.ok and not result.warnings:
            corpus_ok += 1
        else:
            problems.append(f"{name}: corpus file not ingested cleanly: {result}")
    bad = sum(1 for c in cases if c.expect != "ok")
    counts = {"files": len(results), "bad": bad, "bad_typed_and_named": bad_ok, "good_hostile": sum(1 for c in cases if c.expect == "ok"),
              "good_hostile_read": good_ok, "corpus": len(good), "corpus_read": corpus_ok}
    return problems, counts


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return path


def run_api(folder: Path, data: Path, cases: list[Case], good: list[str]) -> tuple[list[str], dict]:
    ws = Workspace(Settings(data_dir=data, workspace="hostile-api", max_file_mb=MAX_FILE_MB))
    started = time.perf_counter()
    report = ws.ingest([folder])
    seconds = time.perf_counter() - started
    problems, counts = check(report.files, folder, cases, good)
    consistency = ws.index.consistency()
    ws.close()
    return problems, {**counts, **_timing(report.files, seconds), "consistency": consistency}


def run_cli(folder: Path, data: Path, cases: list[Case], good: list[str]) -> tuple[list[str], dict]:
    cli = Path(sys.executable).with_name("contract-assistant")
    env = {**os.environ, "CONTRACT_ASSISTANT_MAX_FILE_MB": str(MAX_FILE_MB)}
    started = time.perf_counter()
    done = subprocess.run([str(cli), "ingest", str(folder), "--json", "-w", "hostile-cli", "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, timeout=1800)
    seconds = time.perf_counter() - started
    report = json.loads(done.stdout)
    results = [FileResult.from_dict(f) for f in report["files"]]
    problems, counts = check(results, folder, cases, good)
    if done.returncode != 1:
        problems.append(f"CLI exit status {done.returncode}, expected 1 (some files failed); stderr: {done.stderr[-400:]}")
    ws = Workspace(Settings(data_dir=data, workspace="hostile-cli"))
    consistency = ws.index.consistency()
    ws.close()
    return problems, {**counts, **_timing(results, seconds), "exit_status": done.returncode, "consistency": consistency}


def _timing(results: list[FileResult], seconds: float) -> dict:
    slowest = max(results, key=lambda r: r.seconds)
    return {"seconds": round(seconds, 1), "slowest_file": f"{Path(slowest.path).name} {slowest.seconds:.1f} s"}


def consistent(figures: dict) -> bool:
    c = figures["consistency"]
    return c["missing_vectors"] == c["stray_vectors"] == c["bm25_differences"] == 0 and c["catalog"] == c["chroma"] == c["bm25"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, help="folder for the batch and the workspaces (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder = work / "batch"
    if folder.exists():
        shutil.rmtree(folder)
    cases, good = build_batch(folder)
    failed = False
    for way, run in (("API", run_api), ("CLI", run_cli)):
        problems, figures = run(folder, work / f"data-{way.lower()}", cases, good)
        for line in problems:
            print(f"  {way} miss: {line}")
        ok = not problems and consistent(figures)
        failed |= not ok
        c = figures["consistency"]
        print(f"{way}: {figures['files']} files ({figures['bad']} bad, {figures['good_hostile']} odd but readable, {figures['corpus']} corpus); "
              f"bad files failed typed and named: {figures['bad_typed_and_named']}/{figures['bad']}; odd files read with their "
              f"flag/warning: {figures['good_hostile_read']}/{figures['good_hostile']}; corpus files read: {figures['corpus_read']}/{figures['corpus']}; "
              f"store: catalog {c['catalog']} = Chroma {c['chroma']} = BM25 {c['bm25']} chunks, missing vectors {c['missing_vectors']}, "
              f"strays {c['stray_vectors']}; {figures['seconds']} s (slowest: {figures['slowest_file']})"
              + (f"; exit status {figures['exit_status']}" if "exit_status" in figures else ""))
    print("hostile suite:", "FAILED" if failed else "passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
