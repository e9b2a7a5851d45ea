"""Files -> ``Document``: the size limit, the reader for the file's format, the title.

Every reader builds the document text itself and records where pages and format-level headings
start, so later offsets are exact. Bad input raises a typed ``IngestError`` naming file and reason. PDF pages
without a text layer are read by OCR when a ``ScanReader`` is given (``Document.ocr_pages``, and a warning for
each page it could not read).
"""

from __future__ import annotations

from pathlib import Path

from ..core.documents import Document
from ..core.errors import CorruptDocumentError, EmptyDocumentError, FileTooLargeError
from .canonical import canonical
from .files import document_id, kind_of
from .formats import READERS
from .formats.pdf import read_pdf_pages
from .ocr import ScanReader
from .structure import document_title


def load_document(path: str | Path, *, name: str | None = None, max_bytes: int | None = None, ocr: ScanReader | None = None) -> Document:
    """Load one file. ``name`` overrides the displayed file name (e.g. for browser uploads); ``ocr`` reads scanned pages."""
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
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    if kind == "pdf":
        pages = read_pdf_pages(data, display, ocr)
        (raw, page_starts, headings), ocr_pages, warnings = pages.joined(), pages.ocr_pages, pages.warnings
    else:
        raw, page_starts, headings = READERS[kind](data, display)
    if not raw.strip():
        raise EmptyDocumentError(display, "no text found in the file")
    text = canonical(raw, page_starts, headings, kind)
    return Document(
        id=document_id(data),
        source=str(path),
        file_name=display,
        kind=kind,
        text=text.text,
        page_starts=text.page_starts,
        title=document_title(text.text, list(text.headings)),
        headings=text.headings,
        size_bytes=size,
        warnings=warnings,
        source_map=text.source_map,
        ocr_pages=ocr_pages,
    )
