"""Files and folders -> the index, one file at a time: a bad file is reported and the batch goes on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import IngestError, UnsupportedFileError
from .index import Index
from .loaders import kind_of, load_document


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
        counts = {s: len(self.by_status(s)) for s in ("added", "replaced", "unchanged", "skipped", "failed")}
        parts = [f"{n} {s}" for s, n in counts.items() if n]
        return f"{', '.join(parts) or 'nothing to do'}; {self.chunks} new chunks in {self.seconds:.1f}s"


def expand_paths(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Files to ingest, with whether the user named them (named files of a wrong type fail; found ones are skipped).

    In folders, names starting with '.' or '_' (hidden files, sources, drafts) are left out, at any depth."""
    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += [
                (p, False) for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            ]
        else:
            found.append((path, True))
    return found


class Ingestor:
    """``run(paths)`` ingests files and folders into one workspace index."""

    def __init__(self, index: Index):
        self.index = index

    def run(
        self,
        paths: Iterable[str | Path],
        *,
        names: dict[str, str] | None = None,
        deal: str = "",
        progress: Callable[[int, int, FileResult], None] | None = None,
    ) -> IngestReport:
        """``names`` maps a path to its display name (browser uploads arrive as temporary files)."""
        started = time.perf_counter()
        report = IngestReport(repaired=self.index.repair())
        targets = expand_paths(paths)
        for number, (path, named) in enumerate(targets, 1):
            result = self.ingest_file(path, name=(names or {}).get(str(path)), named=named, deal=deal)
            report.files.append(result)
            if progress:
                progress(number, len(targets), result)
        report.seconds = time.perf_counter() - started
        return report

    def ingest_file(self, path: Path, name: str | None = None, named: bool = True, deal: str = "") -> FileResult:
        started = time.perf_counter()
        display = name or str(path)
        try:
            kind_of(display)
        except UnsupportedFileError as error:
            return FileResult(display, "failed" if named else "skipped", reason=error.reason, detail=str(error))
        source_key = name or str(path.resolve())
        try:
            stat = path.stat()
            known = self.index.catalog.source(source_key)
            if known and known[1] == stat.st_size and known[2] == stat.st_mtime and self.index.catalog.has_document(known[0]):
                if deal:
                    self.index.catalog.set_deal(known[0], deal)
                return FileResult(display, "unchanged", doc_id=known[0], seconds=time.perf_counter() - started)
            document = load_document(path, name=name, max_bytes=int(self.index.settings.max_file_mb * 1e6))
            added = self.index.add(document, source_key, stat.st_mtime, deal=deal)
        except IngestError as error:
            return FileResult(display, "failed", reason=error.reason, detail=str(error), seconds=time.perf_counter() - started)
        except OSError as error:
            return FileResult(display, "failed", reason="unreadable", detail=f"{display}: {error.strerror or error}", seconds=time.perf_counter() - started)
        return FileResult(
            display, added.status, doc_id=added.doc_id, chunks=added.chunks, embedded=added.embedded,
            pages=document.pages, characters=len(document.text), seconds=time.perf_counter() - started,
        )
