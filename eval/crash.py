"""The crash run: kill -9 an ingest against a Chroma server at every point of its writes, re-run it, and count.

    python -m eval.crash --data ../shared/evaldata [--documents 10] [--work DIR]

Each scenario ingests real CUAD contracts (``corpus/cuad``) into a fresh workspace of one ``chroma run`` server, in
a child process that stops dead at one point: after a document's vectors, between the requests that write its chunk
records (the child writes 40 records a request, so a contract takes several), after the request holding its text,
source, document record (the commit point) and the generation; in the middle of a removal; while a changed file
replaces its old version; and at random moments. The parent kills it with SIGKILL there, re-runs the same command
to the end in a new process, and counts, through a third process's fresh Workspace:

- lost: documents of the folder that are not listed, and catalog chunks without a vector;
- duplicated: a file listed more than once (or its old version still listed), vectors no catalog chunk owns, and
  records a listed document does not own (left in the server by the killed writer after the re-run's repair).

Target 0 and 0; exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .chroma_server import chroma_cli, chroma_server

REPO = Path(__file__).resolve().parent.parent
POINTS = ["vectors:3", "chunk:5", "chunk:9", "doc:3", "doc:6"]
SMALL_PAGE = 40  # records per request in the child, so a document's chunks take several requests and a kill lands between


def settings_of(work: Path, port: int, workspace: str, who: str):
    from assistant import Settings

    return Settings(data_dir=work / who, cache_dir=work / "cache", workspace=workspace, chroma_host="127.0.0.1", chroma_port=port,
                    parse_workers=0)


def child(args) -> None:
    """Run one ingest or removal, stopping dead (and telling the parent) when ``--point kind:n`` is reached."""
    from assistant import Workspace
    from assistant.index import server_catalog
    from assistant.index.chroma import VectorStore
    from assistant.index.server_catalog import ServerCatalog

    server_catalog.PAGE = SMALL_PAGE

    marker = Path(args.marker) if args.marker else None
    counts: dict[str, int] = {}

    def reached(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        if args.point and args.point == f"{kind}:{counts[kind]}":
            assert marker is not None
            marker.write_text(kind)
            time.sleep(3600)  # the parent kills us here

    upsert, delete, vectors = ServerCatalog._upsert, ServerCatalog._delete, VectorStore.upsert

    def upsert_hook(self, batch):
        upsert(self, batch)
        for kind in dict.fromkeys(r[1] for r in batch):
            reached(kind)

    def delete_hook(self, ids):
        delete(self, ids)
        if any(i.startswith("doc:") for i in ids):
            reached("delete-doc")

    def vectors_hook(self, chunks, embeddings):
        vectors(self, chunks, embeddings)
        reached("vectors")

    ServerCatalog._upsert, ServerCatalog._delete, VectorStore.upsert = upsert_hook, delete_hook, vectors_hook
    ws = Workspace(settings_of(Path(args.work), args.port, args.workspace, "app"))
    if args.op == "ingest":
        ws.ingest([args.folder])
    elif args.op == "repair":
        ws.index.repair()
    else:
        ws.remove(args.target)


def run_child(args, workspace: str, op: str, point: str | None = None, target: str = "", kill_after: float | None = None) -> str:
    """Run the child; with ``point`` (or ``kill_after`` seconds) kill it with SIGKILL there. Returns what happened."""
    marker = Path(tempfile.mktemp(prefix="crash-", dir=args.work))
    command = [sys.executable, "-m", "eval.crash", "--child", "--work", str(args.work), "--port", str(args.port), "--workspace", workspace,
               "--op", op, "--folder", str(args.folder), "--target", target, "--marker", str(marker), "--point", point or ""]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.time()
    while process.poll() is None:
        if (point and marker.exists()) or (kill_after is not None and time.time() - started > kill_after):
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return f"killed at {marker.read_text() if marker.exists() else f'{time.time() - started:.1f} s'}"
        time.sleep(0.02)
    if process.returncode != 0:
        raise RuntimeError(f"{op} failed: {process.stderr.read()[-2000:]}")
    return "ran to the end (the point was never reached)" if point or kill_after else "completed"


def count(args, workspace: str, expected: dict[str, str]) -> dict:
    """Lost and duplicated, as a fresh app server sees the workspace. ``expected``: file name -> doc id."""
    from assistant import Workspace

    ws = Workspace(settings_of(Path(args.work), args.port, workspace, "checker"))
    docs = ws.documents()
    names = [d.file_name for d in docs]
    listed = {d.doc_id for d in docs}
    consistency = ws.index.consistency()
    catalog = ws.index.catalog
    owned = {f"doc:{d}" for d in listed} | {f"text:{d}" for d in listed} | {f"chunk:{c}" for c in catalog.chunk_ids()}
    owned |= {f"src:{k}" for k in catalog._current()[1]}
    leftovers = [i for i in catalog.collection.get(include=[])["ids"] if i not in owned and not i.startswith(("meta:", "lock:"))]
    chunks_per_doc = sum(d.chunks for d in docs)
    lost_docs = sorted(name for name, doc_id in expected.items() if doc_id not in listed)
    duplicated_docs = (len(names) - len(set(names))) + len(listed - set(expected.values()))
    answer = ws.ask("Which law governs the agreement?") if docs else None
    return {"documents": len(docs), "lost_documents": len(lost_docs), "missing_vectors": consistency["missing_vectors"],
            "duplicated_documents": duplicated_docs, "stray_vectors": consistency["stray_vectors"], "leftover_records": len(leftovers),
            "chunks": consistency["catalog"], "chunks_listed": chunks_per_doc, "bm25_differences": consistency["bm25_differences"],
            "answered": bool(answer and answer.citations), "lost": len(lost_docs) + consistency["missing_vectors"],
            "duplicated": duplicated_docs + consistency["stray_vectors"] + len(leftovers) + abs(chunks_per_doc - consistency["catalog"])}


def doc_ids(folder: Path) -> dict[str, str]:
    from assistant.ingest.files import document_id

    return {p.name: document_id(p.read_bytes()) for p in sorted(folder.iterdir())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "evaldata")
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--random-kills", type=int, default=3)
    parser.add_argument("--seed-cache", type=Path, nargs="*", default=[])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    for name in ("port", "workspace", "op", "folder", "target", "marker", "point"):
        parser.add_argument(f"--{name}", type=int if name == "port" else str, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0
    if not (args.data / "corpus" / "cuad").is_dir():
        print(f"skipped: no evaluation data at {args.data}")
        return 0
    if chroma_cli() is None:
        print("skipped: the chroma CLI is not installed")
        return 0
    args.work = Path(args.work or tempfile.mkdtemp(prefix="crash-"))
    args.work.mkdir(parents=True, exist_ok=True)
    if args.seed_cache:
        from .scale import seed_cache

        seed_cache(args.work / "cache" / "embeddings.sqlite", args.seed_cache)
    args.folder = args.work / "contracts"
    if not args.folder.is_dir():
        args.folder.mkdir()
        for source in sorted((args.data / "corpus" / "cuad").glob("*.txt"))[: args.documents]:
            (args.folder / source.name).write_bytes(source.read_bytes())
    expected = doc_ids(args.folder)
    rows = []
    rng = random.Random(13)
    started = time.time()
    with chroma_server(args.work / "chroma") as port:
        args.port = port
        scenarios = [(f"ingest, killed after {p}", "ingest", p, None) for p in POINTS]
        scenarios += [(f"ingest, killed at random ({n + 1})", "ingest", None, rng.uniform(3, 25)) for n in range(args.random_kills)]
        for n, (label, op, point, after) in enumerate(scenarios):
            workspace = f"crash{n}"
            what = run_child(args, workspace, op, point, kill_after=after)
            run_child(args, workspace, "ingest")
            rows.append((label, what, count(args, workspace, expected)))
            print(f"{label}: {what}; {json.dumps(rows[-1][2])}", file=sys.stderr, flush=True)
        # a removal killed after its document record went, then repeated; the file comes back with the next ingest
        workspace = "crash-remove"
        run_child(args, workspace, "ingest")
        victim = next(iter(expected))
        what = run_child(args, workspace, "remove", "delete-doc:1", target=victim)
        remaining = {k: v for k, v in expected.items() if k != victim}
        run_child(args, workspace, "repair")  # what the next write (any ingest, from any app server) does first
        rows.append(("removal, killed after its document record", what, count(args, workspace, remaining)))
        run_child(args, workspace, "ingest")
        rows.append(("  then ingest again", "completed", count(args, workspace, expected)))
        # a changed file replacing its old version, killed after its new source record (the old version orphaned)
        workspace = "crash-replace"
        run_child(args, workspace, "ingest")
        changed = args.folder / victim
        original = changed.read_bytes()
        try:
            changed.write_bytes(original + b"\n\nAMENDMENT: the term is extended by one year.\n")
            what = run_child(args, workspace, "ingest", "source:1")  # the nine others are unchanged: nothing written for them
            run_child(args, workspace, "ingest")
            rows.append(("replacement, killed before the old one is dropped", what, count(args, workspace, doc_ids(args.folder))))
        finally:
            changed.write_bytes(original)
    print(f"{'scenario':<48}{'what happened':<28}{'docs':>5}{'lost':>6}{'dup':>5}  detail")
    for label, what, c in rows:
        detail = (f"missing vectors {c['missing_vectors']}, stray vectors {c['stray_vectors']}, leftover records {c['leftover_records']}, "
                  f"chunks {c['chunks']}, bm25 diff {c['bm25_differences']}, answered {c['answered']}")
        print(f"{label:<48}{what[:27]:<28}{c['documents']:>5}{c['lost']:>6}{c['duplicated']:>5}  {detail}")
    lost = sum(c["lost"] for _, _, c in rows)
    duplicated = sum(c["duplicated"] for _, _, c in rows)
    print(f"total over {len(rows)} checks: lost {lost}, duplicated {duplicated} (target 0 and 0); {time.time() - started:.0f} s")
    return 0 if lost == duplicated == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
