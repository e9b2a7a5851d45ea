"""Table rows in document text: one home for what a row is, what its cells are and which row is its header.

Every reader writes a table as one line per row with its cells joined by ``" | "`` (DOCX and HTML tables; plain-text
tables with aligned columns or dot leaders are rewritten so when the text is made canonical; Markdown and ``|``-grid
tables already are). A run of row lines is one table; its first row is the header (the convention of Markdown, of
Word's and HTML's own tables and of nearly every fee schedule and service-level table) unless it states figures
as the next row does (a dot-leader fee list has no header row), and a rule line
(``|---|---|``, ``+-----+``) may sit between rows. A row then reads with its header: "Emergency | 4 hours" under
"Priority | Response time" is "Priority: Emergency; Response time: 4 hours" to the answerer, while every quote stays
the row as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CELL_SEPARATOR = " | "
LAYOUT_CELL = 60  # characters: a lone filled cell longer than this is a paragraph laid out in a table
ENUMERATOR = re.compile(r"^(?:(?:section|clause|article|schedule|exhibit|annex)\s+)?\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]?$",
                        re.IGNORECASE)  # a list or clause number standing alone in a cell
RULE = re.compile(r"^[ \t]*(?:\|?[ \t]*:?-{3,}:?[ \t]*)(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$|^[ \t]*\+(?:[-=]{3,}\+)+[ \t]*$")


def row_text(cells: list[str]) -> str:
    """A table row as document text: its cells joined by " | ". Tables also lay out plain paragraphs (EDGAR HTML
    and Word files put a clause number in one cell and the clause in the next): a row of one filled cell is that
    text (when it is longer than a data cell, ``LAYOUT_CELL``), a number cell and one text cell are the numbered
    paragraph ("1. Definitions. ...")."""
    filled = [c for c in cells if c]
    if not filled:
        return ""
    if len(cells) == 1 or len(filled) == 1 and len(filled[0]) > LAYOUT_CELL:  # indented by empty cells: a paragraph
        return filled[0] if filled else ""
    if len(filled) == 2 and ENUMERATOR.match(filled[0]):
        return f"{filled[0]} {filled[1]}"
    return CELL_SEPARATOR.join(cells)


def is_row(line: str) -> bool:
    """A table row: cells joined by " | ", or a Markdown / grid row (starts with "|")."""
    stripped = line.strip()
    return (CELL_SEPARATOR in stripped or stripped.startswith("|") or stripped.endswith(" |")) and not is_rule(stripped)


def is_rule(line: str) -> bool:
    """A rule line between rows (``|---|:---:|``, ``+----+----+``): part of a table, not a row."""
    return bool(RULE.match(line))


def cells(row: str) -> list[str]:
    """The cells of a row, trimmed (a Markdown row's outer pipes are not cells; in a row written without them, a
    trailing "|" ends an empty last cell)."""
    stripped = row.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
        if stripped.endswith("|"):
            stripped = stripped[:-1]
    return [c.strip() for c in stripped.split("|")]


@dataclass(frozen=True)
class TableSpan:
    """One table of a text: where it is, its header row (None when the first row is data) and its data rows
    (``[start, end)`` offsets)."""

    start: int
    end: int
    header: tuple[int, int] | None
    rows: tuple[tuple[int, int], ...]


def tables(text: str) -> list[TableSpan]:
    """The tables of ``text``: runs of at least two row lines, with rule lines allowed between them (a blank line
    ends a table: two tables one after the other must not read as one)."""
    found: list[TableSpan] = []
    run: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        start, end = position, position + len(line.rstrip("\r\n"))
        position += len(line)
        content = text[start:end]
        if is_row(content):
            run.append(_trimmed(text, start, end))
        elif not (run and is_rule(content)):
            _close(text, run, found)
            run = []
    _close(text, run, found)
    return found


def _close(text: str, run: list[tuple[int, int]], found: list[TableSpan]) -> None:
    if len(run) < 2:
        return
    first, second = (text[a:b] for a, b in run[:2])
    if is_header(first, second):
        found.append(TableSpan(run[0][0], run[-1][1], run[0], tuple(run[1:])))
    else:
        found.append(TableSpan(run[0][0], run[-1][1], None, tuple(run)))


def is_header(first: str, second: str) -> bool:
    """Whether a table's first row names its columns: it states fewer figures than the row after it
    ("Priority | Response time" over "Emergency | 4 hours"; not "Set-up fee | 1,000" over "Support | 500")."""
    return _figures(first) < _figures(second)


def _figures(row: str) -> int:
    return sum(1 for cell in cells(row) if any(ch.isdigit() for ch in cell))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def header_before(text: str, offset: int) -> tuple[int, int] | None:
    """The header row of the table whose data row holds ``offset`` (None outside a table or on the header itself)."""
    for table in tables(text):
        if table.start <= offset < table.end:
            return table.header if table.header is not None and offset >= table.rows[0][0] else None
        if table.start > offset:
            break
    return None


def read_row(row: str, header: str) -> str:
    """A data row as the answerer reads it: each cell after its column's heading ("Priority: Emergency; Response
    time: 4 hours"); the row itself when the header does not fit it (other column count, or no header)."""
    if not header:
        return row
    names, values = cells(header), cells(row)
    if len(names) != len(values):
        return row
    return "; ".join(f"{name}: {value}" if name else value for name, value in zip(names, values))
