"""Chroma, embedded (PersistentClient) or a server (HttpClient), one cosine collection per workspace.

We always hand Chroma our own vectors and embedding function: its default would download a model.
Chroma stores the vectors; searching them is exact (``exact.VectorMatrix``, all vectors in memory, one
matrix product) up to ``EXACT_LIMIT`` vectors. Chroma's HNSW index is approximate and is not built the
same way twice, so two ingests of the same documents ranked passages differently; beyond the limit it is
used, with its candidates rescored exactly.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from pathlib import Path
from typing import Any, ClassVar, Iterator

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from ..core.documents import Chunk
from .embeddings import CachedEmbedder, ChromaEmbeddingFunction
from .exact import VectorMatrix

MAX_BATCH = 5000
EXACT_LIMIT = 250_000  # vectors searched exactly in memory (about 380 MB at 384 dimensions)
HNSW_OVERSAMPLE = 2  # beyond it, candidates asked of Chroma's HNSW index per result wanted
log = logging.getLogger(__name__)


def collection_name(workspace: str) -> str:
    """Chroma names allow [a-zA-Z0-9._-], 3-512 chars, alphanumeric at both ends."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", f"ws-{workspace}")
    return name if name[-1].isalnum() else name + "0"


def make_client(path: Path | None = None, host: str | None = None, port: int = 8000) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per Chroma request in the CLI's output
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    assert path is not None
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class ChromaConnection:
    """The Chroma client a workspace's vectors go through, and what it is known to have seen.

    An embedded client (``PersistentClient``) keeps its vector index in memory and sees only the vector writes of its
    own process: after another process wrote, ``get`` fails with "Error finding id" and queries miss the new vectors.
    So there is one embedded client per folder per process (``embedded``), and ``refresh`` reopens it, from what is on
    disk, when the catalog generation moved without this process writing. A server client sees every write.
    Every call into Chroma goes through ``use()``, so a refresh never closes a client another thread is using.
    """

    _embedded: ClassVar[dict[str, "ChromaConnection"]] = {}
    _registry_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, client: Any, path: Path | None = None):
        self.client = client
        self.path = path
        self.epoch = 0  # bumped on every reopen, so collections are fetched again
        self.seen_generation: int | None = None  # catalog generation this client is known to reflect
        self._lock = threading.RLock()

    @classmethod
    def embedded(cls, path: Path) -> "ChromaConnection":
        key = str(path.resolve())
        with cls._registry_lock:
            if key not in cls._embedded:
                cls._embedded[key] = cls(make_client(path), path)
            return cls._embedded[key]

    @classmethod
    def of(cls, client: Any) -> "ChromaConnection":
        """A connection over a client made elsewhere (a server client, a test's)."""
        return cls(client)

    @contextlib.contextmanager
    def use(self) -> Iterator[Any]:
        with self._lock:
            yield self.client

    def refresh(self, generation: int) -> None:
        """Reopen an embedded client so it sees other processes' writes (callers hold the workspace lock)."""
        with self._lock:
            if self.path is not None and self.seen_generation is not None and self.seen_generation != generation:
                try:
                    self.client.close()
                except Exception:  # a client that cannot close cleanly is replaced all the same
                    log.debug("closing the Chroma client failed", exc_info=True)
                self.client = make_client(self.path)
                self.epoch += 1
            self.seen_generation = generation

    def close(self) -> None:
        """Nothing to do: the embedded client lives as long as the process and serves every workspace object on it."""


class VectorStore:
    """Dense side of the index: upsert by deterministic chunk id, query with optional doc filter."""

    def __init__(self, connection: ChromaConnection, workspace: str, embedder: CachedEmbedder):
        self.connection = connection
        self.name = collection_name(workspace)
        self.workspace = workspace
        self.embedder = embedder
        self._collection: Any = None
        self._epoch = -1
        self._matrix: VectorMatrix | None = None
        self._matrix_key: object = None
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _use(self) -> Iterator[Any]:
        """The collection, fetched again after the connection was reopened."""
        with self.connection.use() as client:
            if self._collection is None or self._epoch != self.connection.epoch:
                self._collection = client.get_or_create_collection(
                    self.name,
                    embedding_function=ChromaEmbeddingFunction(self.embedder),
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"workspace": self.workspace},
                )
                self._epoch = self.connection.epoch
            yield self._collection

    @property
    def collection(self) -> Any:
        with self._use() as collection:
            return collection

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        with self._use() as collection:
            for begin in range(0, len(chunks), MAX_BATCH):
                part = chunks[begin : begin + MAX_BATCH]
                collection.upsert(
                    ids=[c.id for c in part],
                    embeddings=vectors[begin : begin + MAX_BATCH],
                    metadatas=[{"doc_id": c.doc_id, "ordinal": c.ordinal, "page": c.page_start, "section": c.section_path[:500]} for c in part],
                )

    def delete_document(self, doc_id: str) -> None:
        with self._use() as collection:
            collection.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: list[str]) -> None:
        with self._use() as collection:
            for begin in range(0, len(ids), MAX_BATCH):
                collection.delete(ids=ids[begin : begin + MAX_BATCH])

    def ids(self) -> list[str]:
        with self._use() as collection:
            return list(collection.get(include=[])["ids"])

    def count(self) -> int:
        with self._use() as collection:
            return int(collection.count())

    def query(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None, generation: object = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first, ties in id order. ``generation`` names the state of the index
        the caller knows: the in-memory matrix is reloaded from Chroma when it changes."""
        with self._lock:
            matrix = self._matrix if self.loaded(generation) else None
        total = len(matrix.ids) if matrix is not None else self.count()  # no round trip when this generation is loaded
        if total == 0:
            return []
        if total > EXACT_LIMIT:
            return self._approximate(vector, n, doc_ids, total)
        self.load(generation)
        with self._lock:
            matrix = self._matrix
        assert matrix is not None
        return matrix.search(vector, n, doc_ids)

    def loaded(self, generation: object) -> bool:
        """Whether the in-memory matrix is that of this catalog generation."""
        return self._matrix is not None and self._matrix_key == generation

    def load(self, generation: object) -> None:
        """Load every vector into the matrix for ``generation`` unless it is loaded. Keyed by the catalog generation
        alone: vectors another process upserted before committing its catalog change are not the catalog's yet, and
        every committed change (and every repair) moves the generation."""
        with self._lock:
            if not self.loaded(generation):
                with self._use() as collection:
                    self._matrix = VectorMatrix.load(collection)
                self._matrix_key = generation

    def _approximate(self, vector: np.ndarray, n: int, doc_ids: list[str] | None, total: int) -> list[tuple[str, float]]:
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        with self._use() as collection:
            result = collection.query(query_embeddings=[vector], n_results=min(n * HNSW_OVERSAMPLE, total), where=where,
                                      include=["embeddings"])
        found = VectorMatrix.of(result["ids"][0], [""] * len(result["ids"][0]), result["embeddings"][0])
        return found.search(vector, n, None)
