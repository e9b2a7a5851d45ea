"""A workspace's index: the catalog (truth), Chroma (dense) and BM25 (lexical), kept in step.

Writes go vectors first, catalog second (one transaction), old versions last; readers only trust
ids the catalog knows. So a crash at any point leaves a usable store, and ``repair`` (run at the
start of every ingest) removes whatever a crash left behind. The index stores what ingest gives it
(a document and its chunks); it offers the reads retrieval, audit and answers need.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..core.documents import Chunk, Document, DocumentInfo
from ..core.errors import AmbiguousNameError, NotFoundError
from ..core.settings import Settings
from .bm25 import LexicalIndex
from .catalog import Catalog
from .chroma import VectorStore, make_client
from .embeddings import CachedEmbedder, shared_embedder


@dataclass(frozen=True)
class AddResult:
    status: str  # added | replaced | unchanged
    doc_id: str
    chunks: int
    embedded: int


@dataclass(frozen=True)
class IndexStats:
    """How many documents and chunks each part of the index holds: equal counts mean the parts agree."""

    documents: int
    chunks: int
    vectors: int

    @property
    def consistent(self) -> bool:
        return self.chunks == self.vectors

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Index:
    def __init__(self, settings: Settings, embedder: CachedEmbedder | None = None, client=None):
        self.settings = settings
        folder = settings.workspace_dir
        folder.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder or shared_embedder(settings)
        self.catalog = Catalog(folder / "catalog.sqlite")
        if client is None:
            client = make_client(folder / "chroma", settings.chroma_host, settings.chroma_port)
        self.vectors = VectorStore(client, settings.workspace, self.embedder)
        self.lexical = LexicalIndex(folder / "bm25")
        self._write_lock = threading.Lock()

    # -- writes -------------------------------------------------------------
    def add(self, document: Document, chunks: list[Chunk], source_key: str, mtime: float, deal: str = "") -> AddResult:
        """Embed and store a document's chunks under ``source_key``; a new version of the source replaces the old one."""
        with self._write_lock:
            before = self.embedder.computed
            vectors = self.embedder.embed([c.embed_text for c in chunks])
            self.vectors.upsert(chunks, vectors)
            old = self.catalog.put_document(document, chunks, source_key, mtime, deal)
            self._drop_if_orphan(old, document.id)
            return AddResult("replaced" if old else "added", document.id, len(chunks), self.embedder.computed - before)

    def link(self, document: Document, source_key: str, mtime: float, deal: str = "") -> AddResult:
        """Point ``source_key`` at a document already indexed (the same bytes under another name or path): nothing is embedded."""
        with self._write_lock:
            previous = self.catalog.source(source_key)
            self.catalog.touch_source(source_key, document.id, document.size_bytes, mtime)
            if deal:
                self.catalog.set_deal(document.id, deal)
            self._drop_if_orphan(previous[0] if previous else None, document.id)
            return AddResult("unchanged", document.id, len(self.catalog.chunks(document.id)), 0)

    def _drop_if_orphan(self, old: str | None, current: str) -> None:
        if old and old != current and self.catalog.is_orphan(old):
            self.catalog.remove_document(old)
            self.vectors.delete_document(old)

    def remove(self, name_or_id: str) -> DocumentInfo:
        """Remove a document (by file name or id) from catalog, Chroma and BM25."""
        with self._write_lock:
            info = self.find(name_or_id)
            self.catalog.remove_document(info.doc_id)
            self.vectors.delete_document(info.doc_id)
            return info

    def repair(self) -> int:
        """Delete vectors the catalog does not know (left by an interrupted ingest); returns how many."""
        with self._write_lock:
            known = self.catalog.chunk_ids()
            stray = [i for i in self.vectors.ids() if i not in known]
            if stray:
                self.vectors.delete_ids(stray)
            return len(stray)

    def set_deal(self, doc_id: str, deal: str) -> None:
        self.catalog.set_deal(doc_id, deal)

    # -- reads --------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped on every change of the catalog, so derived views (BM25, names, caches) know when they are stale."""
        return self.catalog.generation

    def documents(self) -> list[DocumentInfo]:
        return self.catalog.documents()

    def find(self, name_or_id: str) -> DocumentInfo:
        """A document by exact id, id prefix, exact file name or unique case-insensitive file-name substring."""
        docs = self.documents()
        needle = name_or_id.strip().lower()
        for test in (
            lambda d: d.doc_id == name_or_id,
            lambda d: d.file_name.lower() == needle,
            lambda d: len(needle) >= 6 and d.doc_id.startswith(needle),
            lambda d: needle in d.file_name.lower(),
        ):
            hits = [d for d in docs if test(d)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                names = [d.file_name for d in hits]
                raise AmbiguousNameError(f"{name_or_id!r} matches several documents: {', '.join(names)}", names)
        names = ", ".join(d.file_name for d in docs) or "(workspace is empty)"
        raise NotFoundError(f"no document {name_or_id!r} in workspace {self.settings.workspace!r}; documents: {names}")

    def has_document(self, doc_id: str) -> bool:
        return self.catalog.has_document(doc_id)

    def source(self, key: str) -> tuple[str, int, float] | None:
        """(doc id, size, mtime) recorded for a source path or upload name."""
        return self.catalog.source(key)

    def document(self, doc_id: str) -> Document:
        """The stored document; ``KeyError`` when it is not (or no longer) in the workspace."""
        return self.catalog.document(doc_id)

    def document_text(self, doc_id: str) -> str:
        return self.catalog.document_text(doc_id)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return self.catalog.chunks(doc_id)

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        return self.catalog.chunks_by_id(ids)

    def lexical_search(self, text: str, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first, over the current catalog generation."""
        self.ensure_lexical()
        return self.lexical.query(text, n, doc_ids)

    def dense_search(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first (exact, ties in id order)."""
        return self.vectors.query(vector, n, doc_ids, generation=self.catalog.generation)

    def idf(self, token: str) -> float:
        """BM25 idf of a stemmed token over the workspace's chunks."""
        return self.lexical.idf(token)

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        """(number of chunks, stemmed token -> chunks holding it) for the current generation."""
        self.ensure_lexical()
        return self.lexical.size, self.lexical.document_frequencies()

    def ensure_lexical(self) -> None:
        self.lexical.ensure(self.catalog.generation, self.catalog.chunks)

    def stats(self) -> IndexStats:
        return IndexStats(len(self.catalog.doc_ids()), len(self.catalog.chunk_ids()), self.vectors.count())

    def close(self) -> None:
        self.catalog.close()
