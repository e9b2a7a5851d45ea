"""Rewriting a text by stretches while keeping the way back: ``apply_edits`` returns the new text and its SourceMap."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..core.source_map import SourceMap


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``source[start:end]`` with ``text``; ``why`` says which normalisation made it (for reports)."""

    start: int
    end: int
    text: str = ""
    why: str = ""


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, SourceMap]:
    """The text with every edit applied (overlapping edits: the first one wins) and the map back to ``source``."""
    out: list[str] = []
    stretches: list[tuple[int, int, int, int]] = []
    cursor = length = 0
    for edit in sorted(edits):
        if edit.start < cursor or edit.end > len(source) or edit.start > edit.end:
            continue
        if source[edit.start : edit.end] == edit.text:
            continue
        out.append(source[cursor : edit.start])
        length += edit.start - cursor
        out.append(edit.text)
        stretches.append((length, edit.start, length + len(edit.text), edit.end))
        length += len(edit.text)
        cursor = edit.end
    out.append(source[cursor:])
    return "".join(out), SourceMap(tuple(stretches))


def map_offsets(offsets: list[int], source_map: SourceMap) -> list[int]:
    """Source offsets (page starts, heading hints) as offsets of the edited text."""
    return [source_map.to_canonical(o) for o in offsets]


def inside(edits: list[Edit], offset: int) -> bool:
    """Whether ``offset`` falls in one of the (sorted) edits' source stretches."""
    i = bisect.bisect_right([e.start for e in edits], offset) - 1
    return i >= 0 and edits[i].start <= offset < edits[i].end
