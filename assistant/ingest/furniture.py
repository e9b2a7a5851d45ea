"""Page furniture: running headers and footers, page numbers and filing stamps, found and cut out.

A line is furniture when it sits at the top or bottom of a page and either repeats there on many pages
(digits ignored, so "Page 3 of 40" repeats as "page # of #"), or is a page number on its own ("12", "- 12 -",
"Page 12", "xii"), or is a page number stuck to the first or last words of the page that counts up with
the pages. Text files have no pages; when the same footer line ("Source: ACME CORP, 8-K, 10/1/2008") or a
run of bare page numbers stands between paragraphs, the page breaks are found from them.

Cutting the furniture out keeps it out of headings, section paths and sentences; where a page ends in the
middle of a sentence, the break becomes a single line break so the sentence reads as one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..text.edits import Edit

EDGE_LINES = 4  # lines at each edge of a page that may be furniture
REPEAT_SHARE = 0.4  # of the pages with text
MIN_REPEATS = 3
PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-\u2013\u2014(\[]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-\u2013\u2014)\]]?\s*(?:of\s+\d{1,4})?\s*$", re.IGNORECASE)
PAGE_MARKER = re.compile(r"^\s*<\s*page\s*>\s*\d*\s*$", re.IGNORECASE)
LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})\s+(?=[A-Za-z(\"'])")
TRAILING_NUMBER = re.compile(r"(?<=[a-z.,;)])\s+(\d{1,4})\s*$")
CLOSING = ".;:!?\"')]\u201d"
FOOTER_CHARS = 120


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # without its newline

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def lines_of(text: str, start: int, end: int) -> list[Line]:
    out, cursor = [], start
    while cursor < end:
        stop = text.find("\n", cursor, end)
        stop = end if stop < 0 else stop
        out.append(Line(cursor, stop))
        cursor = stop + 1
    return out


def shape(line: str) -> str:
    """A line as it repeats from page to page: lower case, digits as #, spaces collapsed."""
    return " ".join(re.sub(r"\d+", "#", line.lower()).split())


def _edge(lines: list[Line], text: str, from_top: bool) -> list[Line]:
    """The first (or last) ``EDGE_LINES`` non-blank lines of a page."""
    ordered = lines if from_top else lines[::-1]
    return [line for line in ordered if line.text(text).strip()][:EDGE_LINES]


def _counting(values: list[tuple[int, int]], pages: int) -> bool:
    """Numbers that count up with the pages (number - page index constant) on most pages."""
    if len(values) < max(MIN_REPEATS, math.ceil(0.5 * pages)):
        return False
    offsets = Counter(number - page for page, number in values)
    return offsets.most_common(1)[0][1] >= max(MIN_REPEATS, math.ceil(0.5 * pages))


def page_furniture(text: str, page_starts: list[int]) -> list[Edit]:
    """Edits that cut the furniture of each page out and join pages where a sentence runs on."""
    bounds = list(zip(page_starts, page_starts[1:] + [len(text)]))
    pages = [lines_of(text, a, b) for a, b in bounds]
    with_text = [p for p in pages if any(line.text(text).strip() for line in p)]
    if len(with_text) < MIN_REPEATS:
        return _join_pages(text, pages, [set() for _ in pages], {})
    threshold = max(MIN_REPEATS, math.ceil(REPEAT_SHARE * len(with_text)))
    seen: Counter = Counter()
    for page in pages:
        seen.update({shape(line.text(text)) for top in (True, False) for line in _edge(page, text, top)})
    repeated = {s for s, n in seen.items() if n >= threshold and s}
    leading = [(i, int(m.group(1))) for i, page in enumerate(pages) for line in _edge(page, text, True)[:1]
               if (m := LEADING_NUMBER.match(line.text(text)))]
    trailing = [(i, int(m.group(1))) for i, page in enumerate(pages) for line in _edge(page, text, False)[:1]
                if (m := TRAILING_NUMBER.search(line.text(text)))]
    stuck: dict[int, Edit] = {}
    if _counting(leading, len(with_text)):
        for i, page in enumerate(pages):
            first = _edge(page, text, True)[:1]
            if first and (m := LEADING_NUMBER.match(first[0].text(text))):
                stuck[first[0].start] = Edit(first[0].start + m.start(1), first[0].start + m.end(), "", "page number")
    if _counting(trailing, len(with_text)):
        for i, page in enumerate(pages):
            last = _edge(page, text, False)[:1]
            if last and (m := TRAILING_NUMBER.search(last[0].text(text))):
                stuck[last[0].end] = Edit(last[0].start + m.start(), last[0].end, "", "page number")
    cut: list[set[int]] = []
    for page in pages:
        marked: set[int] = set()
        for top in (True, False):
            for line in (page if top else page[::-1]):
                content = line.text(text)
                if not content.strip() or shape(content) in repeated or PAGE_NUMBER.match(content) or PAGE_MARKER.match(content):
                    marked.add(line.start)
                    continue
                break
        cut.append(marked)
    return _join_pages(text, pages, cut, stuck)


def _join_pages(text: str, pages: list[list[Line]], cut: list[set[int]], stuck: dict[int, Edit]) -> list[Edit]:
    """Cut the marked lines; between two pages' content leave one line break where a sentence runs on, else a blank line."""
    edits: list[Edit] = list(stuck.values())
    spans = []  # each page's first and last kept character
    for page, marked in zip(pages, cut):
        kept = [line for line in page if line.start not in marked]
        if kept:
            spans.append((kept[0].start, kept[-1].end))
    if not spans:
        return edits
    if spans[0][0] > 0:
        edits.append(Edit(0, spans[0][0], "", "page header"))
    for (_, end), (start, _) in zip(spans, spans[1:]):
        edits.append(Edit(end, start, _separator(text, end, start, stuck), "page break"))
    if spans[-1][1] < len(text):
        edits.append(Edit(spans[-1][1], len(text), "", "page footer"))
    return edits


def _separator(text: str, end: int, start: int, stuck: dict[int, Edit]) -> str:
    """One line break when the sentence runs on across the page break, else a blank line."""
    stuck_end = stuck.get(end)
    last = text[:stuck_end.start if stuck_end else end].rstrip()
    first = text[start : start + 40].lstrip()
    runs_on = last[-1:] not in CLOSING and bool(first) and (first[0].islower() or first[0].isdigit() or last[-1:] in ",-")
    return "\n" if runs_on else "\n\n"


def embedded_headers(text: str) -> list[Edit]:
    """A running header printed into the body of the text, away from any page edge, where the filing's own pages broke
    ("... by giving to the other party written notice" / "eGAIN COMMUNICATIONS CORPORATION" / "HOSTING AGREEMENT" /
    "of such termination ..."): a block of up to three lines of two words or more, each repeated at least
    ``MIN_REPEATS`` times in the text, standing between a line that does not end a sentence and one that carries it on
    in lower case. Cut only there (the title occurrence on the first page stays), and only when it happens at least
    twice, so the sentence reads as one."""
    lines = [line for line in lines_of(text, 0, len(text)) if line.text(text).strip()]
    shapes = [shape(line.text(text)) for line in lines]
    counts = Counter(s for s, line in zip(shapes, lines) if len(line.text(text).strip()) <= FOOTER_CHARS)
    repeated = [counts[s] >= MIN_REPEATS and len(s.split()) >= 2 and _header_like(line.text(text)) for s, line in zip(shapes, lines)]
    edits, i = [], 1
    while i < len(lines) - 1:
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) - 1 and repeated[j + 1] and j - i < 2:
            j += 1
        before, after = lines[i - 1].text(text).rstrip(), lines[j + 1].text(text).lstrip()
        if before[-1:] not in CLOSING and after[:1].islower():
            edits.append(Edit(lines[i - 1].end, lines[j + 1].start, "\n", "running header"))
        i = j + 1
    return edits if len(edits) >= 2 else []


def _header_like(line: str) -> bool:
    """A line that can be a running header: it opens with a capital or a digit, or is mostly capitals ("eGAIN
    COMMUNICATIONS CORPORATION"); a wrapped piece of a sentence opens in lower case."""
    stripped = line.strip()
    upper = sum(c.isupper() for c in stripped)
    return stripped[:1].isupper() or stripped[:1].isdigit() or upper > sum(c.islower() for c in stripped)


def inferred_page_breaks(text: str) -> list[Line]:
    """For text without pages: the lines that end a page (a footer repeated between paragraphs, or bare page
    numbers counting up), or [] when there are none to trust."""
    lines = [line for line in lines_of(text, 0, len(text))]
    alone = [i for i, line in enumerate(lines) if line.text(text).strip()
             and (i == 0 or not lines[i - 1].text(text).strip()) and (i + 1 >= len(lines) or not lines[i + 1].text(text).strip())]
    shapes = Counter(shape(lines[i].text(text)) for i in alone if len(lines[i].text(text).strip()) <= FOOTER_CHARS)
    footers = {s for s, n in shapes.items() if n >= MIN_REPEATS and not PAGE_NUMBER.match(s.replace("#", "1"))}
    numbers = [i for i in alone if PAGE_NUMBER.match(lines[i].text(text)) and re.search(r"\d", lines[i].text(text))]
    values = [int(re.search(r"\d+", lines[i].text(text)).group(0)) for i in numbers]
    counting = _counts_up(values)
    breaks = [lines[i] for i in alone if shape(lines[i].text(text)) in footers or (counting and i in numbers) or PAGE_MARKER.match(lines[i].text(text))]
    return breaks if len(breaks) >= MIN_REPEATS - 1 else []


def _counts_up(values: list[int]) -> bool:
    """Bare numbers that count up as page numbers do, most steps by one; a number printed twice at one break (as a
    footer and again above the next page: 2, 2, 3, 3, 4, 4) is one step."""
    steps = [b - a for a, b in zip(values, values[1:]) if b != a]
    return len(values) >= MIN_REPEATS and bool(steps) and sum(step == 1 for step in steps) >= 0.6 * len(steps)


def text_page_starts(text: str, breaks: list[Line]) -> list[int]:
    """Page starts for a text whose page breaks were inferred: a page begins after each break line; a break
    line right after another (a footer, then a page number) is left at the top of the next page, as furniture."""
    starts = [0]
    for line in breaks:
        if text[starts[-1] : line.start].strip() and line.end + 1 < len(text):
            starts.append(line.end + 1)
    return starts
