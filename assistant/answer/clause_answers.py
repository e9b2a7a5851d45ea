"""Yes/no questions about a clause of one contract ("does the NDA have a termination assistance clause?"),
answered from that contract's clause audit: "No" when the audit finds no such clause (or element), "Yes" with
the sentences of the evidence that best match the question."""

from __future__ import annotations

from dataclasses import replace

from ..audit.auditor import AuditCache
from ..retrieval.hybrid import HybridRetriever
from ..text.tokenization import tokenize
from .citing import Citer, evidence_citation
from .ranking import SentenceRanker
from .rendering import article, quote_blocks
from .routing import ClauseMatch, finding_status
from .types import Answer


class ClauseAnswers:
    """``run(question, standalone, doc_ids, match)`` -> the audit's answer, or None when its evidence does not
    mention what was asked (the question then goes to the passages)."""

    label = "extractive"

    def __init__(self, audits: AuditCache, ranker: SentenceRanker, citer: Citer, retriever: HybridRetriever, k: int):
        self.audits = audits
        self.ranker = ranker
        self.citer = citer
        self.retriever = retriever
        self.k = k

    def run(self, question: str, standalone: str, doc_ids: tuple[str, ...], match: ClauseMatch) -> Answer | None:
        result = self.audits.document(doc_ids[0])
        finding = result.finding(match.clause.id)
        status = finding_status(finding, match.element)
        rewritten = standalone if standalone != question else ""
        name = result.file_names[0] if result.file_names else result.subject
        if status == "missing":
            text = f"**No.** The clause audit found no {match.label.lower()} in {name}."
            if finding.status != "missing":
                text = f"**No.** {name} has a {finding.name.lower()} clause, but the clause audit found no {match.label.lower()} in it."
            passages = self.retriever.run(standalone, k=self.k, doc_ids=list(doc_ids[:1]), with_focus=False).passages
            return Answer(question, text, (), True, "No", (), self.label, tuple(passages), 0.0, rewritten)
        evidence_words = set(tokenize([" ".join(e.span.text + " " + e.span.section_path for e in finding.evidence)])[0])
        if not set(tokenize([match.phrase])[0]) <= evidence_words:
            return None
        citations = [c for c in (evidence_citation(self.citer, self.ranker.rank, i, e.span, standalone) for i, e in enumerate(finding.evidence[:2], 1))
                     if c is not None]
        citations = [replace(c, number=i) for i, c in enumerate(citations, 1)]
        detail = ""
        if finding.status == "weak" and match.element is None:
            names = {e.id: e.name for e in match.clause.elements}
            detail = f" The clause is weak: it lacks {', '.join(names.get(i, i) for i in finding.missing_elements).lower()}."
        text = f"**Yes.** {name} has {article(match.label)} {match.label.lower()} provision.{detail}"
        if citations:
            text += "\n\n" + quote_blocks(citations)
        return Answer(question, text, tuple(citations), True, "Yes", (), self.label, (), 0.0, rewritten)
