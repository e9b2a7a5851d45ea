"""A document's flags: the hidden text its reader marked (already cut out of the text: zero-width flags holding it),
and the sentences that read as instructions to a reviewer or a model (``text.instructions``), which stay in the text
and are left out of every chunk (``chunking``)."""

from __future__ import annotations

import bisect

from ..core.flags import Flag, TextFlag, merge_ranges
from ..core.spans import Span
from ..text.instructions import looks_like_instruction
from ..text.sentences import sentence_spans, sentence_units


def instruction_flags(text: str, hidden: list[TextFlag]) -> list[TextFlag]:
    """Sentences of the visible text that address a reviewer or a model."""
    skip = merge_ranges([(f.start, f.end) for f in hidden])
    found: list[TextFlag] = []
    for start, end in sentence_units(text):
        if any(a <= start and end <= b for a, b in skip):
            continue
        if looks_like_instruction(text[start:end]):
            start, end = _narrowed(text, start, end)
            found.append(TextFlag(start, end, "instruction", "addresses a reviewer or a model"))
    return found


def _narrowed(text: str, start: int, end: int) -> tuple[int, int]:
    """The fewest whole lines of a flagged unit that still read as an instruction: a unit joins wrapped lines, and
    a heading line above the instruction (no closing full stop) must not be flagged with it."""
    pieces = sentence_spans(text, start, end)
    while len(pieces) > 1 and looks_like_instruction(text[pieces[1][0] : pieces[-1][1]]):
        pieces = pieces[1:]
    while len(pieces) > 1 and looks_like_instruction(text[pieces[0][0] : pieces[-2][1]]):
        pieces = pieces[:-1]
    return (pieces[0][0], pieces[-1][1]) if pieces else (start, end)


def document_flags(doc_id: str, file_name: str, text: str, page_starts: list[int], found: list[TextFlag]) -> tuple[Flag, ...]:
    """The reader's ranges as flags of the document, in text order."""
    flags = []
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        page = max(1, bisect.bisect_right(page_starts, f.start))
        page_end = max(page, bisect.bisect_right(page_starts, max(f.start, f.end - 1)))
        flags.append(Flag(Span(doc_id, file_name, f.start, f.end, text[f.start : f.end], page, page_end), f.reason, f.detail, f.content))
    return tuple(flags)
