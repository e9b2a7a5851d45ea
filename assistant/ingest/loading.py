"""Files -> ``Document``: the size limit, the reader for the file's format, the title.

Every reader builds the document text itself and records where pages and format-level headings
start, so later offsets are exact. Bad input raises a typed ``IngestError`` naming file and reason.
"""

from __future__ import annotations

from pathlib import Path

from ..core.documents import Document, HeadingHint
from ..core.errors import CorruptDocumentError, EmptyDocumentError, FileTooLargeError
from .files import document_id, kind_of
from .formats import READERS


def load_document(path: str | Path, *, name: str | None = None, max_bytes: int | None = None) -> Document:
    """Load one file. ``name`` overrides the displayed file name (e.g. for browser uploads)."""
    path = Path(path)
    display = name or path.name
    kind = kind_of(display)
    if not path.is_file():
        raise CorruptDocumentError(display, "file not found or not a regular file")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise FileTooLargeError(display, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (setting max_file_mb)")
    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocumentError(display, "file is empty")
    text, page_starts, headings = READERS[kind](data, display)
    if not text.strip():
        raise EmptyDocumentError(display, "no text found in the file")
    return Document(
        id=document_id(data),
        source=str(path),
        file_name=display,
        kind=kind,
        text=text,
        page_starts=tuple(page_starts),
        title=document_title(text, headings),
        headings=tuple(headings),
        size_bytes=size,
    )


def document_title(text: str, headings: list[HeadingHint]) -> str:
    """First heading, else the first non-empty line, cut to a readable length."""
    if headings:
        return text[headings[0].start : headings[0].end].lstrip("# ").strip()[:160]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""
