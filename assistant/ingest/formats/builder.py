"""Building a document's text block by block while remembering where pages and headings start."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...core.documents import HeadingHint

PAGE_SEPARATOR = "\n\n"


@dataclass
class TextBuilder:
    """Appends blocks of text while remembering page starts and heading spans."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    page_starts: list[int] = field(default_factory=list)
    headings: list[HeadingHint] = field(default_factory=list)

    def add(self, block: str, separator: str = "\n", heading_level: int | None = None) -> None:
        block = block.strip()
        if not block:
            return
        if self.length:
            self.parts.append(separator)
            self.length += len(separator)
        if heading_level is not None:
            self.headings.append(HeadingHint(self.length, self.length + len(block), heading_level))
        self.parts.append(block)
        self.length += len(block)

    def text(self) -> str:
        return "".join(self.parts)
