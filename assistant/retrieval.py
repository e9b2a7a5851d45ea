"""Hybrid retrieval: BM25 + dense (Chroma), fused by reciprocal rank, after document resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .config import Settings
from .focus import Focus, FocusSelector
from .index import Index
from .models import Passage
from .resolution import DocumentResolver, Resolution

RRF_K = 60
LEAD_INS = re.compile(
    r"^\s*(?:(?:does|do|is|are|can|must|shall|will|may)\s+(?:the|this|these)\s+(?:document|documents|agreement|contract|policy)s?\s+"
    r"(?:\w+\s+){0,2}?(?:that|whether|if|to|any|the)\b\s*|information\s+about\s+(?:the\s+)?)",
    re.IGNORECASE,
)


def focus_query(question: str) -> str:
    """Drop question templates that carry no content ("Does the document state that ...", "Information about the ...")."""
    focused = LEAD_INS.sub("", question, count=1)
    return focused if len(focused.split()) >= 2 else question


@dataclass(frozen=True)
class RetrievalResult:
    passages: list[Passage]
    resolution: Resolution
    filtered_to: tuple[str, ...] = field(default_factory=tuple)
    focus: Focus | None = None  # the sentences of the top passages that best answer the question

    def spans(self, with_scores: bool = False) -> list[tuple]:
        """(file name, start, end) best first: the focus, then the passages. What a benchmark scores.
        ``with_scores`` appends each span's score: the focus score, then the passage scores."""
        head = [(self.focus.chunk.file_name, self.focus.start, self.focus.end, self.focus.score)] if self.focus else []
        rows = head + [(p.chunk.file_name, p.chunk.start, p.chunk.end, p.score) for p in self.passages]
        return rows if with_scores else [row[:3] for row in rows]


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


class HybridRetriever:
    """``run(query, k, doc_ids)`` -> passages with document, page, section path, offsets and score."""

    def __init__(self, index: Index, settings: Settings | None = None, dense_weight: float = 1.0, lexical_weight: float = 1.0,
                 strip_templates: bool = True):
        """``strip_templates`` drops question templates ("Does the document state that ...") before searching."""
        self.index = index
        self.settings = settings or index.settings
        self.resolver = DocumentResolver(index.catalog)
        self.weights = {"dense": dense_weight, "bm25": lexical_weight}
        self.strip_templates = strip_templates
        model = index.embedder.embedder  # the raw model: sentence vectors are not worth caching
        self.selector = FocusSelector(lambda texts: model.embed(texts, batch_size=16), lambda token: self.index.lexical.idf(token),
                                      self.settings.focus_candidates)

    def run(self, query: str, k: int | None = None, doc_ids: list[str] | None = None, resolve: bool = True,
            with_focus: bool = True) -> RetrievalResult:
        """Passages best first; ``with_focus`` also picks the best-answering sentences (costs a few model runs)."""
        k = k or self.settings.retrieval_k
        resolution = self.resolver.run(query) if resolve and not doc_ids else Resolution((), query, "")
        scope = list(doc_ids or resolution.doc_ids) or None
        text = resolution.question if resolution.doc_ids else query
        if self.strip_templates:
            text = focus_query(text)
        depth = max(self.settings.retrieval_candidates, k)
        self.index.ensure_lexical()
        vector = self.index.embedder.embed_query(text)
        rankings = {
            "bm25": [i for i, _ in self.index.lexical.query(text, depth, scope)],
            "dense": [i for i, _ in self.index.vectors.query(vector, depth, scope)],
        }
        if not scope and resolution.preferred:
            preferred = list(resolution.preferred)
            rankings["bm25_named"] = [i for i, _ in self.index.lexical.query(text, depth, preferred)]
            rankings["dense_named"] = [i for i, _ in self.index.vectors.query(vector, depth, preferred)]
        fused = reciprocal_rank_fusion(rankings, self.weights)
        chunks = self.index.catalog.chunks_by_id([i for i, _, _ in fused[: k * 2 + 10]])
        passages = [Passage(chunks[i], s, r) for i, s, r in fused if i in chunks][:k]
        best = self.selector.run(text, passages, vector) if with_focus and self.settings.focus_candidates else None
        return RetrievalResult(passages, resolution, tuple(scope or ()), best)
