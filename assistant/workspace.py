"""The Python API: a workspace bundles the index, ingestion and retrieval. UI and CLI are thin shells over it.

    from assistant import Workspace
    ws = Workspace.open(workspace="acme")
    ws.ingest(["contracts/"])
    for p in ws.search("termination for convenience notice", k=5): print(p.chunk.file_name, p.chunk.section_path)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Iterable

from .catalog import DocumentInfo
from .config import Settings
from .index import Index
from .ingest import FileResult, IngestReport, Ingestor
from .models import Document, Passage
from .retrieval import HybridRetriever, RetrievalResult


class Workspace:
    def __init__(self, settings: Settings, index: Index | None = None):
        self.settings = settings
        self.index = index or Index(settings)

    @classmethod
    def open(cls, settings: Settings | None = None, **overrides) -> "Workspace":
        """Open (creating if needed) the workspace named in settings or ``workspace=...``."""
        base = settings or Settings()
        return cls(base.model_copy(update=overrides) if overrides else base)

    @property
    def name(self) -> str:
        return self.settings.workspace

    @functools.cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.settings)

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        names: dict[str, str] | None = None,
        deal: str = "",
        progress: Callable[[int, int, FileResult], None] | None = None,
    ) -> IngestReport:
        return Ingestor(self.index).run(paths, names=names, deal=deal, progress=progress)

    def retrieve(self, query: str, k: int | None = None, documents: list[str] | None = None, with_focus: bool = True) -> RetrievalResult:
        """Hybrid retrieval; ``documents`` (file names or ids) restricts the search; the result's ``focus`` is the
        best-answering sentences of the top passages (``with_focus=False`` skips it)."""
        doc_ids = [self.index.find(d).doc_id for d in documents] if documents else None
        return self.retriever.run(query, k=k, doc_ids=doc_ids, with_focus=with_focus)

    def search(self, query: str, k: int | None = None, documents: list[str] | None = None) -> list[Passage]:
        return self.retrieve(query, k, documents, with_focus=False).passages

    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def deals(self) -> dict[str, list[DocumentInfo]]:
        """Documents grouped by deal (documents ingested without one are left out)."""
        grouped: dict[str, list[DocumentInfo]] = {}
        for info in self.documents():
            if info.deal:
                grouped.setdefault(info.deal, []).append(info)
        return grouped

    def set_deal(self, name_or_id: str, deal: str) -> None:
        """Put a document into a deal ('' takes it out)."""
        self.index.catalog.set_deal(self.index.find(name_or_id).doc_id, deal)

    def audit(self, *, documents: list[str] | None = None, by: str = "document", playbook=None) -> list:
        """Clause audit of this workspace's documents (or those named), one result per document or per deal.

        ``by='deal'`` audits each deal's documents together; documents without a deal are audited alone.
        """
        if by not in ("document", "deal"):
            raise ValueError(f"unknown grouping {by!r}; valid: document, deal")
        infos = [self.index.find(d) for d in documents] if documents else self.documents()
        auditor = self.auditor(playbook)
        results = []
        if by == "deal":
            deals: dict[str, list[DocumentInfo]] = {}
            for info in infos:
                deals.setdefault(info.deal or f"\0{info.doc_id}", []).append(info)
            for deal, members in deals.items():
                if deal.startswith("\0"):
                    results.append(auditor.run([members[0].doc_id], members[0].file_name, "document"))
                else:
                    results.append(auditor.run([m.doc_id for m in members], deal, "deal"))
        else:
            results = [auditor.run([info.doc_id], info.file_name, "document") for info in infos]
        return results

    def auditor(self, playbook=None):
        """The clause auditor for a playbook (a Playbook, a file, or None for the default), kept for the next call:
        building one loads the playbook and embeds its exemplars."""
        from .audit import ClauseAuditor
        from .playbook import Playbook, load_playbook

        key = playbook if isinstance(playbook, Playbook) else str(Path(playbook).resolve()) if playbook else ""
        cached = self.__dict__.get("_auditor")
        if cached is None or not (cached[0] is key or (isinstance(key, str) and cached[0] == key)):
            book = playbook if isinstance(playbook, Playbook) else load_playbook(playbook)
            cached = self.__dict__["_auditor"] = (key, ClauseAuditor(self.index, book))
        return cached[1]

    @functools.cached_property
    def answerer(self):
        """The answerer the settings select (extractive unless ``llm_provider`` names a model); built once."""
        from .answering import make_answerer

        return make_answerer(self, self.settings)

    def ask(self, question: str, history=(), user: str = ""):
        """Answer a question with verified citations and record it in the workspace's audit trail.

        ``history`` holds the previous (question, answer text) pairs, oldest first; ``user`` is who asked.
        """
        from .trail import record

        answer = self.answerer.run(question, history)
        record(self.settings, answer, user=user)
        return answer

    def document(self, name_or_id: str) -> Document:
        return self.index.document(self.index.find(name_or_id).doc_id)

    def remove(self, name_or_id: str) -> DocumentInfo:
        return self.index.remove(name_or_id)

    def close(self) -> None:
        self.index.close()


def list_workspaces(settings: Settings) -> list[str]:
    folder = settings.data_dir / "workspaces"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
