"""Document resolution: when a question names a contract ("In the Acme MSA, ...", "Consider the
Non-Disclosure Agreement between X and Y; ..."), find that document so retrieval searches it first.

Each document has a short profile (file name words, title, opening text with the parties, see
``names.DocumentNames``), and the naming part of the question is scored against the profiles with BM25.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..text.naming import capitalised_words
from ..text.tokenization import tokenize
from .names import DocumentNames

CONSIDER = re.compile(r"^\s*consider\s+(?P<name>.{3,600}?)\s*;\s*(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
IN_THE = re.compile(
    r"^\s*(?:in|under|for|according to|per|within)\s+(?:the\s+)?(?P<name>[^,;?]{3,200}?)\s*[,;:]\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
DOC_WORDS = re.compile(
    r"\b(agreement|contract|msa|nda|sow|statement of work|schedule|exhibit|annex|policy|terms|addendum|amendment|dpa|sla|lease|licen[cs]e|\.pdf|\.docx|\.txt|\.md|\.html?)\b",
    re.IGNORECASE,
)
# A file-name-like word of a question ("quickfix_support", "sow-02", "msa.pdf"): a document whose file name it is, or
# begins with, is named by it (users type the prefix they see in the document list).
FILE_WORD = re.compile(r"(?<![\w.\-/])[a-z0-9][\w\-]*[_\-.][\w\-.]*[a-z0-9](?![\w\-/])", re.IGNORECASE)
MIN_FILE_PREFIX = 5
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Resolution":
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def file_prefix_matches(query: str, lower_names: list[str] | tuple[str, ...]) -> tuple[list[int], str]:
    """(indices of the file names that a file-name-like word of ``query`` begins, the query without those words).
    A word must have at least ``MIN_FILE_PREFIX`` characters; one that begins every name names none."""
    found: list[int] = []
    rest = query
    for match in FILE_WORD.finditer(query):
        word = match.group().lower().rstrip(".")
        if len(word) < MIN_FILE_PREFIX:
            continue
        owners = [i for i, name in enumerate(lower_names) if name.rsplit("/", 1)[-1].startswith(word)]
        if owners and len(owners) < len(lower_names):
            found += [i for i in owners if i not in found]
            rest = rest.replace(match.group(), " ")
    return found, " ".join(rest.split())


def split_naming(query: str) -> tuple[str, str] | None:
    """(naming part, rest of the question), or None when the question names no document."""
    match = CONSIDER.match(query)
    if match:
        return match.group("name"), match.group("rest")
    match = IN_THE.match(query)
    if match and DOC_WORDS.search(match.group("name")):
        return match.group("name"), match.group("rest")
    return None


class DocumentResolver:
    """``run(query)`` -> Resolution, over the workspace's document names (rebuilt when the catalog changes)."""

    def __init__(self, names: DocumentNames):
        self.names = names

    def distinctive_mentions(self, query: str) -> tuple[str, ...]:
        """Documents whose name words (file name, title, parties) occur in the query and in few other documents."""
        snapshot = self.names.current()
        if len(snapshot.doc_ids) < 2:
            return ()
        tokens = set(tokenize([" ".join(capitalised_words(query))])[0])
        limit = max(1, int(len(snapshot.doc_ids) * DISTINCTIVE_SHARE))
        hits: dict[int, int] = {}
        for token in tokens:
            owners = [i for i, names in enumerate(snapshot.name_tokens) if token in names]
            if 0 < len(owners) <= limit:
                for i in owners:
                    hits[i] = hits.get(i, 0) + 1
        best = max(hits.values(), default=0)
        return tuple(snapshot.doc_ids[i] for i, n in sorted(hits.items()) if n == best)

    def run(self, query: str) -> Resolution:
        snapshot = self.names.current()
        named = [i for i, name in enumerate(snapshot.lower_names) if len(name) > 4 and name in query.lower()]
        if named:
            return Resolution(tuple(snapshot.doc_ids[i] for i in named), query, query, tuple(1.0 for _ in named))
        named, rest = file_prefix_matches(query, snapshot.lower_names)
        if named:  # the question without the file word, so that word is not looked for in the passages
            return Resolution(tuple(snapshot.doc_ids[i] for i in named), rest, query, tuple(1.0 for _ in named))
        parts = split_naming(query)
        if parts is None or snapshot.profiles is None:
            return Resolution((), query, "", preferred=self.distinctive_mentions(query))
        naming, rest = parts
        tokens = tokenize([naming])[0]
        if not tokens:
            return Resolution((), query, naming)
        scores = snapshot.profiles.get_scores(tokens)
        order = np.argsort(-scores)
        top = float(scores[order[0]])
        if top <= 0:
            return Resolution((), query, naming)
        second = float(scores[order[1]]) if len(order) > 1 else 0.0
        if second <= 0 or top >= CLEAR_MARGIN * second:
            chosen = [order[0]]
        else:
            chosen = [i for i in order[:MAX_CANDIDATES] if scores[i] >= NEAR_TOP * top]
        return Resolution(tuple(snapshot.doc_ids[i] for i in chosen), rest, naming, tuple(float(scores[i]) for i in chosen))
