"""Files -> ``Document``: PDF (pypdf), DOCX (python-docx), TXT/Markdown, HTML.

Every loader builds the document text itself and records where pages and format-level headings
start, so later offsets are exact. Bad input raises a typed ``IngestError`` naming file and reason.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    ScannedDocumentError,
    UnsupportedFileError,
)
from .models import Document, HeadingHint

PAGE_SEPARATOR = "\n\n"
KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
SUPPORTED_SUFFIXES = tuple(sorted(KINDS))
MIN_TEXT_CHARS_PER_PAGE = 20
MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+\S.*$", re.MULTILINE)


def document_id(data: bytes) -> str:
    """Content hash: the same bytes are the same document whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:32]


def kind_of(path: str | Path) -> str:
    """The loader kind for a file name, or UnsupportedFileError naming the supported types."""
    suffix = Path(path).suffix.lower()
    if suffix not in KINDS:
        raise UnsupportedFileError(str(path), f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return KINDS[suffix]


@dataclass
class TextBuilder:
    """Appends blocks of text while remembering page starts and heading spans."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    page_starts: list[int] = field(default_factory=list)
    headings: list[HeadingHint] = field(default_factory=list)

    def add(self, block: str, separator: str = "\n", heading_level: int | None = None) -> None:
        block = block.strip()
        if not block:
            return
        if self.length:
            self.parts.append(separator)
            self.length += len(separator)
        if heading_level is not None:
            self.headings.append(HeadingHint(self.length, self.length + len(block), heading_level))
        self.parts.append(block)
        self.length += len(block)

    def text(self) -> str:
        return "".join(self.parts)


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
    text, page_starts, headings = _LOADERS[kind](data, display)
    if not text.strip():
        raise EmptyDocumentError(display, "no text found in the file")
    return Document(
        id=document_id(data),
        source=str(path),
        file_name=display,
        kind=kind,
        text=text,
        page_starts=tuple(page_starts),
        title=_title(text, headings),
        headings=tuple(headings),
        size_bytes=size,
    )


def _title(text: str, headings: list[HeadingHint]) -> str:
    """First heading, else the first non-empty line, cut to a readable length."""
    if headings:
        return text[headings[0].start : headings[0].end].lstrip("# ").strip()[:160]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""


def _load_pdf(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptDocumentError(name, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise EncryptedDocumentError(name, f"PDF is encrypted and cannot be opened ({exc})") from exc
            if not opened:
                raise EncryptedDocumentError(name, "PDF is password-protected; remove the password and upload it again")
        page_texts = [(page.extract_text() or "") for page in reader.pages]
    except (EncryptedDocumentError, ScannedDocumentError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib_error()) as exc:
        raise CorruptDocumentError(name, f"PDF is damaged or unreadable ({type(exc).__name__}: {exc})") from exc
    if not page_texts:
        raise EmptyDocumentError(name, "PDF has no pages")
    if sum(len(t.strip()) for t in page_texts) < MIN_TEXT_CHARS_PER_PAGE * max(1, len(page_texts)) / 4:
        raise ScannedDocumentError(
            name, f"PDF has {len(page_texts)} page(s) but no text layer (scanned image?); run OCR first, e.g. ocrmypdf"
        )
    builder = TextBuilder()
    for page_text in page_texts:
        start = builder.length + (len(PAGE_SEPARATOR) if builder.length else 0)
        before = builder.length
        builder.add(page_text, separator=PAGE_SEPARATOR)
        builder.page_starts.append(start if builder.length != before else builder.length)
    return builder.text(), builder.page_starts, []


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _load_docx(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        parsed: DocxDocument = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise EncryptedDocumentError(name, "DOCX is password-protected (or a legacy .doc); save it unprotected as .docx") from exc
        raise CorruptDocumentError(name, f"DOCX is damaged or not a Word document ({type(exc).__name__}: {exc})") from exc
    builder = TextBuilder()
    for block in parsed.iter_inner_content():
        if isinstance(block, Paragraph):
            builder.add(block.text, heading_level=_docx_heading_level(block))
        elif isinstance(block, Table):
            for row in block.rows:
                cells = _unique_cells(row.cells)
                builder.add(" | ".join(cells))
    return builder.text(), [0], builder.headings


def _unique_cells(cells: list) -> list[str]:
    """Merged cells repeat in python-docx rows; keep each cell once."""
    seen: list = []
    texts: list[str] = []
    for cell in cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        texts.append(" ".join(cell.text.split()))
    return texts


def _docx_heading_level(paragraph) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 0
    match = re.match(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the best guess of charset-normalizer."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFileError(name, "file looks binary (NUL bytes), not text")
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise CorruptDocumentError(name, "text encoding could not be detected")
    return str(best)


def _load_text(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    text = decode_text(data, name)
    return text, [0], []


def _load_markdown(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    text = decode_text(data, name)
    headings = [HeadingHint(m.start(), m.end(), len(m.group(1))) for m in MARKDOWN_HEADING.finditer(text)]
    return text, [0], headings


BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dt", "dd", "caption", "section", "article", "td", "th", "br", "title"}


def _load_html(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data, name), "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    builder = TextBuilder()
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd", "caption"]):
        if element.find_parent(["p", "li", "tr", "pre", "blockquote", "dd"]) is not None:
            continue
        if element.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in element.find_all(["td", "th"])]
            builder.add(" | ".join(cells))
        elif element.name == "pre":
            builder.add(element.get_text())
        else:
            level = int(element.name[1]) if element.name[0] == "h" and element.name[1:].isdigit() else None
            builder.add(" ".join(element.get_text(" ").split()), heading_level=level)
    if not builder.length:
        body = soup.body or soup
        builder.add(" ".join(body.get_text(" ").split()))
    return builder.text(), [0], builder.headings


_LOADERS = {"pdf": _load_pdf, "docx": _load_docx, "txt": _load_text, "md": _load_markdown, "html": _load_html}
