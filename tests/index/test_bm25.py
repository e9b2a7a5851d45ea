"""The BM25 index rebuilt from a catalog's chunks: in document and chunk order whatever order they come in."""

from __future__ import annotations

from assistant.core.documents import Chunk
from assistant.index import bm25
from assistant.index.bm25 import LexicalIndex

TEXTS = {("a", 0): "The Supplier shall maintain insurance.", ("a", 1): "Either party may terminate for convenience.",
         ("b", 0): "This Agreement is governed by the laws of England.", ("b", 1): "The Customer may terminate on notice.",
         ("c", 0): "Service credits apply to each failure to terminate."}


def chunk(doc_id: str, ordinal: int) -> Chunk:
    text = TEXTS[(doc_id, ordinal)]
    return Chunk(id=f"{doc_id}-{ordinal:05d}", doc_id=doc_id, file_name=f"{doc_id}.txt", ordinal=ordinal, start=0, end=len(text),
                 page_start=1, page_end=1, section_path="", section_number="", text=text, embed_text=text)


def test_chunks_in_any_order_and_batches_index_as_the_sorted_list(tmp_path, monkeypatch):
    ordered = [chunk(*key) for key in sorted(TEXTS)]
    sorted_index = LexicalIndex(tmp_path / "sorted")
    sorted_index.ensure(1, lambda: ordered)
    monkeypatch.setattr(bm25, "BUILD_BATCH", 2)  # pages of a server catalog, in the order the server keeps them
    paged = LexicalIndex(tmp_path / "paged")
    paged.ensure(1, lambda: iter([ordered[i] for i in (3, 0, 4, 2, 1)]))
    assert paged.chunk_ids == sorted_index.chunk_ids == ["a-00000", "a-00001", "b-00000", "b-00001", "c-00000"]
    assert list(paged.doc_of) == ["a", "a", "b", "b", "c"]
    for question in ("terminate", "governed by the laws of England", "insurance"):
        assert paged.query(question, 5) == sorted_index.query(question, 5)
    assert paged.query("terminate", 5, doc_ids=["b"]) == [("b-00001", sorted_index.query("terminate", 5, doc_ids=["b"])[0][1])]
    assert paged.document_frequencies() == sorted_index.document_frequencies() and paged.document_frequencies()["termin"] == 3
