"""The default answerer, no model: quote the sentences that answer, state the key value first, or refuse.

It answers when the ranker's best sentence (``ranking.SentenceRanker``) has enough evidence (``selection``: a
logistic combination of lexical coverage, embedding similarity, retrieval rank, value presence and clause-type
match, with weights and threshold fitted on the tuning part of real contracts); else it says plainly that the
documents do not answer and shows the closest passages. It quotes the best one to three sentences verbatim
(runners-up from the same document that score almost as well) and states the value the question asks for when
the quoted sentence states one. A question asking for a period, date, amount, law or court is answered by a
sentence that states one (the best of the ranker's first ``RESCORED`` with enough evidence); when none does, the
best sentence is still quoted, with no value stated, if it says what the question names in the playbook's terms
(``selection.states_what_is_named``: a cap "limited to the fees paid in the prior twelve months", an initial term
"until the last Product is discontinued"), else the answer is a refusal.
"""

from __future__ import annotations

from typing import Sequence

from ..audit.playbook import Playbook
from ..core.documents import Passage
from ..index.store import Index
from ..text.tables import read_row
from . import selection
from .citing import Citer
from .key_values import key_value
from .questions import STRICT_KINDS, question_kind
from .ranking import Candidate, SentenceRanker
from .rendering import compose, refusal_text
from .routing import ClauseMatch
from .selection import (
    RESCORED,
    evidence,
    features,
    question_clause,
    states_what_is_named,
)
from .types import Answer

MAX_QUOTES = 3
SECOND_QUOTE_SHARE = 0.97
LEAD_IN_QUOTE = 600


def answerable(candidate: Candidate, kind: str = "", clause: ClauseMatch | None = None) -> bool:
    """Enough evidence that the sentence answers: its fitted evidence (``selection``) reaches the threshold."""
    return evidence(features(candidate, kind, clause)) >= selection.THRESHOLD


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

    def __init__(self, ranker: SentenceRanker, citer: Citer, index: Index, workspace: str, playbook: Playbook | None = None):
        self.ranker = ranker
        self.citer = citer
        self.index = index
        self.workspace = workspace
        self.playbook = playbook

    def run(self, question: str, standalone: str, passages: list[Passage], scope: tuple[str, ...]) -> Answer:
        kind = question_kind(standalone)
        ranked = self.ranker.rank(standalone, passages, kind, scope)
        rewritten = standalone if standalone != question else ""
        clause = question_clause(standalone, self.playbook)
        if not ranked or not answerable(ranked[0], kind, clause):
            return self.refusal(question, rewritten, passages, ranked)
        candidates = ranked
        if kind in STRICT_KINDS:  # a question asking for a period, date, amount, law or court is answered by a sentence stating one
            stating = [c for c in ranked[:RESCORED] if c.value and answerable(c, kind, clause)]
            if stating:
                candidates = stating + [c for c in ranked if c not in stating]
            elif not states_what_is_named(ranked[0], clause):  # no value read: quote what the question names, state no value
                return self.refusal(question, rewritten, passages, ranked)
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
