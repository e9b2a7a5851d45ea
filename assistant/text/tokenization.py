"""Words as search and matching see them: bm25s's English tokenizer (stop words dropped) with a Snowball stemmer.

One tokenization serves the BM25 index, document resolution, the focus, the answerer's sentence scoring,
clause matching and verification, so "terminate", "terminated" and "termination" compare the same everywhere.
"""

from __future__ import annotations

import bm25s
import Stemmer

_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Stemmed content words of each text, in order (repeats kept)."""
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)


def stems(text: str) -> list[str]:
    """``tokenize`` for one text."""
    return tokenize([text])[0]
