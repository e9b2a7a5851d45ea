"""The workspace catalog (SQLite): documents, their text and their chunks.

It is the source of truth for what is indexed. Chroma and BM25 are derived from it: a chunk id
that Chroma returns but the catalog does not know (left by a crash mid-ingest) is ignored and
cleaned up by the next ingest, so an interrupted ingest never leaves a broken store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator

from ..core.documents import Chunk, Document, DocumentInfo
from ..core.flags import Flag
from ..core.privacy import private_dir, private_file
from ..core.source_map import SourceMap
from ..core.spans import Span

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, file_name TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
    text TEXT NOT NULL, page_starts TEXT NOT NULL, size_bytes INTEGER NOT NULL,
    deal TEXT NOT NULL DEFAULT '', ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    source_key TEXT PRIMARY KEY, doc_id TEXT NOT NULL, size_bytes INTEGER NOT NULL, mtime REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, section_path TEXT NOT NULL,
    section_number TEXT NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL, ocr_pages TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Columns added after the first release: an older catalog gains them (with their defaults) when opened.
CHUNK_COLUMNS = ("chunk_id, doc_id, ordinal, start, end, page_start, page_end, section_path, section_number, text, embed_text, "
                 "table_header, ocr_pages")
CHUNK_SELECT = ", ".join(f"c.{name.strip()}" for name in CHUNK_COLUMNS.split(","))
ADDED_COLUMNS = {
    "documents": {"flags": "TEXT NOT NULL DEFAULT '[]'", "warnings": "TEXT NOT NULL DEFAULT '[]'", "encoding": "TEXT NOT NULL DEFAULT ''",
                  "details": "TEXT NOT NULL DEFAULT '{}'"},
    "sources": {"file_name": "TEXT NOT NULL DEFAULT ''"},
    "chunks": {"table_header": "TEXT NOT NULL DEFAULT ''", "ocr_pages": "TEXT NOT NULL DEFAULT ''"},
}


class Catalog:
    def __init__(self, path: Path):
        private_dir(path.parent)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._migrate()
        private_file(path)
        self._lock = threading.RLock()
        self._documents: tuple[int, list[DocumentInfo]] | None = None

    def _migrate(self) -> None:
        for table, columns in ADDED_COLUMNS.items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, declaration in columns.items():
                if name not in present:
                    try:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
                    except sqlite3.OperationalError as error:  # another process added it first
                        if "duplicate column" not in str(error):
                            raise

    def close(self) -> None:
        self._db.close()

    # -- versions -----------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped on every change, so derived indexes (BM25) know when they are stale."""
        row = self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def touch(self) -> None:
        """Bump the generation without changing the catalog (the vectors changed: readers must reload them)."""
        with self._lock:
            self._bump()

    # -- sources ------------------------------------------------------------
    def source(self, key: str) -> tuple[str, int, float] | None:
        row = self._db.execute("SELECT doc_id, size_bytes, mtime FROM sources WHERE source_key=?", (key,)).fetchone()
        return (row[0], int(row[1]), float(row[2])) if row else None

    def touch_source(self, key: str, doc_id: str, size: int, mtime: float, file_name: str = "") -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO sources (source_key, doc_id, size_bytes, mtime, file_name) VALUES (?, ?, ?, ?, ?)",
                             (key, doc_id, size, mtime, file_name))
            self._bump()

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """doc id -> the other names its bytes were ingested under (not its own file name)."""
        rows = self._db.execute(
            "SELECT s.doc_id, s.file_name FROM sources s JOIN documents d ON d.doc_id = s.doc_id "
            "WHERE s.file_name <> '' AND s.file_name <> d.file_name ORDER BY s.file_name"
        ).fetchall()
        found: dict[str, list[str]] = {}
        for doc_id, name in rows:
            if name not in found.setdefault(doc_id, []):
                found[doc_id].append(name)
        return {k: tuple(v) for k, v in found.items()}

    def orphan_documents(self) -> list[str]:
        """Documents no source points at (an old version left by a crash between replacing and dropping it)."""
        return [r[0] for r in self._db.execute("SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM sources)")]

    def has_document(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone() is not None

    # -- writes -------------------------------------------------------------
    def put_document(self, document: Document, chunks: list[Chunk], source_key: str, mtime: float, deal: str = "") -> str | None:
        """Store a document and its chunks in one transaction; returns the doc id this source used to point at."""
        with self._lock:
            previous = self.source(source_key)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM chunks WHERE doc_id=?", (document.id,))
                self._db.execute(
                    "INSERT OR REPLACE INTO documents (doc_id, file_name, kind, title, text, page_starts, size_bytes, deal, "
                    "ingested_at, flags, warnings, encoding, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (document.id, document.file_name, document.kind, document.title, document.text,
                     json.dumps(document.page_starts), document.size_bytes, deal, time.time(),
                     json.dumps([[f.span.start, f.span.end, f.reason, f.detail, f.content] for f in document.flags]),
                     json.dumps(list(document.warnings)), document.encoding, json.dumps(details_of(document))),
                )
                self._db.executemany(
                    f"INSERT INTO chunks ({CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(c.id, c.doc_id, c.ordinal, c.start, c.end, c.page_start, c.page_end, c.section_path,
                      c.section_number, c.text, c.embed_text, c.table_header, ",".join(map(str, c.ocr_pages))) for c in chunks],
                )
                self._db.execute("INSERT OR REPLACE INTO sources (source_key, doc_id, size_bytes, mtime, file_name) VALUES (?, ?, ?, ?, ?)",
                                 (source_key, document.id, document.size_bytes, mtime, document.file_name))
                self._bump()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            old = previous[0] if previous and previous[0] != document.id else None
            return old

    def remove_document(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("chunks", "sources", "documents"):
                    self._db.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))
                self._bump()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def is_orphan(self, doc_id: str) -> bool:
        """True when no source points at the document any more (it was replaced by a new version)."""
        return self._db.execute("SELECT 1 FROM sources WHERE doc_id=?", (doc_id,)).fetchone() is None

    def sweep(self) -> int:
        """Nothing to sweep: a SQLite transaction leaves no half-written document (``ServerCatalog.sweep`` has work)."""
        return 0

    def set_deal(self, doc_id: str, deal: str) -> None:
        with self._lock:
            changed = self._db.execute("UPDATE documents SET deal=? WHERE doc_id=? AND deal<>?", (deal, doc_id, deal)).rowcount
            if changed:
                self._bump()

    # -- reads --------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        """Every document, read once per generation (a listing joins every chunk: 0.2 s at 100,000 of them)."""
        generation = self.generation
        cached = self._documents
        if cached is not None and cached[0] == generation:
            return list(cached[1])
        infos = self._read_documents()
        self._documents = (generation, infos)
        return list(infos)

    def _read_documents(self) -> list[DocumentInfo]:
        rows = self._db.execute(
            "SELECT d.doc_id, d.file_name, d.kind, d.title, d.page_starts, COUNT(c.chunk_id), d.size_bytes, d.deal, d.ingested_at, "
            "d.flags, d.warnings FROM documents d LEFT JOIN chunks c ON c.doc_id = d.doc_id GROUP BY d.doc_id ORDER BY d.file_name"
        ).fetchall()
        aliases = self.aliases()
        infos = []
        for r in rows:
            page_starts = json.loads(r[4])
            labels = tuple(_flag(r[0], r[1], "", page_starts, item).label for item in json.loads(r[9]))
            infos.append(DocumentInfo(r[0], r[1], r[2], r[3], len(page_starts), r[5], r[6], r[7], r[8], aliases.get(r[0], ()),
                                      labels, tuple(json.loads(r[10]))))
        return infos

    def document(self, doc_id: str) -> Document:
        row = self._db.execute(
            "SELECT doc_id, file_name, kind, title, text, page_starts, size_bytes, flags, warnings, encoding, details"
            " FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        page_starts = tuple(json.loads(row[5]))
        flags = tuple(_flag(row[0], row[1], row[4], page_starts, item) for item in json.loads(row[7]))
        details = json.loads(row[10] or "{}")
        return Document(id=row[0], source=row[1], file_name=row[1], kind=row[2], title=row[3], text=row[4],
                        page_starts=page_starts, size_bytes=row[6], flags=flags, warnings=tuple(json.loads(row[8])), encoding=row[9],
                        source_map=SourceMap.from_dict(details.get("source_map")), ocr_pages=tuple(details.get("ocr_pages", ())))

    def document_text(self, doc_id: str) -> str:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        query = f"SELECT {CHUNK_SELECT}, d.file_name FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
        rows = self._db.execute(query + (" WHERE c.doc_id=? ORDER BY c.ordinal" if doc_id else " ORDER BY c.doc_id, c.ordinal"), (doc_id,) if doc_id else ()).fetchall()
        return [_chunk(r) for r in rows]

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk (``ServerCatalog.iter_chunks`` reads them a page at a time; here one read is one snapshot)."""
        return iter(self.chunks())

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        found: dict[str, Chunk] = {}
        for begin in range(0, len(ids), 500):
            part = ids[begin : begin + 500]
            rows = self._db.execute(
                f"SELECT {CHUNK_SELECT}, d.file_name FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
                f"WHERE c.chunk_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
            found.update((r[0], _chunk(r)) for r in rows)
        return found

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}

    def doc_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT doc_id FROM documents")}


def _flag(doc_id: str, file_name: str, text: str, page_starts, item: list) -> Flag:
    """A stored flag ``[start, end, reason, detail]`` as a Flag of its document (``text`` "" when only the label is wanted)."""
    import bisect

    start, end, reason, detail = item[:4]
    content = item[4] if len(item) > 4 else ""
    page = max(1, bisect.bisect_right(page_starts, start))
    page_end = max(page, bisect.bisect_right(page_starts, max(start, end - 1)))
    return Flag(Span(doc_id, file_name, start, end, text[start:end] if text else "", page, page_end), reason, detail, content)


def details_of(document: Document) -> dict:
    """What a document carries beyond its text and pages: the map back to the file's text, the pages read by OCR."""
    details: dict = {}
    if not document.source_map.identity:
        details["source_map"] = document.source_map.to_dict()
    if document.ocr_pages:
        details["ocr_pages"] = list(document.ocr_pages)
    return details


def _chunk(row: tuple) -> Chunk:
    return Chunk(id=row[0], doc_id=row[1], ordinal=row[2], start=row[3], end=row[4], page_start=row[5], page_end=row[6],
                 section_path=row[7], section_number=row[8], text=row[9], embed_text=row[10], table_header=row[11],
                 ocr_pages=tuple(int(p) for p in row[12].split(",") if p), file_name=row[13])
