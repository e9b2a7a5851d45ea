"""The data that flows through the pipeline: files -> Document -> Section -> Chunk -> Passage."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any

from .flags import Flag
from .source_map import SourceMap
from .spans import Span


@dataclass(frozen=True)
class HeadingHint:
    """A heading known from the file format (DOCX style, HTML h1-h6, Markdown #): [start, end) of its line.

    ``styled`` hints are weaker: text a PDF sets in bold (within one line), which may be a heading, a defined term,
    a name or a caption; structure detection decides from the words around it."""

    start: int
    end: int
    level: int
    styled: bool = False


@dataclass(frozen=True)
class Document:
    """A loaded file. ``text`` is the one string every offset refers to.

    ``page_starts[i]`` is the offset where page i+1 begins (one entry for formats without pages).
    """

    id: str
    source: str
    file_name: str
    kind: str
    text: str
    page_starts: tuple[int, ...] = (0,)
    title: str = ""
    headings: tuple[HeadingHint, ...] = ()
    size_bytes: int = 0
    flags: tuple[Flag, ...] = ()  # hidden or instruction-like text: kept in ``text``, left out of every chunk
    warnings: tuple[str, ...] = ()  # what a reviewer should know about how the file was read (empty pages, a guessed encoding, pages OCR could not read)
    encoding: str = ""  # how a text file was decoded ("" for PDF and DOCX)
    source_map: SourceMap = field(default_factory=SourceMap)  # canonical text -> the text the file gave
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text was read by OCR from an image

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def flagged(self) -> list[tuple[int, int]]:
        """``[start, end)`` of the flagged text, merged and in order."""
        from .flags import merge_ranges

        return merge_ranges([(f.span.start, f.span.end) for f in self.flags])

    def visible_text(self) -> str:
        """The text with flagged ranges blanked (same length, so offsets hold): what names and titles are read from."""
        text = self.text
        for start, end in self.flagged():
            text = text[:start] + "".join("\n" if ch == "\n" else " " for ch in text[start:end]) + text[end:]
        return text

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Where [start, end) of ``text`` is in the text the file gave (the same unless loading normalised it)."""
        return self.source_map.span_to_source(start, end)

    def page_at(self, offset: int) -> int:
        """1-based page holding the character at ``offset``."""
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True)
class DocumentInfo:
    """What lists and reports show about a document (no text)."""

    doc_id: str
    file_name: str
    kind: str
    title: str
    pages: int
    chunks: int
    size_bytes: int
    deal: str
    ingested_at: float
    aliases: tuple[str, ...] = ()  # other names the same bytes were ingested under
    flags: tuple[str, ...] = ()  # labels of its flagged text ("hidden text on page 12 (white text)")
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentInfo":
        values = {k: tuple(v) if k in ("aliases", "flags", "warnings") else v for k, v in data.items()}
        return cls(**values)


@dataclass(frozen=True)
class Section:
    """A heading and the span of text it governs (until the next heading at any level)."""

    number: str
    title: str
    level: int
    start: int
    end: int
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Chunk:
    """An indexed passage: ``text == document.text[start:end]`` always."""

    id: str
    doc_id: str
    file_name: str
    ordinal: int
    start: int
    end: int
    page_start: int
    page_end: int
    section_path: str
    section_number: str
    text: str
    embed_text: str
    table_header: str = ""  # the header row of the table this chunk starts inside (its rows read with it)
    ocr_pages: tuple[int, ...] = ()  # the chunk's pages whose text was read by OCR

    def ocr_on(self, page: int, page_end: int) -> bool:
        """Whether any of pages ``page``..``page_end`` of this chunk was read by OCR."""
        return any(page <= p <= max(page, page_end) for p in self.ocr_pages)

    @property
    def pages_label(self) -> str:
        return str(self.page_start) if self.page_start == self.page_end else f"{self.page_start}-{self.page_end}"

    @property
    def span(self) -> Span:
        """The whole chunk as a span of its document."""
        return Span(self.doc_id, self.file_name, self.start, self.end, self.text, self.page_start, self.page_end, self.section_path,
                    self.ocr_on(self.page_start, self.page_end))

    def sub_span(self, start: int, end: int, page: int | None = None, page_end: int | None = None) -> Span:
        """``text[start:end]`` of this chunk (offsets within the chunk) as a span of the document."""
        first = self.page_start if page is None else page
        last = self.page_end if page_end is None else page_end
        return Span(self.doc_id, self.file_name, self.start + start, self.start + end, self.text[start:end],
                    first, last, self.section_path, self.ocr_on(first, last))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ocr_pages": list(self.ocr_pages)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        return cls(**{**data, "ocr_pages": tuple(data.get("ocr_pages", ()))})


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and the per-retriever ranks that produced it."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.chunk.text

    def to_dict(self) -> dict[str, Any]:
        return {"chunk": self.chunk.to_dict(), "score": self.score, "ranks": dict(self.ranks)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Passage":
        return cls(Chunk.from_dict(data["chunk"]), float(data["score"]), dict(data.get("ranks", {})))
