"""Focus: the sentences that answer the question, picked from the best few retrieved passages.

Chunks are sized for retrieval (about 160 tokens); the clause a user asked about is often one or
two sentences of one of them, and not always of the first. ``FocusSelector.run`` scores every
sentence of the top candidates by how much of the question's rare vocabulary it contains (BM25
idf from the workspace's own index) and by its embedding similarity to the question, and returns the
best sentence widened to its equally good neighbours. ``rank_decay`` discounts lower-ranked candidates; fitted on
LegalBench-RAG's tune part (eval/fit_retrieval.py), the best discount is none (1.0): the best sentence of the fifth
passage is as likely to answer as that of the first.
The focus is an exact span of the document, like every passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..core.documents import Passage
from ..core.spans import Span
from ..text.headings import is_heading_line
from ..text.sentences import join_wrapped_lines, sentence_spans
from ..text.tokenization import tokenize
from .sentence_scoring import (
    phrase_coverage,
    shortlist_similarity,
    term_coverage,
    widen,
)


@dataclass(frozen=True)
class Focus:
    """The best-answering span of the passages, its score and the 0-based rank of the passage it was taken from."""

    span: Span
    score: float
    rank: int

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "score": self.score, "rank": self.rank}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Focus":
        return cls(Span.from_dict(data["span"]), float(data["score"]), int(data["rank"]))


class FocusSelector:
    """``run(question, passages, question_vector)`` -> the best sentence window among the top candidates."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], idf: Callable[[str], float], candidates: int = 5,
                 lexical_weight: float = 0.5, rank_decay: float = 1.0, window_ratio: float = 0.9, dense_pool: int = 8,
                 dense_chars: int = 150, phrase_weight: float = 0.0, heading_weight: float = 0.0):
        """``phrase_weight``: weight of the question's word pairs found in a sentence (next to its words' coverage, 1);
        ``heading_weight``: weight of the question's words found in the section heading of the sentence's passage."""
        if not 0.0 <= lexical_weight <= 1.0:
            raise ValueError(f"lexical_weight must be between 0 and 1, got {lexical_weight}")
        self.embed = embed
        self.idf = idf
        self.candidates = candidates
        self.lexical_weight = lexical_weight
        self.rank_decay = rank_decay
        self.window_ratio = window_ratio
        self.dense_pool = dense_pool
        self.dense_chars = dense_chars
        self.phrase_weight = phrase_weight
        self.heading_weight = heading_weight

    def _lexical(self, question: str, texts: list[str], pool: list) -> np.ndarray:
        """Each sentence's share of the question's words, of its word pairs and of its words in the passage's heading, weighted (0..1)."""
        tokens = tokenize([question])[0]
        terms = set(tokens)
        score = term_coverage(texts, terms, self.idf)
        if self.phrase_weight:
            score = score + self.phrase_weight * phrase_coverage(texts, tokens, self.idf)
        if self.heading_weight:
            headings = term_coverage([chunk.section_path for _, chunk, _ in pool], terms, self.idf)
            score = score + self.heading_weight * np.concatenate([np.full(len(spans), h) for h, (_, _, spans) in zip(headings, pool)])
        return score / (1.0 + self.phrase_weight + self.heading_weight)

    def _similarity(self, texts: list[str], lexical: np.ndarray, pool: list, question_vector: np.ndarray) -> np.ndarray:
        """Embedding similarity for the ``dense_pool`` lexically best sentences, on their first ``dense_chars`` characters."""
        if self.lexical_weight >= 1.0 or not texts:
            return np.zeros(len(texts))
        decay = np.concatenate([np.full(len(spans), self.rank_decay**rank) for rank, _, spans in pool])
        chosen = np.argsort(-(lexical * decay), kind="stable")[: self.dense_pool]
        vectors = self.embed([texts[i][: self.dense_chars] for i in chosen])
        return shortlist_similarity(len(texts), chosen, vectors, question_vector)

    def run(self, question: str, passages: Sequence[Passage], question_vector: np.ndarray) -> Focus | None:
        pool = [(rank, p.chunk, join_wrapped_lines(p.chunk.text, sentence_spans(p.chunk.text)))
                for rank, p in enumerate(passages[: self.candidates])]
        pool = [(rank, chunk, spans) for rank, chunk, spans in pool if spans]
        if not pool:
            return None
        texts = [chunk.text[a:b] for _, chunk, spans in pool for a, b in spans]
        lexical = self._lexical(question, texts, pool)
        combined = self.lexical_weight * lexical + (1.0 - self.lexical_weight) * self._similarity(texts, lexical, pool, question_vector)
        combined[[i for i, t in enumerate(texts) if is_heading_line(t)]] = 0.0
        best: Focus | None = None
        offset = 0
        for rank, chunk, spans in pool:
            scores = combined[offset : offset + len(spans)]
            offset += len(spans)
            top = int(np.argmax(scores))
            score = float(scores[top]) * self.rank_decay**rank
            if best is None or score > best.score:
                low, high = widen(scores, top, self.window_ratio)
                best = Focus(chunk.sub_span(spans[low][0], spans[high][1]), score, rank)
        return best
