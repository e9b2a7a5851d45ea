"""A workspace's index: the catalog (truth), Chroma (dense) and BM25 (lexical), kept in step.

Writes go vectors first, catalog second (one transaction), old versions last; readers only trust
ids the catalog knows. So a crash at any point leaves a usable store, and ``repair`` (run at the
start of every ingest) removes whatever a crash left behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog, DocumentInfo
from .chunking import chunk_document
from .config import Settings
from .embeddings import CachedEmbedder, EmbeddingCache, OnnxEmbedder
from .errors import NotFoundError
from .lexical import LexicalIndex
from .models import Chunk, Document
from .vectorstore import VectorStore, make_client

_EMBEDDERS: dict[tuple, CachedEmbedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def shared_embedder(settings: Settings) -> CachedEmbedder:
    """One model session and one cache per process and cache folder: loading the model is the slow part."""
    key = (settings.embedding_model, settings.embedding_max_tokens, settings.embedding_batch_size, str(settings.cache_path))
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            model = OnnxEmbedder(settings.embedding_model, settings.embedding_max_tokens, settings.embedding_batch_size)
            _EMBEDDERS[key] = CachedEmbedder(model, EmbeddingCache(settings.cache_path / "embeddings.sqlite"))
        return _EMBEDDERS[key]


@dataclass(frozen=True)
class AddResult:
    status: str  # added | replaced | unchanged
    doc_id: str
    chunks: int
    embedded: int


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

    @property
    def folder(self) -> Path:
        return self.settings.workspace_dir

    # -- writes -------------------------------------------------------------
    def add(self, document: Document, source_key: str, mtime: float, deal: str = "") -> AddResult:
        """Index one loaded document under ``source_key`` (re-adding the same content adds nothing)."""
        with self._write_lock:
            previous = self.catalog.source(source_key)
            if self.catalog.has_document(document.id):
                self.catalog.touch_source(source_key, document.id, document.size_bytes, mtime)
                if deal:
                    self.catalog.set_deal(document.id, deal)
                self._drop_if_orphan(previous[0] if previous else None, document.id)
                return AddResult("unchanged", document.id, len(self.catalog.chunks(document.id)), 0)
            chunks = chunk_document(document, self.settings.chunk_max_tokens, self.settings.chunk_min_tokens)
            before = self.embedder.computed
            vectors = self.embedder.embed([c.embed_text for c in chunks])
            self.vectors.upsert(chunks, vectors)
            old = self.catalog.put_document(document, chunks, source_key, mtime, deal)
            self._drop_if_orphan(old, document.id)
            return AddResult("replaced" if old else "added", document.id, len(chunks), self.embedder.computed - before)

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

    # -- reads --------------------------------------------------------------
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
                raise NotFoundError(f"{name_or_id!r} matches several documents: {', '.join(d.file_name for d in hits)}")
        names = ", ".join(d.file_name for d in docs) or "(workspace is empty)"
        raise NotFoundError(f"no document {name_or_id!r} in workspace {self.settings.workspace!r}; documents: {names}")

    def document(self, doc_id: str) -> Document:
        return self.catalog.document(doc_id)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return self.catalog.chunks(doc_id)

    def ensure_lexical(self) -> None:
        self.lexical.ensure(self.catalog.generation, self.catalog.chunks)

    def close(self) -> None:
        self.catalog.close()
