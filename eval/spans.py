"""Character-span arithmetic shared by the benchmarks (LegalBench-RAG's overlap metric)."""

from __future__ import annotations


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap(span: tuple[int, int], merged: list[tuple[int, int]]) -> int:
    return sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in merged)


def precision_recall(retrieved: list[tuple[str, int, int]], gold: list[tuple[str, int, int]]) -> tuple[float, float]:
    """precision = retrieved characters inside gold / retrieved characters; recall = gold characters covered / gold characters."""
    gold_by_file: dict[str, list[tuple[int, int]]] = {}
    for f, s, e in gold:
        gold_by_file.setdefault(f, []).append((s, e))
    gold_by_file = {f: merge(v) for f, v in gold_by_file.items()}
    returned = sum(e - s for _, s, e in retrieved)
    hit = sum(overlap((s, e), gold_by_file.get(f, [])) for f, s, e in retrieved)
    got_by_file: dict[str, list[tuple[int, int]]] = {}
    for f, s, e in retrieved:
        got_by_file.setdefault(f, []).append((s, e))
    got_by_file = {f: merge(v) for f, v in got_by_file.items()}
    gold_total = sum(e - s for v in gold_by_file.values() for s, e in v)
    covered = sum(overlap(span, got_by_file.get(f, [])) for f, v in gold_by_file.items() for span in v)
    return (hit / returned if returned else 0.0), (covered / gold_total if gold_total else 0.0)
