"""Which workspaces a deployment has: folders under ``data_dir/workspaces`` (embedded), or the catalogs kept in the
Chroma server (server mode), so every app server pointed at the same Chroma server lists the same workspaces."""

from __future__ import annotations

from ..core.settings import Settings

CATALOG_PREFIX = "cat-"


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
