"""A workspace's index: the catalog (truth), Chroma (dense) and BM25 (lexical), kept in step.

Writes go vectors first, catalog second (one transaction in SQLite; in a Chroma server, the document's record
last, as its commit point: see ``server_catalog``), old versions last, all under the workspace's
write lock (``locking.WorkspaceLock``), so only one process writes at a time; embedding happens before the lock
is taken. Readers only trust ids the catalog knows. So a crash at any point leaves a usable store, and
``repair`` (run at the start of every ingest, under the lock) reconciles both ways: it deletes vectors the
catalog does not know and re-embeds catalog chunks whose vectors are missing. A reader whose embedded Chroma
client is behind another process's writes reopens it (``ChromaConnection.refresh``). The index stores what
ingest gives it (a document and its chunks); it offers the reads retrieval, audit and answers need.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass
from typing import Any, Iterator

import numpy as np

from ..core.documents import Chunk, Document, DocumentInfo
from ..core.errors import AmbiguousNameError, NotFoundError
from ..core.privacy import private_dir, private_tree
from ..core.settings import Settings
from .bm25 import LexicalIndex
from .catalogs import CatalogStore, open_catalog
from .chroma import ChromaConnection, VectorStore, make_client
from .embeddings import CachedEmbedder, shared_embedder
from .locking import ServerLease, WorkspaceLock
from .server_catalog import ServerCatalog


@dataclass(frozen=True)
class AddResult:
    status: str  # added | replaced | unchanged
    doc_id: str
    chunks: int
    embedded: int


@dataclass(frozen=True)
class RepairResult:
    """What a reconciliation fixed: vectors the catalog does not know (deleted), catalog chunks without a vector
    (re-embedded), and replaced documents nothing points at any more (removed)."""

    strays: int = 0
    restored: int = 0
    orphans: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


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
        folder = settings.workspace_dir  # with a Chroma server, only caches (BM25) and the local lock live here
        private_dir(folder)
        self.embedder = embedder or shared_embedder(settings)
        server = (client or make_client(None, settings.chroma_host, settings.chroma_port)) if settings.chroma_host else None
        self.catalog: CatalogStore = open_catalog(settings, folder, server)
        lease = ServerLease(self.catalog.collection, settings.lock_timeout_s) if isinstance(self.catalog, ServerCatalog) else None
        self.lock = WorkspaceLock(folder, settings.lock_timeout_s, lease)
        known = self.catalog.generation  # read before the client opens: a write in between makes it look stale, never fresh
        if server is not None:
            self.connection = ChromaConnection.of(server)
        elif client is not None:
            self.connection = ChromaConnection.of(client)
        else:
            self.connection = ChromaConnection.embedded(folder / "chroma")
        if self.connection.seen_generation is None:
            self.connection.seen_generation = known
        self.vectors = VectorStore(self.connection, settings.workspace, self.embedder)
        self.lexical = LexicalIndex(folder / "bm25")
        private_tree(folder)

    @property
    def shared(self) -> bool:
        """Whether the catalog lives in a Chroma server (shared by every app server pointed at it)."""
        return isinstance(self.catalog, ServerCatalog)

    # -- writes -------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the workspace's write lock, with a Chroma client that has seen every earlier write."""
        with self.lock.held():
            self.connection.refresh(self.catalog.generation)
            try:
                yield
            finally:
                self.connection.seen_generation = self.catalog.generation

    def add(self, document: Document, chunks: list[Chunk], source_key: str, mtime: float, deal: str = "") -> AddResult:
        """Embed and store a document's chunks under ``source_key``; a new version of the source replaces the old one.
        Embedding (the slow part) happens before the write lock is taken."""
        before = self.embedder.computed
        vectors = self.embedder.embed([c.embed_text for c in chunks])
        with self.writing():
            self.vectors.upsert(chunks, vectors)
            old = self.catalog.put_document(document, chunks, source_key, mtime, deal)
            self._drop_if_orphan(old, document.id)
        return AddResult("replaced" if old else "added", document.id, len(chunks), self.embedder.computed - before)

    def link(self, doc_id: str, source_key: str, size: int, mtime: float, file_name: str, deal: str = "") -> AddResult | None:
        """Point ``source_key`` at a document already indexed (the same bytes under another name or path): nothing is
        read or embedded, and the document can be found by ``file_name`` too. ``None`` when the document was removed
        meanwhile (the caller adds it instead)."""
        with self.writing():
            if not self.catalog.has_document(doc_id):
                return None
            previous = self.catalog.source(source_key)
            self.catalog.touch_source(source_key, doc_id, size, mtime, file_name)
            if deal:
                self.catalog.set_deal(doc_id, deal)
            self._drop_if_orphan(previous[0] if previous else None, doc_id)
            return AddResult("unchanged", doc_id, len(self.catalog.chunks(doc_id)), 0)

    def _drop_if_orphan(self, old: str | None, current: str) -> None:
        if old and old != current and self.catalog.is_orphan(old):
            self.catalog.remove_document(old)
            self.vectors.delete_document(old)

    def remove(self, name_or_id: str) -> DocumentInfo:
        """Remove one document, named exactly (id, id prefix, file name or another name of the same bytes), from
        catalog, Chroma and BM25; an ambiguous or unknown name is an error listing the candidates."""
        with self.writing():
            info = self.find(name_or_id, exact=True)
            self.catalog.remove_document(info.doc_id)
            self.vectors.delete_document(info.doc_id)
            return info

    def repair(self) -> RepairResult:
        """Reconcile Chroma with the catalog both ways, as the only writer: delete vectors the catalog does not know
        (an interrupted ingest's), re-embed chunks whose vectors are missing, drop replaced versions nothing points at."""
        with self.writing():
            swept = self.catalog.sweep()  # a server catalog's records of a crashed write (SQLite: none)
            missing = self._missing_chunks()
        vectors = self.embedder.embed([c.embed_text for c in missing]) if missing else None  # outside the lock: slow
        with self.writing():
            known = self.catalog.chunk_ids()
            stray = [i for i in self.vectors.ids() if i not in known]
            if stray:
                self.vectors.delete_ids(stray)
            restored = 0
            if missing and vectors is not None:
                still = set(self._missing_ids(known))
                keep = [i for i, c in enumerate(missing) if c.id in still]
                if keep:
                    self.vectors.upsert([missing[i] for i in keep], vectors[keep])
                restored = len(keep)
            orphans = self.catalog.orphan_documents()
            for doc_id in orphans:
                self.catalog.remove_document(doc_id)
                self.vectors.delete_document(doc_id)
            if stray or restored:
                self.catalog.touch()  # readers reload their vectors
        return RepairResult(len(stray) + swept, restored, len(orphans))

    def _missing_ids(self, known: set[str]) -> list[str]:
        stored = set(self.vectors.ids())
        return sorted(i for i in known if i not in stored)

    def _missing_chunks(self) -> list[Chunk]:
        ids = self._missing_ids(self.catalog.chunk_ids())
        found = self.catalog.chunks_by_id(ids)
        return [found[i] for i in ids if i in found]

    def set_deal(self, doc_id: str, deal: str) -> None:
        with self.writing():
            self.catalog.set_deal(doc_id, deal)

    # -- reads --------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped on every change of the catalog, so derived views (BM25, names, caches) know when they are stale."""
        return self.catalog.generation

    def documents(self) -> list[DocumentInfo]:
        return self.catalog.documents()

    def find(self, name_or_id: str, exact: bool = False) -> DocumentInfo:
        """A document by exact id, exact file name (or another name of the same bytes), id prefix of 6 or more, or
        (unless ``exact``) a unique case-insensitive part of a file name, else of a title. Several matches are an
        ``AmbiguousNameError`` listing them; none is a ``NotFoundError`` listing the documents (or, when ``exact``,
        the names that contain it)."""
        docs = self.documents()
        aliases = self.catalog.aliases()
        needle = name_or_id.strip().lower()
        tests = [
            lambda d: d.doc_id == name_or_id,
            lambda d: d.file_name.lower() == needle or needle in (a.lower() for a in aliases.get(d.doc_id, ())),
            lambda d: len(needle) >= 6 and d.doc_id.startswith(needle),
        ]
        if not exact:
            tests.append(lambda d: needle in d.file_name.lower())
            tests.append(lambda d: len(needle) >= 4 and needle in d.title.lower())  # "the Hosting and Management Agreement"
        for test in tests:
            hits = [d for d in docs if test(d)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                names = [f"{d.file_name} ({d.doc_id[:12]})" for d in hits]
                raise AmbiguousNameError(f"{name_or_id!r} matches several documents: {', '.join(names)}; name one by its id", names)
        near = [d.file_name for d in docs if needle and needle in d.file_name.lower()]
        if exact and near:
            raise NotFoundError(f"no document named exactly {name_or_id!r} in workspace {self.settings.workspace!r}; "
                                f"did you mean: {', '.join(near)}")
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
        """(chunk id, cosine similarity) best first (exact, ties in id order). After another process wrote, the
        embedded Chroma client is reopened first (under the write lock, so never in the middle of a write)."""
        generation = self.catalog.generation
        if self.connection.path is not None and (self.connection.seen_generation != generation or not self.vectors.loaded(generation)):
            with self.writing():  # no other process is writing vectors while the client reopens and the matrix loads
                generation = self.catalog.generation
                self.vectors.load(generation)
        return self.vectors.query(vector, n, doc_ids, generation=generation)

    def idf(self, token: str) -> float:
        """BM25 idf of a stemmed token over the workspace's chunks."""
        return self.lexical.idf(token)

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        """(number of chunks, stemmed token -> chunks holding it) for the current generation."""
        self.ensure_lexical()
        return self.lexical.size, self.lexical.document_frequencies()

    def ensure_lexical(self) -> None:
        self.lexical.ensure(self.catalog.generation, self.catalog.iter_chunks)

    def stats(self) -> IndexStats:
        return IndexStats(len(self.catalog.doc_ids()), self.catalog.chunk_count(), self.vectors.count())

    def consistency(self) -> dict[str, int]:
        """Chunk ids the catalog, Chroma and BM25 each hold, and how many are in one but not another (0 = in step)."""
        catalog = self.catalog.chunk_ids()
        chroma = set(self.vectors.ids())
        self.ensure_lexical()
        bm25 = set(self.lexical.chunk_ids)
        return {"catalog": len(catalog), "chroma": len(chroma), "bm25": len(bm25), "missing_vectors": len(catalog - chroma),
                "stray_vectors": len(chroma - catalog), "bm25_differences": len(catalog ^ bm25)}

    def close(self) -> None:
        self.catalog.close()
