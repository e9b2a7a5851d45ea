"""Tables of contents: the list of headings at the front of a long contract, which must not be taken for the
headings themselves (it would put page 6 under "ARTICLE IX MISCELLANEOUS").

A table of contents is a "TABLE OF CONTENTS" / "CONTENTS" / "INDEX" line followed by heading-like entries,
or, without such a title, a run of short lines that end in page numbers ("ARTICLE I DEFINITIONS ....... 1").
"""

from __future__ import annotations

import re

TOC_TITLE = re.compile(r"^[ \t]*(?:(?:table\s+of\s+contents?|contents|index)[ \t]*:?[ \t]*$|table\s+of\s+contents?(?:[ \t]+page)?[ \t]+(?=(?-i:[A-Z])))",
                       re.IGNORECASE | re.MULTILINE)  # "TABLE OF CONTENTS Page ARTICLE I DEFINITIONS": the first entry on the title's line
ENTRY_START = re.compile(r"(?=\b(?:Section|SECTION|Article|ARTICLE|Schedule|SCHEDULE|Exhibit|EXHIBIT|Annex|ANNEX|Appendix|APPENDIX)[ \t]+[\dA-Z])"
                         r"|(?<=\d[ \t])(?=\d{1,2}(?:\.\d{1,2})*\.[ \t]+[A-Z])")  # or a clause number after a page number: "1. Term..... 2 2. Goals"
PAGE_REFERENCE = re.compile(r"(?:\.{2,}|\s)\s*(?:\d{1,3}|[ivxlc]{1,6})\s*$", re.IGNORECASE)
DOT_LEADER = re.compile(r"\.{4,}|(?:\. ){3,}")
ENTRY_WORDS = 16
MIN_UNTITLED_ENTRIES = 5


def _lines(text: str, start: int):
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, end, text[start:end]
        start = end + 1


def is_entry(line: str) -> bool:
    """A line of a table of contents: short, no sentence, possibly ending in a page number or dot leaders; or several
    entries run into one line ("Section 2.01. Assignment 5 Section 2.02. Recordation 5", "1. Term..... 2 2. Goals..... 2"), most
    ending in a page number."""
    stripped = line.strip()
    words = stripped.split()
    if len(words) > ENTRY_WORDS:
        pieces = [p for p in ENTRY_START.split(stripped) if p.strip()]
        paged = sum(1 for p in pieces if PAGE_REFERENCE.search(p.strip()))
        return len(pieces) >= 2 and 2 * paged >= len(pieces) and all(is_entry(p) for p in pieces)
    if not words:
        return False
    if DOT_LEADER.search(stripped) or PAGE_REFERENCE.search(stripped):
        return True
    return not re.search(r"[a-z][.;:]$", stripped) and not re.search(r"\b(?:shall|will|may|agrees?|means)\b", stripped)


def toc_regions(text: str) -> list[tuple[int, int]]:
    """[start, end) of each table of contents in ``text``."""
    regions: list[tuple[int, int]] = []
    for title in TOC_TITLE.finditer(text):
        end, entries, blank_run = title.end(), 0, 0
        for start, stop, line in _lines(text, title.end() + 1):
            if not line.strip():
                blank_run += 1
                if blank_run > 3 and entries:
                    break
                continue
            blank_run = 0
            if not is_entry(line):
                break
            entries, end = entries + 1, stop
        if entries >= 2:
            regions.append((title.start(), end))
    run: list[tuple[int, int]] = []
    for start, stop, line in _lines(text, 0):
        if line.strip() and is_entry(line) and (PAGE_REFERENCE.search(line.strip()) or DOT_LEADER.search(line)):
            run.append((start, stop))
            continue
        if line.strip():
            if len(run) >= MIN_UNTITLED_ENTRIES:
                regions.append((run[0][0], run[-1][1]))
            run = []
    if len(run) >= MIN_UNTITLED_ENTRIES:
        regions.append((run[0][0], run[-1][1]))
    return sorted(regions)
