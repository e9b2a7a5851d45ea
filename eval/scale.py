"""The scale run: one workspace of at least 100,000 chunks of real contracts, embedded and with a Chroma server.

    python -m eval.scale --data ../shared/evaldata --work /tmp/scale [--min-chunks 100000] [--modes embedded server]

The workspace holds the contracts of the LegalBench-RAG corpus (every ``corpus/cuad``, ``contractnli`` and
``privacy_qa`` file and the first ``--maud`` MAUD merger agreements: 322 documents, about 35,000 chunks); when they make
fewer chunks than ``--min-chunks``, further rounds add copies of them (ending ``[matter copy n]``, so each is a
distinct document with the same clauses, as a team's matters reuse the same templates). Vectors come from the embedding cache (keyed by content hash: a copy re-embeds only its first chunk).
``--seed-cache`` copies vectors from earlier runs' caches into this run's first. ``--contracts N`` takes only the first
``N`` files (by name) of CUAD, ContractNLI and PrivacyQA: on a machine without the cache, fewer distinct contracts to
embed and more rounds of copies to reach ``--min-chunks`` (the search still runs over as many chunks).

Each mode's workspace is ingested once (``--work`` keeps it; a re-run skips what is there), then a fresh process
opens it and measures what an app server does: retrieval and answer latency over 20 questions (after one warm-up
round that loads the vectors and BM25; ``retrieval_first`` is the first round's, whose focus runs the model on the
sentences), the audit of single contracts, and its own peak memory (ru_maxrss).
Targets: retrieval p95 <= 100 ms, answer p95 <= 300 ms, peak RSS <= 1.5 GB, audit of one contract <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant import Settings, Workspace

from .chroma_server import chroma_cli, chroma_server

REPO = Path(__file__).resolve().parent.parent
SETS = ("cuad", "maud", "contractnli", "privacy_qa")
QUESTIONS = [
    "Which law governs the agreement?", "What is the cap on liability?", "Can the customer terminate for convenience?",
    "How much notice is needed to terminate?", "Who owns the intellectual property created under the agreement?",
    "Is there a non-compete clause?", "What insurance must the supplier maintain?", "Can either party assign the agreement?",
    "What happens on a change of control?", "How long does the agreement last?", "Does the agreement renew automatically?",
    "What are the payment terms?", "Which courts have jurisdiction?", "What are the confidentiality obligations?",
    "Is there a most favoured nation clause?", "What audit rights does the customer have?", "Is liability for indirect damages excluded?",
    "What warranties does the supplier give?", "Must the receiving party return confidential information?",
    "Is there an exclusivity obligation?",
]
TARGETS = {"search_p95_ms": 100, "retrieval_p95_ms": 100, "answer_p95_ms": 300, "peak_rss_mb": 1536, "audit_max_s": 2.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seed_cache(cache: Path, sources: list[Path]) -> int:
    """Copy vectors from other runs' embedding caches (same key: sha256 of model id and text) into ``cache``."""
    from assistant.index.embeddings import EmbeddingCache

    EmbeddingCache(cache).close()  # creates the table
    db = sqlite3.connect(str(cache), uri=True)
    db.execute("PRAGMA journal_mode=WAL")
    before = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    for n, source in enumerate(p for p in sources if p.is_file()):
        db.execute(f"ATTACH DATABASE 'file:{source}?mode=ro' AS s{n}")
        db.execute(f"INSERT OR IGNORE INTO vectors SELECT key, vector FROM s{n}.vectors")
        db.commit()
        db.execute(f"DETACH DATABASE s{n}")
    after = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    db.close()
    return after - before


def sources(data: Path, maud: int, contracts: int | None = None) -> list[Path]:
    """The contracts of a round: every CUAD, ContractNLI and PrivacyQA file (or the first ``contracts`` of each by
    name), and the first ``maud`` MAUD ones by name."""
    found = []
    for name in SETS:
        files = sorted((data / "corpus" / name).glob("*.txt"))
        found += files[:maud] if name == "maud" else files[:contracts]
    return found


def write_round(data: Path, docs: Path, round_: int, maud: int, contracts: int | None = None) -> Path:
    """Round 0: the contracts as they are; round n: a copy of each ending ``[matter copy n]`` (at the end, so the
    title and every chunk but the last are the original's: their vectors come from the cache)."""
    folder = docs / f"round{round_}"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for source in sources(data, maud, contracts):
        wanted[f"{source.parent.name}__{'r%d_' % round_ if round_ else ''}{source.name}"] = source
    for path in folder.iterdir():
        if path.name not in wanted:
            path.unlink()
    for name, source in wanted.items():
        target = folder / name
        if not target.exists():
            text = source.read_text(encoding="utf-8", errors="replace")
            target.write_text(text + (f"\n\n[matter copy {round_}]\n" if round_ else ""), encoding="utf-8")
    return folder


def ingest(settings: Settings, data: Path, docs: Path, min_chunks: int, maud: int, contracts: int | None = None) -> dict:
    """Ingest rounds of the corpus until the workspace holds ``min_chunks`` chunks; times each round."""
    ws = Workspace(settings)
    rounds = []
    round_ = 0
    while True:
        folder = write_round(data, docs, round_, maud, contracts)
        started = time.perf_counter()
        report = ws.ingest([folder])
        stats = ws.stats()
        rounds.append({"round": round_, "files": len(report.files), "new_chunks": sum(f.chunks for f in report.files if f.status == "added"),
                       "embedded": sum(f.embedded for f in report.files), "seconds": round(time.perf_counter() - started, 1),
                       "chunks": stats.chunks, "documents": stats.documents})
        log(f"{settings.workspace}: round {round_}: {rounds[-1]}")
        if stats.chunks >= min_chunks:
            break
        round_ += 1
    ws.close()
    return {"rounds": rounds, "chunks": rounds[-1]["chunks"], "documents": rounds[-1]["documents"],
            "ingest_s": round(sum(r["seconds"] for r in rounds), 1)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(settings: Settings, repeats: int) -> dict:
    """What one app server process does at this scale (run in a fresh process: its peak RSS is the app's)."""
    started = time.perf_counter()
    ws = Workspace.open(settings, create=False)
    stats = ws.stats()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    ws.retrieve(QUESTIONS[0])  # loads the vectors (exact search matrix) and BM25 for this generation
    warm_first = time.perf_counter() - started
    for q in QUESTIONS:
        ws.ask(q)
    retrieval, searches, answers = [], [], []
    for _ in range(repeats):  # the first round computes each question's focus; later rounds find its vectors cached
        for q in QUESTIONS:
            t = time.perf_counter()
            ws.retrieve(q, with_focus=False)  # the search itself: resolution, dense + BM25, fusion
            searches.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ws.retrieve(q)  # and the focus: the best-answering sentences of the top passages, embedded by the model
            retrieval.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            answer = ws.ask(q)
            answers.append((time.perf_counter() - t) * 1000)
            assert answer.text
    cuad = [d for d in ws.documents() if d.file_name.startswith("cuad__")][:5]
    audits = []
    for doc in cuad:
        t = time.perf_counter()
        ws.audit(documents=[doc.doc_id])
        audits.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    status = Path("/proc/self/status")
    now = next((int(line.split()[1]) / 1024 for line in status.read_text().splitlines() if line.startswith("VmRSS")), 0) if status.exists() else 0
    return {"chunks": stats.chunks, "vectors": stats.vectors, "documents": stats.documents, "open_s": round(opened, 2),
            "first_query_s": round(warm_first, 2), "questions": len(answers),
            "search_p50_ms": round(statistics.median(searches), 1), "search_p95_ms": round(percentile(searches, 0.95), 1),
            "retrieval_p50_ms": round(statistics.median(retrieval), 1), "retrieval_p95_ms": round(percentile(retrieval, 0.95), 1),
            "retrieval_first_p50_ms": round(statistics.median(retrieval[: len(QUESTIONS)]), 1),
            "retrieval_first_p95_ms": round(percentile(retrieval[: len(QUESTIONS)], 0.95), 1),
            "answer_p50_ms": round(statistics.median(answers), 1), "answer_p95_ms": round(percentile(answers, 0.95), 1),
            "audits": len(audits), "audit_median_s": round(statistics.median(audits), 2), "audit_max_s": round(max(audits), 2),
            "peak_rss_mb": round(peak), "rss_after_mb": round(now), "load_avg_1min": round(os.getloadavg()[0], 1)}


def measure_audits(settings: Settings, count: int = 5) -> dict:
    """The audit of single contracts with nothing cached: the auditor run directly, not through the workspace's cache
    of results (which answers fill), after the playbook's exemplars are embedded once."""
    ws = Workspace.open(settings, create=False)
    cuad = [d for d in ws.documents() if d.file_name.startswith("cuad__")][-count:]
    auditor = ws.auditor
    times = []
    for doc in cuad:
        t = time.perf_counter()
        auditor.run([doc.doc_id], doc.file_name, "document")
        times.append(time.perf_counter() - t)
    return {"uncached_audits": len(times), "uncached_audit_median_s": round(statistics.median(times), 2),
            "uncached_audit_max_s": round(max(times), 2)}


def settings_for(work: Path, mode: str, port: int | None) -> Settings:
    extra = {"chroma_host": "127.0.0.1", "chroma_port": port} if mode == "server" else {}
    return Settings(data_dir=work / mode, cache_dir=work / "cache", workspace="scale", **extra)


def run_mode(args, mode: str) -> dict:
    def body(port: int | None) -> dict:
        settings = settings_for(args.work, mode, port)
        figures = ingest(settings, args.data, args.work / "docs", args.min_chunks, args.maud, args.contracts) if not args.measure_only else {}
        log(f"{mode}: measuring in a fresh process")
        out = subprocess.run([sys.executable, "-m", "eval.scale", "--measure", mode, "--work", str(args.work), "--port", str(port or 0),
                              "--repeats", str(args.repeats)], capture_output=True, text=True, cwd=REPO)
        if out.returncode != 0:
            raise RuntimeError(f"measuring {mode} failed: {out.stderr[-2000:]}")
        figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
        return figures

    if mode == "server":
        with chroma_server(args.work / "chroma-server") as port:
            return body(port)
    return body(None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "evaldata")
    parser.add_argument("--work", type=Path, required=True, help="where the workspaces, documents and cache are kept between runs")
    parser.add_argument("--min-chunks", type=int, default=100_000)
    parser.add_argument("--modes", nargs="+", choices=("embedded", "server"), default=["embedded", "server"])
    parser.add_argument("--seed-cache", type=Path, nargs="*", default=[], help="embedding caches of earlier runs to reuse")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--maud", type=int, default=14, help="MAUD merger agreements taken (the first by name; each is ~580 chunks "
                        "that earlier runs' caches mostly lack: embedding all 73 on 2 shared cores takes over an hour)")
    parser.add_argument("--contracts", type=int, help="only the first N files (by name) of CUAD, ContractNLI and PrivacyQA "
                        "(default: all); more rounds of copies make up the chunks")
    parser.add_argument("--measure-only", action="store_true", help="skip the ingest (the workspaces are already there)")
    parser.add_argument("--audits-only", action="store_true", help="time audits of single contracts, nothing cached")
    parser.add_argument("--measure", choices=("embedded", "server"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(settings_for(args.work, args.measure, args.port or None), args.repeats)))
        return 0
    if args.audits_only:
        for mode in args.modes:
            if mode == "server":
                with chroma_server(args.work / "chroma-server") as port:
                    print(mode, json.dumps(measure_audits(settings_for(args.work, mode, port))))
            else:
                print(mode, json.dumps(measure_audits(settings_for(args.work, mode, None))))
        return 0
    if not (args.data / "corpus" / "cuad").is_dir():
        print(f"skipped: no evaluation data at {args.data}")
        return 0
    if "server" in args.modes and chroma_cli() is None:
        print("server mode skipped: the chroma CLI is not installed")
        args.modes = [m for m in args.modes if m != "server"]
    args.work.mkdir(parents=True, exist_ok=True)
    if args.seed_cache:
        log(f"seeded the embedding cache with {seed_cache(args.work / 'cache' / 'embeddings.sqlite', args.seed_cache)} vectors")
    results = {}
    for mode in args.modes:
        results[mode] = run_mode(args, mode)
        log(f"{mode}: {json.dumps(results[mode])}")
    print(f"{'figure':<24}" + "".join(f"{m:>14}" for m in results) + f"{'target':>10}")
    keys = ["documents", "chunks", "ingest_s", "open_s", "first_query_s", "questions", "search_p50_ms", "search_p95_ms",
            "retrieval_p50_ms", "retrieval_p95_ms", "retrieval_first_p50_ms", "retrieval_first_p95_ms",
            "answer_p50_ms", "answer_p95_ms", "audits", "audit_median_s", "audit_max_s", "peak_rss_mb", "rss_after_mb", "load_avg_1min"]
    for key in keys:
        target = TARGETS.get(key)
        print(f"{key:<24}" + "".join(f"{str(r.get(key, '-')):>14}" for r in results.values()) + f"{('<= ' + str(target)) if target else '':>10}")
    missed = [f"{m}:{k}" for m, r in results.items() for k, t in TARGETS.items() if k in r and r[k] > t]
    print("targets met" if not missed else f"targets missed: {', '.join(missed)}")
    (args.work / "scale.json").write_text(json.dumps(results, indent=1))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
