"""The default answerer, no model: quote the sentences that answer, state the key value first, or refuse.

It answers from the first of the ranker's best ``RESCORED`` sentences (``ranking.SentenceRanker``) with enough
evidence (``selection``: a logistic combination of lexical coverage, embedding similarity, retrieval rank, value
presence and clause-type match, with weights and threshold fitted on the tuning part of real contracts); when none
has, it says plainly that the documents do not answer and shows the closest passages. It quotes the answering
sentence verbatim, with up to two runners-up of the same clause (same chunk or section) that score almost as well
and have enough evidence too,
and states the value the question asks for when a quoted sentence states one. A question asking for a period,
date, amount, law or court is answered by the first of those sentences that states one; when none does, the first
is still quoted, with no value stated, if it says what the question names in the playbook's terms
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
    clause_match,
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


def same_clause(candidate: Candidate, answering: Candidate) -> bool:
    """The sentence belongs to the answering sentence's clause: the same chunk, or the same section of the same document.
    A runner-up from elsewhere in the contract scores as well only because it shares the question's words."""
    if candidate.chunk.doc_id != answering.chunk.doc_id:
        return False
    if candidate.chunk.id == answering.chunk.id:
        return True
    return bool(answering.chunk.section_path) and candidate.chunk.section_path == answering.chunk.section_path


def choose(answering: Candidate, ranked: list[Candidate], kind: str = "", clause: ClauseMatch | None = None) -> list[Candidate]:
    """The answering sentence, plus runners-up of its own clause (``same_clause``) that score almost as well and have
    enough evidence themselves. A bare lead-in ("... must be given:") is never quoted on its own: its items say the thing."""
    chosen = [answering]
    for candidate in ranked:
        if len(chosen) >= MAX_QUOTES or candidate.score < answering.score * SECOND_QUOTE_SHARE:
            break
        if candidate is answering or (candidate.lead and not candidate.value) or not same_clause(candidate, answering):
            continue
        if not answerable(candidate, kind, clause):
            continue
        if any(candidate.overlaps(c) for c in chosen):
            continue
        chosen.append(candidate)
    return chosen


def about_the_question(candidate: Candidate, top: Candidate, clause: ClauseMatch | None) -> bool:
    """A runner-up answers over the ranker's best only when it is about the question as the best is: it holds some of
    the question's rare words (a party named aside), or it is the clause the question names ("continue for a period
    of five (5) years" under "Term" answers the initial term without the words). One that is neither scores on
    similarity and a stated value alone (asked a recovery time objective, a support response "within thirty (30) minutes")."""
    if candidate is top or top.lexical - top.party <= 0:
        return True
    return candidate.lexical - candidate.party > 0 or clause_match(candidate, clause) > 0


def answering(ranked: list[Candidate], kind: str, clause: ClauseMatch | None) -> Candidate | None:
    """The sentence that answers: the first of the ranker's best ``RESCORED`` with enough evidence (a runner-up also
    ``about_the_question``); for a question
    asking for a period, date, amount, law or court, the first of those stating one, else the first when it says
    what the question names (``states_what_is_named``); None: refuse. A bare lead-in ("... must be given:") is
    answered by its first item, quoted with it."""
    enough = [c for c in ranked[:RESCORED] if answerable(c, kind, clause) and about_the_question(c, ranked[0], clause)]
    if not enough:
        return None
    best = enough[0]
    if kind in STRICT_KINDS:
        best = next((c for c in enough if c.value), None) or (best if states_what_is_named(best, clause) else None)
    if best is not None and best.lead and not best.value:
        best = next((c for c in ranked if c.chunk.id == best.chunk.id and c.lead_start == best.start), best)
    return best


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
        best = answering(ranked, kind, clause)
        if best is None:
            return self.refusal(question, rewritten, passages, ranked)
        chosen = choose(best, ranked, kind, clause)
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
