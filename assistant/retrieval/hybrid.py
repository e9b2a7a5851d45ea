"""Hybrid retrieval: BM25 + dense (Chroma), fused by reciprocal rank, after document resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.documents import Passage
from ..core.settings import Settings
from ..index.embeddings import CachedEmbedder
from ..index.store import Index
from .focus import Focus, FocusSelector
from .fusion import reciprocal_rank_fusion
from .resolution import DocumentResolver, Resolution

LEAD_INS = re.compile(
    r"^\s*(?:(?:does|do|is|are|can|must|shall|will|may)\s+(?:the|this|these)\s+(?:document|documents|agreement|contract|policy)s?\s+"
    r"(?:\w+\s+){0,2}?(?:that|whether|if|to|any|the)\b\s*|information\s+about\s+(?:the\s+)?)",
    re.IGNORECASE,
)


DENSE_WEIGHT = 1.25  # dense ranking's weight in the fusion (BM25: 1), fitted on LegalBench-RAG's tune part by eval/fit_retrieval.py


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
        head = [(self.focus.span.file_name, self.focus.span.start, self.focus.span.end, self.focus.score)] if self.focus else []
        rows = head + [(p.chunk.file_name, p.chunk.start, p.chunk.end, p.score) for p in self.passages]
        return rows if with_scores else [row[:3] for row in rows]

    def to_dict(self) -> dict[str, Any]:
        return {"focus": self.focus.to_dict() if self.focus else None, "passages": [p.to_dict() for p in self.passages],
                "resolution": self.resolution.to_dict(), "filtered_to": list(self.filtered_to)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RetrievalResult":
        return cls([Passage.from_dict(p) for p in data["passages"]], Resolution.from_dict(data["resolution"]),
                   tuple(data.get("filtered_to", ())), Focus.from_dict(data["focus"]) if data.get("focus") else None)


class HybridRetriever:
    """``run(query, k, doc_ids)`` -> passages with document, page, section path, offsets and score."""

    def __init__(self, index: Index, embedder: CachedEmbedder, resolver: DocumentResolver, settings: Settings,
                 dense_weight: float = DENSE_WEIGHT, lexical_weight: float = 1.0, strip_templates: bool = True):
        """``strip_templates`` drops question templates ("Does the document state that ...") before searching."""
        self.index = index
        self.embedder = embedder
        self.resolver = resolver
        self.settings = settings
        self.weights = {"dense": dense_weight, "bm25": lexical_weight}
        self.strip_templates = strip_templates
        # sentence vectors through the content-hash cache: the model runs on a sentence once, not on every question
        # that retrieves its passage (the model is most of the focus's time; a vector does not depend on its batch)
        self.selector = FocusSelector(embedder.embed, index.idf, settings.focus_candidates)

    def run(self, query: str, k: int | None = None, doc_ids: list[str] | None = None, resolve: bool = True,
            with_focus: bool = True, searches: dict | None = None) -> RetrievalResult:
        """Passages best first; ``with_focus`` also picks the best-answering sentences (a few model runs for sentences not seen before).
        ``searches``: a caller's dict of the searches it already ran (see ``rankings``)."""
        k = k or self.settings.retrieval_k
        search = self.rankings(query, k, doc_ids, resolve, searches)
        fused = reciprocal_rank_fusion(search.rankings, self.weights)
        chunks = self.index.chunks_by_id([i for i, _, _ in fused[: k * 2 + 10]])
        passages = [Passage(chunks[i], s, r) for i, s, r in fused if i in chunks][:k]
        best = self.selector.run(search.text, passages, search.vector) if with_focus and self.settings.focus_candidates else None
        return RetrievalResult(passages, search.resolution, search.scope, best)

    def rankings(self, query: str, k: int | None = None, doc_ids: list[str] | None = None, resolve: bool = True,
                 searches: dict | None = None) -> "Rankings":
        """The ranked chunk ids of each search before fusion, with the text searched and its vector (what ``run`` fuses;
        eval/fit_retrieval.py fits the fusion weights and the focus settings on them). With ``searches`` (a dict the
        caller keeps for one task, such as one answer), a search it already holds (same text, depth, documents and
        catalog generation) is not run again: over 100,000 chunks each one scans them all."""
        k = k or self.settings.retrieval_k
        resolution = self.resolver.run(query) if resolve and not doc_ids else Resolution((), query, "")
        scope = list(doc_ids or resolution.doc_ids) or None
        text = resolution.question if resolution.doc_ids else query
        if self.strip_templates:
            text = focus_query(text)
        depth = max(self.settings.retrieval_candidates, k)
        preferred = list(resolution.preferred) if not scope else []
        key = (self.index.generation, text, depth, tuple(scope or ()), tuple(preferred))
        found = searches.get(key) if searches is not None else None
        if found is None:
            found = self._search(text, depth, scope, preferred)
            if searches is not None:
                searches[key] = found
        rankings, vector = found
        return Rankings({name: list(ids) for name, ids in rankings.items()}, text, vector, resolution, tuple(scope or ()))

    def _search(self, text: str, depth: int, scope: list[str] | None, preferred: list[str]) -> tuple[dict[str, list[str]], Any]:
        vector = self.embedder.embed_query(text)
        rankings = {
            "bm25": [i for i, _ in self.index.lexical_search(text, depth, scope)],
            "dense": [i for i, _ in self.index.dense_search(vector, depth, scope)],
        }
        if preferred:
            rankings["bm25_named"] = [i for i, _ in self.index.lexical_search(text, depth, preferred)]
            rankings["dense_named"] = [i for i, _ in self.index.dense_search(vector, depth, preferred)]
        return rankings, vector


@dataclass(frozen=True)
class Rankings:
    """What the searches of one question returned: chunk ids best first per search, the text searched, its vector."""

    rankings: dict[str, list[str]]
    text: str
    vector: Any
    resolution: Resolution
    scope: tuple[str, ...]
