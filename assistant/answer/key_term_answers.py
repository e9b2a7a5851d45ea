"""Questions one contract's key terms answer ("When was this agreement made?", "Who are the parties?"), answered
from its audit's key terms: the same value the audit reports, quoted from the sentence that states it.

The date a contract is made and its parties sit in its opening, which reads nothing like the question (no
"date", no "parties"), so ranking sentences against the question finds them about half the time on real
contracts; the key terms read them where contracts write them (``audit.keyterms``). A key term the audit did
not find sends the question on to the passages.

A question asking for a liability cap that the passages do not answer (no sentence states an amount or a cap) is
answered from the cap key term when the audit reads the contract's limitation of liability as setting no amount
but excluding kinds of damages ("IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT OR CONSEQUENTIAL
DAMAGES"): there is no amount cap, and the answer says what is excluded, quoting that sentence.
"""

from __future__ import annotations

import re

from ..audit.auditor import AuditCache
from ..audit.keyterms import NO_AMOUNT
from .citing import Citer
from .questions import content_terms, question_kind
from .rendering import compose
from .types import Answer

# (key term, the kind of value the question must ask for ("" = any), what the question says about it); first match wins
KEY_TERM_QUESTIONS: tuple[tuple[str, str, re.Pattern], ...] = (
    ("parties", "", re.compile(r"\b(?:who|which\s+(?:companies|entities))\s+(?:are|is|were)\s+(?:the\s+)?part(?:y|ies)\b|\bbetween\s+whom\b"
                               r"|\bwhich\s+(?:companies|entities|parties)\s+(?:entered|signed|are)\b|\bname\s+the\s+parties\b", re.I)),
    ("effective_date", "date", re.compile(r"\beffective\b|\btakes?\s+effect\b|\bcomes?\s+into\s+(?:force|effect)\b", re.I)),
    ("expiration_date", "date", re.compile(r"\bexpir\w*|\b(?:initial\s+)?term\s+(?:end|expire)s?\b|\bend\s+date\b", re.I)),
    ("agreement_date", "date", re.compile(r"\bmade\b|\bsigned\b|\bentered\s+into\b|\bexecuted\b|\bdated?\s+(?:of|as\s+of)?\s*(?:this|the)\s+(?:agreement|contract)\b", re.I)),
)


def asks_for_cap(question: str) -> bool:
    """The question asks how far liability is capped ("What is the cap on liability?", "How much can a party recover
    at most?", "What is the maximum aggregate liability?"), not what the cap leaves out ("What claims are not subject
    to the liability cap?")."""
    terms = set(content_terms(question))
    return (question_kind(question) == "amount" and bool(terms & {"cap", "maximum"})) or {"maximum", "liabil"} <= terms


def key_term_asked(question: str) -> str:
    """The key term a question asks for ("" when none)."""
    kind = question_kind(question)
    for term_id, wanted, pattern in KEY_TERM_QUESTIONS:
        if (not wanted or kind == wanted) and pattern.search(question):
            return term_id
    return ""


class KeyTermAnswers:
    """``run(question, standalone, doc_ids)`` -> the key term's answer for one contract, or None."""

    label = "extractive"

    def __init__(self, audits: AuditCache, citer: Citer):
        self.audits = audits
        self.citer = citer

    def run(self, question: str, standalone: str, doc_ids: tuple[str, ...]) -> Answer | None:
        term_id = key_term_asked(standalone)
        if not term_id or len(doc_ids) != 1:
            return None
        term = self._found(term_id, doc_ids[0])
        return self._quoted(question, standalone, term, term.value) if term is not None else None

    def no_amount_cap(self, question: str, standalone: str, doc_ids: tuple[str, ...]) -> Answer | None:
        """A cap question of one contract whose limitation of liability sets no amount but excludes kinds of damages:
        "No amount cap (excludes ... damages)", citing the sentence; None when the contract has no such sentence."""
        if not asks_for_cap(standalone) or len(doc_ids) != 1:
            return None
        term = self._found("liability_cap", doc_ids[0])
        if term is None or not term.value.startswith(NO_AMOUNT):
            return None
        return self._quoted(question, standalone, term, f"No amount cap{term.value[len(NO_AMOUNT):]}")

    def _found(self, term_id: str, doc_id: str):
        """The contract's key term ``term_id`` when its audit found it with a span to quote, else None."""
        term = next((t for t in self.audits.document(doc_id).key_terms if t.id == term_id), None)
        return term if term is not None and term.found and term.span is not None else None

    def _quoted(self, question: str, standalone: str, term, value: str) -> Answer | None:
        """``value`` stated first, quoting the sentence of the key term's span; None when that sentence cannot be cited."""
        citation = self.citer.sentence(1, term.span.doc_id, term.span.start, term.span.end)
        if citation is None:
            return None
        rewritten = standalone if standalone != question else ""
        return Answer(question, compose(value, [citation]), (citation,), True, value, (), self.label, (), 0.0, rewritten)
