"""The workspace catalog kept in a Chroma server: what ``Catalog`` keeps in SQLite, as records of one collection.

With a Chroma server configured, every app server of a team reads and writes the same catalog, so a document
ingested through one is listed, searched and answered through the others at once; the app server's disk holds only
caches (BM25, embeddings). Records of ``cat-<workspace>`` (JSON in the record's document, a 1-number placeholder
vector, since Chroma needs one and nothing searches by it):

- ``doc:<id>``: what a listing needs (file name, title, pages, deal, flags, chunk count); its presence is the
  commit point of an ingest: chunks, text and sources written before it are invisible until it exists;
- ``text:<id>``: the canonical text and its map back to the file; ``chunk:<chunk id>``: a chunk's text and offsets;
- ``src:<source key>``: which document a path or upload name holds; ``meta:generation``: bumped on every change.

A crash (kill -9) at any point leaves records no ``doc:`` points at, or a ``doc:`` nothing points at; readers ignore
the first, ``sweep`` (run by repair at the start of every ingest, under the workspace's write lease) deletes them,
and the second is an orphan that repair drops, as with SQLite.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Iterable, Iterator

from ..core.documents import Chunk, Document, DocumentInfo
from ..core.source_map import SourceMap
from .catalog import _flag, details_of
from .paging import pages

CATALOG_PREFIX = "cat-"
PAGE = 2000  # records per request when reading many
GENERATION_TTL_S = 0.25  # a reader asks the server for the generation at most this often
CACHED_DOCUMENTS = 512  # texts and chunk lists of this many documents kept in memory (citations read them)
CACHED_CHUNKS = 50_000  # chunks by id kept in memory (the passages questions hit)


def catalog_name(workspace: str) -> str:
    """The collection of a workspace's catalog (Chroma names: [a-zA-Z0-9._-], alphanumeric at both ends)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", f"{CATALOG_PREFIX}{workspace}")
    return name if name[-1].isalnum() else name + "0"


class _Bounded(OrderedDict):
    """A dict that forgets its oldest entries beyond ``limit``."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class ServerCatalog:
    """``Catalog``'s interface over a Chroma server collection (see the module docstring for the records)."""

    def __init__(self, client: Any, workspace: str):
        self.workspace = workspace
        self.collection = client.get_or_create_collection(
            catalog_name(workspace), embedding_function=None, metadata={"workspace": workspace, "purpose": "catalog"})
        self._lock = threading.RLock()
        self._generation: tuple[float, int] | None = None  # (read at, value)
        self._state: tuple[int, dict[str, dict], dict[str, dict]] | None = None  # generation, docs, sources
        self._texts: _Bounded = _Bounded(CACHED_DOCUMENTS)
        self._doc_chunks: _Bounded = _Bounded(CACHED_DOCUMENTS)
        self._chunks: _Bounded = _Bounded(CACHED_CHUNKS)
        self._cached_at = -1
        self._listed: tuple[dict, list[DocumentInfo]] | None = None  # the listing of one state's documents

    def close(self) -> None:
        """Nothing to close: the client belongs to the connection."""

    # -- record plumbing ----------------------------------------------------
    def _put(self, records: Iterable[tuple[str, str, dict[str, Any], dict[str, Any]]]) -> None:
        """Upsert (id, kind, metadata, value) records in batches."""
        batch: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        for record in records:
            batch.append(record)
            if len(batch) == PAGE:
                self._upsert(batch)
                batch = []
        if batch:
            self._upsert(batch)

    def _upsert(self, batch: list[tuple[str, str, dict[str, Any], dict[str, Any]]]) -> None:
        self.collection.upsert(ids=[r[0] for r in batch], embeddings=[[0.0]] * len(batch),
                               documents=[json.dumps(r[3]) for r in batch], metadatas=[{"kind": r[1], **r[2]} for r in batch])

    def _get(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for begin in range(0, len(ids), PAGE):
            part = self.collection.get(ids=ids[begin : begin + PAGE], include=["documents"])
            found.update((i, json.loads(d)) for i, d in zip(part["ids"], part["documents"]))
        return found

    def _scan(self, where: dict[str, Any], documents: bool = True) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
        """(id, metadata, value or None) of every record ``where`` selects, a page at a time."""
        rows: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
        include = ["metadatas", "documents"] if documents else ["metadatas"]
        for part in pages(self.collection, PAGE, where=where, include=include):
            values = part["documents"] if documents else [None] * len(part["ids"])
            rows.extend((i, m or {}, json.loads(v) if v is not None else None) for i, m, v in zip(part["ids"], part["metadatas"], values))
        return rows

    def _delete(self, ids: list[str]) -> None:
        for begin in range(0, len(ids), PAGE):
            self.collection.delete(ids=ids[begin : begin + PAGE])

    # -- versions -----------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped on every change by any app server; read from the server at most every ``GENERATION_TTL_S``."""
        now = time.monotonic()
        with self._lock:
            if self._generation is None or now - self._generation[0] > GENERATION_TTL_S:
                found = self._get(["meta:generation"]).get("meta:generation")
                self._generation = (now, int(found["generation"]) if found else 0)
            return self._generation[1]

    def _next_generation(self, known: dict[str, dict[str, Any]] | None = None) -> tuple[str, str, dict, dict[str, Any]]:
        """The record of a new generation: one more than the last, and at least the clock in microseconds, so two app
        servers bumping at once still move it past what either reader saw. Written in the same request as the change."""
        found = (known if known is not None and "meta:generation" in known else self._get(["meta:generation"])).get("meta:generation")
        value = max((int(found["generation"]) if found else 0) + 1, time.time_ns() // 1000)
        return ("meta:generation", "meta", {}, {"generation": value})

    def _commit(self, records: list[tuple[str, str, dict[str, Any], dict[str, Any]]], known: dict[str, dict[str, Any]] | None = None) -> None:
        """Write ``records`` and a new generation, the generation in the last request (one request is applied whole)."""
        generation = self._next_generation(known)
        self._put([*records, generation])
        with self._lock:
            self._generation = (time.monotonic(), generation[3]["generation"])
            self._state = None

    def _bump(self) -> None:
        self._commit([])

    def touch(self) -> None:
        self._bump()

    def _current(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """The documents and sources of the current generation (read again when it moved)."""
        generation = self.generation
        with self._lock:
            if self._state is None or self._state[0] != generation:
                docs = {m["doc_id"]: v for _, m, v in self._scan({"kind": "doc"}) if v is not None}
                sources = {v["key"]: v for _, _, v in self._scan({"kind": "source"}) if v is not None}
                self._state = (generation, docs, sources)
                if self._cached_at != generation:
                    self._doc_chunks.clear()
                    self._chunks.clear()
                    self._texts.clear()
                    self._cached_at = generation
            return self._state[1], self._state[2]

    def _changed(self) -> None:
        """After this process wrote: bump, and read the state again on the next call."""
        self._bump()

    # -- sources ------------------------------------------------------------
    def source(self, key: str) -> tuple[str, int, float] | None:
        found = self._get([f"src:{key}"]).get(f"src:{key}")
        return (found["doc_id"], int(found["size_bytes"]), float(found["mtime"])) if found else None

    def touch_source(self, key: str, doc_id: str, size: int, mtime: float, file_name: str = "") -> None:
        self._commit([(f"src:{key}", "source", {"doc_id": doc_id},
                       {"key": key, "doc_id": doc_id, "size_bytes": size, "mtime": mtime, "file_name": file_name})])

    def aliases(self) -> dict[str, tuple[str, ...]]:
        docs, sources = self._current()
        found: dict[str, list[str]] = {}
        for source in sorted(sources.values(), key=lambda s: s["file_name"]):
            doc = docs.get(source["doc_id"])
            name = source["file_name"]
            if doc is not None and name and name != doc["file_name"] and name not in found.setdefault(source["doc_id"], []):
                found[source["doc_id"]].append(name)
        return {k: tuple(v) for k, v in found.items() if v}

    def orphan_documents(self) -> list[str]:
        docs, sources = self._current()
        pointed = {s["doc_id"] for s in sources.values()}
        return [doc_id for doc_id in docs if doc_id not in pointed]

    def has_document(self, doc_id: str) -> bool:
        return bool(self._get([f"doc:{doc_id}"]))

    # -- writes -------------------------------------------------------------
    def put_document(self, document: Document, chunks: list[Chunk], source_key: str, mtime: float, deal: str = "") -> str | None:
        """Chunks, text, source, the ``doc:`` record (the commit point) and the generation in as few requests as fit
        (the document record in the last); returns the doc id this source used to point at. The caller holds the
        workspace's write lease."""
        known = self._get([f"src:{source_key}", f"doc:{document.id}", "meta:generation"])
        previous = known.get(f"src:{source_key}")
        if f"doc:{document.id}" in known:  # stored before (a race or another chunking): drop chunks it no longer has
            keep = {f"chunk:{c.id}" for c in chunks}
            self._delete([i for i, _, _ in self._scan({"$and": [{"kind": "chunk"}, {"doc_id": document.id}]}, documents=False)
                          if i not in keep])
        records = [(f"chunk:{c.id}", "chunk", {"doc_id": c.doc_id, "ordinal": c.ordinal}, _chunk_value(c)) for c in chunks]
        records.append((f"text:{document.id}", "text", {"doc_id": document.id}, {"text": document.text, "details": details_of(document)}))
        records.append((f"src:{source_key}", "source", {"doc_id": document.id},
                        {"key": source_key, "doc_id": document.id, "size_bytes": document.size_bytes, "mtime": mtime,
                         "file_name": document.file_name}))
        records.append((f"doc:{document.id}", "doc", {"doc_id": document.id}, {
            "file_name": document.file_name, "kind": document.kind, "title": document.title,
            "page_starts": list(document.page_starts), "size_bytes": document.size_bytes, "deal": deal, "ingested_at": time.time(),
            "flags": [[f.span.start, f.span.end, f.reason, f.detail, f.content] for f in document.flags],
            "warnings": list(document.warnings), "encoding": document.encoding, "chunks": len(chunks)}))
        self._commit(records, known)
        return previous["doc_id"] if previous and previous["doc_id"] != document.id else None

    def remove_document(self, doc_id: str) -> None:
        """The ``doc:`` record first (from then on the document is gone), then what belonged to it."""
        self._delete([f"doc:{doc_id}"])
        self._changed()
        self._delete([i for i, _, _ in self._scan({"$and": [{"kind": {"$in": ["source", "text", "chunk"]}}, {"doc_id": doc_id}]},
                                                 documents=False)])

    def is_orphan(self, doc_id: str) -> bool:
        return not self._scan({"$and": [{"kind": "source"}, {"doc_id": doc_id}]}, documents=False)

    def set_deal(self, doc_id: str, deal: str) -> None:
        found = self._get([f"doc:{doc_id}"]).get(f"doc:{doc_id}")
        if found is not None and found.get("deal", "") != deal:
            found["deal"] = deal
            self._commit([(f"doc:{doc_id}", "doc", {"doc_id": doc_id}, found)])

    def sweep(self) -> int:
        """Delete records no ``doc:`` record owns (a crashed ingest's or removal's): run under the write lease."""
        docs = {m.get("doc_id") for _, m, _ in self._scan({"kind": "doc"}, documents=False)}
        strays = [i for i, m, _ in self._scan({"kind": {"$in": ["chunk", "text", "source"]}}, documents=False)
                  if m.get("doc_id") not in docs]
        self._delete(strays)
        if strays:
            self._changed()
        return len(strays)

    # -- reads --------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        docs, _ = self._current()
        with self._lock:
            listed = self._listed
        if listed is not None and listed[0] is docs:
            return list(listed[1])
        infos = self._infos(docs)
        with self._lock:
            self._listed = (docs, infos)
        return list(infos)

    def _infos(self, docs: dict[str, dict]) -> list[DocumentInfo]:
        aliases = self.aliases()
        infos = []
        for doc_id, d in sorted(docs.items(), key=lambda item: (item[1]["file_name"], item[0])):
            labels = tuple(_flag(doc_id, d["file_name"], "", d["page_starts"], item).label for item in d["flags"])
            infos.append(DocumentInfo(doc_id, d["file_name"], d["kind"], d["title"], len(d["page_starts"]), d["chunks"], d["size_bytes"],
                                      d["deal"], d["ingested_at"], aliases.get(doc_id, ()), labels, tuple(d["warnings"])))
        return infos

    def _text(self, doc_id: str) -> dict[str, Any]:
        docs, _ = self._current()
        with self._lock:
            cached = self._texts.get(doc_id)
        if cached is not None:
            return cached
        found = self._get([f"text:{doc_id}"]).get(f"text:{doc_id}") if doc_id in docs else None
        if found is None:
            raise KeyError(doc_id)
        with self._lock:
            self._texts.put(doc_id, found)
        return found

    def document(self, doc_id: str) -> Document:
        docs, _ = self._current()
        d = docs.get(doc_id)
        if d is None:
            raise KeyError(doc_id)
        stored = self._text(doc_id)
        text, details = stored["text"], stored.get("details") or {}
        page_starts = tuple(d["page_starts"])
        flags = tuple(_flag(doc_id, d["file_name"], text, page_starts, item) for item in d["flags"])
        return Document(id=doc_id, source=d["file_name"], file_name=d["file_name"], kind=d["kind"], title=d["title"], text=text,
                        page_starts=page_starts, size_bytes=d["size_bytes"], flags=flags, warnings=tuple(d["warnings"]),
                        encoding=d["encoding"], source_map=SourceMap.from_dict(details.get("source_map")),
                        ocr_pages=tuple(details.get("ocr_pages", ())))

    def document_text(self, doc_id: str) -> str:
        return self._text(doc_id)["text"]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        docs, _ = self._current()
        if doc_id is not None:
            with self._lock:
                cached = self._doc_chunks.get(doc_id)
            if cached is not None:
                return list(cached)
            if doc_id not in docs:
                return []
            where: dict[str, Any] = {"$and": [{"kind": "chunk"}, {"doc_id": doc_id}]}
        else:
            where = {"kind": "chunk"}
        found = sorted(self._read_chunks(where, docs), key=lambda c: (c.doc_id, c.ordinal))
        if doc_id is not None:
            with self._lock:
                self._doc_chunks.put(doc_id, found)
        return found

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, a page at a time, in no particular order: BM25 tokenizes each page's as it comes, so the
        workspace's chunk texts are never all held at once (100,000 of them are about 200 MB as objects)."""
        docs, _ = self._current()
        return self._read_chunks({"kind": "chunk"}, docs)

    def _read_chunks(self, where: dict[str, Any], docs: dict[str, dict]) -> Iterator[Chunk]:
        for part in pages(self.collection, PAGE, where=where, include=["metadatas", "documents"]):
            for m, v in zip(part["metadatas"], part["documents"]):
                owner = docs.get((m or {}).get("doc_id"))
                if owner is not None and v is not None:
                    yield _chunk(json.loads(v), owner["file_name"])

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        docs, _ = self._current()
        with self._lock:
            found = {i: self._chunks[i] for i in ids if i in self._chunks}
        missing = [i for i in ids if i not in found]
        if missing:
            fetched = {}
            for begin in range(0, len(missing), PAGE):
                part = self.collection.get(ids=[f"chunk:{i}" for i in missing[begin : begin + PAGE]], include=["metadatas", "documents"])
                for m, v in zip(part["metadatas"], part["documents"]):
                    doc = docs.get((m or {}).get("doc_id"))
                    if doc is not None:
                        chunk = _chunk(json.loads(v), doc["file_name"])
                        fetched[chunk.id] = chunk
            with self._lock:
                for key, chunk in fetched.items():
                    self._chunks.put(key, chunk)
            found.update(fetched)
        return {i: found[i] for i in ids if i in found}

    def chunk_count(self) -> int:
        """What the document records say (``chunk_ids`` reads every chunk record: seconds at 100,000)."""
        docs, _ = self._current()
        return sum(int(d["chunks"]) for d in docs.values())

    def chunk_ids(self) -> set[str]:
        docs, _ = self._current()
        return {i.removeprefix("chunk:") for i, m, _ in self._scan({"kind": "chunk"}, documents=False) if m.get("doc_id") in docs}

    def doc_ids(self) -> set[str]:
        docs, _ = self._current()
        return set(docs)


def _chunk_value(c: Chunk) -> dict[str, Any]:
    return {"id": c.id, "doc_id": c.doc_id, "ordinal": c.ordinal, "start": c.start, "end": c.end, "page_start": c.page_start,
            "page_end": c.page_end, "section_path": c.section_path, "section_number": c.section_number, "text": c.text,
            "embed_text": c.embed_text, "table_header": c.table_header}


def _chunk(value: dict[str, Any], file_name: str) -> Chunk:
    return Chunk(**value, file_name=file_name)
