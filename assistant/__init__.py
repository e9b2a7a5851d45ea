"""Contract review assistant for IT outsourcing: ingest, retrieve, audit, answer. Offline by default."""

from .config import Settings
from .workspace import Workspace, list_workspaces

__all__ = ["Settings", "Workspace", "list_workspaces"]
