"""Fit the retrieval fusion weight and the focus settings on the tuning part of LegalBench-RAG.

    python -m eval.fit_retrieval --data ../shared/evaldata --work DIR

``--work`` is the working folder of ``eval.legalbench_rag --work`` (its index is reused; documents not yet
ingested are ingested). Each selected query's searches are run once (``HybridRetriever.rankings``); the fusion is
then redone for each dense weight of ``DENSE_WEIGHTS`` (BM25 weight 1) and the focus for each setting of the focus
grid (one setting at a time, ``coordinate_search``), on the queries of the ``tune`` part only (a query's part is its first gold document's, eval/splits.py). The
setting with the best tuning score (P@1 for the focus, R@8 + R@64 for the fusion) is then reported on both parts
next to the current one, as ``eval.legalbench_rag`` scores them (each dataset weighted equally).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from eval.legalbench_rag import DATASETS, query_part, score, select_tests
from eval.splits import PARTS

DENSE_WEIGHTS = (0.6, 0.8, 1.0, 1.25, 1.5)
FOCUS_GRID = {"lexical_weight": (0.3, 0.4, 0.5, 0.6, 0.7), "rank_decay": (0.8, 0.9, 1.0), "window_ratio": (0.8, 0.9, 1.0),
              "candidates": (3, 5, 8), "phrase_weight": (0.0, 0.25, 0.5, 1.0), "heading_weight": (0.0, 0.25, 0.5, 1.0),
              "dense_chars": (150, 300)}
PASSES = 2
K = 64


def coordinate_search(grid: dict[str, tuple], start: dict, objective: Callable[[dict], float], passes: int = PASSES) -> dict:
    """Best setting found by changing one setting at a time over its grid values, the others held (``passes`` rounds):
    a few dozen trials instead of the whole grid's thousands, and a change is kept only when it scores higher than the
    setting it replaces (ties keep the current value)."""
    best = dict(start)
    best_score = objective(best)
    for _ in range(passes):
        changed = False
        for name, values in grid.items():
            for value in values:
                trial = {**best, name: value}
                trial_score = objective(trial)
                if trial_score > best_score:
                    best, best_score, changed = trial, trial_score, True
        if not changed:
            break
    return best


def averaged(results: dict[str, list[dict]], queries: dict[str, list[dict]], ks: tuple[int, ...] = (1, 8, 64)) -> dict[int, tuple[float, float]]:
    """(precision, recall) at each k, each dataset weighted equally (datasets with no query left out)."""
    per = {d: score(results[d], queries[d]) for d in queries if queries[d]}
    return {k: (statistics.mean(per[d][k][0] for d in per), statistics.mean(per[d][k][1] for d in per)) for k in ks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="working folder of eval.legalbench_rag --work")
    parser.add_argument("--limit", type=int, default=194)
    args = parser.parse_args(argv)
    if not (args.data / "legalbenchrag").is_dir():
        print(f"skipped: {args.data}/legalbenchrag not found (the benchmark data is not on this machine)")
        return 0
    from assistant import Settings, Workspace
    from assistant.core.documents import Passage
    from assistant.retrieval.focus import FocusSelector
    from assistant.retrieval.fusion import reciprocal_rank_fusion

    queries = {d: select_tests(args.data, d, args.limit) for d in DATASETS}
    files = sorted({s["file_path"] for tests in queries.values() for t in tests for s in t["snippets"]})
    ws = Workspace(Settings(data_dir=args.work / "ours", workspace="legalbench"))
    corpus = args.data / "corpus"
    ws.ingest([corpus / f for f in files], names={str(corpus / f): f for f in files})
    documents = {d.file_name: ws.document(d.doc_id) for d in ws.documents()}
    retriever = ws.retriever
    searched = {d: [retriever.rankings(t["query"], K) for t in tests] for d, tests in queries.items()}
    print(f"searched {sum(map(len, searched.values()))} queries", file=sys.stderr, flush=True)
    parts = {p: {d: [i for i, t in enumerate(tests) if query_part(t) == p] for d, tests in queries.items()} for p in PARTS}
    chunk_cache: dict = {}

    def passages_of(search, dense: float) -> list:
        fused = reciprocal_rank_fusion(search.rankings, {"dense": dense, "bm25": 1.0})[: K * 2 + 10]
        missing = [i for i, _, _ in fused if i not in chunk_cache]
        chunk_cache.update(ws.index.chunks_by_id(missing) if missing else {})
        return [Passage(chunk_cache[i], s, r) for i, s, r in fused if i in chunk_cache][:K]

    model = ws.index.embedder.embedder
    sentence_vectors: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in sentence_vectors]
        if new:
            sentence_vectors.update(zip(new, model.embed(new, batch_size=16)))
        return np.array([sentence_vectors[t] for t in texts])

    def results(dense: float, focus: dict | None, part: str) -> tuple[dict, dict]:
        out, kept = {}, {}
        for d, indices in parts[part].items():
            out[d], kept[d] = [], [queries[d][i] for i in indices]
            selector = FocusSelector(embed, ws.index.idf, **focus) if focus else None
            for i in indices:
                search = searched[d][i]
                passages = passages_of(search, dense)
                best = selector.run(search.text, passages, search.vector) if selector else None
                spans = ([(best.span.file_name, best.span.start, best.span.end)] if best else []) + [
                    (p.chunk.file_name, p.chunk.start, p.chunk.end) for p in passages]
                out[d].append({"retrieved": [{"file_path": f, "span": list(documents[f].source_span(s, e))} for f, s, e in spans[:K]]})
        return out, kept

    current_focus = {name: getattr(retriever.selector, name) for name in FOCUS_GRID}
    current_dense = retriever.weights["dense"]
    print("fusion (focus as now), tune part:")
    fusion = {}
    for dense in DENSE_WEIGHTS:
        fusion[dense] = averaged(*results(dense, current_focus, "tune"))
        print(f"  dense weight {dense:4.2f}: P@1 {100 * fusion[dense][1][0]:5.1f} R@8 {100 * fusion[dense][8][1]:5.1f} R@64 {100 * fusion[dense][64][1]:5.1f}", flush=True)
    best_dense = max(DENSE_WEIGHTS, key=lambda w: (fusion[w][8][1] + fusion[w][64][1], w == current_dense))
    print(f"focus (dense weight {best_dense}), tune part, one setting at a time:")
    names = list(FOCUS_GRID)
    trials: dict[tuple, float] = {}

    def tune_p1(setting: dict) -> float:
        key = tuple(setting[n] for n in names)
        if key not in trials:
            trials[key] = averaged(*results(best_dense, setting, "tune"), ks=(1,))[1][0]
        return trials[key]

    best_focus = coordinate_search(FOCUS_GRID, current_focus, tune_p1)
    for values, p1 in sorted(trials.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {dict(zip(names, values))}: P@1 {100 * p1:5.1f}")
    print(f"  current {current_focus}: P@1 {100 * tune_p1(current_focus):5.1f}")
    for label, dense, focus in (("current", current_dense, current_focus), ("fitted", best_dense, best_focus)):
        for part in PARTS:
            figures = averaged(*results(dense, focus, part))
            print(f"{label:8} {part:5}: P@1 {100 * figures[1][0]:5.1f} R@8 {100 * figures[8][1]:5.1f} R@64 {100 * figures[64][1]:5.1f}"
                  f"  (dense {dense}, focus {focus})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
