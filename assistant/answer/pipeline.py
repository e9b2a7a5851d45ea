"""Answering as components: follow-up rewriting -> routing -> a table, the clause audit, or passages answered
extractively or by a model -> verification. Every answer comes out of ``Answerer.stream`` (``run`` keeps only
the final Answer), and every citation in it has been checked against the document text.

    answerer.run("How much notice to terminate the MSA for convenience?")
    answer.key_value   -> "not less than six (6) months' written notice"
    answer.citations   -> (Citation(1, Span(doc_id, "msa.pdf", start, end, quote, page=9, section_path="12 TERMINATION > ...")),)
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Callable, Iterator, Sequence

from ..audit.playbook import Playbook
from ..core.documents import Passage
from ..retrieval.fusion import interleave
from ..retrieval.hybrid import HybridRetriever
from .clause_answers import ClauseAnswers
from .extractive import ExtractiveAnswerer
from .followups import FollowUps, Rewrite
from .key_term_answers import KeyTermAnswers
from .llm import LLMAnswerer
from .questions import checked, strip_naming, without_lead_in
from .rendering import sources_note
from .routing import route
from .tables import CrossDocumentTables
from .types import Answer
from .verification import verified

WIDE = 4


class PassageFinder:
    """The passages a question is answered from: only the named documents when the conversation names some;
    otherwise the hybrid ranking interleaved with one that ignores document mentions (a spurious mention must
    not push the right passage out). ``searches``: one answer's dict of the searches run (when the question names no
    document, both rankings and the wide one are the same search: it runs once)."""

    def __init__(self, retriever: HybridRetriever, k: int):
        self.retriever = retriever
        self.k = k

    def run(self, question: str, scope: tuple[str, ...] = (), searches: dict | None = None) -> list[Passage]:
        if scope:
            return self.retriever.run(strip_naming(question), k=self.k, doc_ids=list(scope), with_focus=False, searches=searches).passages
        first = self.retriever.run(question, k=self.k, with_focus=False, searches=searches).passages
        second = self.retriever.run(question, k=self.k, resolve=False, with_focus=False, searches=searches).passages
        return interleave(first, second, key=lambda p: p.chunk.id)

    def wide(self, question: str, scope: tuple[str, ...] = (), searches: dict | None = None) -> list[Passage]:
        """More passages across the workspace or the scope (``WIDE`` times as many): the contracts that may each
        answer a question that names none."""
        return self.retriever.run(question, k=self.k * WIDE, resolve=False, with_focus=False, doc_ids=list(scope) or None,
                                  searches=searches).passages


class Answerer:
    """``run(question, history)`` -> a verified Answer; ``stream`` yields its text as it is written, then the Answer."""

    def __init__(self, follow_ups: FollowUps, playbook: Playbook, tables: CrossDocumentTables, clauses: ClauseAnswers,
                 passages: PassageFinder, extractive: ExtractiveAnswerer, document_text: Callable[[str], str],
                 file_name: Callable[[str], str], llm: LLMAnswerer | None = None, key_terms: KeyTermAnswers | None = None):
        self.follow_ups = follow_ups
        self.playbook = playbook
        self.tables = tables
        self.clauses = clauses
        self.passages = passages
        self.extractive = extractive
        self.document_text = document_text
        self.file_name = file_name
        self.llm = llm
        self.key_terms = key_terms

    @property
    def label(self) -> str:
        return self.llm.label if self.llm is not None else self.extractive.label

    def run(self, question: str, history: Sequence[tuple[str, str]] = (), scope: tuple[str, ...] = ()) -> Answer:
        """``scope``: answer from these documents only (a review grid asks each contract the same question; the user
        picked documents or a deal)."""
        answer = None
        for item in self._answer(question, tuple(history), stream=False, scope=tuple(scope)):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[tuple[str, str]] = (), scope: tuple[str, ...] = ()) -> Iterator[str | Answer]:
        """The answer's text in pieces (verified statements for a model, paragraphs otherwise), then the Answer."""
        yield from self._answer(question, tuple(history), stream=True, scope=tuple(scope))

    def _answer(self, question: str, history: tuple, stream: bool, scope: tuple[str, ...] = ()) -> Iterator[str | Answer]:
        started = time.perf_counter()
        question = checked(question)
        rewrite, named = self._rewrite(question, history, scope)
        standalone = without_lead_in(rewrite.question)
        way = route(standalone, rewrite.doc_ids, self.playbook)
        answer: Answer | None = None
        if way.kind == "cross_document":
            answer = self.tables.run(question, standalone, scope)
        elif way.kind == "clause" and way.clause is not None:
            answer = self.clauses.run(question, standalone, rewrite.doc_ids, way.clause)
        if answer is None and self.key_terms is not None and self.llm is None:  # the contract's date, parties, expiry: its key terms
            answer = self.key_terms.run(question, standalone, rewrite.doc_ids)
        if answer is None:
            searches: dict = {}
            passages = self.passages.run(standalone, rewrite.doc_ids, searches)
            if not named and len(scope) != 1 and not self.follow_ups.parties(standalone):  # several contracts may answer it
                answer = self.tables.per_subject(question, standalone, self.passages.wide(standalone, scope, searches))
        if answer is None:
            if self.llm is not None:
                for item in self.llm.stream(question, standalone, passages, rewrite.doc_ids, stream=stream):
                    if isinstance(item, Answer):
                        answer = item
                    else:
                        yield item
                assert answer is not None
                final = self._finished(answer, scope, started)
                note = final.text[len(verified(answer, self.document_text).text):]
                if note:
                    yield note  # the streamed statements, then the line saying which documents answered
                yield final
                return
            answer = self.extractive.run(question, standalone, passages, rewrite.doc_ids)
            if not answer.answered and self.key_terms is not None:  # a cap question, when the clause only excludes kinds of damages
                answer = self.key_terms.no_amount_cap(question, standalone, rewrite.doc_ids) or answer
        final = self._finished(answer, scope, started)
        for piece in re.split(r"(?<=\n\n)", final.text):
            if piece:
                yield piece
        yield final

    def _rewrite(self, question: str, history: tuple, scope: tuple[str, ...]) -> tuple[Rewrite, bool]:
        """The standalone question and the documents it is about (within a scope, those it names there, or the whole
        scope), and whether the conversation names them."""
        rewrite = self.follow_ups.run(question, history)
        if not scope:
            return rewrite, bool(rewrite.doc_ids)
        named = tuple(d for d in rewrite.doc_ids if d in scope)
        return Rewrite(rewrite.question, named or scope), bool(named)

    def _finished(self, answer: Answer, scope: tuple[str, ...], started: float) -> Answer:
        """Verified, timed, with the scope it was asked in and the line saying which documents answered."""
        answer = replace(verified(answer, self.document_text), scope=tuple(self.file_name(d) for d in scope))
        note = sources_note(answer)
        text = f"{answer.text.rstrip()}\n\n{note}" if note else answer.text
        return replace(answer, text=text, seconds=time.perf_counter() - started)

    def warm_up(self) -> None:
        """Build the per-generation caches and the clause audits now rather than on the first question."""
        self.extractive.ranker.current()
        for info in self.extractive.index.documents():
            self.clauses.audits.document(info.doc_id)
        self.run("How much notice is needed to terminate for convenience?")
