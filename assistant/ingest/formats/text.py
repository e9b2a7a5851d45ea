"""Plain text and Markdown: the encoding detected, Markdown '#' headings as heading hints."""

from __future__ import annotations

import re

from ...core.documents import HeadingHint
from ..encodings import decode

MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+\S.*$", re.MULTILINE)


def decode_text(data: bytes, name: str) -> str:
    """The file's text in the encoding ``encodings.decode`` detects (BOMs, UTF-16/32 without one, UTF-8, code pages)."""
    return decode(data, name).text


def read_text(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    return decode_text(data, name), [0], []


def read_markdown(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    text = decode_text(data, name)
    headings = [HeadingHint(m.start(), m.end(), len(m.group(1))) for m in MARKDOWN_HEADING.finditer(text)]
    return text, [0], headings
