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

    def __reduce__(self):
        """Picklable with its two arguments, so a loader's error crosses back from the worker process intact."""
        return (type(self), (self.path, self.detail))


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


class ParseLimitError(IngestError):
    """Reading the file needed more time or memory than the limits allow (``parse_timeout_s``, ``parse_memory_mb``)."""

    reason = "over_limits"


class WorkspaceBusyError(AssistantError):
    """Another process held the workspace's write lock for longer than ``lock_timeout_s``."""


class IngestRunError(AssistantError):
    """The ingest run itself failed (the store could not be written), not one file; ``report`` holds what was done."""

    def __init__(self, message: str, report=None):
        self.report = report
        super().__init__(message)


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


class AccessDeniedError(AssistantError, PermissionError):
    """The signed-in user's role in a workspace does not allow the action; the message names the role it needs."""


class AccountError(AssistantError, ValueError):
    """A user account could not be added or changed (a name taken or invalid, a password too short, an unknown user)."""


class LoginLockedError(AssistantError):
    """Too many failed sign-ins for an account or an address: refused until ``retry_after`` seconds have passed."""

    def __init__(self, message: str, retry_after: float):
        self.retry_after = retry_after
        super().__init__(message)
