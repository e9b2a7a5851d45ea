"""A document's flags: the hidden text its reader marked, and the sentences that read as instructions to a reviewer
or a model (``text.instructions``). Both kinds stay in the text and are left out of every chunk (``chunking``)."""

from __future__ import annotations

import bisect

from ..core.flags import Flag, TextFlag, merge_ranges
from ..core.spans import Span
from ..text.instructions import looks_like_instruction
from ..text.sentences import sentence_units


def instruction_flags(text: str, hidden: list[TextFlag]) -> list[TextFlag]:
    """Sentences of the visible text that address a reviewer or a model."""
    skip = merge_ranges([(f.start, f.end) for f in hidden])
    found: list[TextFlag] = []
    for start, end in sentence_units(text):
        if any(a <= start and end <= b for a, b in skip):
            continue
        if looks_like_instruction(text[start:end]):
            found.append(TextFlag(start, end, "instruction", "addresses a reviewer or a model"))
    return found


def document_flags(doc_id: str, file_name: str, text: str, page_starts: list[int], found: list[TextFlag]) -> tuple[Flag, ...]:
    """The reader's ranges as flags of the document, in text order."""
    flags = []
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        page = max(1, bisect.bisect_right(page_starts, f.start))
        page_end = max(page, bisect.bisect_right(page_starts, max(f.start, f.end - 1)))
        flags.append(Flag(Span(doc_id, file_name, f.start, f.end, text[f.start : f.end], page, page_end), f.reason, f.detail))
    return tuple(flags)
