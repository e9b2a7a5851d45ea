"""Emphasis in a PDF's text layer: the spans of a page set in a bold font, or in a font larger than the page's body.

A contract set from a word processor marks its unnumbered headings ("Governing Law", "Records") by font alone; plain
text cannot tell such a line from a name, a caption or a table cell. pypdf reports each piece of text it adds to a
page's text with the font and size in force (a font change always ends a piece), so the pieces, joined, are the
page's text and each piece's font says how it is set. Structure detection decides which emphasised lines are
headings (``structure``); this module only says which characters are emphasised.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|[a-z]bd\b|bd$|,b$|-b$", re.IGNORECASE)
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BOLD_WEIGHT = 600  # FontDescriptor /FontWeight: 400 regular, 700 bold
FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19
LARGER = 1.2  # a size this many times the page's body size is a heading's (a 12 pt heading over 10 pt text)


@dataclass
class FontRuns:
    """Collects the pieces pypdf reports for one page: (text as added to the page, bold, size in points)."""

    pieces: list[tuple[str, bool, float]] = field(default_factory=list)
    bold_fonts: dict[int, bool] = field(default_factory=dict)  # id of a font dictionary -> bold (read once per font)

    def add(self, text: str, font: Any, size: float, cm: list, tm: list) -> None:
        key = id(font)
        if key not in self.bold_fonts:
            self.bold_fonts[key] = is_bold(font)
        self.pieces.append((text, self.bold_fonts[key], _points(size, cm, tm)))

    def emphasis(self, page_text: str) -> list[tuple[int, int]]:
        """[start, end) spans of ``page_text`` set in bold or a larger size, never across a line break; none when
        the pieces are not exactly the page's text (then offsets would be wrong)."""
        if "".join(p[0] for p in self.pieces) != page_text:
            return []
        body = _body_size(self.pieces)
        spans: list[tuple[int, int]] = []
        at = 0
        for text, bold, size in self.pieces:
            if text.strip() and (bold or body > 0 and size >= LARGER * body):
                for line in re.finditer(r"[^\n]+", text):
                    start, end = at + line.start(), at + line.end()
                    if spans and page_text[spans[-1][1] : start].strip(" \t") == "":
                        spans[-1] = (spans[-1][0], end)  # the same line carried on in another emphasised piece
                    else:
                        spans.append((start, end))
            at += len(text)
        return [(a + len(page_text[a:b]) - len(page_text[a:b].lstrip()), b - len(page_text[a:b]) + len(page_text[a:b].rstrip()))
                for a, b in spans if page_text[a:b].strip()]


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


def _points(size: float, cm: list, tm: list) -> float:
    """The size a piece is drawn at: its font size scaled by the text and page matrices."""
    try:
        scale = math.sqrt(abs((tm[0] * tm[3] - tm[1] * tm[2]) * (cm[0] * cm[3] - cm[1] * cm[2])))
        return float(size) * scale
    except (TypeError, ValueError, IndexError):
        return 0.0


def _body_size(pieces: list[tuple[str, bool, float]]) -> float:
    """The size most of the page's characters are set in."""
    weight: dict[float, int] = {}
    for text, _, size in pieces:
        weight[round(size, 1)] = weight.get(round(size, 1), 0) + len(text.strip())
    return max(weight, key=lambda s: weight[s]) if weight and max(weight.values()) > 0 else 0.0
