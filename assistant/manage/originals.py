"""The original files a workspace keeps: a Word redline is written onto the very DOCX that was ingested, and a
browser upload is a temporary file that is gone by the time a reviewer asks for one. Files are kept by document id
(the content hash), so a kept file is always the one whose text the offsets index."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..ingest.files import document_id

KEPT_SUFFIXES = (".docx",)


class Originals:
    def __init__(self, folder: Path):
        self.folder = folder

    def keep(self, path: Path, doc_id: str) -> Path | None:
        """Copy ``path`` in (once) when it is a kind a redline is written on."""
        suffix = path.suffix.lower()
        if suffix not in KEPT_SUFFIXES:
            return None
        target = self.folder / f"{doc_id}{suffix}"
        if not target.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            shutil.copyfile(path, partial)
            partial.replace(target)
        return target

    def find(self, doc_id: str, suffix: str) -> Path | None:
        """The kept file of a document, checked against its id; None when it is not kept (or was damaged since)."""
        target = self.folder / f"{doc_id}{suffix}"
        return target if target.is_file() and document_id(target.read_bytes()) == doc_id else None

    def drop(self, doc_id: str) -> None:
        for path in self.folder.glob(f"{doc_id}.*") if self.folder.is_dir() else ():
            path.unlink(missing_ok=True)
