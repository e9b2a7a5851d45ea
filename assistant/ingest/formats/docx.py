"""DOCX (python-docx): paragraphs and tables in reading order; heading styles become heading hints."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, Iterator

from ...core.documents import HeadingHint
from ...core.errors import CorruptDocumentError, EncryptedDocumentError
from ...text.tables import row_text
from ..hidden import docx_paragraph_text
from .builder import TextBuilder

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or a password-protected (encrypted) OOXML file


def read_docx(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    import docx
    from docx.document import Document as DocxDocument

    try:
        parsed: DocxDocument = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        if data[:8] == OLE_MAGIC:
            raise EncryptedDocumentError(name, "DOCX is password-protected (or a legacy .doc); save it unprotected as .docx") from exc
        raise CorruptDocumentError(name, f"DOCX is damaged or not a Word document ({type(exc).__name__}: {exc})") from exc
    builder = TextBuilder()
    for _, text, level in docx_blocks(parsed):
        builder.add(text, heading_level=level)
    return builder.text(), [0], builder.headings


def docx_blocks(parsed) -> Iterator[tuple[Any, str, int | None]]:
    """(paragraph or table row, its text, heading level) in reading order: the document text is these texts, so a
    redline can map offsets back to the paragraphs they came from. Hidden runs are marked (``hidden``)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = _style_names(parsed)
    for block in parsed.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():  # empty paragraphs (a file of a million of them) cost nothing more
                yield block, docx_paragraph_text(block), _heading_level(block, styles)
        elif isinstance(block, Table):
            for row in block.rows:
                yield row, row_text(_unique_cells(row.cells)), None


def _unique_cells(cells: list) -> list[str]:
    """Merged cells repeat in python-docx rows; keep each cell once."""
    seen: list = []
    texts: list[str] = []
    for cell in cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        texts.append(" ".join("\n".join(docx_paragraph_text(p) for p in cell.paragraphs).split()))
    return texts


def _style_names(parsed) -> dict[str, str]:
    """Paragraph style id -> name, read once: python-docx's ``paragraph.style`` searches every style of the
    document for each paragraph, which made a file of many paragraphs take minutes."""
    try:
        return {s.style_id: s.name or "" for s in parsed.styles if s.style_id}
    except (AttributeError, KeyError, ValueError):  # a styles part python-docx cannot read: no heading styles
        return {}


def _heading_level(paragraph, styles: dict[str, str]) -> int | None:
    style_id = paragraph._p.style  # the pStyle value, or None for the default paragraph style
    style = styles.get(style_id, "") if style_id else ""
    if style == "Title":
        return 0
    match = re.match(r"Heading (\d)", style)
    return int(match.group(1)) if match else None
