"""Citation and quote verification: nothing reaches the user unless the document says it, verbatim,
at the offsets the citation states.

Two checks, both against the catalog's document text (the one string every offset refers to):
- ``check_citations``: every citation, extractive or from a model, must satisfy
  ``document.text[start:end] == quote``; failing citations are dropped, never shown.
- ``check_draft``: a model's draft answer is split into statements; each ``[n]`` must name a passage
  that was given to the model, each double-quoted string must occur verbatim (whitespace-normalised)
  in a cited passage, and a statement without a quote must be supported word for word by its
  passages. Statements that fail are removed. Passages that read like instructions to a model
  (prompt injection planted in a document) never count as support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol, Sequence

from .lexical import tokenize

# Same-length replacements, so offsets in the mapped text are offsets in the original.
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
                              "\u2013": "-", "\u2014": "-", "\u00a0": " "})
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,2000}?)[\"\u201d]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your|the)\b[^.\n]{0,30}\b(?:instructions?|prompts?|rules?|directions?|guidance)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message|instructions?)\b"
    r"|\byou\s+(?:are|must|should|will)\s+now\b"
    r"|\b(?:as\s+an?\s+)?(?:ai|language\s+model|assistant|chatbot|llm)\b[^.\n]{0,40}\b(?:must|should|shall|will)\s+(?:answer|reply|respond|say|state|tell)\b"
    r"|\b(?:answer|reply|respond|say|state)\s+that\b[^.\n]{0,120}\b(?:regardless|whatever|no\s+matter)\b"
    r"|\bignore\s+all\b",
    re.IGNORECASE,
)
SUPPORT_SHARE = 0.75
QUOTED_FRAME_SHARE = 0.34  # the quote itself is verified; its frame may name the parties differently
NEGATION = re.compile(r"\b(not|no|never|without|neither|nor|none|unlimited|uncapped)\b")
REFUSAL = re.compile(r"\b(?:do(?:es)?\s+not|don't|doesn't|cannot|can't)\s+(?:answer|address|say|state|specify|contain|cover|mention)\b|\bno\s+(?:information|answer|provision)\b|\bnot\s+(?:stated|specified|addressed|covered)\b", re.IGNORECASE)


class Cited(Protocol):
    """What verification needs from a citation (``answering.Citation`` has these fields)."""

    doc_id: str
    start: int
    end: int
    quote: str


def plain(text: str) -> str:
    """Typographic quotes and dashes as ASCII, length preserved (models like curly quotes; contracts rarely do)."""
    return text.translate(_TYPOGRAPHIC)


def _collapsed(text: str) -> tuple[str, list[int]]:
    """``text`` with each whitespace run collapsed to one space, and the original offset of every kept character."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(plain(text)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        out.append(ch)
        where.append(i)
        space = False
    return "".join(out), where


def locate(quote: str, text: str, start: int = 0) -> tuple[int, int] | None:
    """Exact ``[start, end)`` of ``quote`` inside ``text``, comparing with whitespace collapsed.

    PDF and DOCX text wraps lines where a quote (or a model) writes one space; the returned offsets
    are in ``text`` itself, so ``text[s:e]`` is what the document really says there. ``start`` is the
    offset to add (the passage's position in its document).
    """
    needle, _ = _collapsed(quote.strip())
    if not needle:
        return None
    haystack, where = _collapsed(text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return start + where[at], start + where[at + len(needle) - 1] + 1


def is_verbatim(citation: Cited, document_text: str) -> bool:
    """Whether the citation's quote is exactly the document's text at its offsets."""
    return 0 <= citation.start < citation.end <= len(document_text) and bool(citation.quote.strip()) and document_text[citation.start : citation.end] == citation.quote


def check_citations(citations: Iterable[Cited], document_text: Callable[[str], str]) -> tuple[list, list]:
    """(kept, dropped): a citation is kept only when it is verbatim in its document (unknown documents fail)."""
    kept, dropped = [], []
    texts: dict[str, str | None] = {}
    for citation in citations:
        if citation.doc_id not in texts:
            try:
                texts[citation.doc_id] = document_text(citation.doc_id)
            except KeyError:
                texts[citation.doc_id] = None
        text = texts[citation.doc_id]
        (kept if text is not None and is_verbatim(citation, text) else dropped).append(citation)
    return kept, dropped


def looks_like_instruction(text: str) -> bool:
    """Text addressed to a model rather than a contract term ("ignore all previous instructions ...")."""
    return bool(INSTRUCTION.search(plain(text)))


# ------------------------------------------------------------------------------------ model drafts


@dataclass(frozen=True)
class Source:
    """A numbered passage as given to the model: its document and absolute offsets."""

    number: int
    doc_id: str
    start: int
    text: str


@dataclass(frozen=True)
class Span:
    """A verified piece of evidence: ``text[start:end]`` of the document is ``quote``."""

    source: int
    doc_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Statement:
    """One sentence of a draft and what verification made of it."""

    text: str
    spans: tuple[Span, ...]
    kept: bool
    reason: str = ""


def split_statements(draft: str) -> list[str]:
    """Sentences and list items of a draft; never cuts inside a double-quoted string or before a trailing [n]."""
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


def cited_numbers(statement: str) -> list[int]:
    """The passage numbers a statement cites, in order, without repeats."""
    found: list[int] = []
    for match in MARKER.finditer(statement):
        for part in re.split(r"[,;]", match.group(1)):
            number = int(part)
            if number not in found:
                found.append(number)
    return found


FRAME_WORDS = {"must", "shall", "may", "will", "can", "would", "should", "also", "say", "state", "provid", "accord", "document", "agreement", "contract", "passag"}


def _content(text: str) -> set[str]:
    """Content word stems (modal verbs and words that only point at the source do not count)."""
    return set(tokenize([MARKER.sub(" ", text)])[0]) - FRAME_WORDS


def _best_sentence(source: Source, statement: str, spans_of: Callable[[str], list[tuple[int, int]]]) -> Span | None:
    """The sentence of a passage sharing most words with the statement (the evidence a reader should see)."""
    words = _content(statement)
    best, best_overlap = None, 0
    for a, b in spans_of(source.text):
        sentence = source.text[a:b]
        if looks_like_instruction(sentence):
            continue
        overlap = len(words & _content(sentence))
        if overlap > best_overlap:
            best, best_overlap = (a, b), overlap
    if best is None:
        return None
    a, b = best
    return Span(source.number, source.doc_id, source.start + a, source.start + b, source.text[a:b])


def check_statement(statement: str, sources: dict[int, Source], spans_of: Callable[[str], list[tuple[int, int]]]) -> Statement:
    """Verify one statement: valid [n] markers, verbatim quotes, and word-level support by clean passages.

    Words outside the quotes must be found in the cited passages (three quarters of them when the
    statement quotes nothing, a third when it quotes), and so must every number and every negation:
    a model that adds "not", changes a figure or invents a term loses the statement.
    """
    numbers = cited_numbers(statement)
    if not numbers:
        return Statement(statement, (), False, "no citation")
    unknown = [n for n in numbers if n not in sources]
    if unknown:
        return Statement(statement, (), False, f"cites passage(s) not provided: {', '.join(map(str, unknown))}")
    cited = [sources[n] for n in numbers]
    spans: list[Span] = []
    for quote in (m.group(1) for m in QUOTED.finditer(plain(MARKER.sub(" ", statement)))):
        found = None
        for source in cited:
            at = locate(quote, source.text)
            if at is not None:
                a, b = at
                found = Span(source.number, source.doc_id, source.start + a, source.start + b, source.text[a:b])
                break
        if found is None:
            return Statement(statement, (), False, f"quote not found verbatim in the cited passage(s): {quote[:80]!r}")
        source = sources[found.source]
        around = [source.text[a:b] for a, b in spans_of(source.text) if a < found.end - source.start and found.start - source.start < b]
        if looks_like_instruction(found.quote) or any(looks_like_instruction(sentence) for sentence in around):
            return Statement(statement, (), False, "quotes text that reads as instructions to a model")
        spans.append(found)
    support = " ".join(_clean_sentences(s.text, spans_of) for s in cited)
    outside = QUOTED.sub(" ", plain(MARKER.sub(" ", statement)))
    words = _content(outside)
    need = SUPPORT_SHARE if not spans else QUOTED_FRAME_SHARE
    if words:
        share = len(words & _content(support)) / len(words)
        if share < need:
            return Statement(statement, (), False, f"not supported by the cited passage(s) (only {share:.0%} of its words are there)")
    missing = [n for n in dict.fromkeys(NUMBER.findall(outside)) if n not in support]
    if missing:
        return Statement(statement, (), False, f"numbers not in the cited passage(s): {', '.join(missing)}")
    negations = sorted(_negated(outside) - _negated(support))
    if negations:
        return Statement(statement, (), False, f"negation not in the cited passage(s): {', '.join(negations)}")
    if not spans:
        best = next((b for b in (_best_sentence(s, statement, spans_of) for s in cited) if b is not None), None)
        if best is None:
            return Statement(statement, (), False, "no clean sentence in the cited passage(s) supports it")
        spans.append(best)
    return Statement(statement, tuple(spans), True)


def _negated(text: str) -> set[str]:
    """What a text negates: "not" + the next two content words ("not be limited" -> not:limit), and
    words negative in themselves ("unlimited"), so a model cannot add or move a negation."""
    found: set[str] = set()
    lowered = plain(text).lower()
    for match in NEGATION.finditer(lowered):
        word = match.group(1)
        if word in ("unlimited", "uncapped"):
            found.add(word)
            continue
        for stem in tokenize([lowered[match.end() : match.end() + 40]])[0][:2]:
            found.add(f"not:{stem}")
    return found


def _clean_sentences(text: str, spans_of: Callable[[str], list[tuple[int, int]]]) -> str:
    """A passage without its instruction-like sentences (they never support a statement)."""
    return " ".join(text[a:b] for a, b in spans_of(text) if not looks_like_instruction(text[a:b]))


def check_draft(draft: str, sources: Sequence[Source], spans_of: Callable[[str], list[tuple[int, int]]]) -> list[Statement]:
    """Every statement of a model's draft, verified (``kept``) or not (with the reason)."""
    by_number = {s.number: s for s in sources}
    return [check_statement(s, by_number, spans_of) for s in split_statements(draft)]


def is_refusal(draft: str) -> bool:
    """The model says the passages do not answer (a refusal is honoured, never "repaired")."""
    return bool(REFUSAL.search(plain(draft))) and not MARKER.search(draft)
