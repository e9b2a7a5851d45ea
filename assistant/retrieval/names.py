"""What each document of a workspace is called, worked out once per catalog generation.

Document resolution (which contract a question names) and follow-up rewriting (which contract a
conversation is about, and which party a company is) both read these names:
- ``lower_names``: file names, lower-cased (a question may quote one);
- ``name_tokens``: stemmed words of each document's file name, title and capitalised opening words;
- ``profiles``: a BM25 model over file-name words, title and opening text, for "In the X agreement, ...";
- ``words``: the distinctive first word of each company named in a document's opening, and file-name
  acronyms (MSA, NDA) -> the documents they name;
- ``roles``: (company word, document) -> the stem of the role the document defines for it
  ('Veridian Systems Limited (the "Supplier")' -> "supplier").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import bm25s

from ..index.store import Index
from ..text.naming import (
    NAME_CHARS,
    PARTY_NAME,
    ROLE,
    ROLE_CHARS,
    company_word,
    file_name_acronyms,
    name_text,
    profile_text,
)
from ..text.tokenization import tokenize


@dataclass(frozen=True)
class NameSnapshot:
    generation: int
    doc_ids: tuple[str, ...] = ()
    lower_names: tuple[str, ...] = ()
    name_tokens: tuple[frozenset[str], ...] = ()
    profiles: bm25s.BM25 | None = None
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    roles: dict[tuple[str, str], str] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)  # doc id -> file name
    titles: dict[str, str] = field(default_factory=dict)  # doc id -> title


class DocumentNames:
    """``current()`` -> the names of the index's documents, rebuilt when the index changes."""

    def __init__(self, index: Index):
        self.index = index
        self._snapshot = NameSnapshot(-1)
        self._lock = threading.Lock()

    def current(self) -> NameSnapshot:
        with self._lock:
            generation = self.index.generation
            if generation != self._snapshot.generation:
                self._snapshot = self._build(generation)
            return self._snapshot

    def _build(self, generation: int) -> NameSnapshot:
        infos = self.index.documents()
        texts = [self.index.document_text(d.doc_id) for d in infos]
        name_tokens = tuple(frozenset(t) for t in tokenize([name_text(d.file_name, d.title, t) for d, t in zip(infos, texts)]))
        profiles = [profile_text(d.file_name, d.title, t) for d, t in zip(infos, texts)]
        model = None
        if profiles:
            model = bm25s.BM25()
            model.index(tokenize(profiles), show_progress=False)
        words: dict[str, set[str]] = {}
        roles: dict[tuple[str, str], str] = {}
        for info, text in zip(infos, texts):
            for company in PARTY_NAME.findall(text[:NAME_CHARS]):
                words.setdefault(company_word(company), set()).add(info.doc_id)
            for acronym in file_name_acronyms(info.file_name):
                words.setdefault(acronym, set()).add(info.doc_id)
            opening = text[:ROLE_CHARS]
            for match in PARTY_NAME.finditer(opening):
                role = ROLE.search(opening, match.end(), match.end() + 400)
                stems = tokenize([role.group(1)])[0] if role else []
                word = company_word(match.group(1))
                if stems and stems[0] != word:
                    roles[(word, info.doc_id)] = stems[0]
        return NameSnapshot(
            generation,
            tuple(d.doc_id for d in infos),
            tuple(d.file_name.lower() for d in infos),
            name_tokens,
            model,
            {w: frozenset(d) for w, d in words.items()},
            roles,
            {d.doc_id: d.file_name for d in infos},
            {d.doc_id: d.title for d in infos},
        )
