"""The evidence a candidate sentence gives (assistant.answer.selection): pure functions, no model, no index."""

import pytest

from assistant import load_playbook
from assistant.answer.ranking import Candidate
from assistant.answer.selection import (
    evidence,
    features,
    question_clause,
    states_what_is_named,
)
from assistant.core.documents import Chunk


@pytest.fixture(scope="module")
def playbook():
    return load_playbook()


def candidate(text: str, lexical: float = 0.5, coverage: float = 0.5, **evidence_) -> Candidate:
    chunk = Chunk("c1", "d1", "msa.pdf", 0, 0, len(text), 1, 1, "", "", text, text)
    return Candidate(chunk, 0, 0, len(text), lexical, coverage, **evidence_)


@pytest.mark.parametrize(
    ("question", "sentence", "named"),
    [
        # the element the question names, in the playbook's words, though no amount is written
        ("What is the cap on liability?", "Each party's aggregate liability under this Agreement is limited to the Charges paid "
         "in the twelve months before the claim arose.", True),
        # the clause, but not the cap: a carve-out from it says nothing about how much
        ("What is the cap on liability?", "Nothing in this clause limits or excludes either party's liability for fraud.", False),
        ("How long is the initial term of the agreement?", "The Initial Term continues until the last Product ordered under it "
         "has been delivered and accepted.", True),
        ("How long is the initial term of the agreement?", "The Supplier shall deliver the Products to the Customer's warehouse.", False),
        # no element named: one of the clause's signals
        ("What is the maximum aggregate liability under the agreement?", "The Supplier's total liability shall not exceed "
         "the fees paid by the Customer in the preceding Contract Year.", True),
        ("What performance bond must the Supplier provide?", "The Supplier shall provide a performance bond.", False),  # names no clause
    ],
)
def test_a_value_question_without_a_value_is_answered_only_from_what_it_names(playbook, question, sentence, named):
    assert states_what_is_named(candidate(sentence), question_clause(question, playbook)) is named


def test_a_party_the_question_names_is_not_evidence_that_the_sentence_answers():
    # "What performance bond must Veridian provide?" against the parties block: only the party name is found
    parties = candidate("(2) VERIDIAN SYSTEMS LIMITED, a company incorporated in England and Wales.", lexical=0.25, coverage=0.25,
                        semantic=0.3, party=0.25, unseen=0.6)
    answering = candidate("Veridian shall provide a performance bond of GBP 1,000,000.", lexical=0.75, coverage=0.75, semantic=0.6,
                          party=0.25, operative=1.0)
    x = features(parties, "", None)
    assert x["lexical"] == 0.0 and x["coverage"] == 0.0
    assert features(answering, "", None)["lexical"] == pytest.approx(0.5)
    assert evidence(x) < evidence(features(answering, "", None))
