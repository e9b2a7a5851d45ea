"""Where accounts and grants are kept: one small key -> JSON record store that every app server reads.

Keys are ``kind:name`` (``user:alice``, ``grant:acme:alice``). Embedded deployments keep them in a 0600 JSON file
under ``data_dir/access`` (written whole to a temporary file and renamed, under a file lock, so a crash never leaves
half a file); with a Chroma server they are records of one dedicated collection, so a second app server pointed at
the same server signs in the same users with the same roles. The audit trail of a deployment with a Chroma server is
a collection of such records too (``server_records(settings, TRAIL_COLLECTION)``, see ``api.trail``).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock

from ..core.privacy import private_dir, private_file
from ..core.settings import Settings

ACCESS_COLLECTION = "contract-assistant-access"
TRAIL_COLLECTION = "contract-assistant-trail"
BATCH = 1000


class Records(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...
    def put(self, key: str, value: dict[str, Any]) -> None: ...
    def delete(self, key: str) -> None: ...
    def scan(self, kind: str) -> dict[str, dict[str, Any]]: ...


def _kind(key: str) -> str:
    kind, sep, _ = key.partition(":")
    if not sep or not kind:
        raise ValueError(f"record key {key!r} must be kind:name")
    return kind


class FileRecords:
    """Records in one JSON file (0600), re-read when it changed on disk (another process wrote)."""

    def __init__(self, path: Path):
        private_dir(path.parent)
        self.path = path
        self._lock = FileLock(str(path) + ".lock", mode=0o600)
        self._cache: tuple[tuple[int, int], dict[str, dict[str, Any]]] | None = None
        self._thread_lock = threading.Lock()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size)
        with self._thread_lock:
            if self._cache is None or self._cache[0] != key:
                self._cache = (key, json.loads(self.path.read_text(encoding="utf-8") or "{}"))
            return self._cache[1]

    def _write(self, data: dict[str, dict[str, Any]]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        private_file(self.path)

    def get(self, key: str) -> dict[str, Any] | None:
        found = self._read().get(key)
        return dict(found) if found is not None else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        _kind(key)
        with self._lock:
            data = dict(self._read())
            data[key] = value
            self._write(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = dict(self._read())
            if data.pop(key, None) is not None:
                self._write(data)

    def scan(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self._read().items() if k.startswith(kind + ":")}


class ChromaRecords:
    """Records in a Chroma collection: the JSON in the document, the kind in the metadata, a 1-number placeholder
    vector (Chroma needs one; nothing is ever searched by it)."""

    def __init__(self, client: Any, name: str = ACCESS_COLLECTION):
        purpose = "trail" if name == TRAIL_COLLECTION else "access"
        self.collection = client.get_or_create_collection(name, embedding_function=None, metadata={"purpose": purpose})

    def get(self, key: str) -> dict[str, Any] | None:
        found = self.collection.get(ids=[key], include=["documents"])
        return json.loads(found["documents"][0]) if found["ids"] else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.collection.upsert(ids=[key], embeddings=[[0.0]], documents=[json.dumps(value)], metadatas=[{"kind": _kind(key)}])

    def delete(self, key: str) -> None:
        self.collection.delete(ids=[key])

    def scan(self, kind: str) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            part = self.collection.get(where={"kind": kind}, include=["documents"], limit=BATCH, offset=offset)
            found.update((i, json.loads(d)) for i, d in zip(part["ids"], part["documents"]))
            if len(part["ids"]) < BATCH:
                return found
            offset += BATCH


_STORES: dict[tuple, Records] = {}
_STORES_LOCK = threading.Lock()


def server_records(settings: Settings, name: str) -> ChromaRecords:
    """The records of collection ``name`` on the deployment's Chroma server (one store per server and name per
    process)."""
    from ..index.chroma import make_client

    if not settings.chroma_host:
        raise ValueError("server records need a Chroma server: set chroma_host")
    key = ("chroma", settings.chroma_host, settings.chroma_port, name)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = ChromaRecords(make_client(None, settings.chroma_host, settings.chroma_port), name)
        store = _STORES[key]
    assert isinstance(store, ChromaRecords)
    return store


def records_for(settings: Settings) -> Records:
    """The deployment's account and grant store (one per data folder or Chroma server per process)."""
    if settings.chroma_host:
        return server_records(settings, ACCESS_COLLECTION)
    key = ("file", str(settings.data_dir.resolve()))
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = FileRecords(settings.data_dir / "access" / "access.json")
        return _STORES[key]
