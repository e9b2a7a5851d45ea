"""Emphasis in a PDF's text layer: the spans of a page set in a bold font.

A contract set from a word processor marks its unnumbered headings ("Governing Law", "Records") by font alone; plain
text cannot tell such a line from a name, a caption or a table cell. pypdf reports each piece of text it adds to a
page's text with the font and size in force (a font change always ends a piece), so the pieces, joined, are the
page's text and each piece's font says how it is set. Structure detection decides which emphasised lines are
headings (``structure``); this module only says which characters are emphasised. (Text in a larger font than the
page's body was tried as well: on the hand-labelled filings it found no heading bold did not, so it is not used.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|[a-z]bd\b|bd$|,b$|-b$", re.IGNORECASE)
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BOLD_WEIGHT = 600  # FontDescriptor /FontWeight: 400 regular, 700 bold
FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19


@dataclass
class FontRuns:
    """Collects the pieces pypdf reports for one page: (text as added to the page, bold)."""

    pieces: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, text: str, font: Any, size: float, cm: list, tm: list) -> None:
        """The listener ``hidden_pdf.marked_page_text`` calls for each piece (size and matrices are not needed)."""
        self.pieces.append((text, is_bold(font)))

    def emphasis(self, page_text: str) -> list[tuple[int, int]]:
        """[start, end) spans of ``page_text`` set in bold, never across a line break; none when the pieces are
        not exactly the page's text (then offsets would be wrong)."""
        if "".join(p[0] for p in self.pieces) != page_text:
            return []
        spans: list[tuple[int, int]] = []
        at = 0
        for text, bold in self.pieces:
            if text.strip() and bold:
                for line in re.finditer(r"[^\n]+", text):
                    start, end = at + line.start(), at + line.end()
                    if spans and page_text[spans[-1][1] : start].strip(" \t") == "":
                        spans[-1] = (spans[-1][0], end)  # the same line carried on in another emphasised piece
                    else:
                        spans.append((start, end))
            at += len(text)
        trimmed = []
        for a, b in spans:  # without the spaces at either end
            part = page_text[a:b]
            if part.strip():
                trimmed.append((a + len(part) - len(part.lstrip()), b - len(part) + len(part.rstrip())))
        return trimmed


def is_bold(font: Any) -> bool:
    """A bold face: its name says so ("TimesNewRomanPS-BoldMT", "Arial,Bold", "Helvetica-Bd"), or its descriptor
    (weight 600 or more, the force-bold flag)."""
    try:
        font = font.get_object() if font is not None else None
        if font is None:
            return False
        name = SUBSET_PREFIX.sub("", str(font.get("/BaseFont", "")).lstrip("/"))
        if BOLD_NAME.search(name):
            return True
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and font.get("/DescendantFonts"):
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        if descriptor is None:
            return False
        weight = descriptor.get("/FontWeight")
        return weight is not None and float(weight) >= BOLD_WEIGHT or int(descriptor.get("/Flags", 0)) & FORCE_BOLD != 0
    except Exception:  # a malformed font dictionary: not known to be bold
        return False
