"""Key terms as structured fields, each with its evidence: parties, effective date, term, renewal,
notice periods, liability cap, governing law, termination assistance period.

Values are read from the passages the clause audit found (so the notice period for convenience
comes from the termination-for-convenience evidence, not from any notice clause): the playbook's
``key_terms`` section says which clauses each term is read from. Each term's evidence is the
sentence that states it, an exact span of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from ..core.documents import Chunk
from ..core.spans import Span
from ..text.naming import BETWEEN, PARTY_NAME
from ..text.sentences import sentence_units, unit_at
from ..text.values import (
    CAP_AMOUNT,
    CAP_CLAUSE,
    EFFECTIVE_DATE_RE,
    GOVERNING_RE,
    PERIOD_RE,
)

# (id, name) in report order. Terms marked document-wide are read from the whole document when the
# playbook names no clause for them (or its clauses were not found).
KEY_TERMS: tuple[tuple[str, str], ...] = (
    ("parties", "Parties"),
    ("effective_date", "Effective date"),
    ("initial_term", "Initial term"),
    ("renewal", "Renewal"),
    ("notice_to_prevent_renewal", "Notice to prevent renewal"),
    ("notice_to_terminate_for_convenience", "Notice to terminate for convenience"),
    ("liability_cap", "Liability cap"),
    ("governing_law", "Governing law"),
    ("termination_assistance_period", "Termination assistance period"),
)
KEY_TERM_IDS = tuple(i for i, _ in KEY_TERMS)
NAMES = dict(KEY_TERMS)
PARTIES_OPENING = 4000  # the parties are named in the opening of the first document


@dataclass(frozen=True)
class KeyTerm:
    id: str
    name: str
    value: str
    span: Span | None = None  # the sentence that states the value; None when it was not found

    @property
    def found(self) -> bool:
        return bool(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "value": self.value, "span": self.span.to_dict() if self.span else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "KeyTerm":
        return cls(data["id"], data["name"], data["value"], Span.from_dict(data["span"]) if data.get("span") else None)


class _Finding(Protocol):
    clause_id: str
    evidence: Sequence[Any]


def _missing(term_id: str) -> KeyTerm:
    return KeyTerm(term_id, NAMES[term_id], "")


def _term(term_id: str, value: str, chunk: Chunk, match_start: int) -> KeyTerm:
    """A key term whose evidence is the sentence of the chunk around the match."""
    unit = unit_at(sentence_units(chunk.text), match_start)
    start, end = unit if unit else (match_start, match_start + len(value))
    return KeyTerm(term_id, NAMES[term_id], " ".join(value.split()), chunk.sub_span(start, end, chunk.page_start, chunk.page_start))


def _first(term_id: str, pattern: re.Pattern, chunks: list[Chunk], group: int = 0) -> KeyTerm:
    for chunk in chunks:
        match = pattern.search(chunk.text)
        if match:
            return _term(term_id, match.group(group), chunk, match.start())
    return _missing(term_id)


def _period_near(term_id: str, chunks: list[Chunk], context: re.Pattern | None = None) -> KeyTerm:
    for chunk in chunks:
        for match in PERIOD_RE.finditer(chunk.text):
            window = chunk.text[max(0, match.start() - 160) : match.end() + 160]
            if context is None or context.search(window):
                return _term(term_id, match.group(0), chunk, match.start())
    return _missing(term_id)


def parties(chunks: list[Chunk]) -> KeyTerm:
    """Company names in the opening of the first document (the 'between X and Y' part when there is one)."""
    if not chunks:
        return _missing("parties")
    first_doc = chunks[0].doc_id
    for chunk in (c for c in chunks if c.doc_id == first_doc and c.start < PARTIES_OPENING):
        match = BETWEEN.search(chunk.text)
        if not match:
            continue
        region_start = match.start()
        names = list(dict.fromkeys(n.strip(" ,") for n in PARTY_NAME.findall(chunk.text[region_start : region_start + 800])))
        if len(names) >= 2:
            return _term("parties", "; ".join(names[:4]), chunk, region_start)
    return _missing("parties")


def liability_cap(chunks: list[Chunk]) -> KeyTerm:
    for chunk in chunks:
        match = CAP_CLAUSE.search(chunk.text)
        if match:
            amount = CAP_AMOUNT.search(chunk.text, match.end(), match.end() + 300)
            if amount:
                return _term("liability_cap", amount.group(0).strip(" ,;."), chunk, match.start())
    return _missing("liability_cap")


def evidence_chunks(findings: Sequence[_Finding], clause_ids: Sequence[str], chunks: list[Chunk]) -> list[Chunk]:
    """The chunks behind the evidence of these clauses' findings, clause by clause, best evidence first."""
    by_range = {(c.doc_id, c.start): c for c in chunks}
    out: list[Chunk] = []
    for clause_id in clause_ids:
        finding = next((f for f in findings if f.clause_id == clause_id), None)
        if finding is not None:
            out += [by_range[(e.span.doc_id, e.span.start)] for e in finding.evidence if (e.span.doc_id, e.span.start) in by_range]
    return out


def extract_key_terms(chunks: list[Chunk], findings: Sequence[_Finding], sources: dict[str, tuple[str, ...]]) -> list[KeyTerm]:
    """The key terms of a document or deal, each with evidence (value '' when not found). ``sources`` maps a term
    id to the clause ids it is read from (the playbook's ``key_terms``); a term not listed is read from every chunk."""

    def read_from(term_id: str, fallback_to_all: bool = False) -> list[Chunk]:
        clause_ids = sources.get(term_id)
        if clause_ids is None:
            return chunks
        found = evidence_chunks(findings, clause_ids, chunks)
        return found or (chunks if fallback_to_all else [])

    return [
        parties(chunks),
        _first("effective_date", EFFECTIVE_DATE_RE, chunks, 1),
        _period_near("initial_term", read_from("initial_term", fallback_to_all=True),
                     re.compile(r"\b(?:initial\s+term|term\s+of\s+this|shall\s+continue|period\s+of)\b", re.I)),
        _period_near("renewal", read_from("renewal"), re.compile(r"\brenew", re.I)),
        _period_near("notice_to_prevent_renewal", read_from("notice_to_prevent_renewal"),
                     re.compile(r"\b(?:not\s+to\s+renew|non-renewal|prior\s+to\s+the\s+(?:end|expiry|expiration)|before\s+the\s+(?:end|expiry|expiration))", re.I)),
        _period_near("notice_to_terminate_for_convenience", read_from("notice_to_terminate_for_convenience"), re.compile(r"notice", re.I)),
        liability_cap(read_from("liability_cap")),
        _first("governing_law", GOVERNING_RE, chunks, 1),
        _period_near("termination_assistance_period", read_from("termination_assistance_period"),
                     re.compile(r"\b(?:assistance|exit|transition|wind[- ]down|run-off)\b", re.I)),
    ]
