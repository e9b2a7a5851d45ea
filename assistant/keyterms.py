"""Key terms as structured fields, each with its evidence: parties, effective date, term, renewal,
notice periods, liability cap, governing law, termination assistance period.

Values are read from the passages the clause audit found (so the notice period for convenience
comes from the termination-for-convenience evidence, not from any notice clause), with the exact
offsets of the sentence that states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Chunk

NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|twenty-four|thirty|forty-five|sixty|ninety|one hundred twenty|one hundred and twenty|hundred)"
PERIOD = rf"(?:(?:{NUMBER_WORDS}\s*)?\(?\d{{1,3}}\)?|{NUMBER_WORDS})\s*(?:calendar\s+|business\s+|working\s+)?(?:days?|weeks?|months?|years?)(?:'|’)?"
PERIOD_RE = re.compile(PERIOD, re.IGNORECASE)
MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{MONTHS},?\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
EFFECTIVE = re.compile(rf"(?:effective\s+(?:as\s+of|from|on)|dated(?:\s+as\s+of)?|made\s+(?:on|as\s+of)|entered\s+into\s+(?:on|as\s+of)|commenc\w+\s+on|\"?Effective Date\"?\s+(?:means|is|shall\s+be))\s+(?:the\s+)?({DATE})", re.IGNORECASE)
GOVERNING = re.compile(r"governed\s+by[^.;]{0,60}?\blaws?\s+of\s+(?:the\s+)?((?:State|Commonwealth|Province|Republic)\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?|[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+|\s+[A-Z][A-Za-z]+){0,3})")
BETWEEN = re.compile(r"\bbetween\s*:?\s*(.{3,400}?)\s*(?:\(|,\s+a\s|,\s+an\s|\band\b)", re.IGNORECASE | re.DOTALL)
PARTY_NAME = re.compile(r"\b([A-Z][A-Za-z0-9&.,'\- ]{1,80}?\s(?:plc|PLC|Ltd\.?|LTD\.?|Limited|LIMITED|LLC|L\.L\.C\.|Inc\.?|INC\.?|Incorporated|Corp\.?|CORP\.?|Corporation|CORPORATION|Co\.|Company|GmbH|S\.A\.|B\.V\.|N\.V\.|LLP|LP|L\.P\.|AG|SE|Pte\.? Ltd\.?|PTE, LTD\.))(?![A-Za-z])")
CAP = re.compile(r"(?:shall\s+not\s+exceed|limited\s+to|in\s+no\s+event[^.]{0,120}?exceed|aggregate\s+liability[^.]{0,160}?(?:exceed|limited\s+to)|capped\s+at|maximum\s+(?:aggregate\s+)?liability)", re.IGNORECASE)
CAP_AMOUNT = re.compile(r"(?:\d{1,3}\s*(?:%|per\s*cent|percent)|(?:GBP|USD|EUR|US\$|\$|£|€)\s?[\d,.]+(?:\s*(?:million|m))?|[\d,.]+\s*(?:GBP|USD|EUR|dollars|pounds)|(?:the\s+)?(?:total\s+|aggregate\s+)?(?:fees|charges|amounts)\s+(?:paid|payable)[^.;]{0,120})", re.IGNORECASE)
SENTENCE = re.compile(r"[^.;\n]*(?:[.;\n]|$)")


@dataclass(frozen=True)
class KeyTerm:
    name: str
    value: str
    doc_id: str = ""
    file_name: str = ""
    page: int = 0
    section_path: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""

    @property
    def found(self) -> bool:
        return bool(self.value)


def _sentence_at(text: str, position: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around ``position``."""
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position), text.rfind("; ", 0, position))
    start = start + 2 if start >= 0 and text[start] in ".;" else start + 1
    ends = [i for i in (text.find(". ", position), text.find("\n", position), text.find("; ", position)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _term(name: str, value: str, chunk: Chunk, doc_text: str, match_start: int) -> KeyTerm:
    """A key term whose quote is the sentence in the document around the match (offsets exact)."""
    absolute = chunk.start + match_start
    local_start, local_end = _sentence_at(chunk.text, match_start)
    start, end = chunk.start + local_start, chunk.start + local_end
    if doc_text[start:end] != chunk.text[local_start:local_end]:
        start, end = absolute, absolute + len(value)
    return KeyTerm(name, " ".join(value.split()), chunk.doc_id, chunk.file_name, chunk.page_start, chunk.section_path, start, end, doc_text[start:end])


def _first(pattern: re.Pattern, chunks: list[Chunk], texts: dict[str, str], name: str, group: int = 0) -> KeyTerm:
    for chunk in chunks:
        match = pattern.search(chunk.text)
        if match:
            return _term(name, match.group(group), chunk, texts[chunk.doc_id], match.start())
    return KeyTerm(name, "")


def _evidence_chunks(findings, clause_id: str, chunks: list[Chunk]) -> list[Chunk]:
    by_range = {(c.doc_id, c.start): c for c in chunks}
    for finding in findings:
        if finding.clause_id == clause_id:
            return [by_range[(e.doc_id, e.start)] for e in finding.evidence if (e.doc_id, e.start) in by_range]
    return []


def _period_near(chunks: list[Chunk], texts: dict[str, str], name: str, context: re.Pattern | None = None) -> KeyTerm:
    for chunk in chunks:
        for match in PERIOD_RE.finditer(chunk.text):
            window = chunk.text[max(0, match.start() - 160) : match.end() + 160]
            if context is None or context.search(window):
                return _term(name, match.group(0), chunk, texts[chunk.doc_id], match.start())
    return KeyTerm(name, "")


def parties(chunks: list[Chunk], texts: dict[str, str]) -> KeyTerm:
    """Company names in the opening of the first document (the 'between X and Y' part when there is one)."""
    if not chunks:
        return KeyTerm("Parties", "")
    first_doc = chunks[0].doc_id
    opening = [c for c in chunks if c.doc_id == first_doc and c.start < 4000]
    for chunk in opening:
        match = BETWEEN.search(chunk.text)
        if not match:
            continue
        region_start = match.start()
        names = list(dict.fromkeys(n.strip(" ,") for n in PARTY_NAME.findall(chunk.text[region_start : region_start + 800])))
        if len(names) >= 2:
            return _term("Parties", "; ".join(names[:4]), chunk, texts[chunk.doc_id], region_start)
    return KeyTerm("Parties", "")


def extract_key_terms(chunks: list[Chunk], findings, texts: dict[str, str]) -> list[KeyTerm]:
    """The key terms of a document or deal, each with evidence (value '' when not found)."""
    convenience = _evidence_chunks(findings, "termination_for_convenience", chunks)
    renewal = _evidence_chunks(findings, "term_and_renewal", chunks)
    liability = _evidence_chunks(findings, "limitation_of_liability", chunks)
    assistance = _evidence_chunks(findings, "termination_assistance", chunks) + _evidence_chunks(findings, "exit_management", chunks)
    cap = KeyTerm("Liability cap", "")
    for chunk in liability:
        match = CAP.search(chunk.text)
        if match:
            amount = CAP_AMOUNT.search(chunk.text, match.end(), match.end() + 300)
            if amount:
                cap = _term("Liability cap", amount.group(0).strip(" ,;."), chunk, texts[chunk.doc_id], match.start())
                break
    return [
        parties(chunks, texts),
        _first(EFFECTIVE, chunks, texts, "Effective date", 1),
        _period_near(renewal or chunks, texts, "Initial term", re.compile(r"\b(?:initial\s+term|term\s+of\s+this|shall\s+continue|period\s+of)\b", re.I)),
        _period_near(renewal, texts, "Renewal", re.compile(r"\brenew", re.I)),
        _period_near(renewal, texts, "Notice to prevent renewal", re.compile(r"\b(?:not\s+to\s+renew|non-renewal|prior\s+to\s+the\s+(?:end|expiry|expiration)|before\s+the\s+(?:end|expiry|expiration))", re.I)),
        _period_near(convenience, texts, "Notice to terminate for convenience", re.compile(r"notice", re.I)),
        cap,
        _first(GOVERNING, chunks, texts, "Governing law", 1),
        _period_near(assistance, texts, "Termination assistance period", re.compile(r"\b(?:assistance|exit|transition|wind[- ]down|run-off)\b", re.I)),
    ]
