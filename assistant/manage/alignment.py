"""Which clause of one contract is which clause of the other, even when they were reordered or renumbered: each
pair is scored on content (tf-idf cosine of their words), heading and number, and the best pairs are taken first.
Pure numpy; the same two documents always align the same way."""

from __future__ import annotations

import bisect
import math
from collections import Counter

import numpy as np

from .clauses import Clause

CONTENT_WEIGHT, HEADING_WEIGHT, NUMBER_WEIGHT = 0.75, 0.15, 0.10
MIN_SCORE = 0.35


def _vectors(left: list[Clause], right: list[Clause]) -> tuple[np.ndarray, np.ndarray]:
    """L2-normalised tf-idf rows over the two contracts' shared vocabulary."""
    bags = [Counter(c.words()) for c in left + right]
    vocabulary: dict[str, int] = {}
    for bag in bags:
        for word in bag:
            vocabulary.setdefault(word, len(vocabulary))
    df = Counter(word for bag in bags for word in bag)
    n = len(bags)
    matrix = np.zeros((n, max(1, len(vocabulary))), dtype=np.float32)
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            matrix[row, vocabulary[word]] = (1 + math.log(count)) * math.log((1 + n) / (1 + df[word]))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1, norms)
    return matrix[: len(left)], matrix[len(left):]


def _heading_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / len(wa | wb)


def scores(left: list[Clause], right: list[Clause]) -> np.ndarray:
    """score[i, j]: how alike left clause i and right clause j are (1.0 for the same text)."""
    if not left or not right:
        return np.zeros((len(left), len(right)))
    a, b = _vectors(left, right)
    content = a @ b.T
    heading = np.array([[_heading_similarity(x.heading, y.heading) for y in right] for x in left])
    number = np.array([[1.0 if x.number and x.number == y.number else 0.0 for y in right] for x in left])
    total = CONTENT_WEIGHT * content + HEADING_WEIGHT * heading + NUMBER_WEIGHT * number
    bodies = {}
    for j, y in enumerate(right):
        bodies.setdefault(y.body, []).append(j)
    for i, x in enumerate(left):
        for j in bodies.get(x.body, ()):
            total[i, j] = max(total[i, j], 1.0 + NUMBER_WEIGHT * number[i, j])
    return total


def align(left: list[Clause], right: list[Clause], minimum: float = MIN_SCORE) -> list[tuple[int, int, float]]:
    """(left index, right index, score) for the pairs taken, best first: each clause is paired at most once."""
    table = scores(left, right)
    if table.size == 0:
        return []
    order = np.argsort(-table, axis=None, kind="stable")
    used_left, used_right, pairs = set(), set(), []
    for flat in order:
        i, j = divmod(int(flat), table.shape[1])
        if table[i, j] < minimum:
            break
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j, float(min(1.0, table[i, j]))))
    return pairs


def in_order(pairs: list[tuple[int, int, float]]) -> set[tuple[int, int]]:
    """The pairs that keep their relative order (a longest increasing run of left indexes in right order); the rest moved."""
    ordered = sorted(pairs, key=lambda p: p[1])
    tails: list[int] = []
    previous: list[int] = [-1] * len(ordered)
    tail_index: list[int] = []
    for k, (i, _, _) in enumerate(ordered):
        pos = bisect.bisect_left(tails, i)
        if pos == len(tails):
            tails.append(i)
            tail_index.append(k)
        else:
            tails[pos] = i
            tail_index[pos] = k
        previous[k] = tail_index[pos - 1] if pos > 0 else -1
    keep: set[tuple[int, int]] = set()
    k = tail_index[-1] if tail_index else -1
    while k != -1:
        keep.add((ordered[k][0], ordered[k][1]))
        k = previous[k]
    return keep
