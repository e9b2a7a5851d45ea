"""A document's canonical text: what extraction produced, normalised for reading and matching, with the
map back to the source text (``core.source_map``).

What is normalised, in the order it is decided:
- Unicode spaces (non-breaking, thin, ideographic ...) become plain spaces, in place (same length);
- soft hyphens and zero-width characters are dropped, ligatures (ﬁ, ﬂ ...) spelt out, CR LF made LF;
- page furniture (running headers and footers, page numbers, filing stamps) is cut out, pages being
  those of the PDF or, for a text file, those its repeated footers or page numbers mark (``furniture``);
  a page break inside a sentence becomes one line break;
- a word split across a line end ("termi-\\nnation") is joined when the document spells it whole
  elsewhere, otherwise only the line break goes ("third-\\nparty" -> "third-party");
- text flattened into very long lines (EDGAR exhibits converted to text keep a whole page on one line and
  mark each lost paragraph break with a run of spaces) gets its paragraph breaks back;
- plain-text tables (aligned columns, dot leaders, tab-separated cells) are written as rows with their cells
  joined by " | ", the form every reader gives a table (``text_tables``, ``text.tables``).
Line breaks are kept: they carry the structure (headings, list items, table rows); readers that want
sentences join wrapped lines themselves (``text.sentences``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..core.documents import HeadingHint
from ..core.source_map import SourceMap
from ..text.edits import Edit, apply_edits
from .furniture import embedded_headers, inferred_page_breaks, page_furniture, text_page_starts
from .text_tables import text_table_edits

SPACES = str.maketrans({c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"})
DROPPED = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
SPLIT_WORD = re.compile(r"\b([A-Za-z]{2,})-\n[ \t]*([a-z]{2,})\b")
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
FLAT_LINE = 400
FLAT_BREAK = re.compile(r"[ \t]{3,}")
PAGED_KINDS = ("pdf",)
TEXT_KINDS = ("txt", "md")


@dataclass(frozen=True)
class Canonical:
    text: str
    page_starts: tuple[int, ...]
    headings: tuple[HeadingHint, ...]
    source_map: SourceMap
    changes: dict[str, int] = field(default_factory=dict)  # how many edits of each kind (what loading did, for reports)


def canonical(text: str, page_starts: list[int], headings: list[HeadingHint], kind: str) -> Canonical:
    """The canonical text of extracted ``text`` (pages and heading hints mapped onto it)."""
    text = text.translate(SPACES)
    structural: list[Edit] = []
    if kind in PAGED_KINDS and len(page_starts) >= 2:
        structural = page_furniture(text, page_starts)
    elif kind in TEXT_KINDS and len(page_starts) <= 1:
        breaks = inferred_page_breaks(text)
        if breaks:
            page_starts = text_page_starts(text, breaks)
            structural = page_furniture(text, page_starts)
    structural += _outside(embedded_headers(text), structural)
    edits = structural + _outside(_character_edits(text) + _split_words(text) + _flattened_breaks(text) + text_table_edits(text), structural)
    new, source_map = apply_edits(text, edits)
    starts = tuple(source_map.to_canonical(s) for s in page_starts)  # an empty page keeps its number (two may start alike)
    hints = tuple(replace(h, start=source_map.to_canonical(h.start), end=source_map.to_canonical(h.end)) for h in headings)
    hints = tuple(h for h in hints if h.end > h.start or not h.styled)  # bold text in a cut running header is gone with it
    changes: dict[str, int] = {}
    for edit in edits:
        changes[edit.why] = changes.get(edit.why, 0) + 1
    return Canonical(new, starts or (0,), hints, source_map, changes)


def _character_edits(text: str) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), "", "invisible character") for m in DROPPED.finditer(text)]
    edits += [Edit(m.start(), m.end(), LIGATURES[m.group(0)], "ligature") for m in LIGATURE.finditer(text)]
    edits += [Edit(m.start(), m.start() + 1, "", "line ending") for m in re.finditer("\r\n", text)]
    return edits


def _split_words(text: str) -> list[Edit]:
    """Words hyphenated at a line end: joined when the document spells the word whole elsewhere, else kept
    hyphenated on one line."""
    candidates = list(SPLIT_WORD.finditer(text))
    if not candidates:
        return []
    vocabulary = {w.lower() for w in WORD.findall(text)}
    edits = []
    for m in candidates:
        whole = (m.group(1) + m.group(2)).lower()
        hyphen = m.start() + len(m.group(1))
        if whole in vocabulary:
            edits.append(Edit(hyphen, m.start(2), "", "word split at a line end"))
        else:
            edits.append(Edit(hyphen + 1, m.start(2), "", "word split at a line end"))
    return edits


def _flattened_breaks(text: str) -> list[Edit]:
    """In lines longer than ``FLAT_LINE`` characters, a run of three or more spaces is a lost paragraph break."""
    edits = []
    for line in re.finditer(r"[^\n]{%d,}" % FLAT_LINE, text):
        edits += [Edit(m.start(), m.end(), "\n", "paragraph break") for m in FLAT_BREAK.finditer(text, line.start(), line.end())
                  if line.start() < m.start() and m.end() < line.end()]
    return edits


def _outside(edits: list[Edit], structural: list[Edit]) -> list[Edit]:
    """``edits`` that do not touch a structural edit (a cut page header wins over a character inside it)."""
    spans = sorted((e.start, e.end) for e in structural)
    kept = []
    for edit in edits:
        if not any(a < edit.end and edit.start < b or a == b == edit.start for a, b in spans):
            kept.append(edit)
    return kept
