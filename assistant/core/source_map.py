"""The way back from a document's canonical text to the text as the file gave it.

Loading normalises what extraction produced (page headers and footers taken out, words split at line ends
joined, plain-text tables written as rows): ``Document.text`` is that canonical text, and every offset of
the assistant (chunks, citations, evidence) refers to it. A ``SourceMap`` records each stretch that was
rewritten, so an offset can be translated to the source text (to check it against an external label, or to
show where in the file a citation is). Outside the rewritten stretches the two texts agree character for
character; a span that starts or ends inside one maps to the whole stretch.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceMap:
    """One (canonical start, source start, canonical end, source end) per rewritten stretch, in order."""

    stretches: tuple[tuple[int, int, int, int], ...] = ()
    _starts: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)
    _source_starts: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s[0] for s in self.stretches))
        object.__setattr__(self, "_source_starts", tuple(s[1] for s in self.stretches))

    @property
    def identity(self) -> bool:
        return not self.stretches

    def to_source(self, offset: int, end: bool = False) -> int:
        """The source offset of canonical ``offset``: of the character there, or (``end``) just after the one before it."""
        if end:
            k = bisect.bisect_left(self._starts, offset) - 1
            if k < 0:
                return offset
            c0, s0, c1, s1 = self.stretches[k]
            return s1 if offset <= c1 else s1 + (offset - c1)
        k = bisect.bisect_right(self._starts, offset) - 1
        if k < 0:
            return offset
        c0, s0, c1, s1 = self.stretches[k]
        return s0 if offset < c1 else s1 + (offset - c1)

    def to_canonical(self, offset: int) -> int:
        """The canonical offset of source ``offset`` (inside a rewritten stretch: where its rewriting starts)."""
        k = bisect.bisect_right(self._source_starts, offset) - 1
        if k < 0:
            return offset
        c0, s0, c1, s1 = self.stretches[k]
        return c0 if offset < s1 else c1 + (offset - s1)

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """A canonical [start, end) as a source [start, end)."""
        return self.to_source(start), self.to_source(end, end=True)

    def to_dict(self) -> dict[str, Any]:
        return {"stretches": [list(s) for s in self.stretches]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "SourceMap":
        return cls(tuple(tuple(int(v) for v in s) for s in (data or {}).get("stretches", ())))  # type: ignore[misc]
