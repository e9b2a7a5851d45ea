"""The one sentence splitter, and the two ways it is read.

``sentence_spans`` cuts text at sentence ends, semicolons before a capital, colons before a list item and
every line break: right for chunking (list items, table rows and headings stay whole units; a table row is
never cut inside). Extracted
PDF and EDGAR text also breaks lines mid-sentence, so readers that want sentences join the wrapped lines
back:
- ``sentence_units``: the answerer's sentences; a line that stops mid-sentence (no closing punctuation,
  near full width, or ending on a word like "within") continues on the next line unless that line starts
  a list item or a table row; page numbers and "Page 3 of 40" lines are dropped;
- ``join_wrapped_lines``: the focus's coarser units; a unit without closing punctuation runs on into the
  next unless a blank line separates them, and a bare clause number joins what follows it.
``split_statements`` splits a model's draft answer (not a document) into statements.

All offsets are into the text given, so a unit is always ``text[start:end]``.
"""

from __future__ import annotations

import re

from .normalise import plain
from .tables import is_row
from .values import NUM_WORD

# a sentence starts with a capital, a digit or a bracket, or a name written with a small first letter ("eGain's entire
# liability", "mPhase may"): a lower-case letter, then a capital
SENTENCE_BREAK = re.compile(r"[.;!?][\"')\]]?\s+(?=[\"'(\[]?(?:[A-Z0-9(]|[a-z][A-Z]))|:\s+(?=\()|\n\s*")
ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:No|no|Nos|Inc|Ltd|Co|Corp|St|Mr|Ms|Mrs|Dr|vs|Sec|Secs|Art|al|seq|e\.g|i\.e|U\.S|para|cl|Cl|pp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))$")
LIST_ITEM = re.compile(r"^(?:\(?[a-zA-Z]{1,4}\)|\(?\d{1,3}(?:\.\d+)*\)?\.?|[A-Z]\.|[•*-])\s")
PAGE_LINE = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,4})$", re.IGNORECASE)
PAGE_FURNITURE = re.compile(r"(?im)^[ \t]*page\s+\d+(?:\s+of\s+\d+)?[ \t]*$")
WRAPPED_LINE = 50
ROW_START = re.compile(r"^[A-Z]{1,3}-?[A-Z]?\d+(?:\.\d+)?\s")
OPEN_ENDED = {"of", "to", "in", "within", "by", "for", "on", "at", "the", "a", "an", "and", "or", "than", "with", "from", "after",
              "before", "under", "least", "not", "per", "each", "any", "its", "their", "is", "are", "be", "shall", "may"}
CAPS_VERB = re.compile(r"\b(?:SHALL|WILL|MAY|MUST|IS|ARE|BE|BEEN|HAS|HAVE)\b")  # a sentence in capitals, not a heading
ENUMERATOR = re.compile(r"(?:\d+(?:\.\d+)*\.?|\(?[a-z0-9]{1,4}\)|[A-Za-z]\.|(?:article|section|clause|schedule)\s+[\w.]+\.?)", re.IGNORECASE)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) offsets of the sentences (or lines, or list items) of text[start:end], trimmed."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for match in SENTENCE_BREAK.finditer(text, start, end):
        if text[match.start()] == "." and ABBREVIATION.search(text, max(start, match.start() - 6), match.start()):
            continue
        if text[match.start()] != "\n" and _in_row(text, match.start()):
            continue  # a table row is one unit, whatever its cells say
        cut = match.start() + 1 if text[match.start()] in ".;!?:" else match.start()
        cut = max(cut, cursor)
        while cut < match.end() and text[cut] in "\"')]":
            cut += 1
        if cut > cursor:
            spans.append(trim(text, cursor, cut))
        cursor = match.end()
    if cursor < end:
        spans.append(trim(text, cursor, end))
    return [(a, b) for a, b in spans if b > a]


def _in_row(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return is_row(text[line_start : line_end if line_end >= 0 else len(text)])


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage, with PDF-wrapped lines joined back and page furniture dropped."""
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        piece = text[a:b]
        if PAGE_LINE.match(piece):
            continue
        if units:
            pa, pb = units[-1]
            gap = text[pb:a]
            furniture = PAGE_FURNITURE.search(gap)
            last_line = text[text.rfind("\n", 0, pb) + 1 : pb]
            if (
                (gap.count("\n") == 1 or furniture)
                and not PAGE_FURNITURE.sub("", gap).strip()
                and last_line.rstrip()[-1:] not in ".;:!?"
                and "|" not in last_line
                and "|" not in piece
                and not _caps_heading(text[pa:pb], last_line, piece)
                and _continues(last_line, piece)
            ):
                units[-1] = (pa, b)
                continue
        units.append((a, b))
    return units


def _caps_heading(unit: str, line: str, piece: str) -> bool:
    """Whether an all-caps ``line`` ending ``unit`` is a heading ("LIMITATION OF LIABILITY") rather than a wrapped
    line of a sentence in capitals: a heading has no verb, does not run over lines, and never stops on a comma
    or a word like "OR" / "OF" (``OPEN_ENDED``)."""
    if not line.isupper():
        return False
    last_word = (re.findall(r"[A-Za-z]+$", line.rstrip()) or [""])[0].lower()
    if last_word in OPEN_ENDED:
        return False  # "... SPECIAL OR\nOTHER SIMILAR DAMAGES"
    if line.rstrip().endswith(",") and piece.split(" ", 1)[0].isupper() and not LIST_ITEM.match(piece):
        return False
    return "\n" not in unit.strip() and not CAPS_VERB.search(line)


def _continues(line: str, piece: str) -> bool:
    """Whether ``piece`` carries on the sentence that ``line`` (a wrapped line) left unfinished."""
    last_word = (re.findall(r"[A-Za-z]+$", line.rstrip()) or [""])[0].lower()
    if re.match(r"\(\d+\)", piece) and re.fullmatch(NUM_WORD, last_word or "-"):
        return True  # "twelve\n(12) months"
    if ROW_START.match(piece):
        return False  # "SL5 P2 Incident resolution ..." starts the next table row
    if last_word in OPEN_ENDED and not re.match(r"\([A-Za-z]{1,4}\)", piece):
        return True  # "within\n30 seconds"
    if LIST_ITEM.match(piece):
        return False
    return piece[:1].islower() or len(line) >= WRAPPED_LINE


def join_wrapped_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence units, not lines: a unit that ends without closing punctuation runs on into the next one
    unless a blank line separates them; a bare number ("12.") always joins what follows it."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            previous_start, previous_end = joined[-1]
            number = bool(ENUMERATOR.fullmatch(text[previous_start:previous_end]))
            open_ended = text[previous_end - 1] not in ".;:!?"
            if number or (open_ended and "\n\n" not in text[previous_end:start].replace("\r", "")):
                joined[-1] = (previous_start, end)
                continue
        joined.append((start, end))
    return joined


def unit_at(units: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The unit holding ``offset``, if any."""
    return next(((a, b) for a, b in units if a <= offset < b), None)


def split_statements(draft: str) -> list[str]:
    """Sentences and list items of a draft (typographic quotes made straight, so they pair); never cuts inside a
    double-quoted string or before a trailing [n]."""
    draft = plain(draft)
    pieces: list[str] = []
    buffer: list[str] = []
    quoted = False
    i = 0
    while i < len(draft):
        ch = draft[i]
        buffer.append(ch)
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            pieces.append("".join(buffer))
            buffer = []
        elif ch in ".!?" and not quoted:
            rest = draft[i + 1 :]
            tail = re.match(r"(\s*\[[\d,;\s]+\])*[\"')\]]*", rest)
            if tail and tail.group(0):
                buffer.append(tail.group(0))
                i += len(tail.group(0))
                rest = draft[i + 1 :]
            if not rest or rest[0].isspace():
                pieces.append("".join(buffer))
                buffer = []
        i += 1
    if buffer:
        pieces.append("".join(buffer))
    return [p.strip() for p in pieces if p.strip()]
