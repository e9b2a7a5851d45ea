"""Typed errors for bad input: each names the file and says why, so a batch can report and go on."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error the assistant raises on purpose."""


class IngestError(AssistantError):
    """A file could not be turned into a document. ``reason`` is a short machine-friendly code."""

    reason = "unreadable"

    def __init__(self, path: str, detail: str):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {detail}")


class UnsupportedFileError(IngestError):
    reason = "unsupported"


class EmptyDocumentError(IngestError):
    reason = "empty"


class EncryptedDocumentError(IngestError):
    reason = "encrypted"


class ScannedDocumentError(IngestError):
    reason = "scanned"


class CorruptDocumentError(IngestError):
    reason = "corrupt"


class OcrPageError(IngestError):
    """One page of a scanned PDF could not be read by OCR (not rendered, engine failed, nothing recognised).
    The rest of the document is kept; the ingest report carries this as a warning naming file and page."""

    reason = "ocr_failed"

    def __init__(self, path: str, page: int, detail: str):
        self.page = page
        super().__init__(path, f"page {page}: {detail}")


class FileTooLargeError(IngestError):
    reason = "too_large"


class NotFoundError(AssistantError, LookupError):
    """A document, workspace, file or clause named by the user does not exist; the message lists the valid ones."""


class AmbiguousNameError(NotFoundError):
    """A name matches several documents; ``candidates`` lists their file names."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = list(candidates)
        super().__init__(message)


class PortInUseError(AssistantError):
    """The web app's port is taken by another program."""


class ModelIntegrityError(AssistantError):
    """A bundled model or tokenizer file does not match its pinned sha256."""
