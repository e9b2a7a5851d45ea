"""Whole-collection reads from a ``chroma run`` server, a page at a time: what they return, and that the pages read do
not stay allocated (each HTTP response sits in a reference cycle; at 100,000 chunks dozens of them piled up)."""

from __future__ import annotations

import gc
import time

import numpy as np
import pytest

from assistant.core.documents import Chunk, Document
from assistant.index import exact, server_catalog
from assistant.index.chroma import make_client
from assistant.index.exact import VectorMatrix
from assistant.index.paging import pages
from assistant.index.server_catalog import ServerCatalog
from eval.chroma_server import chroma_cli, chroma_server

pytestmark = pytest.mark.skipif(chroma_cli() is None, reason="the chroma CLI is not installed")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as port:
        yield make_client(None, "127.0.0.1", port)


def live_responses() -> int:
    import httpx

    return sum(isinstance(o, httpx.Response) for o in gc.get_objects())


@pytest.fixture
def no_automatic_collection():
    """What a read leaves allocated is what it freed itself, not what a collection happened to free meanwhile."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_vectors_load_a_page_at_a_time_and_leave_no_page_behind(client, monkeypatch, no_automatic_collection):
    collection = client.get_or_create_collection(f"vectors-{time.time_ns()}", embedding_function=None)
    ids = [f"d{n % 2}-{n:05d}" for n in (4, 0, 3, 1, 2)]
    vectors = np.eye(5, dtype=np.float32)[[4, 0, 3, 1, 2]]
    collection.add(ids=ids, embeddings=vectors, metadatas=[{"doc_id": i.split("-")[0]} for i in ids])
    monkeypatch.setattr(exact, "LOAD_PAGE", 2)
    before = live_responses()
    matrix = VectorMatrix.load(collection)
    assert live_responses() == before, "the pages' HTTP responses are still allocated"
    assert matrix.ids == ("d0-00000", "d0-00002", "d0-00004", "d1-00001", "d1-00003")
    assert list(matrix.doc_of) == ["d0", "d0", "d0", "d1", "d1"]
    assert np.array_equal(matrix.matrix, np.eye(5, dtype=np.float32)[[0, 2, 4, 1, 3]])
    assert gc.get_freeze_count() == 0


def test_catalog_chunks_read_a_page_at_a_time_and_leave_no_page_behind(client, monkeypatch, no_automatic_collection):
    catalog = ServerCatalog(client, f"paged-{time.time_ns()}")
    text = "aaaa bbbb cccc dddd eeee"
    document = Document(id="doc1", source="a.txt", file_name="a.txt", kind="txt", title="A", text=text, page_starts=(0,),
                        size_bytes=len(text))
    chunks = [Chunk(id=f"doc1-{n:05d}", doc_id="doc1", ordinal=n, start=5 * n, end=5 * n + 4, page_start=1, page_end=1,
                    section_path="", section_number="", text=text[5 * n : 5 * n + 4], embed_text=text[5 * n : 5 * n + 4], file_name="a.txt")
              for n in range(5)]
    catalog.put_document(document, chunks, "a.txt", 0.0)
    monkeypatch.setattr(server_catalog, "PAGE", 2)
    monkeypatch.setattr(server_catalog, "GENERATION_TTL_S", 3600.0)  # the reads counted are the chunks' pages alone
    catalog.documents()
    before = live_responses()
    found = catalog.chunks()
    assert live_responses() == before, "the pages' HTTP responses are still allocated"
    assert [c.text for c in found] == ["aaaa", "bbbb", "cccc", "dddd", "eeee"] and {c.file_name for c in found} == {"a.txt"}
    assert catalog.chunk_ids() == {c.id for c in chunks}


class Growing:
    """A collection that gains records while it is read (another app server ingesting): ``count`` said fewer."""

    def __init__(self):
        self.rows = [(f"c{n}", [float(n), 1.0]) for n in range(3)]

    def count(self) -> int:
        return 1

    def get(self, limit: int, offset: int, include: list[str]) -> dict:
        part = self.rows[offset : offset + limit]
        return {"ids": [i for i, _ in part], "embeddings": [v for _, v in part], "metadatas": [{"doc_id": "d"} for _ in part]}


def test_a_collection_that_grows_while_loading_is_loaded_whole(monkeypatch):
    monkeypatch.setattr(exact, "LOAD_PAGE", 2)
    matrix = VectorMatrix.load(Growing())
    assert matrix.ids == ("c0", "c1", "c2") and matrix.matrix.tolist() == [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]


def test_a_read_stopped_early_unfreezes_the_collector():
    reader = pages(Growing(), 1, include=["embeddings"])
    assert next(reader)["ids"] == ["c0"]
    assert gc.get_freeze_count() > 0
    reader.close()
    assert gc.get_freeze_count() == 0
