"""Files and folders -> the index, one file at a time: load -> structure -> chunk -> store.

A bad file is reported (typed reason, message naming the file) and the batch goes on. A file whose
size and modification time are those recorded for it is skipped; the same bytes under another name
are linked to the document already stored, not chunked or embedded again. PDF pages without a text layer are
read by OCR (setting ``ocr``), with ``ocr_progress`` told before each page; a page OCR cannot read is a warning
of that file's result, not a failure.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core.errors import IngestError, UnsupportedFileError
from ..core.settings import Settings
from ..index.store import Index
from .chunking import chunk_document
from .files import expand_paths, kind_of
from .loading import load_document
from .ocr import OcrProgress, ScanReader, shared_engine

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
    warnings: tuple[str, ...] = ()  # read, but a reviewer should know: pages OCR could not read
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
    repaired: int = 0

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
                "summary": self.summary()}


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
        report = IngestReport(repaired=self.index.repair())
        targets = expand_paths(paths)
        for number, (path, named) in enumerate(targets, 1):
            result = self.ingest_file(path, name=(names or {}).get(str(path)), named=named, deal=deal, ocr_progress=ocr_progress)
            report.files.append(result)
            if progress:
                progress(number, len(targets), result)
        report.seconds = time.perf_counter() - started
        return report

    def ingest_file(self, path: Path, name: str | None = None, named: bool = True, deal: str = "",
                    ocr_progress: Callable[[OcrProgress], None] | None = None) -> FileResult:
        started = time.perf_counter()
        display = name or str(path)
        try:
            kind_of(display)
        except UnsupportedFileError as error:
            return FileResult(display, "failed" if named else "skipped", reason=error.reason, detail=str(error))
        source_key = name or str(path.resolve())
        if not path.exists():
            return FileResult(display, "failed", reason="not_found", detail=f"{display}: not found")
        try:
            stat = path.stat()
            known = self.index.source(source_key)
            if known and known[1] == stat.st_size and known[2] == stat.st_mtime and self.index.has_document(known[0]):
                if deal:
                    self.index.set_deal(known[0], deal)
                return FileResult(display, "unchanged", doc_id=known[0], seconds=time.perf_counter() - started)
            ocr = ScanReader(shared_engine(), self.settings.ocr_dpi, ocr_progress) if self.settings.ocr else None
            document = load_document(path, name=name, max_bytes=int(self.settings.max_file_mb * 1e6), ocr=ocr)
            if self.index.has_document(document.id):
                added = self.index.link(document, source_key, stat.st_mtime, deal=deal)
            else:
                chunks = chunk_document(document, self.settings.chunk_max_tokens, self.settings.chunk_min_tokens)
                added = self.index.add(document, chunks, source_key, stat.st_mtime, deal=deal)
        except IngestError as error:
            return FileResult(display, "failed", reason=error.reason, detail=str(error), seconds=time.perf_counter() - started)
        except OSError as error:
            return FileResult(display, "failed", reason="unreadable", detail=f"{display}: {error.strerror or error}", seconds=time.perf_counter() - started)
        return FileResult(
            display, added.status, doc_id=added.doc_id, chunks=added.chunks, embedded=added.embedded,
            pages=document.pages, characters=len(document.text), seconds=time.perf_counter() - started,
            warnings=document.warnings, ocr_pages=document.ocr_pages,
        )
