"""What an answer is: its text, its verified citations, whether the documents answered at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.documents import Passage
from ..core.spans import Span

REFUSAL_TEXT = "The documents do not answer this."


@dataclass(frozen=True)
class Citation:
    """The ``[number]`` marker in an answer's text and the exact span it points at (verified before it is shown)."""

    number: int
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, **self.span.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Citation":
        return cls(int(data["number"]), Span.from_dict(data))


@dataclass(frozen=True)
class TableRow:
    """One row of a cross-document answer: a document (or deal), its value, and the citation behind it."""

    document: str
    value: str
    status: str
    citation: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "value": self.value, "status": self.status, "citation": self.citation}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TableRow":
        return cls(data["document"], data["value"], data["status"], data.get("citation"))


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # Markdown answer with [n] citation markers (a cross-document answer includes its table)
    citations: tuple[Citation, ...]
    answered: bool  # False = the documents do not answer; text says so plainly
    key_value: str = ""
    table: tuple[TableRow, ...] = ()
    answerer: str = "extractive"
    passages: tuple[Passage, ...] = field(default=(), compare=False)
    seconds: float = 0.0
    rewritten_question: str = ""
    table_header: tuple[str, str] = ("Document", "Value")
    scope: tuple[str, ...] = ()  # file names of the documents the question was limited to (empty = the whole workspace)

    @property
    def answered_from(self) -> tuple[str, ...]:
        """The documents the answer's citations come from, in the order they are cited."""
        return tuple(dict.fromkeys(c.span.file_name for c in self.citations))

    def to_dict(self, passages: bool = True) -> dict[str, Any]:
        """Everything about the answer; ``passages=False`` leaves out the retrieved passages (large, rarely needed)."""
        return {
            "question": self.question, "text": self.text, "citations": [c.to_dict() for c in self.citations], "answered": self.answered,
            "key_value": self.key_value, "table": [r.to_dict() for r in self.table], "table_header": list(self.table_header),
            "answerer": self.answerer, "passages": [p.to_dict() for p in self.passages] if passages else [],
            "seconds": round(self.seconds, 4), "rewritten_question": self.rewritten_question,
            "scope": list(self.scope), "answered_from": list(self.answered_from),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        return cls(
            data["question"], data["text"], tuple(Citation.from_dict(c) for c in data.get("citations", ())), bool(data["answered"]),
            data.get("key_value", ""), tuple(TableRow.from_dict(r) for r in data.get("table", ())), data.get("answerer", "extractive"),
            tuple(Passage.from_dict(p) for p in data.get("passages", ())), float(data.get("seconds", 0.0)),
            data.get("rewritten_question", ""), tuple(data.get("table_header", ("Document", "Value"))), tuple(data.get("scope", ())),
        )
