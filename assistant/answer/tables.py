"""Questions across the contracts of a workspace, answered as a table with one cited row per document or deal:
- which contracts have / lack a clause or element ("which of these contracts lack an exit plan?"): from the audit;
- a key term compared ("compare the liability caps"): from the audit's key terms;
- anything else ("compare the payment terms"): the best sentence of each document, with its key value.
"""

from __future__ import annotations

import re

from ..audit.auditor import AuditCache
from ..audit.keyterms import NAMES as KEY_TERM_NAMES
from ..audit.playbook import Playbook
from ..index.store import Index
from ..retrieval.hybrid import HybridRetriever
from ..text.tables import read_row
from ..text.values import clean_value
from .citing import Citer, evidence_citation
from .extractive import answerable
from .key_values import key_value
from .questions import STRICT_KINDS, question_kind
from .ranking import SentenceRanker
from .rendering import article, display, markdown_table, quote_blocks
from .routing import (
    COMPARE,
    CROSS,
    HAVE,
    KEY_TERM_KINDS,
    KEY_TERM_TOPICS,
    LACK,
    ClauseMatch,
    finding_status,
    match_clause,
)
from .types import Answer, Citation, TableRow

SUBJECT_SHARE = 0.8  # a contract gets its own row when its best sentence scores at least this share of the best one


class CrossDocumentTables:
    """``run(question, standalone)`` -> a table answer, or None when the workspace holds fewer than two documents."""

    label = "extractive"

    def __init__(self, index: Index, audits: AuditCache, ranker: SentenceRanker, citer: Citer, retriever: HybridRetriever, playbook: Playbook):
        self.index = index
        self.audits = audits
        self.ranker = ranker
        self.citer = citer
        self.retriever = retriever
        self.playbook = playbook

    def run(self, question: str, standalone: str, scope: tuple[str, ...] = ()) -> Answer | None:
        if not CROSS.search(standalone):
            return None
        rewritten = standalone if standalone != question else ""
        infos = self._documents(scope)
        if len(infos) < 2:
            return None
        by = "deal" if any(d.deal for d in infos) else "document"
        match = match_clause(standalone, self.playbook)
        if match is not None and (LACK.search(standalone) or HAVE.search(standalone)) and not COMPARE.search(standalone):
            return self.clause_table(question, rewritten, match, by, lacking=bool(LACK.search(standalone)), infos=infos)
        for term_id, pattern in KEY_TERM_TOPICS:
            if pattern.search(standalone):
                return self.term_table(question, rewritten, term_id, by, infos=infos)
        return self.generic_table(question, rewritten, standalone, infos=infos)

    def _documents(self, scope: tuple[str, ...]) -> list:
        infos = self.index.documents()
        return [d for d in infos if d.doc_id in scope] if scope else infos

    def per_subject(self, question: str, standalone: str, passages: list) -> Answer | None:
        """A question that names no contract, in a workspace where several contracts (or deals) each answer it: one
        cited row per contract rather than one contract's answer (None when fewer than two answer it)."""
        infos = self.index.documents()
        by = "deal" if any(d.deal for d in infos) else "document"
        subject_of = {d.doc_id: (d.deal or d.file_name) if by == "deal" else d.file_name for d in infos}
        if len(set(subject_of.values())) < 2:
            return None
        kind = question_kind(standalone)
        best: dict[str, object] = {}
        top = None
        for candidate in self.ranker.rank(standalone, passages, kind):
            subject = subject_of.get(candidate.chunk.doc_id)
            if not subject or subject in best or not answerable(candidate) or kind in STRICT_KINDS and not candidate.value:
                continue
            top = top if top is not None else candidate.score
            if candidate.score >= SUBJECT_SHARE * top:  # another contract that answers it about as well, not a weak echo
                best[subject] = candidate
        if len(best) < 2:
            return None
        rows: list[TableRow] = []
        citations: list[Citation] = []
        for subject, candidate in best.items():
            citation = self.citer.of(len(citations) + 1, candidate.chunk, candidate.start, candidate.end)
            citations.append(citation)
            value = key_value(kind, read_row(candidate.text, candidate.header), standalone) if kind else ""
            rows.append(TableRow(subject, value or clean_value(display(candidate.text)), "found", citation.number))
        rewritten = standalone if standalone != question else ""
        subjects = "deals or documents" if by == "deal" else "documents"
        header = ("Document" if by == "document" else "Deal or document", "What it says")
        text = (f"**{len(rows)} {subjects} answer this; the question names none of them, so each is shown** (name one, or "
                f"pick a scope, to ask only it):\n\n" + markdown_table(rows, header) + "\n\n" + quote_blocks(citations))
        return Answer(question, text.rstrip(), tuple(citations), True, "", tuple(rows), self.label, tuple(passages), 0.0, rewritten, header)

    def clause_table(self, question: str, rewritten: str, match: ClauseMatch, by: str, lacking: bool, infos: list | None = None) -> Answer:
        results = self.audits.grouped(infos if infos is not None else self.index.documents(), by)
        rows: list[TableRow] = []
        citations: list[Citation] = []
        for result in results:
            finding = result.finding(match.clause.id)
            status = finding_status(finding, match.element)
            citation = None
            if status != "missing" and finding.evidence:
                probe = f"{match.label}: {match.element.description if match.element is not None else match.clause.description}"
                # cite the passage that holds the element asked about ("exit plan"), not just the clause's best passage
                shown = (match.element is not None and finding.evidence_for(match.element.id)) or finding.evidence[0]
                citation = evidence_citation(self.citer, self.ranker.rank, len(citations) + 1, shown.span, probe)
                if citation is not None:
                    citations.append(citation)
            value = status if status != "weak" or match.element is not None else f"weak (lacks {', '.join(finding.missing_elements).replace('_', ' ')})"
            rows.append(TableRow(result.subject, value, status, citation.number if citation else None))
        wanted = [r for r in rows if (r.status == "missing") == lacking] if lacking else [r for r in rows if r.status != "missing"]
        label = match.label.lower()
        subjects = "deals or documents" if by == "deal" else "documents"
        verb = f"have no {label} provision" if lacking else f"have {article(label)} {label} provision"
        head = f"**{len(wanted)} of {len(rows)} {subjects} {verb}:** " + (", ".join(r.document for r in wanted) or "none")
        header = ("Document", match.label)
        text = head + "\n\n" + markdown_table(rows, header) + "\n\n" + quote_blocks(citations)
        key = "; ".join(r.document for r in wanted)
        return Answer(question, text.rstrip(), tuple(citations), True, key, tuple(rows), self.label, (), 0.0, rewritten, header)

    def term_table(self, question: str, rewritten: str, term_id: str, by: str, infos: list | None = None) -> Answer:
        results = self.audits.grouped(infos if infos is not None else self.index.documents(), by)
        rows: list[TableRow] = []
        citations: list[Citation] = []
        kind, probe = KEY_TERM_KINDS[term_id]
        name = KEY_TERM_NAMES[term_id]
        for result in results:
            term = next((t for t in result.key_terms if t.id == term_id), None)
            citation, value = None, "not stated"
            if term is not None and term.found and term.span is not None and term.span.end > term.span.start:
                citation = self.citer.sentence(len(citations) + 1, term.span.doc_id, term.span.start, term.span.end)
                if citation is not None:
                    citations.append(citation)
                    value = key_value(kind, citation.span.text, probe) or clean_value(term.value)
                else:
                    value = clean_value(term.value)
            rows.append(TableRow(result.subject, value, "found" if value != "not stated" else "not stated", citation.number if citation else None))
        found = [r for r in rows if r.status == "found"]
        head = f"**{name} across {len(rows)} {'deals or documents' if by == 'deal' else 'documents'}** ({len(found)} state one):"
        header = ("Document", name)
        text = head + "\n\n" + markdown_table(rows, header) + "\n\n" + quote_blocks(citations)
        return Answer(question, text.rstrip(), tuple(citations), bool(found), "", tuple(rows), self.label, (), 0.0, rewritten, header)

    def generic_table(self, question: str, rewritten: str, standalone: str, infos: list | None = None) -> Answer:
        """Compare anything else: the best sentence of each document, with its key value."""
        topic = CROSS.sub(" ", standalone)
        topic = re.sub(r"^\s*(?:the\s+)?", "", topic).strip(" ?.") or standalone
        kind = question_kind(topic) or question_kind(standalone)
        rows: list[TableRow] = []
        citations: list[Citation] = []
        passages = []
        for info in infos if infos is not None else self.index.documents():
            found = self.retriever.run(topic, k=3, doc_ids=[info.doc_id], with_focus=False).passages
            passages.extend(found[:1])
            ranked = self.ranker.rank(topic, found, kind, (info.doc_id,))
            citation, value, status = None, "not stated", "not stated"
            if ranked and answerable(ranked[0]):
                best = ranked[0]
                citation = self.citer.of(len(citations) + 1, best.chunk, best.start, best.end)
                citations.append(citation)
                value = key_value(kind, best.text, topic) if kind else ""
                value = value or clean_value(display(best.text))
                status = "found"
            rows.append(TableRow(info.file_name, value, status, citation.number if citation else None))
        found_rows = [r for r in rows if r.status == "found"]
        header = ("Document", "What it says")
        text = (f"**Across {len(rows)} documents** ({len(found_rows)} address it):\n\n" + markdown_table(rows, header) + "\n\n"
                + quote_blocks(citations))
        return Answer(question, text.rstrip(), tuple(citations), bool(found_rows), "", tuple(rows), self.label, tuple(passages), 0.0, rewritten, header)
