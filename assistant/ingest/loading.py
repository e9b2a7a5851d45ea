"""Files -> ``Document``: the size limits, the reader for the file's format, the flags, the warnings, the title.

Every reader builds the document text itself and records where pages and format-level headings
start, so later offsets are exact; ``canonical`` then normalises the text (with a map back). Text a reader marked as hidden and sentences that read as instructions
become the document's flags; what a reviewer should know about how the file was read (pages without text, a
guessed encoding, pages OCR could not read) becomes its warnings. Bad input raises a typed ``IngestError`` naming
file and reason. PDF pages without a text layer are read by OCR when a ``ScanReader`` is given
(``Document.ocr_pages``). ``sandbox.read_file`` runs this without OCR in a worker process within time and memory
limits; the pipeline reads a PDF with textless pages again with OCR once that pass has shown it can be parsed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.documents import Document
from ..core.errors import CorruptDocumentError, EmptyDocumentError, FileTooLargeError
from ..core.settings import Settings
from .canonical import canonical
from .encodings import decode
from .files import document_id, kind_of
from .flagging import document_flags, instruction_flags
from .formats import READERS
from .formats.pdf import read_pdf_pages
from .hidden import take_marks
from .ocr import ScanReader
from .structure import document_title

TEXT_KINDS = ("txt", "md", "html")
MIN_PAGE_CHARS = 20  # a page with less text than this is reported as empty (scanned, or an image of text)


@dataclass(frozen=True)
class Limits:
    """What one file may cost: its size on disk and, for DOCX, what its parts unpack to."""

    max_bytes: int | None = None
    max_unpacked_bytes: int | None = None

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(int(settings.max_file_mb * 1e6), int(settings.max_unpacked_mb * 1e6))


def load_document(path: str | Path, *, name: str | None = None, max_bytes: int | None = None, limits: Limits | None = None,
                  ocr: ScanReader | None = None) -> Document:
    """Load one file. ``name`` overrides the displayed file name (e.g. for browser uploads); ``ocr`` reads scanned pages."""
    limits = limits or Limits(max_bytes)
    path = Path(path)
    display = name or path.name
    kind = kind_of(display)
    if not path.is_file():
        raise CorruptDocumentError(display, "file not found or not a regular file")
    size = path.stat().st_size
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise FileTooLargeError(display, f"file is {size / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit (setting max_file_mb)")
    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocumentError(display, "file is empty")
    if kind == "docx":
        check_unpacked_size(data, display, limits.max_unpacked_bytes)
    ocr_pages: tuple[int, ...] = ()
    ocr_warnings: tuple[str, ...] = ()
    if kind == "pdf" and ocr is not None:
        pages = read_pdf_pages(data, display, ocr)
        (raw_text, raw_starts, raw_headings), ocr_pages, ocr_warnings = pages.joined(), pages.ocr_pages, pages.warnings
    else:
        raw_text, raw_starts, raw_headings = READERS[kind](data, display)
    visible, visible_starts, visible_headings, hidden = take_marks(raw_text, raw_starts, raw_headings)
    if not visible.strip():
        raise EmptyDocumentError(display, "no text found in the file")
    normal = canonical(visible, visible_starts, visible_headings, kind)
    text, page_starts, headings = normal.text, list(normal.page_starts), list(normal.headings)
    hidden = [replace(f, start=normal.source_map.to_canonical(f.start), end=normal.source_map.to_canonical(f.start)) for f in hidden]  # zero-width cuts
    doc_id = document_id(data)
    flags = document_flags(doc_id, display, text, page_starts, hidden + instruction_flags(text, hidden))
    encoding, warnings = "", []
    if kind in TEXT_KINDS:
        decoded = decode(data, display)
        encoding = decoded.encoding
        if decoded.uncertain:
            warnings.append(decoded.warning())
    warnings.extend(ocr_warnings)
    empty = [] if ocr is not None and kind == "pdf" else empty_pages(text, page_starts)  # OCR names the pages it could not read
    if empty:
        warnings.append(f"{_pages_label(empty)} {'has' if len(empty) == 1 else 'have'} no text (scanned or an image?): "
                        "their content is not searched or audited; run OCR on the file to include it")
    document = Document(
        id=doc_id,
        source=str(path),
        file_name=display,
        kind=kind,
        text=text,
        page_starts=tuple(page_starts),
        headings=tuple(h for h in headings if not any(f.covers(h.start, h.end) for f in flags)),
        size_bytes=size,
        flags=flags,
        warnings=tuple(warnings),
        encoding=encoding,
        source_map=normal.source_map,
        ocr_pages=ocr_pages,
    )
    return replace(document, title=document_title(document.visible_text(), list(document.headings)))


def check_unpacked_size(data: bytes, name: str, limit: int | None) -> None:
    """Refuse a DOCX whose parts unpack to more than ``limit`` bytes (a 442 KB zip bomb once inflated to 899 MB),
    from the sizes its zip directory declares, before any part is read (a part is never read past its declared size)."""
    if limit is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: the reader says what it is (damaged, or password-protected)
    if total > limit:
        raise FileTooLargeError(name, f"DOCX unpacks to {total / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit "
                                      "(setting max_unpacked_mb); it may be a zip bomb")


def empty_pages(text: str, page_starts: list[int]) -> list[int]:
    """1-based numbers of the pages with (almost) no text, for documents with more than one page."""
    if len(page_starts) < 2:
        return []
    ends = list(page_starts[1:]) + [len(text)]
    return [n for n, (a, b) in enumerate(zip(page_starts, ends), 1) if len(text[a:b].strip()) < MIN_PAGE_CHARS]


def _pages_label(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:12])) + (f" and {len(pages) - 12} more" if len(pages) > 12 else "")
    return f"page {shown}" if len(pages) == 1 else f"pages {shown}"

