"""A contract's outline as a reviewer reads it: which clause and which article a passage sits in, where an article
ends, and the number the next clause of an article would get. Built on the ingest stage's sections, so the clause
numbers are the ones the audit and the citations show."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.documents import Document, Section
from ..ingest.structure import detect_sections

NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
WRAPPER_SHARE = 0.6  # a heading whose section covers most of the document is its title, not an article


@dataclass(frozen=True)
class Place:
    """Where a passage sits: its numbered clause and the article (top-level clause) around it, with their extents."""

    clause: Section | None
    clause_end: int
    article: Section | None
    article_end: int


class Outline:
    """The document's sections with their full extents (a section runs until the next one at its level or above)."""

    def __init__(self, document: Document, sections: list[Section] | None = None):
        self.document = document
        self.sections = sections if sections is not None else detect_sections(document)
        self._extent = [self._full_end(i) for i in range(len(self.sections))]
        length = max(1, len(document.text))
        self._wrapper = [s.start == 0 and (self._extent[i] - s.start) / length > WRAPPER_SHARE or s.level == 0
                         for i, s in enumerate(self.sections)]

    def _full_end(self, i: int) -> int:
        level = self.sections[i].level
        for later in self.sections[i + 1:]:
            if later.level <= level:
                return later.start
        return len(self.document.text)

    def chain(self, offset: int) -> list[int]:
        """Indexes of the sections around ``offset``, outermost first, without the document-title wrapper and lettered items."""
        return [i for i, s in enumerate(self.sections)
                if s.start <= offset < self._extent[i] and not self._wrapper[i] and not s.number.endswith(")")]

    def place(self, offset: int) -> Place:
        chain = self.chain(offset)
        if not chain:
            return Place(None, len(self.document.text), None, len(self.document.text))
        article, clause = chain[0], chain[-1]
        return Place(self.sections[clause], self._extent[clause], self.sections[article], self._extent[article])

    def next_number(self, article: Section, taken: set[str] = frozenset()) -> str:
        """The number after the article's last numbered clause ("5.5" -> "5.6"), skipping ``taken``; "" when unnumbered."""
        numbers = [s.number for s in self.sections if s is not article and len(s.path) == len(article.path) + 1
                   and s.path[:len(article.path)] == article.path and NUMBER.match(s.number)]
        if not numbers:
            return f"{article.number}.1" if NUMBER.match(article.number) else ""
        head, _, last = numbers[-1].rpartition(".")
        number = int(last) + 1
        while (candidate := f"{head}.{number}" if head else str(number)) in taken:
            number += 1
        return candidate

    def next_article_number(self, taken: set[str] = frozenset()) -> str:
        """The number after the last top-level numbered article; "" when the articles are not numbered."""
        tops = [int(s.number) for i, s in enumerate(self.sections) if not self._wrapper[i] and s.number.isdigit()
                and len([p for p in s.path if p]) == min(len(t.path) for j, t in enumerate(self.sections) if not self._wrapper[j])]
        number = max(tops) + 1 if tops else 0
        while number and str(number) in taken:
            number += 1
        return str(number) if number else ""
