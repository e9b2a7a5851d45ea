"""Reading many records of a Chroma collection a page at a time, without the pages piling up in memory.

A Chroma server answers in JSON through httpx, whose response object sits in a reference cycle: each page's bytes
and text (about 16 MB for 2,000 vectors) stay allocated until Python's full garbage collection happens to run. At
100,000 chunks, loading the vectors and the chunks for BM25 left dozens of pages allocated at once, and the app
peaked about 700 MB above the embedded mode. So between pages the cycle is collected and, on glibc, the heap it
freed is handed back to the system (``malloc_trim``), and reading a whole collection costs about one page on top
of what is kept.
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any, Callable, Iterator


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; elsewhere there is no such call and nothing to do
    except (AttributeError, OSError):
        return None


_TRIM = _malloc_trim()


def release_pages() -> None:
    """Free the pages already read (their responses' reference cycles) and give the freed heap back."""
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def pages(collection: Any, size: int, **query: Any) -> Iterator[dict[str, Any]]:
    """``collection.get(**query)`` a page of ``size`` records at a time, by offset; what was read is released before
    the next page is asked for and after the last one (a read of one page releases nothing: no cost for small reads).
    The objects that existed before the read are frozen meanwhile, so each collection looks only at what the read
    made (a full collection of an app server's objects took 0.25 s a page on a busy core)."""
    offset = 0
    gc.freeze()
    try:
        while True:
            part = collection.get(limit=size, offset=offset, **query)
            count = len(part["ids"])
            yield part
            del part
            if offset or count == size:
                release_pages()
            if count < size:
                return
            offset += count
    finally:
        gc.unfreeze()
