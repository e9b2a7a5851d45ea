"""Scoring sentences against a question: the pieces the focus and the answerer's sentence ranker share.

- ``term_coverage``: the share of the question's idf mass a sentence holds (rare shared words count most);
- ``phrase_coverage``: the same for the question's word pairs that a sentence holds in the question's order and next
  to each other: "the term of the agreement" and "any term or provision of this agreement" share both words, only
  the first holds the pair;
- ``shortlist_similarity``: embedding similarity to the question for a shortlist of sentences only (embedding
  every sentence of every passage would cost more than the whole search); the rest get the shortlist's
  lowest similarity, so they are neither helped nor hurt;
- ``widen``: a clause often spans sentences, so the best one grows over equally good neighbours.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..text.tokenization import tokenize


def term_coverage(sentences: Sequence[str], question_terms: set[str], idf: Callable[[str], float]) -> np.ndarray:
    """Share of the question's idf mass present in each sentence (0..1)."""
    mass = sum(idf(t) for t in question_terms)
    if not sentences or mass <= 0:
        return np.zeros(len(sentences))
    return np.array([sum(idf(t) for t in set(tokens) & question_terms) for tokens in tokenize(list(sentences))]) / mass


def word_pairs(tokens: Sequence[str]) -> set[tuple[str, str]]:
    """Adjacent (stemmed, stop-word-free) words, in order."""
    return set(zip(tokens, tokens[1:]))


def phrase_coverage(sentences: Sequence[str], question_tokens: Sequence[str], idf: Callable[[str], float]) -> np.ndarray:
    """Share of the idf mass of the question's adjacent word pairs that each sentence holds as adjacent pairs (0..1);
    all zeros for a question of fewer than two words."""
    pairs = word_pairs(question_tokens)
    weight = {pair: idf(pair[0]) + idf(pair[1]) for pair in pairs}
    mass = sum(weight.values())
    if not sentences or mass <= 0:
        return np.zeros(len(sentences))
    return np.array([sum(weight[p] for p in word_pairs(tokens) & pairs) for tokens in tokenize(list(sentences))]) / mass


def shortlist_similarity(count: int, shortlist: Sequence[int], vectors: np.ndarray, question_vector: np.ndarray,
                         floor: float | None = None) -> np.ndarray:
    """Similarities for ``count`` sentences: the ``shortlist`` ones from their ``vectors`` (one row each, in shortlist
    order), every other sentence at the shortlist's lowest similarity (``floor`` when the shortlist is empty)."""
    similarity = vectors @ question_vector if len(shortlist) else np.zeros(0)
    lowest = float(similarity.min()) if len(shortlist) else (floor or 0.0)
    out = np.full(count, lowest)
    out[list(shortlist)] = similarity
    return out


def widen(scores: np.ndarray, best: int, ratio: float) -> tuple[int, int]:
    """Grow [best, best] over neighbours scoring at least ``ratio`` of the best."""
    low = high = best
    floor = ratio * scores[best]
    while low > 0 and scores[low - 1] >= floor:
        low -= 1
    while high < len(scores) - 1 and scores[high + 1] >= floor:
        high += 1
    return low, high
