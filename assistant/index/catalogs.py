"""Which workspaces a deployment has, and where their catalogs live: one catalog interface, two backends.

Embedded (the default): a SQLite catalog per folder under ``data_dir/workspaces``. With a Chroma server: the
catalog is records in the server (``server_catalog.ServerCatalog``), so every app server pointed at the same Chroma
server lists, reads and writes the same workspaces, and its own disk holds only caches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..core.documents import Chunk, Document, DocumentInfo
from ..core.settings import Settings
from .server_catalog import CATALOG_PREFIX


class CatalogStore(Protocol):
    """What the index needs of a catalog (``catalog.Catalog`` in SQLite, ``server_catalog.ServerCatalog`` in Chroma)."""

    @property
    def generation(self) -> int: ...
    def touch(self) -> None: ...
    def source(self, key: str) -> tuple[str, int, float] | None: ...
    def touch_source(self, key: str, doc_id: str, size: int, mtime: float, file_name: str = "") -> None: ...
    def aliases(self) -> dict[str, tuple[str, ...]]: ...
    def orphan_documents(self) -> list[str]: ...
    def has_document(self, doc_id: str) -> bool: ...
    def put_document(self, document: Document, chunks: list[Chunk], source_key: str, mtime: float, deal: str = "") -> str | None: ...
    def remove_document(self, doc_id: str) -> None: ...
    def is_orphan(self, doc_id: str) -> bool: ...
    def set_deal(self, doc_id: str, deal: str) -> None: ...
    def sweep(self) -> int: ...
    def documents(self) -> list[DocumentInfo]: ...
    def document(self, doc_id: str) -> Document: ...
    def document_text(self, doc_id: str) -> str: ...
    def chunks(self, doc_id: str | None = None) -> list[Chunk]: ...
    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]: ...
    def chunk_count(self) -> int: ...
    def chunk_ids(self) -> set[str]: ...
    def doc_ids(self) -> set[str]: ...
    def close(self) -> None: ...


def open_catalog(settings: Settings, folder: Path, server_client: Any | None) -> CatalogStore:
    """The workspace's catalog: in the Chroma server when ``server_client`` is one, else SQLite in ``folder``."""
    if server_client is not None:
        from .server_catalog import ServerCatalog

        return ServerCatalog(server_client, settings.workspace)
    from .catalog import Catalog

    return Catalog(folder / "catalog.sqlite")


def list_workspaces(settings: Settings) -> list[str]:
    if settings.chroma_host:
        from .chroma import make_client

        client = make_client(None, settings.chroma_host, settings.chroma_port)
        return sorted({(c.metadata or {}).get("workspace") for c in client.list_collections()
                       if c.name.startswith(CATALOG_PREFIX) and (c.metadata or {}).get("workspace")})
    folder = settings.data_dir / "workspaces"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def workspace_exists(settings: Settings) -> bool:
    if settings.chroma_host:
        return settings.workspace in list_workspaces(settings)
    return settings.workspace_dir.is_dir()
