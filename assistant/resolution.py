"""Document resolution: when a question names a contract ("In the Acme MSA, ...", "Consider the
Non-Disclosure Agreement between X and Y; ..."), find that document so retrieval searches it first.

Each document gets a short profile (file name words, title, opening text with the parties), and
the naming part of the question is scored against the profiles with BM25.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import bm25s
import numpy as np

from .catalog import Catalog
from .lexical import tokenize

CONSIDER = re.compile(r"^\s*consider\s+(?P<name>.{3,600}?)\s*;\s*(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
IN_THE = re.compile(
    r"^\s*(?:in|under|for|according to|per|within)\s+(?:the\s+)?(?P<name>[^,;?]{3,200}?)\s*[,;:]\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
DOC_WORDS = re.compile(
    r"\b(agreement|contract|msa|nda|sow|statement of work|schedule|exhibit|annex|policy|terms|addendum|amendment|dpa|sla|lease|licen[cs]e|\.pdf|\.docx|\.txt|\.md|\.html?)\b",
    re.IGNORECASE,
)
PROFILE_CHARS = 2000
NAME_CHARS = 600
DISTINCTIVE_SHARE = 0.2
CLEAR_MARGIN = 1.15
NEAR_TOP = 0.8
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class Resolution:
    """Which documents the question names (best first; empty = none named) and the question without the name.

    ``preferred`` are documents the question mentions in passing by a distinctive name ("QuickFix's
    liability cap", "under the NDA"): searched first but not exclusively.
    """

    doc_ids: tuple[str, ...]
    question: str
    naming: str
    scores: tuple[float, ...] = ()
    preferred: tuple[str, ...] = ()


def split_naming(query: str) -> tuple[str, str] | None:
    """(naming part, rest of the question), or None when the question names no document."""
    match = CONSIDER.match(query)
    if match:
        return match.group("name"), match.group("rest")
    match = IN_THE.match(query)
    if match and DOC_WORDS.search(match.group("name")):
        return match.group("name"), match.group("rest")
    return None


def file_name_words(file_name: str) -> str:
    """File-name words as written and camel-case split, so 'ResConnect' matches either way."""
    stem = re.sub(r"[_\-.%0-9]+", " ", re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name))
    split = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)
    return f"{stem} {split}"


def profile_text(file_name: str, title: str, text: str) -> str:
    """File-name words, title, opening text."""
    return f"{file_name_words(file_name)} {title} {text[:PROFILE_CHARS]}"


def name_text(file_name: str, title: str, text: str) -> str:
    """What a document is called: file name words, title and the opening lines where parties are named."""
    return f"{file_name_words(file_name)} {title} {' '.join(capitalised_words(text[:NAME_CHARS]))}"


def capitalised_words(text: str) -> list[str]:
    """Proper-noun-like words (QuickFix, NimbusGrid, NDA), skipping each sentence's first word."""
    words = re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z0-9&-]+", text.strip())
    return [w for w in words if not w.isupper() or len(w) <= 6]


class DocumentResolver:
    """``run(query)`` -> Resolution. Profiles are rebuilt when the catalog changes."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._generation = -1
        self._doc_ids: list[str] = []
        self._names: list[str] = []
        self._name_tokens: list[set[str]] = []
        self._model: bm25s.BM25 | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        with self._lock:
            generation = self.catalog.generation
            if generation == self._generation:
                return
            infos = self.catalog.documents()
            self._doc_ids = [d.doc_id for d in infos]
            self._names = [d.file_name.lower() for d in infos]
            texts = [self.catalog.document_text(d.doc_id) for d in infos]
            self._name_tokens = [set(names) for names in tokenize([name_text(d.file_name, d.title, t) for d, t in zip(infos, texts)])]
            profiles = [profile_text(d.file_name, d.title, t) for d, t in zip(infos, texts)]
            self._model = None
            if profiles:
                self._model = bm25s.BM25()
                self._model.index(tokenize(profiles), show_progress=False)
            self._generation = generation

    def distinctive_mentions(self, query: str) -> tuple[str, ...]:
        """Documents whose name words (file name, title, parties) occur in the query and in few other documents."""
        if len(self._doc_ids) < 2:
            return ()
        tokens = set(tokenize([" ".join(capitalised_words(query))])[0])
        limit = max(1, int(len(self._doc_ids) * DISTINCTIVE_SHARE))
        hits: dict[int, int] = {}
        for token in tokens:
            owners = [i for i, names in enumerate(self._name_tokens) if token in names]
            if 0 < len(owners) <= limit:
                for i in owners:
                    hits[i] = hits.get(i, 0) + 1
        best = max(hits.values(), default=0)
        return tuple(self._doc_ids[i] for i, n in sorted(hits.items()) if n == best)

    def run(self, query: str) -> Resolution:
        self._ensure()
        named = [i for i, name in enumerate(self._names) if len(name) > 4 and name in query.lower()]
        if named:
            return Resolution(tuple(self._doc_ids[i] for i in named), query, query, tuple(1.0 for _ in named))
        parts = split_naming(query)
        if parts is None or self._model is None:
            return Resolution((), query, "", preferred=self.distinctive_mentions(query))
        naming, rest = parts
        tokens = tokenize([naming])[0]
        if not tokens:
            return Resolution((), query, naming)
        scores = self._model.get_scores(tokens)
        order = np.argsort(-scores)
        top = float(scores[order[0]])
        if top <= 0:
            return Resolution((), query, naming)
        second = float(scores[order[1]]) if len(order) > 1 else 0.0
        if second <= 0 or top >= CLEAR_MARGIN * second:
            chosen = [order[0]]
        else:
            chosen = [i for i in order[:MAX_CANDIDATES] if scores[i] >= NEAR_TOP * top]
        return Resolution(tuple(self._doc_ids[i] for i in chosen), rest, naming, tuple(float(scores[i]) for i in chosen))
