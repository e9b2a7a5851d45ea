"""Inverse document frequency, named by formula as bm25s names its scorers. ``n`` chunks, ``df`` of them hold the word.

- ``lucene_idf``: BM25's, as bm25s's default ("lucene") method computes it; always positive. The focus
  weighs a question's words by it (``index.bm25.LexicalIndex.idf``).
- ``smoothed_idf``: ``log((n + 1) / (df + 0.5))``, the answerer's word rarity; a word no chunk holds gets
  ``smoothed_idf(n, 0)``, the rarest possible.
Both read the same document frequencies, those of the workspace's BM25 index.
"""

from __future__ import annotations

import math

import numpy as np


def lucene_idf(n: int, df: float) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def smoothed_idf(n: int, df: float) -> float:
    return float(np.log((n + 1) / (df + 0.5)))
