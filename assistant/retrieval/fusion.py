"""Merging ranked lists of chunk ids: reciprocal rank fusion (hybrid search) and interleaving (two searches of one question)."""

from __future__ import annotations

from itertools import zip_longest
from typing import Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")
RRF_K = 60


def reciprocal_rank_fusion(rankings: dict[str, list[str]], weights: dict[str, float] | None = None, k: int = RRF_K) -> list[tuple[str, float, dict[str, int]]]:
    """Fuse ranked id lists: score = sum(weight / (k + rank)). Returns (id, score, ranks) best first."""
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for name, ids in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, item in enumerate(ids, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            ranks.setdefault(item, {})[name] = rank
    return sorted(((i, s, ranks[i]) for i, s in scores.items()), key=lambda t: -t[1])


def interleave(first: Sequence[T], second: Sequence[T], key: Callable[[T], Hashable]) -> list[T]:
    """first[0], second[0], first[1], ... without repeats (by ``key``): neither ranking can push the other's best out."""
    merged: list[T] = []
    seen: set = set()
    for pair in zip_longest(first, second):
        for item in pair:
            if item is not None and key(item) not in seen:
                seen.add(key(item))
                merged.append(item)
    return merged
