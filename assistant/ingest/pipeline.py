"""Files and folders -> the index, one file at a time: load -> structure -> chunk -> store.

A bad file is reported (typed reason, message naming the file) and the batch goes on, whatever went wrong in
reading it: files are read in worker processes within time and memory limits (``sandbox``). A file whose
content hash is the one recorded for it is unchanged (an edit that keeps size and modification time is still
seen); the same bytes under another name are linked to the document already stored, not read, chunked or
embedded again, and can be found by either name. PDF pages without a text layer are read by OCR (setting ``ocr``),
with ``ocr_progress`` told before each page; a page OCR cannot read is a warning of that file's result, not a
failure. When the store itself cannot be written the run stops with an ``IngestRunError`` carrying the report so
far: that is the run failing, not a file.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core.documents import Document
from ..core.errors import (
    AssistantError,
    IngestError,
    IngestRunError,
    ScannedDocumentError,
    UnsupportedFileError,
)
from ..core.settings import Settings
from ..index.store import AddResult, Index, RepairResult
from .chunking import chunk_document
from .files import display_path, document_id, expand_paths, kind_of
from .loading import Limits, empty_pages, load_document
from .ocr import OcrProgress, ScanReader, shared_engine
from .sandbox import read_file

STATUSES = ("added", "replaced", "unchanged", "skipped", "failed")


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str  # added | replaced | unchanged | failed | skipped
    doc_id: str = ""
    chunks: int = 0
    embedded: int = 0
    pages: int = 0
    characters: int = 0
    reason: str = ""
    detail: str = ""
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()  # read, but a reviewer should know: hidden text, empty pages, a guessed encoding, pages OCR could not read
    ocr_pages: tuple[int, ...] = ()  # 1-based pages read by OCR

    @property
    def ok(self) -> bool:
        return self.status in ("added", "replaced", "unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "warnings": list(self.warnings), "ocr_pages": list(self.ocr_pages)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FileResult":
        return cls(**{**data, "warnings": tuple(data.get("warnings", ())), "ocr_pages": tuple(data.get("ocr_pages", ()))})


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    repair: RepairResult = field(default_factory=RepairResult)
    error: str = ""  # set when the run itself failed (see IngestRunError)

    @property
    def repaired(self) -> int:
        """Inconsistencies the reconciliation before the run fixed (stray and missing vectors, orphan documents)."""
        return self.repair.strays + self.repair.restored + self.repair.orphans

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("added", "replaced"))

    def summary(self) -> str:
        counts = {s: len(self.by_status(s)) for s in STATUSES}
        parts = [f"{n} {s}" for s, n in counts.items() if n]
        return f"{', '.join(parts) or 'nothing to do'}; {self.chunks} new chunks in {self.seconds:.1f}s"

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "seconds": round(self.seconds, 3), "repaired": self.repaired,
                "repair": self.repair.to_dict(), "summary": self.summary(), "error": self.error}


class Ingestor:
    """``run(paths)`` ingests files and folders into one workspace index."""

    def __init__(self, index: Index, settings: Settings):
        self.index = index
        self.settings = settings

    def run(
        self,
        paths: Iterable[str | Path],
        *,
        names: dict[str, str] | None = None,
        deal: str = "",
        progress: Callable[[int, int, FileResult], None] | None = None,
        ocr_progress: Callable[[OcrProgress], None] | None = None,
    ) -> IngestReport:
        """``names`` maps a path to its display name (browser uploads arrive as temporary files); ``progress`` hears
        after each file, ``ocr_progress`` before each page read by OCR."""
        started = time.perf_counter()
        report = IngestReport()
        try:
            report.repair = self.index.repair()
            targets = expand_paths(paths)
            for number, (path, named) in enumerate(targets, 1):
                result = self.ingest_file(path, name=(names or {}).get(str(path)), named=named, deal=deal, ocr_progress=ocr_progress)
                report.files.append(result)
                if progress:
                    progress(number, len(targets), result)
        except IngestRunError as error:
            report.error = str(error)
            error.report = report
            raise
        except Exception as error:  # the store could not be written or read: the run failed, not a file
            report.error = f"ingest stopped: the workspace store failed ({type(error).__name__}: {error})"
            raise IngestRunError(report.error, report) from error
        finally:
            report.seconds = time.perf_counter() - started
        return report

    def ingest_file(self, path: Path, name: str | None = None, named: bool = True, deal: str = "",
                    ocr_progress: Callable[[OcrProgress], None] | None = None) -> FileResult:
        """One file: a typed per-file failure for anything wrong with the file; an ``IngestRunError`` when the store failed."""
        started = time.perf_counter()
        display = name or display_path(path)
        try:
            kind_of(display)
        except UnsupportedFileError as error:
            return FileResult(display, "failed" if named else "skipped", reason=error.reason, detail=str(error))
        source_key = name or display_path(path.resolve())
        if not path.exists():
            return FileResult(display, "failed", reason="not_found", detail=f"{display}: not found")
        try:
            document, status = self._read(path, name, display, source_key, deal, ocr_progress)
        except IngestError as error:
            return FileResult(display, "failed", reason=error.reason, detail=str(error), seconds=time.perf_counter() - started)
        except OSError as error:
            return FileResult(display, "failed", reason="unreadable", detail=f"{display}: {error.strerror or error}", seconds=time.perf_counter() - started)
        if status is not None:
            return FileResult(display, status.status, doc_id=status.doc_id, chunks=status.chunks, seconds=time.perf_counter() - started)
        assert document is not None
        try:
            chunks = chunk_document(document, self.settings.chunk_max_tokens, self.settings.chunk_min_tokens)
        except Exception as error:  # a document the chunker cannot handle is that file's problem
            return FileResult(display, "failed", reason="unreadable", detail=f"{display}: could not be split into passages "
                              f"({type(error).__name__}: {error})", seconds=time.perf_counter() - started)
        try:
            added = self.index.add(document, chunks, source_key, path.stat().st_mtime, deal=deal)
        except AssistantError:
            raise
        except Exception as error:
            raise IngestRunError(f"ingest stopped at {display}: the workspace store could not be written ({type(error).__name__}: {error})") from error
        warnings = tuple(f.label for f in document.flags) + document.warnings
        return FileResult(
            display, added.status, doc_id=added.doc_id, chunks=added.chunks, embedded=added.embedded,
            pages=document.pages, characters=len(document.text), seconds=time.perf_counter() - started, warnings=warnings,
            ocr_pages=document.ocr_pages,
        )

    def _read(self, path: Path, name: str | None, display: str, source_key: str, deal: str,
              ocr_progress: Callable[[OcrProgress], None] | None = None):
        """(document, None) for content to add, or (None, AddResult) when it is already stored (unchanged or linked).
        The content hash decides, not size and modification time."""
        size = path.stat().st_size
        limits = Limits.of(self.settings)
        if limits.max_bytes is None or size <= limits.max_bytes:
            doc_id = document_id(path.read_bytes())
            known = self.index.source(source_key)
            if known and known[0] == doc_id and self.index.has_document(doc_id):
                if deal:
                    self.index.set_deal(doc_id, deal)
                return None, AddResult("unchanged", doc_id, 0, 0)  # nothing written: re-ingesting costs nothing
            if self.index.has_document(doc_id):
                linked = self.index.link(doc_id, source_key, size, path.stat().st_mtime, name or display_path(path.name), deal)
                if linked is not None:
                    return None, linked
        shown = name or display_path(path.name)
        if not self.settings.ocr or kind_of(shown) != "pdf":
            return read_file(path, shown, limits, self.settings), None
        try:
            document = read_file(path, shown, limits, self.settings)
        except ScannedDocumentError:
            document = None
        if document is not None and not empty_pages(document.text, list(document.page_starts)):
            return document, None
        return self._read_scans(path, shown, limits, ocr_progress), None

    def _read_scans(self, path: Path, name: str, limits: Limits, ocr_progress: Callable[[OcrProgress], None] | None) -> Document:
        """A PDF with pages that have no text layer, read again with OCR for them. The worker's text pass has shown
        that the file parses within the limits; OCR runs here, in-process, where the engine is loaded once and each
        page's progress can be told (it takes seconds a page, beyond any reader's time limit)."""
        reader = ScanReader(shared_engine(), self.settings.ocr_dpi, ocr_progress)
        return load_document(path, name=name, limits=limits, ocr=reader)
