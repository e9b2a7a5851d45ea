"""Find a contract's own structure: schedules, articles, numbered clauses, lettered paragraphs.

Works on text with line breaks (DOCX, Markdown, most PDFs) and on text where clauses run inline
("... 1. Services. 1.1 Provision of Services. (a) Provider agrees ..."), as many EDGAR exhibits do.
Numbered markers found inline are only accepted when they continue the numbering seen so far,
which keeps cross-references and amounts out of the outline.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..core.documents import Document, HeadingHint, Section

ANNEX_WORDS = "SCHEDULE|ANNEX|EXHIBIT|APPENDIX|ATTACHMENT|ADDENDUM"
SCHEDULE_LINE = re.compile(rf"(?:{ANNEX_WORDS})\s+(?:[A-Z]{{1,2}}|\d{{1,2}}(?:\.\d{{1,2}})?|[IVX]{{1,5}})\b(?![.,]\d)", re.IGNORECASE)
SCHEDULE_INLINE = re.compile(rf"\b(?:{ANNEX_WORDS})\s+(?:[A-Z]{{1,2}}|\d{{1,2}}|[IVX]{{1,5}})\b(?![.,]\d)")
ARTICLE = re.compile(r"\bARTICLE\s+(?:[IVXLC]{1,6}|\d{1,3})\b|^Article\s+(?:[IVXLC]{1,6}|\d{1,3})\b", re.MULTILINE)
SECTION_WORD = re.compile(r"^(?:SECTION|Section|CLAUSE|Clause)\s+(\d{1,3}(?:\.\d{1,3}){0,3})\.?(?=\s)", re.MULTILINE)
NUMBERED = re.compile(r"(?<![\w.,/$%-])(\d{1,2}(?:\.\d{1,2}){0,3})(\.?)[ \t]+(?=[\"'(\[]?[A-Z])")
LETTERED = re.compile(r"(?<![\w)])\(([a-z]{1,2}|[ivx]{1,5})\)[ \t]+(?=\S)")
CAPS_LINE = re.compile(r"^[ \t]*([A-Z][A-Z0-9&,'/() -]{2,78}[A-Z)])[ \t]*$", re.MULTILINE)
REFERENCE_WORDS = re.compile(r"(?:section|sections|clause|clauses|paragraph|paragraphs|article|articles|schedule|exhibit|annex|item|items|no|rule|and|or|to|of|than|under|in|per|at|by|with|within|from)\s*$", re.IGNORECASE)
SENTENCE_END_BEFORE = re.compile(r"(?:[.:;!?\"')\]]|^)\s*$")
TITLE_END = re.compile(r"[.:]\s|\n|\s(?=\d{1,2}\.\d{1,2}\.?\s)|\s(?=\([a-z]\)\s)")
PREAMBLE_CHARS = 300
ROMAN = re.compile(r"^[ivx]+$")
MAX_TITLE_WORDS = 10


@dataclass(frozen=True)
class Marker:
    start: int
    level: int
    number: str
    title: str
    kind: str


def detect_sections(document: Document) -> list[Section]:
    """Sections in reading order, each spanning from its heading to the next heading."""
    text = document.text
    markers = _dedupe(
        sorted(
            _hint_markers(text, document.headings)
            + _annex_markers(text)
            + _article_markers(text)
            + _numbered_markers(text)
            + _caps_markers(text),
            key=lambda m: (m.start, m.level),
        )
    )
    markers = _lettered_markers(text, markers)
    return _to_sections(markers, len(text))


def _line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[text.rfind("\n", 0, pos) + 1 : pos].strip() == ""


def _title_after(text: str, start: int, end: int, prose_words: int = 6) -> str:
    """A short heading after a clause number: 'Termination for convenience.' -> that; long prose -> its first words."""
    window = text[end : end + 200]
    stop = TITLE_END.search(window)
    candidate = window[: stop.start()] if stop else window
    words = candidate.split()
    heading_then_text = stop is not None and window[stop.start()] in ".:" and window[stop.end():].split("\n", 1)[0].strip() != ""
    bare_heading_line = stop is not None and window[stop.start()] == "\n" or stop is None and len(window) < 200
    if 0 < len(words) <= MAX_TITLE_WORDS and (heading_then_text or (bare_heading_line and not candidate.rstrip().endswith("."))):
        return " ".join(words).strip(" .:-")
    if not prose_words:
        return ""
    return " ".join(window.split()[:prose_words]).strip(" .:-,;") + "..."


def _hint_markers(text: str, hints: tuple[HeadingHint, ...]) -> list[Marker]:
    markers = []
    for hint in hints:
        line = text[hint.start : hint.end].lstrip("#").strip()
        number_match = re.match(r"(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+", line)
        number = number_match.group(1) if number_match else ""
        level = number.count(".") + 1 if number else hint.level
        if SCHEDULE_LINE.match(line):
            level = 0
        markers.append(Marker(hint.start, level, number, line[:120], "hint"))
    return markers


def _annex_markers(text: str) -> list[Marker]:
    markers = []
    for match in SCHEDULE_INLINE.finditer(text):
        if not (_line_start(text, match.start()) or match.group(0).isupper()):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if REFERENCE_WORDS.search(before) or not SENTENCE_END_BEFORE.search(before):
            continue
        title = " ".join(text[match.start() : match.start() + 120].split("\n")[0].split()[:8])
        markers.append(_annex(match.start(), title))
    for match in SCHEDULE_LINE.finditer(text):
        if _line_start(text, match.start()) and not match.group(0).isupper():
            line_end = text.find("\n", match.start())
            line = text[match.start() : line_end if line_end >= 0 else len(text)]
            if len(line) - len(match.group(0)) <= 60 and not re.search(r"\b(?:attached|hereto|sets? forth|describes?)\b", line):
                markers.append(_annex(match.start(), " ".join(line.split()[:8])))
    return markers


def _annex(start: int, title: str) -> Marker:
    """A schedule heading; one at the very top is the document's own label (e.g. an EDGAR exhibit number), not a part."""
    if start < PREAMBLE_CHARS:
        return Marker(start, 1, "", title, "caps")
    return Marker(start, 0, "", title, "annex")


def _article_markers(text: str) -> list[Marker]:
    markers = []
    for match in ARTICLE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not _line_start(text, match.start()) and (REFERENCE_WORDS.search(before) or not SENTENCE_END_BEFORE.search(before)):
            continue
        title = match.group(0) + " " + _title_after(text, match.start(), match.end())
        markers.append(Marker(match.start(), 1, match.group(0).split()[-1], " ".join(title.split()), "article"))
    for match in SECTION_WORD.finditer(text):
        number = match.group(1)
        markers.append(Marker(match.start(), number.count(".") + 1, number, f"{number} {_title_after(text, match.start(), match.end())}", "section"))
    return markers


def _numbered_markers(text: str) -> list[Marker]:
    """Clause numbers that continue the document's numbering (1, 2, 2.1, 2.2, 3 ...)."""
    markers: list[Marker] = []
    last_top = 0
    for match in NUMBERED.finditer(text):
        number, dot = match.group(1), match.group(2)
        parts = [int(p) for p in number.split(".")]
        at_line = _line_start(text, match.start())
        before = text[max(0, match.start() - 30) : match.start()]
        if not at_line:
            if REFERENCE_WORDS.search(before) or not SENTENCE_END_BEFORE.search(before):
                continue
        if any(p == 0 for p in parts[1:]) or parts[0] == 0:
            continue
        if at_line:
            # A clause number opening a line: accept forward jumps (omitted clauses) and restarts at 1 (a schedule).
            if not (parts[0] == 1 or parts[0] >= last_top or len(parts) > 1 and parts[0] >= last_top - 1):
                continue
        elif len(parts) == 1:
            if not dot or not (parts[0] == 1 or last_top < parts[0] <= last_top + 2):
                continue
        elif parts[0] > last_top + 2 or parts[0] < last_top or any(p > 60 for p in parts):
            continue
        last_top = parts[0]
        title = f"{number} {_title_after(text, match.start(), match.end())}"
        markers.append(Marker(match.start(), len(parts), number, title, "numbered"))
    return markers


def _caps_markers(text: str) -> list[Marker]:
    markers = []
    for match in CAPS_LINE.finditer(text):
        words = match.group(1).split()
        if not 1 <= len(words) <= MAX_TITLE_WORDS or sum(c.isalpha() for c in match.group(1)) < 4:
            continue
        markers.append(Marker(match.start(1), 1, "", match.group(1).strip(), "caps"))
    return markers


def _dedupe(markers: list[Marker]) -> list[Marker]:
    """One marker per heading: prefer the most specific kind when several start on the same line."""
    priority = {"hint": 0, "annex": 1, "article": 2, "section": 3, "numbered": 4, "caps": 5}
    result: list[Marker] = []
    for marker in markers:
        if result and _same_heading(result[-1], marker):
            keep = min(result[-1], marker, key=lambda m: priority[m.kind])
            if keep.kind == "hint" and not keep.number:
                other = marker if keep is result[-1] else result[-1]
                keep = Marker(keep.start, other.level if other.kind != "caps" else keep.level, other.number, keep.title, "hint")
            result[-1] = keep
            continue
        result.append(marker)
    return result


def _same_heading(a: Marker, b: Marker) -> bool:
    return abs(a.start - b.start) <= 8


def _lettered_markers(text: str, markers: list[Marker]) -> list[Marker]:
    """(a), (b), (i) paragraphs nested under the clause they appear in."""
    merged = list(markers)
    starts = [m.start for m in markers]

    previous_letter = ""
    for match in LETTERED.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not (_line_start(text, match.start()) or re.search(r"[.:;]\s*$", before)):
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0:
            continue
        parent = markers[index]
        if parent.kind in ("caps",) or parent.level == 0:
            continue
        label = match.group(1)
        is_roman = bool(ROMAN.match(label)) and not (label == "i" and previous_letter == "h") and not (label in ("v", "x") and previous_letter in ("u", "w"))
        level = parent.level + (2 if is_roman else 1)
        if not is_roman:
            previous_letter = label
        number = f"{parent.number}({label})" if parent.number else f"({label})"
        short = _title_after(text, match.start(), match.end(), prose_words=0)
        merged.append(Marker(match.start(), level, number, f"({label}) {short}".strip(), "lettered"))
    return sorted(merged, key=lambda m: m.start)


def _to_sections(markers: list[Marker], length: int) -> list[Section]:
    sections: list[Section] = []
    stack: list[Marker] = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].start if i + 1 < len(markers) else length
        while stack and stack[-1].level >= marker.level:
            stack.pop()
        stack.append(marker)
        path = tuple(m.title for m in stack if m.kind != "lettered" or m is marker)
        sections.append(Section(marker.number, marker.title, marker.level, marker.start, end, path))
    return sections
