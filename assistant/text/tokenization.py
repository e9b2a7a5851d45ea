"""Words as search and matching see them: bm25s's English tokenizer (stop words dropped) with a Snowball stemmer.

One tokenization serves the BM25 index, document resolution, the focus, the answerer's sentence scoring,
clause matching and verification, so "terminate", "terminated" and "termination" compare the same everywhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import bm25s
import Stemmer

_STEMMER = Stemmer.Stemmer("english")


_CACHE: OrderedDict[str, list[str]] = OrderedDict()
_CACHE_SIZE = 50_000  # texts; the sentences of the passages questions hit come back again and again
_CACHED_CHARS = 400  # longer texts (whole chunks, indexed once) are not kept
_LOCK = threading.Lock()


def tokenize(texts: list[str]) -> list[list[str]]:
    """Stemmed content words of each text, in order (repeats kept). Each text is tokenized on its own, so results
    are kept per text and only the new ones go to bm25s (once per call: its progress bar costs more than a sentence)."""
    with _LOCK:
        found = {t: _CACHE[t] for t in texts if t in _CACHE}
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        fresh = bm25s.tokenize(missing, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)
        with _LOCK:
            for text, tokens in zip(missing, fresh):
                found[text] = tokens
                if len(text) <= _CACHED_CHARS:
                    _CACHE[text] = tokens
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return [list(found[t]) for t in texts]


def stems(text: str) -> list[str]:
    """``tokenize`` for one text."""
    return tokenize([text])[0]
