"""The default answerer, no model: quote the sentences that answer, state the key value first, or refuse.

From the ranked candidate sentences (``ranking.SentenceRanker``) it quotes the best one to three verbatim
(runners-up from the same document that score almost as well) and states the value the question asks for
(a period, date, amount, party, law, court or yes/no) when the quoted sentence states one. Below the
evidence thresholds it says plainly that the documents do not answer and shows the closest passages.
"""

from __future__ import annotations

from typing import Sequence

from ..core.documents import Passage
from ..index.store import Index
from ..text.tables import read_row
from .citing import Citer
from .key_values import key_value
from .questions import STRICT_KINDS, question_kind
from .ranking import Candidate, SentenceRanker
from .rendering import compose, refusal_text
from .types import Answer

MAX_QUOTES = 3
# Evidence thresholds, calibrated on eval/answer_questions.yaml (answerable vs unanswerable questions).
ANSWER_MIN_SCORE = 0.52
ANSWER_MIN_COVERAGE = 0.44
SECOND_QUOTE_SHARE = 0.97
LEAD_IN_QUOTE = 600


def answerable(best: Candidate) -> bool:
    """Enough evidence: a high enough score and most of the question's words (weighted by rarity)."""
    return best.score >= ANSWER_MIN_SCORE and best.coverage >= ANSWER_MIN_COVERAGE


def quote_start(candidate: Candidate) -> int:
    """Quote a list item together with its lead-in when both fit in a readable quote."""
    if candidate.lead_start >= 0 and candidate.end - candidate.lead_start <= LEAD_IN_QUOTE:
        return candidate.lead_start
    return candidate.start


def choose(ranked: list[Candidate]) -> list[Candidate]:
    """The best sentence, plus runners-up from the same document that score almost as well.
    A bare lead-in ("... must be given:") is never quoted on its own: its items say the thing."""
    ranked = [c for c in ranked if not c.lead or c.value] or ranked
    best = ranked[0]
    chosen = [best]
    for candidate in ranked[1:]:
        if len(chosen) >= MAX_QUOTES or candidate.score < best.score * SECOND_QUOTE_SHARE:
            break
        if candidate.chunk.doc_id != best.chunk.doc_id:
            continue
        if any(candidate.overlaps(c) for c in chosen):
            continue
        chosen.append(candidate)
    return chosen


class ExtractiveAnswerer:
    """``run(question, standalone, passages, scope)`` -> an Answer quoting the passages, or a refusal."""

    label = "extractive"

    def __init__(self, ranker: SentenceRanker, citer: Citer, index: Index, workspace: str):
        self.ranker = ranker
        self.citer = citer
        self.index = index
        self.workspace = workspace

    def run(self, question: str, standalone: str, passages: list[Passage], scope: tuple[str, ...]) -> Answer:
        kind = question_kind(standalone)
        candidates = self.ranker.rank(standalone, passages, kind, scope)
        rewritten = standalone if standalone != question else ""
        if not candidates or not answerable(candidates[0]):
            return self.refusal(question, rewritten, passages, candidates)
        if kind in STRICT_KINDS:
            stating = [c for c in candidates if c.value]  # only sentences that state the kind of value asked for
            if not stating or not answerable(stating[0]):
                return self.refusal(question, rewritten, passages, candidates)
            candidates = stating
        chosen = choose(candidates)
        value = ""
        if kind:
            for candidate in chosen:
                value = (key_value(kind, read_row(candidate.text, candidate.header), standalone)  # a table row, cell by cell under its column
                         or key_value(kind, candidate.chunk.text[quote_start(candidate) : candidate.end], standalone))
                if value:
                    break
        citations = [self.citer.of(i, c.chunk, quote_start(c), c.end) for i, c in enumerate(chosen, 1)]
        return Answer(question, compose(value, citations), tuple(citations), True, value, (), self.label, tuple(passages), 0.0, rewritten)

    def refusal(self, question: str, rewritten: str, passages: Sequence[Passage], candidates: list[Candidate]) -> Answer:
        """The documents do not answer: say so, and show the closest passages (one sentence per chunk, at most three)."""
        closest: list[Candidate] = []
        for candidate in candidates:
            if len(closest) >= 3:
                break
            if all(candidate.chunk.id != c.chunk.id for c in closest):
                closest.append(candidate)
        citations = [self.citer.of(i, c.chunk, c.start, c.end) for i, c in enumerate(closest, 1)]
        note = ""
        if not passages and not self.index.documents():
            note = f" The workspace {self.workspace!r} has no documents yet: ingest some first."
        return Answer(question, refusal_text(citations, note), tuple(citations), False, "", (), self.label, tuple(passages), 0.0, rewritten)
