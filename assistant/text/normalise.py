"""The one text normaliser: typographic quotes, dashes and non-breaking spaces as ASCII, and whitespace runs
collapsed, with a way back to the original offsets.

Contracts (PDF, EDGAR exhibits, Word) mix quote styles and wrap lines mid-sentence; patterns, questions
and model output are written with straight quotes and single spaces. ``plain`` keeps the length, so an
offset in its output is an offset in the input; ``collapse_whitespace`` does not, and
``collapsed_with_offsets`` returns the original offset of every character it keeps.
"""

from __future__ import annotations

import re

# Same-length replacements, so offsets in the mapped text are offsets in the original.
TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
                             "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_WHITESPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """Typographic quotes and dashes as ASCII, length preserved."""
    return text.translate(TYPOGRAPHIC)


def collapse_whitespace(text: str) -> str:
    """``plain`` text with every whitespace run as one space, trimmed: what the playbook's patterns are written for."""
    return _WHITESPACE.sub(" ", plain(text)).strip()


def collapsed_with_offsets(text: str) -> tuple[str, list[int]]:
    """``plain(text)`` with each whitespace run collapsed to one space (leading whitespace dropped), and the
    original offset of every kept character."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(plain(text)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        out.append(ch)
        where.append(i)
        space = False
    return "".join(out), where


def locate(needle: str, text: str, start: int = 0) -> tuple[int, int] | None:
    """Exact ``[start, end)`` of ``needle`` inside ``text``, comparing with whitespace collapsed.

    PDF and DOCX text wraps lines where a quote (or a model) writes one space; the returned offsets are in
    ``text`` itself, so ``text[s:e]`` is what the document really says there. ``start`` is added to both
    (the position of ``text`` in its document).
    """
    wanted, _ = collapsed_with_offsets(needle.strip())
    if not wanted:
        return None
    haystack, where = collapsed_with_offsets(text)
    at = haystack.find(wanted)
    if at < 0:
        return None
    return start + where[at], start + where[at + len(wanted) - 1] + 1
