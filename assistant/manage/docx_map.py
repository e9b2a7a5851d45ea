"""Where each piece of a DOCX file's text is in the ingested document: the blocks (paragraphs, table rows) the
DOCX reader joined into ``Document.text``, with their offsets, so a finding's span leads back to its paragraph."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from ..core.documents import Document
from ..core.errors import AssistantError
from ..ingest.canonical import canonical
from ..ingest.formats.builder import TextBuilder
from ..ingest.formats.docx import docx_blocks
from ..ingest.hidden import take_marks


class DocxMismatchError(AssistantError):
    """The DOCX file is not the one that was ingested (its text differs), so offsets cannot be mapped onto it."""


@dataclass(frozen=True)
class Block:
    """One paragraph or table row: ``element`` is what to insert after (the paragraph, or the whole table)."""

    start: int
    end: int
    element: Any
    paragraph: Any | None  # the python-docx Paragraph for a paragraph block (None for a table row)
    heading_level: int | None


class DocxMap:
    """The blocks of a parsed DOCX with their offsets in ``document.text`` (checked to be the same text).

    The reader's text is the blocks joined; ``document.text`` is that text with hidden runs cut out, made canonical
    (invisible characters dropped, words split at line ends joined ...), so block offsets go through the same steps."""

    def __init__(self, parsed, document: Document):
        builder = TextBuilder()
        blocks: list[Block] = []
        for block, text, level in docx_blocks(parsed):
            before = builder.length
            builder.add(text, heading_level=level)
            if builder.length == before:
                continue  # an empty paragraph adds no text
            start = builder.length - len(text.strip())
            is_row = not hasattr(block, "runs")
            element = block._tr.getparent() if is_row else block._p  # text after a row goes after its table
            blocks.append(Block(start, builder.length, element, None if is_row else block, level))
        n = len(blocks)
        # block bounds ride along as "page starts" so the hidden-text cut moves them as it moves the text
        visible, moved, hints, _ = take_marks(builder.text(), [b.start for b in blocks] + [b.end for b in blocks], builder.headings)
        text = canonical(visible, [0], hints, "docx")
        if text.text != document.text:
            raise DocxMismatchError(f"{document.file_name}: this DOCX file is not the one ingested (its text differs); "
                                    "ingest the file again, then redline it")
        to_canonical = text.source_map.to_canonical
        blocks = [Block(to_canonical(moved[i]), to_canonical(moved[n + i]), b.element, b.paragraph, b.heading_level)
                  for i, b in enumerate(blocks) if moved[n + i] > moved[i]]  # a wholly hidden paragraph has no text
        self.blocks = blocks
        self._starts = [b.start for b in blocks]

    def block_at(self, offset: int) -> Block:
        """The block holding the character at ``offset`` (the last block before it when ``offset`` is a separator)."""
        return self.blocks[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def last_block_before(self, end: int) -> Block:
        """The last block that starts before ``end``: where text that follows a section is inserted."""
        return self.blocks[max(0, bisect.bisect_left(self._starts, end) - 1)]
