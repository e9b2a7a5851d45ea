"""Is a sentence a heading rather than a statement? A heading names a topic; it never answers a question.

Two readers ask with different tolerance:
- ``is_heading``: the answerer's rule for a sentence it might quote: fewer than two words, an all-caps line
  without a full stop ("12. GOVERNING LAW"), or up to four words with no closing punctuation and no figure;
  a table row (``|``) is never a heading;
- ``is_heading_line``: the focus's looser rule for a unit of wrapped text: up to ten words without closing
  punctuation.
``is_label`` spots an inline heading that ends with a full stop ("Section 14.2 Cap.").
"""

from __future__ import annotations

import re

HEADING_WORDS = 10
LABEL = re.compile(r"^(?:Section|Clause|Article|Paragraph)?\s*[A-Z]?\d+(?:\.\d+)*\.?\s+[A-Z][^.;:]{0,60}\.$")


def is_heading(sentence: str) -> bool:
    """A heading, label or page furniture rather than a statement (never quoted as an answer)."""
    if "|" in sentence:
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)
    if len(words) < 2:
        return True
    letters = "".join(words)
    if letters.isupper() and len(words) <= 14 and not sentence.rstrip().endswith("."):
        return True
    return len(words) <= 4 and not re.search(r"[.;:]$", sentence.strip()) and not re.search(r"\d", sentence)


def is_heading_line(unit: str) -> bool:
    """A short line without closing punctuation ("12. GOVERNING LAW"): it names a topic, it never answers."""
    return unit.rstrip()[-1:] not in ".;:!?" and len(unit.split()) <= HEADING_WORDS


def is_label(sentence: str) -> bool:
    """An inline heading such as "Section 14.2 Cap." or "5.2 Termination for Convenience."."""
    return bool(LABEL.match(sentence.strip())) and len(sentence.split()) <= 8
