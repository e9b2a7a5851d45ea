"""The catalog keeps which pages of a chunk were read by OCR, and opens catalogs written before it did."""

from __future__ import annotations

import sqlite3

from assistant.core.documents import Chunk, Document
from assistant.index.catalog import Catalog

TEXT = "1. Scope\nThe services.\n\n12. Termination\nOn six months' notice."


def _chunks(doc_id: str) -> list[Chunk]:
    second = TEXT.index("12.")
    return [Chunk(f"{doc_id}-00000", doc_id, "scan.pdf", 0, 0, second - 2, 1, 1, "1 Scope", "1", TEXT[: second - 2], TEXT[: second - 2]),
            Chunk(f"{doc_id}-00001", doc_id, "scan.pdf", 1, second, len(TEXT), 2, 2, "12 Termination", "12", TEXT[second:], TEXT[second:],
                  ocr_pages=(2,))]


def test_ocr_pages_of_chunks_and_documents_round_trip(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    document = Document("d1", "scan.pdf", "scan.pdf", "pdf", TEXT, (0, TEXT.index("12.")), ocr_pages=(2,))
    catalog.put_document(document, _chunks("d1"), "scan.pdf", 1.0)
    stored = catalog.chunks("d1")
    assert [c.ocr_pages for c in stored] == [(), (2,)]
    assert [c.span.ocr for c in stored] == [False, True]
    assert catalog.document("d1").ocr_pages == (2,)
    catalog.close()


def test_a_catalog_from_before_ocr_gains_the_column_and_keeps_its_chunks(tmp_path):
    path = tmp_path / "catalog.sqlite"
    old = sqlite3.connect(str(path))
    old.executescript(
        "CREATE TABLE chunks (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,"
        " end INTEGER NOT NULL, page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, section_path TEXT NOT NULL,"
        " section_number TEXT NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL);"
        "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, file_name TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,"
        " text TEXT NOT NULL, page_starts TEXT NOT NULL, size_bytes INTEGER NOT NULL, deal TEXT NOT NULL DEFAULT '', ingested_at REAL NOT NULL);"
        "INSERT INTO documents VALUES ('d0', 'old.pdf', 'pdf', '', 'Old text.', '[0]', 9, '', 0);"
        "INSERT INTO chunks VALUES ('d0-00000', 'd0', 0, 0, 9, 1, 1, '', '', 'Old text.', 'Old text.');"
    )
    old.close()
    catalog = Catalog(path)
    assert [(c.text, c.ocr_pages) for c in catalog.chunks("d0")] == [("Old text.", ())]
    catalog.put_document(Document("d1", "scan.pdf", "scan.pdf", "pdf", TEXT, (0, TEXT.index("12.")), ocr_pages=(2,)),
                         _chunks("d1"), "scan.pdf", 1.0)
    assert [c.ocr_pages for c in catalog.chunks("d1")] == [(), (2,)]
    catalog.close()
