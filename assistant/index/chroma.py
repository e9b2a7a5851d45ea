"""Chroma, embedded (PersistentClient) or a server (HttpClient), one cosine collection per workspace.

We always hand Chroma our own vectors and embedding function: its default would download a model.
Chroma stores the vectors; searching them is exact (``exact.VectorMatrix``, all vectors in memory, one
matrix product) up to ``EXACT_LIMIT`` vectors. Chroma's HNSW index is approximate and is not built the
same way twice, so two ingests of the same documents ranked passages differently; beyond the limit it is
used, with its candidates rescored exactly.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from ..core.documents import Chunk
from .embeddings import CachedEmbedder, ChromaEmbeddingFunction
from .exact import VectorMatrix

MAX_BATCH = 5000
EXACT_LIMIT = 250_000  # vectors searched exactly in memory (about 380 MB at 384 dimensions)
HNSW_OVERSAMPLE = 2  # beyond it, candidates asked of Chroma's HNSW index per result wanted


def collection_name(workspace: str) -> str:
    """Chroma names allow [a-zA-Z0-9._-], 3-512 chars, alphanumeric at both ends."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", f"ws-{workspace}")
    return name if name[-1].isalnum() else name + "0"


def make_client(path: Path | None = None, host: str | None = None, port: int = 8000) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    assert path is not None
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    """Dense side of the index: upsert by deterministic chunk id, query with optional doc filter."""

    def __init__(self, client: Any, workspace: str, embedder: CachedEmbedder):
        self.client = client
        self.name = collection_name(workspace)
        self.collection = client.get_or_create_collection(
            self.name,
            embedding_function=ChromaEmbeddingFunction(embedder),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"workspace": workspace},
        )
        self._matrix: VectorMatrix | None = None
        self._matrix_key: object = None
        self._lock = threading.Lock()

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for begin in range(0, len(chunks), MAX_BATCH):
            part = chunks[begin : begin + MAX_BATCH]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[begin : begin + MAX_BATCH],
                metadatas=[{"doc_id": c.doc_id, "ordinal": c.ordinal, "page": c.page_start, "section": c.section_path[:500]} for c in part],
            )

    def delete_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: list[str]) -> None:
        for begin in range(0, len(ids), MAX_BATCH):
            self.collection.delete(ids=ids[begin : begin + MAX_BATCH])

    def ids(self) -> list[str]:
        return list(self.collection.get(include=[])["ids"])

    def count(self) -> int:
        return int(self.collection.count())

    def query(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None, generation: object = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first, ties in id order. ``generation`` names the state of the index
        the caller knows: the in-memory matrix is reloaded from Chroma when it changes."""
        total = self.count()
        if total == 0:
            return []
        if total > EXACT_LIMIT:
            return self._approximate(vector, n, doc_ids, total)
        with self._lock:
            if self._matrix is None or self._matrix_key != (generation, total):
                self._matrix = VectorMatrix.load(self.collection)
                self._matrix_key = (generation, total)
            matrix = self._matrix
        return matrix.search(vector, n, doc_ids)

    def _approximate(self, vector: np.ndarray, n: int, doc_ids: list[str] | None, total: int) -> list[tuple[str, float]]:
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        result = self.collection.query(query_embeddings=[vector], n_results=min(n * HNSW_OVERSAMPLE, total), where=where,
                                       include=["embeddings"])
        found = VectorMatrix.of(result["ids"][0], [""] * len(result["ids"][0]), result["embeddings"][0])
        return found.search(vector, n, None)
