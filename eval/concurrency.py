"""The concurrency run: one long ingest, several single-file ingests, a removal and a loop of repairs during it, all
separate processes on one embedded workspace, with a long-lived reader (the server's API: search and ask) answering
throughout.

    python -m eval.concurrency [--documents 40] [--work DIR]

Reports vectors lost (catalog chunks without a vector, counted before anything repairs them), stray vectors,
whether catalog, Chroma and BM25 hold the same chunks, the documents expected and found, and the reader's
questions and errors (an exception or an unanswered question is an error a user would see). Exits 1 on any loss
or error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant import Settings, Workspace

SOURCES = Path(__file__).resolve().parent.parent / "corpus" / "_src"
QUESTIONS = ["How much notice to terminate for convenience?", "What is the liability cap?", "Who owns the intellectual property?"]


def write_documents(folder: Path, count: int, prefix: str) -> list[Path]:
    """``count`` distinct contracts (the corpus sources, each copy retitled so none is a duplicate of another)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(SOURCES.glob("*.txt"))
    paths = []
    for n in range(count):
        source = sources[n % len(sources)]
        path = folder / f"{prefix}_{n:02d}_{source.stem}.txt"
        path.write_text(f"{prefix.upper()} COPY {n} OF {source.stem.upper()}\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(path)
    return paths


def reader(settings: Settings, stop, out) -> None:
    """The server's side: one long-lived workspace answering and searching until told to stop."""
    ws = Workspace(settings)
    asked = errors = 0
    messages: list[str] = []
    while not stop.is_set():
        for question in QUESTIONS:
            try:
                answer = ws.ask(question)
                ws.search(question, k=5)
                asked += 1
                if not answer.text:
                    errors += 1
                    messages.append(f"empty answer to {question!r}")
            except Exception as error:  # what a user of the app would see as an error
                errors += 1
                messages.append(f"{type(error).__name__}: {error}"[:300])
        time.sleep(0.2)
    out.put({"asked": asked, "errors": errors, "messages": messages[:10]})


def repairer(settings: Settings, stop, out) -> None:
    """A loop of repairs beside the writers (once enough to lose most of a concurrent ingest's vectors)."""
    ws = Workspace(settings)
    runs = 0
    while not stop.is_set():
        ws.index.repair()
        runs += 1
        time.sleep(0.05)
    out.put({"repairs": runs})


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).with_name("contract-assistant")), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="concurrency-"))
    data = work / "data"
    settings = Settings(data_dir=data, workspace="shared")
    seed = write_documents(work / "seed", 2, "seed")
    Workspace(settings).ingest(seed)  # the server starts on a workspace that has something in it
    batch = write_documents(work / "batch", args.documents, "batch")
    singles = write_documents(work / "singles", 3, "single")
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    helpers = [context.Process(target=reader, args=(settings, stop, out)), context.Process(target=repairer, args=(settings, stop, out))]
    for helper in helpers:
        helper.start()
    time.sleep(3)
    started = time.perf_counter()
    common = ["-w", "shared", "--data-dir", str(data)]
    long_run = cli("ingest", str(work / "batch"), "--json", *common)
    others = []
    for single in singles:
        time.sleep(4)
        others.append(("ingest " + single.name, cli("ingest", str(single), "--json", *common)))
    time.sleep(2)
    others.append(("remove " + seed[0].name, cli("remove", seed[0].name, *common)))
    outcomes = [("long ingest", long_run)] + others
    statuses = {}
    for label, process in outcomes:
        stdout, stderr = process.communicate(timeout=3600)
        statuses[label] = process.returncode
        if process.returncode:
            print(f"  {label}: exit {process.returncode}: {stderr.strip()[-300:]}")
    seconds = time.perf_counter() - started
    stop.set()
    results = {}
    for _ in helpers:
        results.update(out.get(timeout=120))
    for helper in helpers:
        helper.join(timeout=60)
    ws = Workspace(settings)
    consistency = ws.index.consistency()  # read before anything repairs
    names = {d.file_name for d in ws.documents()}
    expected = {p.name for p in batch + singles} | {seed[1].name}
    missing_docs = sorted(expected - names)
    unexpected = sorted(names - expected)
    lost = consistency["missing_vectors"]
    print(json.dumps({"statuses": statuses, "consistency": consistency, "reader": results}, indent=1))
    print(f"concurrency run: {len(outcomes)} writer processes ({args.documents}-document ingest, {len(singles)} single-file ingests, "
          f"1 removal) + {results.get('repairs', 0)} repairs in a loop, {seconds:.0f} s; documents expected {len(expected)}, found "
          f"{len(names)} (missing {missing_docs or 'none'}, unexpected {unexpected or 'none'}); vectors lost {lost}, stray vectors "
          f"{consistency['stray_vectors']}; catalog {consistency['catalog']} = Chroma {consistency['chroma']} = BM25 {consistency['bm25']}: "
          f"{consistency['catalog'] == consistency['chroma'] == consistency['bm25']}; reader: {results.get('asked', 0)} questions, "
          f"{results.get('errors', 0)} errors {results.get('messages', [])}")
    ok = lost == 0 and consistency["stray_vectors"] == 0 and not missing_docs and not unexpected and results.get("errors", 1) == 0
    ok = ok and all(code == 0 for code in statuses.values())
    print("concurrency run:", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
