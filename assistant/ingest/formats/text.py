"""Plain text and Markdown: the encoding detected, Markdown '#' headings as heading hints."""

from __future__ import annotations

import re

from ...core.documents import HeadingHint
from ...core.errors import CorruptDocumentError, UnsupportedFileError

MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+\S.*$", re.MULTILINE)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the best guess of charset-normalizer."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFileError(name, "file looks binary (NUL bytes), not text")
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise CorruptDocumentError(name, "text encoding could not be detected")
    return str(best)


def read_text(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    return decode_text(data, name), [0], []


def read_markdown(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    text = decode_text(data, name)
    headings = [HeadingHint(m.start(), m.end(), len(m.group(1))) for m in MARKDOWN_HEADING.finditer(text)]
    return text, [0], headings
