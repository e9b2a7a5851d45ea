"""Citations of exact spans: a sentence of a chunk, the sentence around an offset of a document, with the page
the quote falls on (a chunk can run across a page break, so the page is that of the quote, not the chunk's)."""

from __future__ import annotations

from ..core.documents import Chunk
from ..index.store import Index
from ..text.sentences import sentence_units
from .types import Citation


class Citer:
    """``of(number, chunk, start, end)`` cites ``chunk.text[start:end]``."""

    def __init__(self, index: Index):
        self.index = index

    def page(self, chunk: Chunk, offset: int) -> int:
        """The page holding document offset ``offset`` of a chunk."""
        if chunk.page_start == chunk.page_end:
            return chunk.page_start
        return self.index.document(chunk.doc_id).page_at(offset)

    def of(self, number: int, chunk: Chunk, start: int, end: int) -> Citation:
        """A citation of ``chunk.text[start:end]``, with its offsets in the document and the pages it falls on."""
        page = self.page(chunk, chunk.start + start)
        page_end = self.page(chunk, chunk.start + max(start, end - 1))
        return Citation(number, chunk.sub_span(start, end, page, page_end))

    def sentence(self, number: int, doc_id: str, start: int, end: int) -> Citation | None:
        """The whole sentence (as the answerer splits them) around a span of a document, e.g. a key term's evidence."""
        for chunk in self.index.chunks(doc_id):
            if chunk.start <= start < chunk.end:
                local = start - chunk.start
                for a, b in sentence_units(chunk.text):
                    if a <= local < b:
                        return self.of(number, chunk, a, b)
                return self.of(number, chunk, local, min(end, chunk.end) - chunk.start)
        return None

    def chunk_at(self, doc_id: str, start: int) -> Chunk | None:
        """The chunk of a document that starts at ``start`` (audit evidence is a whole chunk)."""
        return next((c for c in self.index.chunks(doc_id) if c.start == start), None)


def evidence_citation(citer: Citer, rank, number: int, span, question: str) -> Citation | None:
    """The sentence of an audit evidence passage (``span``, a whole chunk) that best matches the question;
    ``rank(question, passages)`` is the sentence ranker."""
    from ..core.documents import Passage

    chunk = citer.chunk_at(span.doc_id, span.start)
    if chunk is None:
        return None
    ranked = rank(question, [Passage(chunk, 1.0)])
    if not ranked:
        return None
    best = ranked[0]
    return citer.of(number, chunk, best.start, best.end)
