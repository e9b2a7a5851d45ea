"""A contract cut into the clauses a comparison aligns: every numbered or headed section with the lettered items
under it, as an exact span of the document, plus the words its alignment and its word-level diff read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.documents import Document
from ..core.spans import Span
from ..ingest.structure import detect_sections

LEADING_NUMBER = re.compile(r"^\s*(?:(?:ARTICLE|Article|SECTION|Section|CLAUSE|Clause)\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+)\.?\s+")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Clause:
    """One clause: ``number`` and ``title`` as the document shows them, ``span`` its whole text."""

    number: str
    title: str
    span: Span

    @property
    def label(self) -> str:
        return self.title or self.number or "preamble"

    @property
    def body(self) -> str:
        """The clause's text without its own number, whitespace collapsed: what "same" means under renumbering."""
        return " ".join(LEADING_NUMBER.sub("", self.span.text, count=1).split())

    @property
    def heading(self) -> str:
        """The title without its number, lowercased: what a heading match compares."""
        return " ".join(LEADING_NUMBER.sub("", self.title, count=1).lower().split())

    def words(self) -> list[str]:
        return WORD.findall(self.body.lower())


def clauses_of(document: Document) -> list[Clause]:
    """The document's clauses in order; lettered items stay inside their clause, text before the first is the preamble."""
    text = document.text
    sections = [s for s in detect_sections(document) if not s.number.endswith(")") and s.level > 0]
    starts = [s.start for s in sections]
    out: list[Clause] = []
    if not sections or text[: starts[0]].strip():
        end = starts[0] if sections else len(text)
        out.append(_clause(document, "", "", 0, end, ""))
    for i, section in enumerate(sections):
        end = starts[i + 1] if i + 1 < len(sections) else len(text)
        out.append(_clause(document, section.number, section.title, section.start, end, section.label))
    return [c for c in out if c.span.text]


def _clause(document: Document, number: str, title: str, start: int, end: int, path: str) -> Clause:
    text = document.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    page, page_end = document.page_at(start), document.page_at(max(start, end - 1))
    span = Span(document.id, document.file_name, start, end, text[start:end], page, page_end, path,
                any(page <= p <= page_end for p in document.ocr_pages))
    return Clause(number, title, span)
