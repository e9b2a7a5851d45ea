"""HTML (BeautifulSoup + lxml): block elements in reading order (a div that holds no other blocks is one), table rows as
' | '-joined cells (``text.tables.row_text``), h1-h6 as heading hints."""

from __future__ import annotations

from ...core.documents import HeadingHint
from ...text.tables import row_text
from ..hidden import mark_hidden_html, strip_marks
from .builder import TextBuilder
from .text import decode_text

BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd", "caption", "div"]
CONTAINERS = ["p", "li", "tr", "pre", "blockquote", "dd"]
BLOCK_CHILDREN = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "blockquote", "dl", "div", "ul", "ol"]


def read_html(data: bytes, name: str) -> tuple[str, list[int], list[HeadingHint]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(strip_marks(decode_text(data, name)), "lxml")
    mark_hidden_html(soup)
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    builder = TextBuilder()
    inside, holders = _inside_containers(soup), _block_holders(soup)
    for element in soup.find_all(BLOCKS):
        if id(element) in inside:
            continue
        if element.name == "div" and id(element) in holders:
            continue  # a div of paragraphs: its paragraphs are the blocks (EDGAR filings write every paragraph as a div)
        if element.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in element.find_all(["td", "th"], recursive=False)]
            builder.add(row_text(cells))
        elif element.name == "pre":
            builder.add(element.get_text())
        else:
            level = int(element.name[1]) if element.name[0] == "h" and element.name[1:].isdigit() else None
            builder.add(" ".join(element.get_text(" ").split()), heading_level=level)
    if not builder.length:
        body = soup.body or soup
        builder.add(" ".join(body.get_text(" ").split()))
    return builder.text(), [0], builder.headings


def _inside_containers(soup) -> set[int]:
    """Ids of the elements inside a container block (their text is read with it), in one pass over the tree."""
    inside: set[int] = set()
    for container in soup.find_all(CONTAINERS):
        if id(container) not in inside:
            inside.update(id(d) for d in container.descendants)
    return inside


def _block_holders(soup) -> set[int]:
    """Ids of the elements that hold a block element, marked upwards from each block and stopping at the first
    ancestor already marked (linear, however deep the nesting)."""
    holders: set[int] = set()
    for block in soup.find_all(BLOCK_CHILDREN):
        parent = block.parent
        while parent is not None and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    return holders
