"""Whether the best sentence answers: one scored combination of the evidence, fitted on real contracts.

A candidate sentence (``ranking.Candidate``) is described by the evidence the ranker already has - how much of
the question's rare wording it holds (``lexical``, ``coverage``), its embedding similarity (``semantic``), the
retrieval rank of its passage, whether it states the kind of value asked for (``value``, and whether one was
wanted at all), whether it is an operative term or a definition, how much of the question's wording the
retrieved passages hold nowhere (``unseen``: a contract without an escrow clause never says "escrow") - plus
whether it is the kind of clause the question is about (the playbook clause the question names: the sentence
matches one of its signals, or its section heading one of its headings). ``evidence`` is a logistic combination of these: the estimated chance
that the sentence is a clause a lawyer marked as answering the question. The answerer answers from the
first of the ranker's best ``RESCORED`` sentences that reaches ``THRESHOLD``, in the ranker's order (re-ordering the
candidates by evidence raised the tuning part's citation hit but lowered the project's own citation precision by 8
points: it did not generalise, so the ranker keeps the order).

The weights and the refusal threshold are fitted by ``python -m eval.fit_answer_selection`` on the tuning part
of the CUAD development contracts only (``eval.splits``), and reported on the checking part; they are not
fitted on the project's own question set (``eval/answer_questions.yaml``), which stays a check.
"""

from __future__ import annotations

import math

from ..audit.playbook import Playbook
from .questions import STRICT_KINDS
from .ranking import Candidate
from .routing import ClauseMatch, match_clause

FEATURES = ("lexical", "coverage", "semantic", "rank", "value", "value_missing", "operative", "definition", "phrase",
            "clause_named", "clause_match", "unseen")
RESCORED = 10  # the ranker's best candidates the fit describes, and the answerer looks among for one stating a value
# Fitted by ``python -m eval.fit_answer_selection --limit 30 --phrasings -1`` (2026-12-02: the phrasing the answer eval asks,
# 704 questions of the first 30 tuning contracts, 7,008 candidate sentences, 366 of them in a labelled span; decided as the
# answerer does: the first of the best ``RESCORED`` reaching the threshold, for a value question the first of those stating
# one, else that first one when it quotes the clause it names); features as ``features`` gives them.
WEIGHTS: dict[str, float] = {
    "bias": -1.759, "lexical": 1.487, "coverage": 0.514, "semantic": 2.383, "rank": 1.189, "value": 0.611, "value_missing": -0.904,
    "operative": -0.760, "definition": -0.170, "phrase": 0.262, "clause_named": -0.694, "clause_match": 2.613, "unseen": -0.455,
}
THRESHOLD = 0.67  # answer from the first candidate whose evidence is at least this: most answered-when-labelled plus refused-when-not on the tuning part


def question_clause(question: str, playbook: Playbook | None) -> ClauseMatch | None:
    """The playbook clause the question is about, if it names one."""
    return match_clause(question, playbook) if playbook is not None else None


def clause_match(candidate: Candidate, clause: ClauseMatch | None) -> float:
    """1 when the sentence is the kind of clause the question names: one of its signals, or its heading."""
    if clause is None:
        return 0.0
    if clause.clause.matching_signals(candidate.text):
        return 1.0
    return 1.0 if candidate.chunk.section_path and clause.clause.matches_heading(candidate.chunk.section_path) else 0.0


def states_what_is_named(candidate: Candidate, clause: ClauseMatch | None) -> bool:
    """The sentence says what the question names in the playbook's own terms: the named element's patterns ("Liability
    cap": "shall not exceed", "limited to", "aggregate liability"), else one of the clause's signals (a heading alone is
    not enough). A value question whose value no sentence states is answered from such a sentence, or refused."""
    if clause is None:
        return False
    if clause.element is not None:
        return clause.element.is_met(candidate.text)
    return bool(clause.clause.matching_signals(candidate.text))


def features(candidate: Candidate, kind: str, clause: ClauseMatch | None) -> dict[str, float]:
    """The evidence of one candidate, each in [0, 1]."""
    wanted = kind in STRICT_KINDS
    return {
        "lexical": max(0.0, min(1.0, candidate.lexical - candidate.party)),  # the party named picks the contract, it does not answer
        "coverage": max(0.0, candidate.coverage - candidate.party),
        "semantic": max(0.0, candidate.semantic),
        "rank": 1.0 / (1 + candidate.rank),
        "value": candidate.value,
        "value_missing": 1.0 if wanted and not candidate.value else 0.0,
        "operative": candidate.operative,
        "definition": candidate.definition,
        "phrase": candidate.phrase,
        "clause_named": 1.0 if clause is not None else 0.0,
        "clause_match": clause_match(candidate, clause),
        "unseen": candidate.unseen,
    }


def evidence(values: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The fitted chance that a sentence with these features answers the question."""
    weights = WEIGHTS if weights is None else weights
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * values[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

