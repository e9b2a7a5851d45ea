"""Citation and quote verification: nothing reaches the user unless the document says it, verbatim,
at the offsets the citation states.

Two checks, both against the catalog's document text (the one string every offset refers to):
- ``check_citations``: every citation, extractive or from a model, must satisfy
  ``document.text[start:end] == quote``; failing citations are dropped, never shown.
- ``check_draft``: a model's draft answer is split into statements; each ``[n]`` must name a passage
  that was given to the model, each double-quoted string must occur verbatim (whitespace-normalised)
  in a cited passage, and a statement without a quote must be supported word for word by its
  passages. Statements that fail are removed. Passages that read like instructions to a model
  (prompt injection planted in a document) never count as support. A statement is kept only when the text it
  is shown with supports it: every figure it states and every negation ("not", "unlimited") must be in the
  quoted sentence(s) themselves, not merely somewhere in the passage (a model that obeys an injection and writes
  "the liability cap is unlimited" beside a verbatim quote of the real cap loses the statement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..core.documents import Chunk
from ..core.spans import Span
from ..text.instructions import looks_like_instruction
from ..text.normalise import locate, plain
from ..text.sentences import split_statements
from ..text.tokenization import tokenize
from ..text.values import NUM_WORD
from .rendering import drop_citations
from .types import Answer, Citation

MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,2000}?)[\"\u201d]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NUMBER_WORD = re.compile(rf"\b{NUM_WORD}\b", re.IGNORECASE)
SUPPORT_SHARE = 0.75
QUOTED_FRAME_SHARE = 0.34  # the quote itself is verified; its frame may name the parties differently
NEGATION = re.compile(r"\b(not|no|never|without|neither|nor|none|unlimited|uncapped)\b")
REFUSAL = re.compile(r"\b(?:do(?:es)?\s+not|don't|doesn't|cannot|can't)\s+(?:answer|address|say|state|specify|contain|cover|mention)\b|\bno\s+(?:information|answer|provision)\b|\bnot\s+(?:stated|specified|addressed|covered)\b", re.IGNORECASE)


def is_verbatim(span: Span, document_text: str) -> bool:
    """Whether the span's text is exactly the document's text at its offsets."""
    return 0 <= span.start < span.end <= len(document_text) and bool(span.text.strip()) and document_text[span.start : span.end] == span.text


def check_citations(citations: Iterable[Citation], document_text: Callable[[str], str]) -> tuple[list[Citation], list[Citation]]:
    """(kept, dropped): a citation is kept only when it is verbatim in its document (unknown documents fail)."""
    kept, dropped = [], []
    texts: dict[str, str | None] = {}
    for citation in citations:
        doc_id = citation.span.doc_id
        if doc_id not in texts:
            try:
                texts[doc_id] = document_text(doc_id)
            except LookupError:  # KeyError from the catalog, NotFoundError from a workspace
                texts[doc_id] = None
        text = texts[doc_id]
        (kept if text is not None and is_verbatim(citation.span, text) else dropped).append(citation)
    return kept, dropped


def verified(answer: Answer, document_text: Callable[[str], str]) -> Answer:
    """The answer without any citation that is not verbatim in its document (``document_text(doc_id)``),
    and without that citation's quote block, marker and table reference. Run on every answer."""
    _, dropped = check_citations(answer.citations, document_text)
    return drop_citations(answer, {c.number for c in dropped}) if dropped else answer


# ------------------------------------------------------------------------------------ model drafts


@dataclass(frozen=True)
class Source:
    """A numbered passage as given to the model."""

    number: int
    chunk: Chunk

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass(frozen=True)
class Quote:
    """A verified piece of evidence for a statement: ``span`` of the passage numbered ``source``."""

    source: int
    span: Span


@dataclass(frozen=True)
class Statement:
    """One sentence of a draft and what verification made of it."""

    text: str
    quotes: tuple[Quote, ...]
    kept: bool
    reason: str = ""


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


def _quote(source: Source, a: int, b: int) -> Quote:
    return Quote(source.number, source.chunk.sub_span(a, b))


def _best_sentence(source: Source, statement: str, spans_of: Callable[[str], list[tuple[int, int]]], claims: str = "") -> Quote | None:
    """The sentence of a passage sharing most words with the statement (the evidence a reader should see), among
    those that state every figure and negation of ``claims`` (the statement outside its quotes)."""
    words = _content(statement)
    best, best_overlap = None, 0
    for a, b in spans_of(source.text):
        sentence = source.text[a:b]
        if looks_like_instruction(sentence) or (claims and _unsupported_claims(claims, sentence)):
            continue
        overlap = len(words & _content(sentence))
        if overlap > best_overlap:
            best, best_overlap = (a, b), overlap
    if best is None:
        return None
    return _quote(source, *best)


def key_values(text: str) -> set[str]:
    """The figures a text states: numbers and number words ("six (6) months" -> {"six", "6"})."""
    return set(NUMBER.findall(text)) | {w.lower() for w in NUMBER_WORD.findall(plain(text))}


def _unsupported_claims(claims: str, evidence: str) -> str:
    """What ``claims`` states that ``evidence`` does not: figures, then negations ("" when it is all there)."""
    missing = sorted(key_values(claims) - key_values(evidence))
    if missing:
        return f"figures not in the quoted text: {', '.join(missing)}"
    negations = sorted(_negated(claims) - _negated(evidence))
    if negations:
        return f"negation not in the quoted text: {', '.join(negations)}"
    return ""


def _quoted_sentences(source: Source, quote: Quote, spans_of: Callable[[str], list[tuple[int, int]]]) -> str:
    """The sentence(s) of the passage a quote falls in: the text shown with the statement."""
    local_start, local_end = quote.span.start - source.chunk.start, quote.span.end - source.chunk.start
    around = [source.text[a:b] for a, b in spans_of(source.text) if a < local_end and local_start < b]
    return " ".join(around) or quote.span.text


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
    quotes: list[Quote] = []
    for quoted in (m.group(1) for m in QUOTED.finditer(plain(MARKER.sub(" ", statement)))):
        found = None
        for source in cited:
            at = locate(quoted, source.text)
            if at is not None:
                found = _quote(source, *at)
                break
        if found is None:
            return Statement(statement, (), False, f"quote not found verbatim in the cited passage(s): {quoted[:80]!r}")
        source = sources[found.source]
        local_start, local_end = found.span.start - source.chunk.start, found.span.end - source.chunk.start
        around = [source.text[a:b] for a, b in spans_of(source.text) if a < local_end and local_start < b]
        if looks_like_instruction(found.span.text) or any(looks_like_instruction(sentence) for sentence in around):
            return Statement(statement, (), False, "quotes text that reads as instructions to a model")
        quotes.append(found)
    support = " ".join(_clean_sentences(s.text, spans_of) for s in cited)
    outside = QUOTED.sub(" ", plain(MARKER.sub(" ", statement)))
    words = _content(outside)
    need = SUPPORT_SHARE if not quotes else QUOTED_FRAME_SHARE
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
    if not quotes:
        best = next((b for b in (_best_sentence(s, statement, spans_of, outside) for s in cited) if b is not None), None)
        if best is None:
            return Statement(statement, (), False, "no clean sentence in the cited passage(s) states its figures and negations")
        quotes.append(best)
    evidence = " ".join(_quoted_sentences(sources[q.source], q, spans_of) for q in quotes)
    unsupported = _unsupported_claims(outside, evidence)
    if unsupported:
        return Statement(statement, (), False, unsupported)
    return Statement(statement, tuple(quotes), True)


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
