"""Sections -> chunks that follow the contract's structure and fit the embedding model.

Adjacent small sections under the same clause merge; long sections split at sentence
boundaries. Every chunk keeps exact offsets: ``document.text[chunk.start:chunk.end] == chunk.text``.
Flagged text (hidden, or instructions to a reviewer or model: ``Document.flags``) is in no chunk: sections are
found in the text with it blanked, segments are cut around it, and no chunk spans it, so it is never indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..core.documents import Chunk, Document, Section
from ..text.sentences import sentence_units, trim
from ..text.tables import tables
from ..text.token_counts import count_tokens_batch
from .structure import detect_sections

SOFT_BREAK = re.compile(r"[;,]\s+|\s+")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    path: tuple[str, ...]
    number: str
    tokens: int


def chunk_document(document: Document, max_tokens: int, min_tokens: int = 24) -> list[Chunk]:
    """The document's chunks in reading order."""
    flagged = document.flagged()
    sections = detect_sections(replace(document, text=document.visible_text()) if flagged else document)
    segments = _segments(document.text, sections, flagged)
    pieces = _split_large(document.text, segments, max_tokens)
    groups = _merge_small(pieces, max_tokens, min_tokens, flagged)
    headers = _table_headers(document.text)
    return [_make_chunk(document, i, group, headers) for i, group in enumerate(groups)]


def _table_headers(text: str) -> list[tuple[int, int, str]]:
    """(first data row start, table end, header row) of each table: a chunk that starts among a table's rows
    carries the header, so its rows are embedded, searched and read with their column names."""
    return [(t.rows[0][0], t.end, text[t.header[0] : t.header[1]]) for t in tables(text) if t.header is not None]


def _outside(start: int, end: int, flagged: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` without the flagged ranges, as the pieces left."""
    pieces, cursor = [], start
    for a, b in flagged:
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            pieces.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _segments(text: str, sections: list[Section], flagged: list[tuple[int, int]] = ()) -> list[Segment]:
    """Non-empty spans between headings (and around flagged text), with the section path that governs them."""
    bounds: list[tuple[int, int, tuple[str, ...], str]] = []
    first = sections[0].start if sections else len(text)
    if first > 0:
        bounds.append((0, first, (), ""))
    bounds += [(s.start, s.end, s.path, s.number) for s in sections]
    if flagged:
        bounds = [(a, b, p, n) for start, end, p, n in bounds for a, b in _outside(start, end, list(flagged))]
    spans = [(a, b, p, n) for a, b, p, n in (trim(text, a, b) + (p, n) for a, b, p, n in bounds) if b > a]
    counts = count_tokens_batch([text[a:b] for a, b, _, _ in spans])
    return [Segment(a, b, p, n, c) for (a, b, p, n), c in zip(spans, counts)]


def _split_large(text: str, segments: list[Segment], max_tokens: int) -> list[Segment]:
    result: list[Segment] = []
    for segment in segments:
        if segment.tokens <= max_tokens:
            result.append(segment)
            continue
        result.extend(_split_segment(text, segment, max_tokens))
    return result


def _split_segment(text: str, segment: Segment, max_tokens: int) -> list[Segment]:
    """Greedy packing of sentences (wrapped lines joined: a chunk never ends inside a sentence that only runs on to
    the next line or page); a sentence longer than the budget is cut at ; , or spaces."""
    units = [(segment.start + a, segment.start + b) for a, b in sentence_units(text[segment.start : segment.end])]
    counts = count_tokens_batch([text[a:b] for a, b in units])
    fine: list[tuple[int, int, int]] = []
    for (a, b), n in zip(units, counts):
        if n <= max_tokens:
            fine.append((a, b, n))
        else:
            fine.extend(_split_long_sentence(text, a, b, n, max_tokens))
    pieces: list[Segment] = []
    cur_start, cur_end, cur_tokens = None, None, 0
    for a, b, n in fine:
        if cur_start is not None and cur_tokens + n > max_tokens:
            pieces.append(Segment(cur_start, cur_end, segment.path, segment.number, cur_tokens))
            cur_start, cur_tokens = None, 0
        if cur_start is None:
            cur_start = a
        cur_end, cur_tokens = b, cur_tokens + n
    if cur_start is not None:
        pieces.append(Segment(cur_start, cur_end, segment.path, segment.number, cur_tokens))
    return pieces


def _split_long_sentence(text: str, start: int, end: int, tokens: int, max_tokens: int) -> list[tuple[int, int, int]]:
    """Cut evenly at the soft break nearest each target length (characters scale with tokens)."""
    parts = -(-tokens // max_tokens)
    length = end - start
    cuts = [start]
    for i in range(1, parts):
        target = start + length * i // parts
        window = text[max(cuts[-1] + 1, target - 200) : target + 1]
        breaks = [m.end() for m in SOFT_BREAK.finditer(window)]
        offset = max(cuts[-1] + 1, target - 200)
        cut = offset + breaks[-1] if breaks else target
        cuts.append(max(cut, cuts[-1] + 1))
    cuts.append(end)
    spans = [trim(text, a, b) for a, b in zip(cuts, cuts[1:])]
    spans = [(a, b) for a, b in spans if b > a]
    counts = count_tokens_batch([text[a:b] for a, b in spans])
    return [(a, b, n) for (a, b), n in zip(spans, counts)]


def _top(path: tuple[str, ...]) -> tuple[str, ...]:
    return path[:2]


def _merge_small(pieces: list[Segment], max_tokens: int, min_tokens: int, flagged: list[tuple[int, int]] = ()) -> list[list[Segment]]:
    """Group neighbours of the same clause while they fit; a tiny piece (a bare heading) always joins the next, and
    one that leads into its own sub-clauses ("2.3 A notice of non-renewal must be given:" before its "(a)", "(b)")
    starts the group they join rather than ending the one before, so the lead-in is read with its items.
    Text before the first heading (the preamble) is a clause of its own: it does not swallow the clauses after it.
    A group never spans flagged text."""
    groups: list[list[Segment]] = []
    tokens = 0
    for n, piece in enumerate(pieces):
        following = pieces[n + 1] if n + 1 < len(pieces) else None
        if groups and tokens >= min_tokens and _leads_into(piece, following, min_tokens, max_tokens):
            groups.append([piece])
            tokens = piece.tokens
            continue
        if groups:
            last = groups[-1]
            if any(last[-1].end <= a < piece.start for a, _ in flagged):
                groups.append([piece])
                tokens = piece.tokens
                continue
            fits = tokens + piece.tokens <= max_tokens
            same_clause = bool(last[0].path) and _top(piece.path)[: len(_top(last[0].path))] == _top(last[0].path)
            if fits and (tokens < min_tokens or same_clause):
                last.append(piece)
                tokens += piece.tokens
                continue
        groups.append([piece])
        tokens = piece.tokens
    return groups


def _leads_into(piece: Segment, following: Segment | None, min_tokens: int, max_tokens: int) -> bool:
    """A tiny clause whose next piece is one of its own sub-clauses, and that fits with it."""
    return (following is not None and piece.tokens < min_tokens and bool(piece.path)
            and len(following.path) > len(piece.path) and following.path[: len(piece.path)] == piece.path
            and piece.tokens + following.tokens <= max_tokens)


def _common_path(group: list[Segment]) -> tuple[str, ...]:
    paths = [s.path for s in group if s.path]
    if not paths:
        return ()
    common = list(paths[0])
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        common = common[:n]
    return tuple(common) or paths[0][:1]


def _make_chunk(document: Document, ordinal: int, group: list[Segment], headers: list[tuple[int, int, str]] = ()) -> Chunk:
    start, end = group[0].start, group[-1].end
    text = document.text[start:end]
    path = _common_path(group)
    section_path = " > ".join(path)
    number = next((s.number for s in reversed(group) if s.path == path and s.number), "") or next((s.number for s in group if s.number), "")
    context = " | ".join(p for p in (document.title[:60], " > ".join(path[-2:])[:120]) if p)
    header = next((h for first, last, h in headers if first <= start < last), "")
    if header:
        context = f"{context}\n{header}" if context else header
    return Chunk(
        id=f"{document.id}-{ordinal:05d}",
        doc_id=document.id,
        file_name=document.file_name,
        ordinal=ordinal,
        start=start,
        end=end,
        page_start=document.page_at(start),
        page_end=document.page_at(end - 1),
        section_path=section_path,
        section_number=number,
        text=text,
        embed_text=f"{context}\n{text}" if context else text,
        table_header=header,
        ocr_pages=tuple(p for p in document.ocr_pages if document.page_at(start) <= p <= document.page_at(end - 1)),
    )
