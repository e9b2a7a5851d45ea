"""Which way a question is answered: a table across the contracts, the clause audit of one contract, or
sentences quoted from retrieved passages (by the extractive answerer, or a model whose draft is verified).

- ``cross_document``: no contract named, and the question asks across them ("which of these contracts lack an
  exit plan?", "compare the liability caps");
- ``clause``: a yes/no question about a clause or element of a named contract ("does the NDA have an audit
  clause?"), answered from that contract's audit;
- otherwise ``passages``.
The cross-document and clause routes can still fall back to passages (one document only; the audit's evidence
does not mention what was asked), so a route is where answering starts, not where it must end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..audit.playbook import ClauseType, Element, Playbook
from ..text.normalise import plain
from ..text.tokenization import tokenize

CROSS = re.compile(
    r"\b(?:which|what)\s+(?:of\s+(?:these|the|our|my|all)\s+)?(?:contracts|agreements|documents|deals)\b"
    r"|\bwhich\s+(?:contract|agreement|document|deal)\s+(?:has|have|lacks?|contains?|includes?|is|does|provides?)\b|\bcompare\b|\bcomparison\b"
    r"|\bacross\s+(?:all\s+)?(?:the\s+|these\s+|our\s+)?(?:contracts|agreements|documents|deals)\b|\b(?:each|every|all)\s+(?:of\s+the\s+|the\s+)?(?:contracts?|agreements?|documents?)\b",
    re.IGNORECASE,
)
LACK = re.compile(r"\b(?:lack|lacks|lacking|missing|miss|without|(?:do|does)\s+not\s+(?:have|contain|include|provide)|(?:don't|doesn't)\s+(?:have|contain|include|provide)|(?:has|have)\s+no)\b", re.I)
HAVE = re.compile(r"\b(?:have|has|contain|contains|include|includes|provide|provides)\b", re.I)
COMPARE = re.compile(r"\bcompare\b|\bcomparison\b", re.I)
AUDIT_YESNO = re.compile(r"^\s*(?:and\s+)?(?:does|do|is\s+there|are\s+there|has|have)\b[^?]*\b(?:have|has|contain|include|provide|there|any)\b", re.I)
# Key terms a cross-document question may ask about, and how to read each one's value from its sentence.
KEY_TERM_TOPICS: tuple[tuple[str, re.Pattern], ...] = (
    ("liability_cap", re.compile(r"\bliability\s+caps?\b|\bcaps?\s+on\s+(?:\w+\s+)?liability\b|\blimitation\s+of\s+liability\b|\bliability\s+limits?\b", re.I)),
    ("governing_law", re.compile(r"\bgoverning\s+laws?\b|\bchoice\s+of\s+law\b|\b(?:which|what)\s+laws?\b", re.I)),
    ("effective_date", re.compile(r"\beffective\s+dates?\b|\bstart\s+dates?\b", re.I)),
    ("notice_to_terminate_for_convenience", re.compile(r"\b(?:termination\s+for\s+convenience|terminate\s+for\s+convenience|convenience\s+termination)\b", re.I)),
    ("termination_assistance_period", re.compile(r"\b(?:termination|transition)\s+assistance\s+periods?\b", re.I)),
)
KEY_TERM_KINDS = {  # (kind, the question each key term answers)
    "liability_cap": ("amount", "What is the liability cap?"),
    "governing_law": ("law", "Which law governs?"),
    "effective_date": ("date", "What is the effective date?"),
    "notice_to_terminate_for_convenience": ("period", "How much notice to terminate for convenience?"),
    "termination_assistance_period": ("period", "How long is the termination assistance period?"),
}


@dataclass(frozen=True)
class ClauseMatch:
    clause: ClauseType
    element: Element | None
    phrase: str

    @property
    def label(self) -> str:
        return self.element.name if self.element is not None else self.clause.name


def match_clause(question: str, playbook: Playbook) -> ClauseMatch | None:
    """The playbook clause (or element) a question is about: the longest heading, name or element name it contains.
    A phrase of several words also counts with its words in another order ("which law governs" is about the
    governing law, not the Governance clause its one word "governs" shares a stem with); in order wins a tie."""
    stems = tokenize([plain(question)])[0]
    words = " ".join(stems)
    raw = " ".join(re.findall(r"[a-z0-9]+", plain(question).lower()))
    best: tuple[int, int, int, int, ClauseMatch] | None = None

    def consider(phrase: str, element, clause, minimum: int) -> None:
        nonlocal best
        wanted = tokenize([phrase])[0]
        if len(wanted) < minimum or not _other_words_there(phrase, wanted, raw):
            return
        in_order = f" {' '.join(wanted)} " in f" {words} "
        if not in_order and not (len(wanted) > 1 and _reordered(wanted, stems)):
            return
        verbatim = int(in_order and f" {' '.join(re.findall(r'[a-z0-9]+', phrase.lower()))} " in f" {raw} ")  # "change of control" is not "change control"
        candidate = (len(wanted), verbatim, int(in_order), int(element is not None),
                     ClauseMatch(clause, element, phrase if element is None else element.name))
        if best is None or candidate[:4] > best[:4]:
            best = candidate

    for clause in playbook.clauses:
        for phrase in list(clause.headings) + [p.strip() for p in re.split(r"[/:(),]", clause.name) if p.strip()]:
            consider(phrase, None, clause, 1)
        for element in clause.elements:
            consider(element.name, element, clause, 2)
    return best[4] if best else None


def _other_words_there(phrase: str, wanted: list[str], raw: str) -> bool:
    """A phrase of several words that shrinks to one stem ("termination at will", "no hire") counts only with its
    other words in the question too: "when will this agreement terminate" is not about termination at will."""
    words = re.findall(r"[a-z0-9]+", phrase.lower())
    if len(wanted) != 1 or len(words) < 2:
        return True
    others = [w for w in words if not tokenize([w])[0]]
    return not others or f" {' '.join(others)} " in f" {raw} "


def _reordered(wanted: list[str], stems: list[str]) -> bool:
    """The phrase's words next to each other in the question, in any order ("law governs" for "governing law")."""
    n = len(wanted)
    return any(sorted(stems[i : i + n]) == sorted(wanted) for i in range(len(stems) - n + 1))


def finding_status(finding, element: Element | None) -> str:
    """present / weak / missing for a clause, or for one of its elements."""
    if element is None or finding.status == "missing":
        return finding.status
    return "missing" if element.id in finding.missing_elements else "present"


@dataclass(frozen=True)
class Route:
    kind: str  # cross_document | clause | passages
    clause: ClauseMatch | None = None


def route(standalone: str, doc_ids: tuple[str, ...], playbook: Playbook) -> Route:
    """Where answering ``standalone`` starts, given the documents the conversation is about."""
    if not doc_ids and CROSS.search(standalone):
        return Route("cross_document")
    if doc_ids and AUDIT_YESNO.match(standalone):
        clause = match_clause(standalone, playbook)
        if clause is not None:
            return Route("clause", clause)
    return Route("passages")
