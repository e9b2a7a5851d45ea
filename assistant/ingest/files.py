"""Which files to read: supported types by suffix, folders expanded, and the content hash that names a document."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from ..core.errors import UnsupportedFileError

KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
SUPPORTED_SUFFIXES = tuple(sorted(KINDS))


def document_id(data: bytes) -> str:
    """Content hash: the same bytes are the same document whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:32]


def kind_of(path: str | Path) -> str:
    """The loader kind for a file name, or UnsupportedFileError naming the supported types."""
    suffix = Path(path).suffix.lower()
    if suffix not in KINDS:
        raise UnsupportedFileError(str(path), f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return KINDS[suffix]


def expand_paths(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Files to ingest, with whether the user named them (named files of a wrong type fail; found ones are skipped).

    In folders, names starting with '.' or '_' (hidden files, sources, drafts) are left out, at any depth."""
    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += [
                (p, False) for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            ]
        else:
            found.append((path, True))
    return found


def display_path(path: str | Path) -> str:
    """A path as text that can be shown and stored: bytes of a file name that are not UTF-8 become ``\\xNN``
    (the catalog and JSON cannot hold the lone surrogates Python uses for them)."""
    import os

    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")
