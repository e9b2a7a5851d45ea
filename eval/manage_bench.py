"""Timings of the contract-management features on this machine (figures printed, nothing asserted).

    python -m eval.manage_bench --data ../shared/evaldata [--work DIR] [--contracts 50]

1. Redline of the corpus MSA: the review memo of the MSA as shipped (a PDF), and the Word redline (tracked changes
   and comments) of the same MSA rendered as DOCX by corpus/build.py. The audit runs first and is timed apart.
2. Review grid: ``--contracts`` real CUAD contracts (the first by file name in DATA/corpus/cuad) x 10 questions;
   ingest timed apart from the grid.
3. Comparison of two ~50-page contracts: the two CUAD contracts nearest 150,000 characters (about 50 pages), and one
   of them against an edited copy (two articles swapped, a sentence changed). Skips the CUAD parts when DATA is absent.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from assistant import Settings, Workspace

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What is the liability cap?", "Which law governs the agreement?", "How much notice is needed to terminate for convenience?",
    "How long is the initial term?", "Does the agreement renew automatically?", "What is the effective date?",
    "Who are the parties?", "Can the agreement be assigned?", {"clause": "audit_rights"}, {"clause": "insurance"},
]
PAGE_CHARS = 3000


def timed(label: str, fn):
    started = time.perf_counter()
    value = fn()
    print(f"  {label}: {time.perf_counter() - started:.2f} s", flush=True)
    return value


def redline(work: Path) -> None:
    sys.path.insert(0, str(REPO / "corpus"))
    import build  # corpus/build.py: the corpus renderer

    source = REPO / "corpus" / "_src" / "harbourline_veridian_msa.txt"
    docx_path = work / "msa.docx"
    build.render_docx(build.parse(source.read_text(encoding="utf-8"), "Master Services Agreement"), docx_path)
    ws = Workspace(Settings(data_dir=work / "redline", workspace="bench"))
    ws.ingest([REPO / "corpus" / "harbourline_veridian" / "msa.pdf", docx_path])
    print("1. redline of the corpus MSA")
    for name in ("msa.pdf", "msa.docx"):
        doc = ws.find(name)
        timed(f"{name}: audit ({doc.pages} pages, {doc.chunks} chunks, cold)", lambda: ws.audit(documents=[name]))
        result = timed(f"{name}: plan + write the {'memo' if name.endswith('pdf') else 'redline'}", lambda: ws.redline(name, work / f"{name}.out.docx"))
        print(f"    {result.kind}: {len(result.changes)} changes, {sum(1 for c in result.changes if c.status == 'missing')} new clauses, {result.path}")
    ws.close()


def grid(work: Path, data: Path, count: int) -> None:
    folder = data / "corpus" / "cuad"
    files = sorted(folder.glob("*.txt"))[:count]
    ws = Workspace(Settings(data_dir=work / "grid", workspace="bench"))
    print(f"2. review grid: {len(files)} CUAD contracts x {len(QUESTIONS)} questions")
    report = timed(f"ingest ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB)", lambda: ws.ingest(files))
    print(f"    {report.summary()}")
    result = timed("grid (audits included)", lambda: ws.grid(QUESTIONS))
    cells = [c for row in result.cells for c in row]
    print(f"    {len(cells)} cells, {sum(c.found for c in cells)} answered with a citation, {sum(not c.found for c in cells)} not found;"
          f" {result.seconds / len(cells) * 1000:.0f} ms per cell")
    again = timed("grid again (audits cached)", lambda: ws.grid(QUESTIONS))
    print(f"    {again.seconds / len(cells) * 1000:.0f} ms per cell")
    ws.close()


def compare(work: Path, data: Path) -> None:
    folder = data / "corpus" / "cuad"
    by_size = sorted(folder.glob("*.txt"), key=lambda f: abs(f.stat().st_size - 50 * PAGE_CHARS))[:2]
    edited = work / "edited.txt"
    text = by_size[0].read_text(encoding="utf-8", errors="replace")
    parts = re.split(r"(?m)(?=^\s*(?:ARTICLE|Article|SECTION|Section)?\s*\d{1,2}\.\s+[A-Z])", text)
    if len(parts) > 6:
        parts[3], parts[5] = parts[5], parts[3]
    edited.write_text("".join(parts).replace(" shall ", " may ", 3), encoding="utf-8")
    ws = Workspace(Settings(data_dir=work / "compare", workspace="bench"))
    ws.ingest([*by_size, edited])
    print("3. comparison of two ~50-page contracts")
    for a, b in ((by_size[0].name, by_size[1].name), (by_size[0].name, edited.name)):
        left, right = ws.find(a), ws.find(b)
        result = timed(f"{b[:50]} ({len(ws.document(b).text):,} chars) against {a[:50]} ({len(ws.document(a).text):,} chars)",
                       lambda: ws.compare(b, a))
        print(f"    {result.counts()}, {len(result.flagged())} flagged, {sum(p.moved for p in result.pairs)} moved; {left.pages}/{right.pages} pages")
    ws.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "evaldata")
    parser.add_argument("--work", type=Path, default=None, help="keep the workspaces here (default: a temporary folder)")
    parser.add_argument("--contracts", type=int, default=50)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="manage-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        redline(work)
        if not (args.data / "corpus" / "cuad").is_dir():
            print(f"skipped the grid and comparison: no CUAD data in {args.data}")
            return 0
        grid(work, args.data, args.contracts)
        compare(work, args.data)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
