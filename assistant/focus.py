"""Focus: the sentences that answer the question, picked from the best few retrieved passages.

Chunks are sized for retrieval (about 160 tokens); the clause a user asked about is often one or
two sentences of one of them, and not always of the first. ``FocusSelector.run`` scores every
sentence of the top candidates by how much of the question's rare vocabulary it contains (BM25
idf from the workspace's own index) and by its embedding similarity to the question, discounts
lower-ranked candidates, and returns the best sentence widened to its equally good neighbours.
The focus is an exact span of the document, like every passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .chunking import sentence_spans
from .lexical import tokenize
from .models import Chunk, Passage


@dataclass(frozen=True)
class Focus:
    """The best-answering span: ``chunk.text[start - chunk.start : end - chunk.start] == text``."""

    chunk: Chunk
    start: int
    end: int
    text: str
    score: float
    rank: int  # 0-based rank of the passage it was taken from


HEADING_WORDS = 10
ENUMERATOR = re.compile(r"(?:\d+(?:\.\d+)*\.?|\(?[a-z0-9]{1,4}\)|[A-Za-z]\.|(?:article|section|clause|schedule)\s+[\w.]+\.?)", re.IGNORECASE)


def join_wrapped_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence units, not lines: PDF and EDGAR text wraps mid-sentence, so a unit that ends without
    closing punctuation runs on into the next one unless a blank line separates them; a bare number
    ("12.") always joins what follows it."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            previous_start, previous_end = joined[-1]
            number = bool(ENUMERATOR.fullmatch(text[previous_start:previous_end]))
            open_ended = text[previous_end - 1] not in ".;:!?"
            if number or (open_ended and "\n\n" not in text[previous_end:start].replace("\r", "")):
                joined[-1] = (previous_start, end)
                continue
        joined.append((start, end))
    return joined


def is_heading(unit: str) -> bool:
    """A short line without closing punctuation ("12. GOVERNING LAW"): it names a topic, it never answers."""
    return unit.rstrip()[-1:] not in ".;:!?" and len(unit.split()) <= HEADING_WORDS


def term_coverage(sentences: Sequence[str], question_terms: set[str], idf: Callable[[str], float]) -> np.ndarray:
    """Share of the question's idf mass present in each sentence (0..1): rare shared words count most."""
    mass = sum(idf(t) for t in question_terms)
    if not sentences or mass <= 0:
        return np.zeros(len(sentences))
    return np.array([sum(idf(t) for t in set(tokens) & question_terms) for tokens in tokenize(list(sentences))]) / mass


def widen(scores: np.ndarray, best: int, ratio: float) -> tuple[int, int]:
    """Grow [best, best] over neighbours scoring at least ``ratio`` of the best: a clause often spans sentences."""
    low = high = best
    floor = ratio * scores[best]
    while low > 0 and scores[low - 1] >= floor:
        low -= 1
    while high < len(scores) - 1 and scores[high + 1] >= floor:
        high += 1
    return low, high


class FocusSelector:
    """``run(question, passages, question_vector)`` -> the best sentence window among the top candidates."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], idf: Callable[[str], float], candidates: int = 5,
                 lexical_weight: float = 0.5, rank_decay: float = 0.9, window_ratio: float = 0.9, dense_pool: int = 8,
                 dense_chars: int = 150):
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

    def _similarity(self, texts: list[str], lexical: np.ndarray, pool: list, question_vector: np.ndarray) -> np.ndarray:
        """Embedding similarity for the ``dense_pool`` lexically best sentences, on their first ``dense_chars``
        characters (embedding every sentence of every candidate costs more than the whole search); the
        others get the pool's lowest similarity."""
        if self.lexical_weight >= 1.0 or not texts:
            return np.zeros(len(texts))
        decay = np.concatenate([np.full(len(spans), self.rank_decay**rank) for rank, _, spans in pool])
        chosen = np.argsort(-(lexical * decay), kind="stable")[: self.dense_pool]
        similarity = self.embed([texts[i][: self.dense_chars] for i in chosen]) @ question_vector
        out = np.full(len(texts), float(similarity.min()))
        out[chosen] = similarity
        return out

    def run(self, question: str, passages: Sequence[Passage], question_vector: np.ndarray) -> Focus | None:
        pool = [(rank, p.chunk, join_wrapped_lines(p.chunk.text, sentence_spans(p.chunk.text)))
                for rank, p in enumerate(passages[: self.candidates])]
        pool = [(rank, chunk, spans) for rank, chunk, spans in pool if spans]
        if not pool:
            return None
        texts = [chunk.text[a:b] for _, chunk, spans in pool for a, b in spans]
        terms = set(tokenize([question])[0])
        lexical = term_coverage(texts, terms, self.idf)
        combined = self.lexical_weight * lexical + (1.0 - self.lexical_weight) * self._similarity(texts, lexical, pool, question_vector)
        combined[[i for i, t in enumerate(texts) if is_heading(t)]] = 0.0
        best: Focus | None = None
        offset = 0
        for rank, chunk, spans in pool:
            scores = combined[offset : offset + len(spans)]
            offset += len(spans)
            top = int(np.argmax(scores))
            score = float(scores[top]) * self.rank_decay**rank
            if best is None or score > best.score:
                low, high = widen(scores, top, self.window_ratio)
                start, end = chunk.start + spans[low][0], chunk.start + spans[high][1]
                best = Focus(chunk, start, end, chunk.text[start - chunk.start : end - chunk.start], score, rank)
        return best
