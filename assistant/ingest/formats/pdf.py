"""PDF (pypdf): one text block per page, with the offset where each page starts."""

from __future__ import annotations

import io
import zlib

from ...core.documents import HeadingHint
from ...core.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    ScannedDocumentError,
)
from ..hidden_pdf import marked_page_text
from ..pdf_checks import textless_error
from .builder import PAGE_SEPARATOR, TextBuilder

MIN_TEXT_CHARS_PER_PAGE = 20


def read_pdf(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
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
        page_texts = [marked_page_text(page) for page in reader.pages]
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
    if sum(len(t.strip()) for t in page_texts) < MIN_TEXT_CHARS_PER_PAGE * max(1, len(page_texts)) / 4:
        raise textless_error(reader, name, len(page_texts))
    builder = TextBuilder()
    for page_text in page_texts:
        start = builder.length + (len(PAGE_SEPARATOR) if builder.length else 0)
        before = builder.length
        builder.add(page_text, separator=PAGE_SEPARATOR)
        builder.page_starts.append(start if builder.length != before else builder.length)
    return builder.text(), builder.page_starts, []
