"""One reader per file format: bytes -> (text, page starts, heading hints). ``READERS`` maps a kind to its reader."""

from __future__ import annotations

from .docx import read_docx
from .html import read_html
from .pdf import read_pdf
from .text import read_markdown, read_text

READERS = {"pdf": read_pdf, "docx": read_docx, "txt": read_text, "md": read_markdown, "html": read_html}
