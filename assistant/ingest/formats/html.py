"""HTML (BeautifulSoup + lxml): block elements in reading order, table rows as ' | '-joined cells, h1-h6 as heading hints."""

from __future__ import annotations

from ...core.documents import HeadingHint
from ..hidden import mark_hidden_html, strip_marks
from .builder import TextBuilder
from .text import decode_text

BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd", "caption"]
CONTAINERS = ["p", "li", "tr", "pre", "blockquote", "dd"]


def read_html(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(strip_marks(decode_text(data, name)), "lxml")
    mark_hidden_html(soup)
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    builder = TextBuilder()
    for element in soup.find_all(BLOCKS):
        if element.find_parent(CONTAINERS) is not None:
            continue
        if element.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in element.find_all(["td", "th"])]
            builder.add(" | ".join(cells))
        elif element.name == "pre":
            builder.add(element.get_text())
        else:
            level = int(element.name[1]) if element.name[0] == "h" and element.name[1:].isdigit() else None
            builder.add(" ".join(element.get_text(" ").split()), heading_level=level)
    if not builder.length:
        body = soup.body or soup
        builder.add(" ".join(body.get_text(" ").split()))
    return builder.text(), [0], builder.headings
