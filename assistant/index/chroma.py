"""Chroma, embedded (PersistentClient) or a server (HttpClient), one cosine collection per workspace.

We always hand Chroma our own vectors and embedding function: its default would download a model.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from ..core.documents import Chunk
from .embeddings import CachedEmbedder, ChromaEmbeddingFunction

MAX_BATCH = 5000


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
        """(chunk id, cosine similarity) best first."""
        total = self.count()
        if total == 0:
            return []
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        result = self.collection.query(query_embeddings=[vector], n_results=min(n, total), where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]
