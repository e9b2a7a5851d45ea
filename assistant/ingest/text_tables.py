"""Plain-text tables written as rows: aligned columns and dot leaders become cells joined by " | " (``text.tables``).

A text file's fee schedule or response-time table is laid out with spaces ("Emergency      4 hours      1 day") or
dot leaders ("Emergency .......... 4 hours"); read as prose, its rows run together and no row can be found or
quoted. The gaps between cells are rewritten as " | " when the text is made canonical (the source map keeps the way
back), so every reader after loading sees the one row form DOCX and HTML tables have.

What counts, deliberately strict (prose with two spaces after a full stop, indented lists and tables of contents
must stay as they are):
- aligned columns: at least three consecutive lines that each split into the same number (2 to 8) of cells at runs
  of two or more spaces or a tab, every column's cells starting (or, for figures, ending) in the same place
  (within ``SLACK`` characters) on every line, no cell longer than ``MAX_CELL`` characters, and the first cell not a list number ("(a)", "1.");
- dot leaders: at least two consecutive "label .... value" lines, unless every value is a bare number and the numbers
  never decrease (that is a table of contents, which ``toc`` reads).
"""

from __future__ import annotations

import re

from ..text.edits import Edit
from ..text.tables import CELL_SEPARATOR, ENUMERATOR, is_row

GAP = re.compile(r"[ ]{2,}|\t+[ ]*")
LEADER = re.compile(r"[ \t]*(?:\.{4,}|(?:\.[ ]){3,}\.?|…{2,})[ \t]*")  # not "____": a blank to fill in
BARE_NUMBER = re.compile(r"^(?:\d{1,4}|[ivxlcIVXLC]{1,6})$")
MAX_CELL = 60
MIN_ALIGNED_LINES = 3
MIN_LEADER_LINES = 2
MAX_COLUMNS = 8
SLACK = 1
WHY = "table row"


def text_table_edits(text: str) -> list[Edit]:
    """Edits turning the gaps of each plain-text table row into " | "."""
    lines = _lines(text)
    return _aligned_edits(text, lines) + _leader_edits(text, lines)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((position, position + len(line.rstrip("\r\n"))))
        position += len(line)
    return spans


# ---------------------------------------------------------------------------------------------- aligned columns


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The cells of one line split at its gaps, as offsets (None when the line is not a candidate row)."""
    line = text[start:end]
    body = line.lstrip(" \t")
    if not body or is_row(line) or "\t" not in body and "  " not in body.rstrip():
        return None
    indent = len(line) - len(body)
    pieces: list[tuple[int, int]] = []
    cursor = indent
    for gap in GAP.finditer(line, indent):
        if gap.end() == len(line):
            break
        pieces.append((start + cursor, start + gap.start()))
        cursor = gap.end()
    pieces.append((start + cursor, start + len(line.rstrip(" \t"))))
    pieces = [(a, b) for a, b in pieces if b > a]
    if not 2 <= len(pieces) <= MAX_COLUMNS or any(b - a > MAX_CELL for a, b in pieces):
        return None
    if ENUMERATOR.match(text[pieces[0][0] : pieces[0][1]]):
        return None
    return pieces


def _aligned(rows: list[list[tuple[int, int]]], starts: list[int]) -> bool:
    """Every row has the same number of cells and each column's cells start (left-aligned) or end (right-aligned
    figures) in the same place on every line."""
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        return False
    lefts = [[a - line_start for a, _ in row] for row, line_start in zip(rows, starts)]
    rights = [[b - line_start for _, b in row] for row, line_start in zip(rows, starts)]
    return all(_same([c[k] for c in lefts]) or _same([c[k] for c in rights]) for k in range(width))


def _same(positions: list[int]) -> bool:
    return max(positions) - min(positions) <= SLACK


def _aligned_edits(text: str, lines: list[tuple[int, int]]) -> list[Edit]:
    edits: list[Edit] = []
    k = 0
    while k < len(lines):
        first = _cells(text, *lines[k])
        if first is None:
            k += 1
            continue
        rows, starts = [first], [lines[k][0]]
        j = k + 1
        while j < len(lines):
            row = _cells(text, *lines[j])
            if row is None or not _aligned(rows + [row], starts + [lines[j][0]]):
                break
            rows.append(row)
            starts.append(lines[j][0])
            j += 1
        if len(rows) >= MIN_ALIGNED_LINES:
            for row in rows:
                edits += [Edit(b, a2, CELL_SEPARATOR, WHY) for (_, b), (a2, _) in zip(row, row[1:])]
            k = j
        else:
            k += 1
    return edits


# ---------------------------------------------------------------------------------------------- dot leaders


def _leader(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """(gap start, gap end, value) of a "label .... value" line, else None."""
    line = text[start:end]
    match = LEADER.search(line)
    if match is None or not line[: match.start()].strip() or not line[match.end() :].strip():
        return None
    if LEADER.search(line, match.end()):
        return None
    return start + match.start(), start + match.end(), line[match.end() :].strip()


def _leader_edits(text: str, lines: list[tuple[int, int]]) -> list[Edit]:
    edits: list[Edit] = []
    run: list[tuple[int, int, str]] = []
    for start, end in lines + [(len(text), len(text))]:
        found = _leader(text, start, end) if end > start else None
        if found is not None:
            run.append(found)
            continue
        if len(run) >= MIN_LEADER_LINES and not _contents_like(run):
            edits += [Edit(a, b, CELL_SEPARATOR, WHY) for a, b, _ in run]
        run = []
    return edits


def _contents_like(run: list[tuple[int, int, str]]) -> bool:
    """A table of contents: every value a bare page number, never decreasing."""
    values = [v for _, _, v in run]
    if not all(BARE_NUMBER.match(v) for v in values):
        return False
    numbers = [int(v) for v in values if v.isdigit()]
    return numbers == sorted(numbers)
