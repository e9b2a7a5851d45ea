"""Which of many regexes match a text, found fast and answered exactly.

An audit asks every signal pattern of every clause type about every passage: about 270 patterns x 800
passages on a long contract, 3 s of Python ``re.search`` calls that almost all fail. ``PatternSet`` asks
RE2's FilteredRE2 (Google's multi-pattern prefilter) first: one pass over the text finds the literal
fragments ("atoms") present, which rules out every pattern whose required atoms are absent. Only the few
remaining candidates are searched with Python's ``re``, so the answer is exactly what ``re`` says.

RE2 cannot parse lookarounds; the prefilter is built from the pattern with its lookarounds removed, which
matches a superset of what the pattern matches, so no match is lost. A pattern RE2 still cannot parse
(backreferences, verbose mode) is searched on every text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import re2

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


class PatternSet:
    """``matching(text)``: the indices of the patterns that match ``text``, in order, as ``p.search`` finds them."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]):
        self.patterns = tuple(patterns)
        self._filter: re2.Filter | None = None
        self._by_filter_id: list[int] = []
        self._always: list[int] = []
        options = re2.Options()
        options.case_sensitive = False  # atoms then match either case: a superset for case-sensitive patterns too
        options.log_errors = False
        candidate = re2.Filter()
        for i, pattern in enumerate(self.patterns):
            try:
                candidate.Add(without_lookarounds(pattern.pattern), options)
            except re2.error:
                self._always.append(i)
                continue
            self._by_filter_id.append(i)
        if self._by_filter_id:
            candidate.Compile()
            self._filter = candidate

    def matching(self, text: str) -> list[int]:
        return [i for i in self.candidates(text) if self.patterns[i].search(text)]

    def candidates(self, text: str) -> list[int]:
        """The patterns that may match: those whose required literal fragments all occur in ``text``."""
        found = self._filter.Match(text, potential=True) if self._filter is not None else None  # None: nothing may
        return sorted([self._by_filter_id[k] for k in found or ()] + self._always)


def without_lookarounds(pattern: str) -> str:
    """``pattern`` with every lookahead and lookbehind group removed: it matches wherever ``pattern`` does."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(_LOOKAROUNDS, i):
            i = _group_end(pattern, i)
            continue
        j = _token_end(pattern, i)
        out.append(pattern[i:j])
        i = j
    return "".join(out)


def _token_end(pattern: str, i: int) -> int:
    """End of the token at ``i``: an escape, a whole character class, or one character."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] != "[":
        return i + 1
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):  # a leading ] is a literal
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just past the group that opens at ``i``."""
    depth = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i = _token_end(pattern, i)
    return i
