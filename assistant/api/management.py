"""The Workspace's negotiation and contract-management methods: redlines and review memos, comparisons, review
grids, deadlines and the outsourcing life-cycle view. A mixin of ``Workspace`` (this file keeps the API's second
half readable); each method wires one ``manage`` component to the workspace's index, audits and answerer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..audit.auditor import GROUPINGS
from ..core.errors import NotFoundError
from ..manage.calendar import write_calendar
from ..manage.changes import plan_changes
from ..manage.compare import (
    PLAYBOOK,
    Comparison,
    compare_documents,
    compare_to_playbook,
)
from ..manage.deadlines import Deadline, contract_deadlines, upcoming
from ..manage.grid import (
    Grid,
    GridQuestion,
    GridRow,
    GridRunner,
    load_questions,
    playbook_questions,
    questions_from,
)
from ..manage.lifecycle import LifecycleView, lifecycle_view
from ..manage.memo import write_memo
from ..manage.redline import RedlineResult, write_redline
from .access import requires

if TYPE_CHECKING:
    from .workspace import Workspace


def _stem(file_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(file_name).stem) or "document"


class Management:
    """Methods of ``Workspace`` (see its docstring); ``self`` is the workspace."""

    @requires("read")
    def exports_dir(self: "Workspace") -> Path:
        """Where files are written when no path is given: ``<workspace>/exports``."""
        return self.settings.workspace_dir / "exports"

    @requires("read")
    def redline(self: "Workspace", document: str, out: str | Path | None = None, *, min_severity: str = "low",
                clauses: list[str] | None = None, date: dt.datetime | None = None) -> RedlineResult:
        """The playbook's fallback language for the document's missing clauses and weak clauses' missing elements.

        A DOCX gets a copy with Word tracked changes and comments; a PDF, text or HTML contract gets a review memo DOCX
        (findings, evidence quotes with page and section, suggested language). ``min_severity`` and ``clauses`` narrow
        the findings used; ``out`` defaults to ``<workspace>/exports/<name>.redline.docx`` (or ``.memo.docx``)."""
        info = self.find(document)
        doc = self.index.document(info.doc_id)
        result = self.audits.document(info.doc_id)
        changes = plan_changes(result, doc, self.playbook, min_severity=min_severity, clauses=clauses)
        kind = "redline" if doc.kind == "docx" else "memo"
        target = Path(out) if out else self.exports_dir() / f"{_stem(doc.file_name)}.{kind}.docx"
        if kind == "memo":
            return write_memo(doc, result, changes, target, date=date)
        source = self.originals.find(doc.id, ".docx")
        if source is None:
            raise NotFoundError(f"the original DOCX of {doc.file_name} is not kept in workspace {self.name!r}; ingest the file again to redline it")
        return write_redline(source, doc, changes, target, date=date)

    @requires("read")
    def compare(self: "Workspace", document: str, against: str) -> Comparison:
        """``document`` clause by clause against a template or earlier version (a document of this workspace), or
        against the playbook's standard language (``against="playbook"``)."""
        right = self.document(document)
        if against == PLAYBOOK:
            return compare_to_playbook(right, self.audits.document(right.id), self.playbook)
        return compare_documents(self.document(against), right, self.playbook)

    @requires("read")
    def grid_rows(self: "Workspace", by: str = "document", documents: list[str] | None = None) -> list[GridRow]:
        """The rows of a grid: each document, or each deal (its documents together) and the documents in no deal."""
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}; valid: {', '.join(GROUPINGS)}")
        infos = [self.find(d) for d in documents] if documents else self.documents()
        if by == "document":
            return [GridRow(i.file_name, "document", (i.doc_id,)) for i in infos]
        deals: dict[str, list[str]] = {}
        for info in infos:
            deals.setdefault(info.deal or f"\0{info.file_name}", []).append(info.doc_id)
        return [GridRow(name.lstrip("\0"), "document" if name.startswith("\0") else "deal", tuple(ids)) for name, ids in deals.items()]

    @requires("read")
    def grid_questions(self: "Workspace", path: str | Path | None = None, extra: Sequence[str] | None = None) -> list[GridQuestion]:
        """Columns from a YAML file and/or extra questions; the playbook's clauses when neither is given."""
        columns = load_questions(path, self.playbook) if path else []
        if extra:
            taken = {q.id for q in columns}
            columns += [q for q in questions_from(list(extra), self.playbook, "--ask") if q.id not in taken]
        return columns or playbook_questions(self.playbook)

    @requires("read")
    def grid(self: "Workspace", questions: Sequence[str | dict | GridQuestion] | str | Path | None = None, *, by: str = "document",
             documents: list[str] | None = None, progress: Callable[[int, int, str], None] | None = None) -> Grid:
        """The same questions asked of every document (or deal): a YAML file of questions, a list of questions
        (strings, ``{"text": ...}`` or ``{"clause": id}`` entries), or by default one column per playbook clause.
        Text questions are answered from each row's documents only; ``progress(done, total, label)`` per cell.
        Grid answers are not written to the trail (it records the questions people ask)."""
        if questions is None:
            columns = playbook_questions(self.playbook)
        elif isinstance(questions, (str, Path)):
            columns = load_questions(questions, self.playbook)
        else:
            columns = [q if isinstance(q, GridQuestion) else None for q in questions]
            columns = [q for q in columns if q] if all(columns) else questions_from(list(questions), self.playbook)
        rows = self.grid_rows(by, documents)
        if not rows:
            raise NotFoundError(f"workspace {self.name!r} has no documents: ingest some first")

        def audit(row: GridRow):
            return self.audits.document(row.doc_ids[0]) if row.kind == "document" else self.audits.deal(row.subject, row.doc_ids)

        runner = GridRunner(lambda text, scope: self.answerer.run(text, scope=scope), audit, self.playbook)
        return runner.run(rows, columns, progress)

    @requires("read")
    def deadlines(self: "Workspace", *, by: str = "deal", documents: list[str] | None = None, today: dt.date | None = None,
                  within_days: int | None = None) -> list[Deadline]:
        """Each contract's dates from its key terms (expiry, last day for notice of non-renewal, earliest termination for
        convenience, end of termination assistance), per deal by default; ``within_days`` keeps those from ``today``
        to ``today + within_days`` (the "next 90 days" view), soonest first. Undated deadlines name what they depend on."""
        today = today or dt.date.today()
        found = [d for result in self.audit(documents=documents, by=by) for d in contract_deadlines(result, today)]
        return upcoming(found, today, within_days) if within_days is not None else found

    @requires("read")
    def export_calendar(self: "Workspace", path: str | Path, deadlines: list[Deadline] | None = None) -> Path:
        """An iCalendar (.ics) file with one event per dated deadline (all of this workspace's by default)."""
        return write_calendar(self.deadlines() if deadlines is None else deadlines, path)

    @requires("read")
    def lifecycle(self: "Workspace", subject: str) -> LifecycleView:
        """Exit and transition readiness of a deal (or of one document): each item of the outsourcing life-cycle
        checklist present / weak / missing with the passages that show it."""
        deals = self.deals()
        if subject in deals:
            audit = self.audits.deal(subject, tuple(d.doc_id for d in deals[subject]))
        else:
            try:
                audit = self.audits.document(self.find(subject).doc_id)
            except NotFoundError:
                names = ", ".join(sorted(deals)) or "(none)"
                raise NotFoundError(f"no deal or document {subject!r} in workspace {self.name!r}; deals: {names}") from None
        return lifecycle_view(audit, self.playbook)
