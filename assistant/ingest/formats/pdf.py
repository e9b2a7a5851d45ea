"""PDF (pypdf): one text block per page, with the offset where each page starts.

A page whose text layer is (almost) empty is a scan: with a ``ScanReader`` it is read by OCR, page by page, so a
mixed PDF keeps its text pages as they are. A page OCR cannot read is left empty and named in a warning; only a
PDF of which no page yields text is refused (``ScannedDocumentError``). Text a page sets in bold becomes styled
heading hints (``pdf_emphasis``), for structure detection to weigh; pages read by OCR have none.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from ...core.documents import HeadingHint
from ...core.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    ScannedDocumentError,
)
from ..hidden_pdf import marked_page_text
from ..ocr import ScanReader
from ..pdf_checks import textless_error
from ..pdf_emphasis import FontRuns
from .builder import PAGE_SEPARATOR, TextBuilder

MIN_TEXT_CHARS_PER_PAGE = 20


@dataclass(frozen=True)
class PdfPages:
    """A PDF's text page by page: from its text layer, or read by OCR (``ocr_pages``, 1-based) where it has none."""

    texts: tuple[str, ...]
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()  # the pages OCR could not read, by file and page
    emphasis: tuple[tuple[tuple[int, int], ...], ...] = ()  # per page: [start, end) of its bold text

    def joined(self) -> tuple[str, list[int], list[HeadingHint]]:
        """The reader's result: the pages' text in one string, where each page starts, the styled hints."""
        builder = TextBuilder()
        hints: list[HeadingHint] = []
        for number, page_text in enumerate(self.texts):
            start = builder.length + (len(PAGE_SEPARATOR) if builder.length else 0)
            before = builder.length
            builder.add(page_text, separator=PAGE_SEPARATOR)
            builder.page_starts.append(start if builder.length != before else builder.length)
            if builder.length != before and number < len(self.emphasis) and number + 1 not in self.ocr_pages:
                shift = start - (len(page_text) - len(page_text.lstrip()))  # the builder strips the page's text
                hints += [HeadingHint(a + shift, b + shift, 2, styled=True) for a, b in self.emphasis[number]]
        return builder.text(), builder.page_starts, hints


def read_pdf(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    """The text layer only (no OCR)."""
    return read_pdf_pages(data, name).joined()


def read_pdf_pages(data: bytes, name: str, ocr: ScanReader | None = None) -> PdfPages:
    """Each page's text; pages without a text layer read by ``ocr`` when given."""
    texts, emphasis = text_layer(data, name)
    textless = [n for n, text in enumerate(texts, 1) if len(text.strip()) < MIN_TEXT_CHARS_PER_PAGE]
    if ocr is None or not textless:
        if sum(len(t.strip()) for t in texts) < MIN_TEXT_CHARS_PER_PAGE * max(1, len(texts)) / 4:
            from pypdf import PdfReader

            raise textless_error(PdfReader(io.BytesIO(data)), name, len(texts))
        return PdfPages(tuple(texts), emphasis=emphasis)
    read, failures = ocr.read(data, name, textless)
    ocr_pages = []
    for page, text in read.items():
        if len(text.strip()) > len(texts[page - 1].strip()):
            texts[page - 1] = text
            ocr_pages.append(page)
    if not any(t.strip() for t in texts):
        reasons = "; ".join(f.detail for f in failures[:3]) + ("; ..." if len(failures) > 3 else "")
        raise ScannedDocumentError(name, f"PDF has {len(texts)} page(s) but no text layer, and OCR read no text from them ({reasons})")
    return PdfPages(tuple(texts), tuple(sorted(ocr_pages)), tuple(str(f) for f in failures), emphasis)


def text_layer(data: bytes, name: str) -> tuple[list[str], tuple[tuple[tuple[int, int], ...], ...]]:
    """The text pypdf extracts from each page, and each page's emphasised spans (typed errors for files that are
    not, or not readable, PDFs)."""
    from pypdf import PdfReader
    from pypdf.errors import (
        DependencyError,
        FileNotDecryptedError,
        LimitReachedError,
        PdfReadError,
    )

    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptDocumentError(name, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:  # pypdf raises several types for unsupported crypto
                raise EncryptedDocumentError(name, f"PDF is encrypted in a way that cannot be opened here ({exc})") from exc
            except Exception as exc:
                raise EncryptedDocumentError(name, f"PDF is encrypted and cannot be opened ({type(exc).__name__}: {exc})") from exc
            if not opened:
                raise EncryptedDocumentError(name, "PDF is password-protected; remove the password and upload it again")
        page_texts, emphasis = [], []
        for page in reader.pages:
            runs = FontRuns()
            page_texts.append(marked_page_text(page, runs.add))
            emphasis.append(tuple(runs.emphasis(page_texts[-1])))
    except (EncryptedDocumentError, ScannedDocumentError):
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedDocumentError(name, "PDF is password-protected; remove the password and upload it again") from exc
    except LimitReachedError as exc:
        raise FileTooLargeError(name, f"PDF content unpacks beyond the reader's safety limits ({exc})") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error) as exc:
        raise CorruptDocumentError(name, f"PDF is damaged or unreadable ({type(exc).__name__}: {exc})") from exc
    if not page_texts:
        raise EmptyDocumentError(name, "PDF has no pages")
    return page_texts, tuple(emphasis)
