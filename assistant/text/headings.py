"""Is a sentence a heading rather than a statement? A heading names a topic; it never answers a question.

Two readers ask with different tolerance:
- ``is_heading``: the answerer's rule for a sentence it might quote: fewer than two words, an all-caps line
  without a full stop ("12. GOVERNING LAW"), or up to four words with no closing punctuation and no figure;
  a table row (``|``) is never a heading;
- ``is_heading_line``: the focus's looser rule for a unit of wrapped text: up to ten words without closing
  punctuation.
``is_label`` spots an inline heading that ends with a full stop ("Section 14.2 Cap.", "Liability Cap.").
"""

from __future__ import annotations

import re

HEADING_WORDS = 10
LABEL = re.compile(r"^(?:Section|Clause|Article|Paragraph)?\s*[A-Z]?\d+(?:\.\d+)*\.?\s+[A-Z][^.;:]{0,60}\.$")
# an unnumbered one: capitalised words ("Liability Cap.", "Limitation on Liability."), the number left in the heading path
TITLE_LABEL = re.compile(r"^[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|on|and|for|the|to|in|or|upon|&))*\.$")
TITLE_LABEL_WORDS = 6


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
    """An inline heading such as "Section 14.2 Cap.", "5.2 Termination for Convenience." or "Liability Cap."."""
    sentence = sentence.strip()
    if LABEL.match(sentence):
        return len(sentence.split()) <= 8
    return bool(TITLE_LABEL.match(sentence)) and 2 <= len(sentence.split()) <= TITLE_LABEL_WORDS
