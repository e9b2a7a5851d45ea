"""The review grid: the same questions asked of every document (or deal) of a matter, rows = documents, columns =
questions, each cell a short answer with its verified citation, or "not found". A question can be free text
(answered by the workspace's answerer, scoped to the row's documents) or a playbook clause (answered by the row's
clause audit: its status, with the passage that meets the clause as the citation)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

from ..audit.findings import AuditResult
from ..audit.playbook import Playbook
from ..core.errors import AssistantError
from ..core.spans import Span

NOT_FOUND = "not found"
SHORT_CHARS = 160
CITATION = re.compile(r"\s*\[\d+\]")


class GridQuestionsError(AssistantError, ValueError):
    """A questions file or list that cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class GridQuestion:
    """A column: ``text`` is asked of each row; with ``clause_id`` the row's clause audit answers instead."""

    id: str
    text: str
    clause_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "clause_id": self.clause_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GridQuestion":
        return cls(data["id"], data["text"], data.get("clause_id", ""))


@dataclass(frozen=True)
class GridRow:
    """A row: one document, or a deal's documents answered together."""

    subject: str
    kind: str  # document | deal
    doc_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "kind": self.kind, "doc_ids": list(self.doc_ids)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GridRow":
        return cls(data["subject"], data["kind"], tuple(data["doc_ids"]))


@dataclass(frozen=True)
class GridCell:
    """``answer`` is short (the key value, a clause status, or the first sentence); ``citation`` is verified."""

    answer: str
    found: bool
    citation: Span | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "found": self.found, "citation": self.citation.to_dict() if self.citation else None, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GridCell":
        return cls(data["answer"], bool(data["found"]), Span.from_dict(data["citation"]) if data.get("citation") else None, data.get("detail", ""))


@dataclass(frozen=True)
class Grid:
    questions: tuple[GridQuestion, ...]
    rows: tuple[GridRow, ...]
    cells: tuple[tuple[GridCell, ...], ...]  # cells[row][question]
    seconds: float = 0.0

    def cell(self, subject: str, question_id: str) -> GridCell:
        """The cell of a row (by subject) and a column (by id); ``KeyError`` naming the valid ones otherwise."""
        rows = [r.subject for r in self.rows]
        ids = [q.id for q in self.questions]
        if subject not in rows:
            raise KeyError(f"no row {subject!r}; rows: {', '.join(rows)}")
        if question_id not in ids:
            raise KeyError(f"no question {question_id!r}; questions: {', '.join(ids)}")
        return self.cells[rows.index(subject)][ids.index(question_id)]

    def to_dict(self) -> dict[str, Any]:
        return {"questions": [q.to_dict() for q in self.questions], "rows": [r.to_dict() for r in self.rows],
                "cells": [[c.to_dict() for c in row] for row in self.cells], "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Grid":
        return cls(tuple(GridQuestion.from_dict(q) for q in data["questions"]), tuple(GridRow.from_dict(r) for r in data["rows"]),
                   tuple(tuple(GridCell.from_dict(c) for c in row) for row in data["cells"]), float(data.get("seconds", 0.0)))


def _slug(text: str, taken: set[str]) -> str:
    base = "_".join(re.findall(r"[a-z0-9]+", text.lower())[:6]) or "question"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def questions_from(items: Sequence[str | dict], playbook: Playbook, where: str = "questions") -> list[GridQuestion]:
    """Questions from strings or ``{id?, text?, clause?}`` entries; a ``clause`` entry is answered by the audit."""
    out: list[GridQuestion] = []
    taken: set[str] = set()
    for n, item in enumerate(items, 1):
        if isinstance(item, str) and item.strip():
            out.append(GridQuestion(_slug(item, taken), item.strip()))
            continue
        if not isinstance(item, dict) or not (item.get("text") or item.get("clause")):
            raise GridQuestionsError(f"{where}: entry {n} needs 'text' (a question) or 'clause' (a playbook clause id); got {item!r}")
        clause_id = str(item.get("clause") or "")
        if clause_id:
            clause = playbook.get(clause_id)  # an unknown id names the valid ones
            text = str(item.get("text") or f"{clause.name}?")
        else:
            text = str(item["text"]).strip()
        wanted = str(item.get("id") or "")
        if wanted and wanted in taken:
            raise GridQuestionsError(f"{where}: entry {n}: the id {wanted!r} is used twice")
        out.append(GridQuestion(wanted or _slug(clause_id or text, taken), text, clause_id))
        taken.add(out[-1].id)
    if not out:
        raise GridQuestionsError(f"{where}: no questions")
    return out


def load_questions(path: str | Path, playbook: Playbook) -> list[GridQuestion]:
    """A YAML file: a list of questions, or ``{questions: [...]}`` (see ``questions_from``)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GridQuestionsError(f"{path}: not found") from None
    except yaml.YAMLError as error:
        raise GridQuestionsError(f"{path}: not valid YAML ({error})") from None
    items = data.get("questions") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise GridQuestionsError(f"{path}: expected a list of questions (or 'questions:' with a list)")
    return questions_from(items, playbook, str(path))


def playbook_questions(playbook: Playbook, clause_ids: Sequence[str] | None = None) -> list[GridQuestion]:
    """One column per playbook clause (all of them, or those named), answered by the clause audit."""
    return [GridQuestion(c.id, f"{c.name}?", c.id) for c in (playbook.get(i) for i in clause_ids)] if clause_ids else \
        [GridQuestion(c.id, f"{c.name}?", c.id) for c in playbook.clauses]


def short(text: str) -> str:
    """The first sentence of an answer without its [n] markers, cut to a cell's length."""
    plain = CITATION.sub("", " ".join(text.replace("**", "").split()))
    first = re.split(r"(?<=[.;])\s", plain, maxsplit=1)[0]
    return first if len(first) <= SHORT_CHARS else first[:SHORT_CHARS].rsplit(" ", 1)[0] + "\u2026"


def audit_cell(audit: AuditResult, clause_id: str, names: dict[str, str]) -> GridCell:
    finding = audit.finding(clause_id)
    if finding.status == "missing" or not finding.evidence:
        return GridCell(NOT_FOUND, False, detail=f"{finding.name}: missing ({finding.severity} severity)")
    missing = [names.get(e, e) for e in finding.missing_elements]
    answer = "present" if finding.status == "present" else f"weak: no {', '.join(missing)}"
    return GridCell(answer, True, finding.evidence[0].span, f"{finding.name}: {finding.status} ({finding.severity} severity)")


class GridRunner:
    """Fills a grid from two narrow collaborators: ``ask(question, doc_ids)`` -> an Answer, ``audit(row)`` -> AuditResult."""

    def __init__(self, ask: Callable[[str, tuple[str, ...]], Any], audit: Callable[[GridRow], AuditResult], playbook: Playbook):
        self.ask = ask
        self.audit = audit
        self.names = {c.id: {e.id: e.name for e in c.elements} for c in playbook.clauses}

    def cell(self, row: GridRow, question: GridQuestion) -> GridCell:
        if question.clause_id:
            return audit_cell(self.audit(row), question.clause_id, self.names[question.clause_id])
        answer = self.ask(question.text, row.doc_ids)
        cited = [c for c in answer.citations if c.span.doc_id in row.doc_ids]
        if not answer.answered or not cited:
            return GridCell(NOT_FOUND, False, detail=short(answer.text))
        return GridCell(short(answer.key_value or answer.text), True, cited[0].span, short(answer.text))

    def run(self, rows: Sequence[GridRow], questions: Sequence[GridQuestion],
            progress: Callable[[int, int, str], None] | None = None) -> Grid:
        started = time.perf_counter()
        total, done = len(rows) * len(questions), 0
        cells = []
        for row in rows:
            line = []
            for question in questions:
                line.append(self.cell(row, question))
                done += 1
                if progress:
                    progress(done, total, f"{row.subject}: {question.text}")
            cells.append(tuple(line))
        return Grid(tuple(questions), tuple(rows), tuple(cells), time.perf_counter() - started)
