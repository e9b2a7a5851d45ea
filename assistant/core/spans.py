"""The one span type: an exact piece of one document, the thing every citation, piece of audit
evidence, key term and focus points at.

``document.text[span.start:span.end] == span.text`` is the promise every producer keeps and
``answer.verification`` checks before anything is shown. Pages are 1-based; ``page_end`` is the
page of the span's last character (equal to ``page`` for a span on one page).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

OCR_NOTE = " (OCR)"

# Keys an older trail wrote for a citation (kept readable so an existing trail still exports).
_LEGACY_KEYS = {"document": "file_name", "section": "section_path", "quote": "text"}


@dataclass(frozen=True)
class Span:
    """``text == document(doc_id).text[start:end]``, found on pages ``page``..``page_end`` under ``section_path``."""

    doc_id: str
    file_name: str
    start: int
    end: int
    text: str
    page: int = 0
    page_end: int = 0
    section_path: str = ""
    ocr: bool = False  # the text was read by OCR from a scanned page

    def __post_init__(self) -> None:
        if self.page_end < self.page:
            object.__setattr__(self, "page_end", self.page)

    @property
    def pages_label(self) -> str:
        """"9" or "9-10" (a span that runs across a page break says so)."""
        return str(self.page) if self.page_end == self.page else f"{self.page}-{self.page_end}"

    @property
    def page_label(self) -> str:
        """"p. 9", or "pp. 9-10" for a span that runs across a page break (as a citation reads)."""
        return f"p. {self.page}" if self.page_end == self.page else f"pp. {self.page}-{self.page_end}"

    @property
    def ocr_note(self) -> str:
        """" (OCR)" after a page label when the text was read by OCR (it may hold recognition errors), else ""."""
        return OCR_NOTE if self.ocr else ""

    @property
    def section(self) -> str:
        """The innermost heading of the section path, or "preamble" before the first heading."""
        return self.section_path.split(" > ")[-1] if self.section_path else "preamble"

    def overlaps(self, other: "Span") -> bool:
        return self.doc_id == other.doc_id and self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Span":
        values = {_LEGACY_KEYS.get(k, k): v for k, v in data.items()}
        return cls(**{k: values[k] for k in cls.__dataclass_fields__ if k in values})
