"""BM25 side of the index (bm25s with a Snowball stemmer), rebuilt from the catalog when it changes."""

from __future__ import annotations

import json
import logging
import threading
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable

import bm25s
import numpy as np

from ..core.documents import Chunk
from ..text.tokenization import tokenize
from .idf import lucene_idf

BUILD_BATCH = 2_000  # chunks tokenized at a time when the index is rebuilt
logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG: a line per index rebuild in the CLI's output


class LexicalIndex:
    """Keyed to the catalog generation: stale -> rebuild (and save) before the next query."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.generation = -1
        self.chunk_ids: list[str] = []
        self.doc_of: np.ndarray = np.array([], dtype=object)
        self._model: bm25s.BM25 | None = None
        self._df: np.ndarray | None = None
        self._lock = threading.Lock()

    def ensure(self, generation: int, load_chunks: Callable[[], Iterable[Chunk]]) -> None:
        """Make the index current for ``generation``; ``load_chunks`` (every chunk, in any order) is only called when a
        rebuild is needed."""
        with self._lock:
            if generation == self.generation:
                return
            if self._load(generation):
                return
            rows = _tokenized(load_chunks())
            self.chunk_ids = [chunk_id for _, _, chunk_id, _ in rows]
            self.doc_of = np.array([doc_id for doc_id, _, _, _ in rows], dtype=object)
            if rows:
                model = bm25s.BM25()
                model.index([tokens for _, _, _, tokens in rows], show_progress=False)
                self._model = model
                self._df = None
                self._save(generation)
            else:
                self._model = None
            self.generation = generation

    def _save(self, generation: int) -> None:
        assert self._model is not None
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        self._model.save(str(tmp), show_progress=False)
        (tmp / "chunks.json").write_text(json.dumps({"generation": generation, "ids": self.chunk_ids, "docs": list(self.doc_of)}))
        if self.folder.exists():
            old = self.folder.with_name(self.folder.name + ".old")
            if old.exists():
                _rmtree(old)
            self.folder.rename(old)
            tmp.rename(self.folder)
            _rmtree(old)
        else:
            tmp.rename(self.folder)

    def _load(self, generation: int) -> bool:
        meta = self.folder / "chunks.json"
        if not meta.is_file():
            return False
        try:
            data = json.loads(meta.read_text())
            if data.get("generation") != generation:
                return False
            self._model = bm25s.BM25.load(str(self.folder), show_progress=False)
            self._df = None
        except (OSError, ValueError, KeyError):
            return False
        self.chunk_ids = data["ids"]
        self.doc_of = np.array(data["docs"], dtype=object)
        self.generation = generation
        return True

    def _frequencies(self) -> np.ndarray:
        if self._df is None:
            assert self._model is not None
            self._df = np.diff(self._model.scores["indptr"])  # chunks holding each vocabulary token
        return self._df

    def idf(self, token: str) -> float:
        """BM25 (Lucene) idf of a (stemmed) token in this index; 0 for a token no chunk contains."""
        if self._model is None:
            return 0.0
        df = self._frequencies()
        column = self._model.vocab_dict.get(token)
        if column is None or column >= len(df):
            return 0.0
        return lucene_idf(len(self.chunk_ids), float(df[column])) if df[column] else 0.0

    def document_frequencies(self) -> dict[str, int]:
        """Stemmed token -> how many chunks hold it (tokens no chunk holds are left out)."""
        if self._model is None:
            return {}
        df = self._frequencies()
        return {token: int(df[column]) for token, column in self._model.vocab_dict.items() if column < len(df) and df[column]}

    @property
    def size(self) -> int:
        """Chunks in the index."""
        return len(self.chunk_ids)

    def query(self, text: str, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; only chunks with a positive score."""
        if self._model is None or not self.chunk_ids:
            return []
        tokens = tokenize([text])[0]
        if not tokens:
            return []
        mask = None
        if doc_ids:
            mask = np.isin(self.doc_of, list(doc_ids)).astype(np.float32)
        scores = self._model.get_scores(tokens, weight_mask=mask)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]


def _tokenized(chunks: Iterable[Chunk]) -> list[tuple[str, int, str, list[str]]]:
    """(doc id, ordinal, chunk id, tokens) of each chunk, in document and chunk order: tokenized ``BUILD_BATCH`` at a
    time as they come, so only their tokens are kept, not their texts."""
    rows: list[tuple[str, int, str, list[str]]] = []
    remaining = iter(chunks)
    while batch := list(islice(remaining, BUILD_BATCH)):
        tokens = tokenize([f"{c.section_path}\n{c.table_header}\n{c.text}" for c in batch])
        rows.extend((c.doc_id, c.ordinal, c.id, t) for c, t in zip(batch, tokens))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
