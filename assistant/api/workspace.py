"""The Python API: a workspace is one matter's documents, with everything the CLI and the web app do.

    from assistant import Settings, Workspace
    ws = Workspace(Settings(workspace="acme"))
    ws.ingest(["contracts/"])
    answer = ws.ask("How much notice to terminate for convenience?")
    results = ws.audit(by="deal")

The workspace wires the stages together (ingest -> index -> retrieval -> answer / audit) and gives each
component only the collaborators it needs; the shells import nothing else.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..access.roles import Principal
from ..answer.chat_models import answerer_label, make_chat_model
from ..answer.citing import Citer
from ..answer.clause_answers import ClauseAnswers
from ..answer.extractive import ExtractiveAnswerer
from ..answer.followups import FollowUps
from ..answer.key_term_answers import KeyTermAnswers
from ..answer.llm import LLMAnswerer
from ..answer.pipeline import Answerer, PassageFinder
from ..answer.ranking import SentenceRanker
from ..answer.tables import CrossDocumentTables
from ..answer.types import Answer
from ..audit.auditor import GROUPINGS, AuditCache, ClauseAuditor
from ..audit.findings import AuditResult
from ..audit.playbook import Playbook
from ..audit.playbook_files import load_playbook
from ..core.documents import Chunk, Document, DocumentInfo, Passage
from ..core.errors import NotFoundError
from ..core.settings import Settings
from ..core.spans import Span
from ..index.catalogs import list_workspaces, workspace_exists
from ..index.store import Index, IndexStats
from ..ingest.files import expand_paths
from ..ingest.ocr import OcrProgress
from ..ingest.pipeline import FileResult, Ingestor, IngestReport
from ..manage.originals import Originals
from ..retrieval.hybrid import HybridRetriever, RetrievalResult
from ..retrieval.names import DocumentNames
from ..retrieval.resolution import DocumentResolver
from . import trail
from .access import WorkspaceAccess, requires
from .management import Management

CONTEXT_CHARS = 600


@dataclass(frozen=True)
class SpanView:
    """A cited span in its context, for reading: ``before + text + after`` is a window of the document, widened to
    whole words at both edges (an ellipsis marks where the window cuts the document)."""

    span: Span
    before: str
    text: str
    after: str
    page: int
    pages: int

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "before": self.before, "text": self.text, "after": self.after, "page": self.page, "pages": self.pages}


def span_view(document: Document, span: Span, context: int = CONTEXT_CHARS) -> SpanView:
    """``context`` characters of ``document`` around ``span``, widened to whole words."""
    text = document.text
    start = max(0, min(span.start, len(text)))
    end = max(start, min(span.end, len(text)))
    low, high = max(0, start - context), min(len(text), end + context)
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space != -1 else low
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space != -1 else high
    before = ("\u2026" if low > 0 else "") + text[low:start]
    after = text[end:high] + ("\u2026" if high < len(text) else "")
    return SpanView(span, before, text[start:end], after, span.page or document.page_at(start), document.pages)


class Workspace(Management):
    """One workspace, as one principal sees it: every public method checks that principal's role (``requires``);
    without a principal it is the local operator's (the CLI's and scripts'), who may do everything."""

    def __init__(self, settings: Settings, playbook: Playbook | str | Path | None = None, index: Index | None = None,
                 *, principal: Principal | None = None):
        self.settings = settings
        self.access = WorkspaceAccess(settings, principal or Principal.local_operator())
        if not self.access.allows("read"):  # before the index opens: a probe must not create the workspace
            self.access.require("read", "open")
        self.playbook = playbook if isinstance(playbook, Playbook) else load_playbook(playbook or settings.playbook)
        self.index = index or Index(settings)
        self.names = DocumentNames(self.index)
        self.resolver = DocumentResolver(self.names)
        self.retriever = HybridRetriever(self.index, self.index.embedder, self.resolver, settings)
        self._chat_model: tuple[Any, str] | None = None

    @classmethod
    def open(cls, settings: Settings | None = None, *, create: bool = True, playbook: Playbook | str | Path | None = None,
             principal: Principal | None = None, **overrides) -> "Workspace":
        """Open the workspace named in settings or ``workspace=...``; with ``create=False`` a workspace that does
        not exist yet is a ``NotFoundError`` listing the ones that do (a typo must not create an empty one)."""
        base = settings or Settings()
        settings = type(base).model_validate({**base.model_dump(), **overrides}) if overrides else base  # validated: data_dir='...' is a Path
        if not create and not workspace_exists(settings):
            names = ", ".join(list_workspaces(settings)) or "(none yet: ingest documents to create one)"
            raise NotFoundError(f"no workspace {settings.workspace!r} in {settings.data_dir}; workspaces: {names}")
        return cls(settings, playbook, principal=principal)

    @property
    def name(self) -> str:
        return self.settings.workspace

    @property
    def principal(self) -> Principal:
        return self.access.principal

    def as_user(self, principal: Principal) -> "Workspace":
        """This workspace (sharing its index and caches) as ``principal`` sees it: checked like a new one."""
        view = copy.copy(self)
        view.access = WorkspaceAccess(self.settings, principal)
        view.access.require("read", "open")
        return view

    def _who(self, user: str) -> str:
        """The name recorded in the trail: a signed-in principal's own, or what the local caller says."""
        return user if self.principal.local else self.principal.name

    # -- documents -------------------------------------------------------------
    @requires("write")
    def ingest(self, paths: Iterable[str | Path], *, names: dict[str, str] | None = None, deal: str = "",
               progress: Callable[[int, int, FileResult], None] | None = None,
               ocr_progress: Callable[[OcrProgress], None] | None = None) -> IngestReport:
        """Add files and folders (one bad file never stops the batch; re-ingesting an unchanged file costs nothing).
        ``progress`` hears after each file; ``ocr_progress`` before each scanned page is read by OCR (seconds a page)."""
        paths = list(paths)
        report = Ingestor(self.index, self.settings).run(paths, names=names, deal=deal, progress=progress, ocr_progress=ocr_progress)
        changed = [f"{Path(r.path).name if names is None else names.get(r.path, Path(r.path).name)}: {r.status}"
                   for r in report.files if r.status != "unchanged"]
        if changed:
            trail.record_event(self.settings, "ingest", self._who(""), "; ".join(changed))
        for (path, _), result in zip(expand_paths(paths), report.files):  # the report lists the files in this order
            if result.ok:
                self.originals.keep(path, result.doc_id)
        return report

    @functools.cached_property
    def originals(self) -> Originals:
        """The DOCX files as ingested, kept for redlines (a browser upload is a temporary file)."""
        return Originals(self.settings.workspace_dir / "originals")

    @requires("read")
    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    @requires("read")
    def find(self, name_or_id: str) -> DocumentInfo:
        """A document by id, file name or unique part of it; ``NotFoundError`` naming the documents otherwise."""
        return self.index.find(name_or_id)

    @requires("read")
    def document(self, name_or_id: str) -> Document:
        return self.index.document(self.index.find(name_or_id).doc_id)

    @requires("read")
    def chunks(self, name_or_id: str) -> list[Chunk]:
        """A document's chunks in reading order: each with its page(s), section path and exact offsets."""
        return self.index.chunks(self.index.find(name_or_id).doc_id)

    @requires("write")
    def remove(self, name_or_id: str) -> DocumentInfo:
        info = self.index.remove(name_or_id)
        trail.record_event(self.settings, "remove", self._who(""), f"{info.file_name} ({info.doc_id[:12]})")
        if not self.index.has_document(info.doc_id):
            self.originals.drop(info.doc_id)
        return info

    @requires("read")
    def deals(self) -> dict[str, list[DocumentInfo]]:
        """Documents grouped by deal (documents ingested without one are left out)."""
        grouped: dict[str, list[DocumentInfo]] = {}
        for info in self.documents():
            if info.deal:
                grouped.setdefault(info.deal, []).append(info)
        return grouped

    @requires("write")
    def set_deal(self, name_or_id: str, deal: str) -> None:
        """Put a document into a deal ('' takes it out)."""
        info = self.index.find(name_or_id)
        self.index.set_deal(info.doc_id, deal)
        trail.record_event(self.settings, "deal", self._who(""), f"{info.file_name}: {deal or '(no deal)'}")

    @requires("read")
    def read(self, span: Span, context: int = CONTEXT_CHARS) -> SpanView:
        """A cited span in its context; ``NotFoundError`` when its document has been removed since."""
        try:
            document = self.index.document(span.doc_id)
        except KeyError:
            raise NotFoundError(f"{span.file_name} is no longer in workspace {self.name!r}") from None
        return span_view(document, span, context)

    @requires("read")
    def stats(self) -> IndexStats:
        """Documents, chunks and vectors stored: equal chunk and vector counts mean the index is consistent."""
        return self.index.stats()

    # -- search ----------------------------------------------------------------
    @requires("read")
    def retrieve(self, query: str, k: int | None = None, documents: list[str] | None = None, with_focus: bool = True) -> RetrievalResult:
        """Hybrid retrieval; ``documents`` (file names or ids) restricts the search; the result's ``focus`` is the
        best-answering sentences of the top passages (``with_focus=False`` skips it)."""
        doc_ids = [self.index.find(d).doc_id for d in documents] if documents else None
        return self.retriever.run(query, k=k, doc_ids=doc_ids, with_focus=with_focus)

    @requires("read")
    def search(self, query: str, k: int | None = None, documents: list[str] | None = None) -> list[Passage]:
        return self.retrieve(query, k, documents, with_focus=False).passages

    # -- audit -----------------------------------------------------------------
    @functools.cached_property
    def auditor(self) -> ClauseAuditor:
        """The clause auditor for this workspace's playbook (building it embeds the playbook's exemplars)."""
        return ClauseAuditor(self.index, self.index.embedder, self.playbook)

    @functools.cached_property
    def audits(self) -> AuditCache:
        return AuditCache(self.index, self.auditor)

    @requires("read")
    def audit(self, *, documents: list[str] | None = None, by: str = "document") -> list[AuditResult]:
        """Clause audit of this workspace's documents (or those named), one result per document or per deal.

        ``by='deal'`` audits each deal's documents together; documents without a deal are audited alone.
        """
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}; valid: {', '.join(GROUPINGS)}")
        infos = [self.index.find(d) for d in documents] if documents else self.documents()
        return self.audits.grouped(infos, by)

    @requires("write")
    def audit_paths(self, paths: Iterable[str | Path], *, by: str = "document",
                    progress: Callable[[str, int, int, str], None] | None = None) -> list[AuditResult]:
        """Ingest files and folders (idempotently) and audit them: the batch audit behind ``contract-assistant audit``.

        ``by='deal'``: each folder given is one deal audited as a whole. A file that cannot be read becomes a
        result with ``error`` set; the run goes on. Subjects are named by file name (with the folder it was found
        in when two files share a name), never by an absolute path. ``progress(stage, done, total, name)`` is
        called per file ingested and per subject audited.
        """
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}; valid: {', '.join(GROUPINGS)}")
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise NotFoundError(f"not found: {', '.join(missing)}")
        subjects: list[tuple[str, str, list[Path]]] = []
        for raw in paths:
            path = Path(raw)
            files = [p for p, _ in expand_paths([path])]
            if by == "deal" and path.is_dir():
                subjects.append((path.name, "deal", files))
            else:
                subjects += [(str(f), "document", [f]) for f in files]
        all_files = list(dict.fromkeys(f for _, _, files in subjects for f in files))
        shown = _display_names(all_files)
        report = self.ingest(all_files, progress=(lambda n, t, r: progress("ingest", n, t, r.path)) if progress else None,
                             ocr_progress=(lambda p: progress("OCR", p.number, p.total, p.file_name)) if progress else None)
        outcome = {Path(r.path): r for r in report.files}
        results: list[AuditResult] = []
        for number, (name, kind, files) in enumerate(subjects, 1):
            good = [outcome[f] for f in files if outcome[f].ok]
            bad = [outcome[f] for f in files if outcome[f].status == "failed"]
            if kind == "deal":
                if good:
                    results.append(self.auditor.run(list(dict.fromkeys(r.doc_id for r in good)), name, "deal"))
                results += [AuditResult(shown[Path(r.path)], "document", (), (Path(r.path).name,), error=r.detail) for r in bad]
            elif good:
                results.append(self.auditor.run([good[0].doc_id], shown[files[0]], "document"))
            elif bad:
                results.append(AuditResult(shown[files[0]], "document", (), (Path(name).name,), error=bad[0].detail))
            if progress:
                progress("audit", number, len(subjects), name)
        return results

    # -- questions -------------------------------------------------------------
    @functools.cached_property
    def answerer(self) -> Answerer:
        """The answerer the settings select (extractive unless ``llm_provider`` names a model); built once."""
        embedder, k = self.index.embedder, self.settings.retrieval_k
        citer = Citer(self.index)
        ranker = SentenceRanker(self.index, embedder, self.names, self.resolver, self.playbook)
        extractive = ExtractiveAnswerer(ranker, citer, self.index, self.name, self.playbook)
        llm = None
        if self._chat_model is not None:
            llm = LLMAnswerer(*self._chat_model, citer, extractive)
        elif self.settings.llm_provider != "none":
            llm = LLMAnswerer(make_chat_model(self.settings), answerer_label(self.settings), citer, extractive)
        return Answerer(
            FollowUps(self.resolver, self.names), self.playbook,
            CrossDocumentTables(self.index, self.audits, ranker, citer, self.retriever, self.playbook),
            ClauseAnswers(self.audits, ranker, citer, self.retriever, k),
            PassageFinder(self.retriever, k), extractive, self.index.document_text, self._file_name, llm,
            KeyTermAnswers(self.audits, citer),
        )

    def _file_name(self, doc_id: str) -> str:
        return self.index.document(doc_id).file_name

    @requires("write")
    def use_chat_model(self, model: Any | None, label: str = "llm:custom") -> None:
        """Answer with this LangChain chat model (its statements verified like any model's); ``None`` goes back to
        what the settings select."""
        self._chat_model = (model, label) if model is not None else None
        self.__dict__.pop("answerer", None)

    @requires("read")
    def scope(self, documents: Sequence[str] = (), deals: Sequence[str] = ()) -> tuple[str, ...]:
        """The doc ids a question is limited to: the documents named (by id, id prefix, file name, a prefix of it or
        its title; see ``find``) and the documents of each deal in ``deals``; () = the whole workspace."""
        ids = [self.find(name).doc_id for name in documents]
        if deals:
            known = self.deals()
            for deal in deals:
                if deal not in known:
                    raise NotFoundError(f"no deal {deal!r} in workspace {self.name!r}; deals: {', '.join(sorted(known)) or '(none)'}")
                ids += [d.doc_id for d in known[deal]]
        return tuple(dict.fromkeys(ids))

    @requires("read")
    def ask(self, question: str, history: Sequence[tuple[str, str]] = (), user: str = "", *, documents: Sequence[str] = (),
            deals: Sequence[str] = ()) -> Answer:
        """Answer a question with verified citations and record it in the workspace's audit trail.

        ``history`` holds the previous (question, answer text) pairs, oldest first; ``user`` is who asked;
        ``documents`` / ``deals`` limit the question to those documents (the answer says which ones answered).
        """
        answer = self.answerer.run(question, history, scope=self.scope(documents, deals))
        trail.record(self.settings, answer, user=self._who(user))
        return answer

    @requires("read")
    def ask_stream(self, question: str, history: Sequence[tuple[str, str]] = (), user: str = "", *, documents: Sequence[str] = (),
                   deals: Sequence[str] = ()) -> Iterator[str | Answer]:
        """``ask`` as it is written: pieces of text, then the verified Answer (recorded in the trail when it is complete)."""
        for item in self.answerer.stream(question, history, scope=self.scope(documents, deals)):
            if isinstance(item, Answer):
                trail.record(self.settings, item, user=self._who(user))
            yield item

    @requires("grant")
    def trail(self) -> list[dict[str, Any]]:
        """Every question asked in this workspace, oldest first (see ``api.trail``)."""
        return trail.read_trail(self.settings)

    @requires("grant")
    def activity(self) -> list[dict[str, Any]]:
        """The whole trail, oldest first: questions and who did what (ingests, removals, deals, grants, refusals)."""
        return trail.read_trail(self.settings, events=True)

    @requires("grant")
    def export_trail(self, path: str | Path, fmt: str = "jsonl", events: bool = False) -> Path:
        return trail.export_trail(self.settings, path, fmt, events)

    def close(self) -> None:
        self.index.close()


def _display_names(files: list[Path]) -> dict[Path, str]:
    """Each file's name, with its folder in front when another file of the batch has the same name."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.name] = counts.get(f.name, 0) + 1
    return {f: f.name if counts[f.name] == 1 else f"{f.parent.name}/{f.name}" for f in files}

