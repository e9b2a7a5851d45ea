"""Which sentence the extractive answerer answers from, and which it quotes with it (assistant.answer.extractive):
pure functions over hand-made candidates, no model, no index."""

import pytest

from assistant import load_playbook
from assistant.answer.extractive import about_the_question, answerable, answering, choose, same_clause
from assistant.answer.ranking import Candidate
from assistant.answer.selection import question_clause
from assistant.core.documents import Chunk

CAP = "14. Limitation of Liability"
_made: list[str] = []


@pytest.fixture(scope="module")
def playbook():
    return load_playbook()


def candidate(text: str, chunk_id: str = "c1", section: str = CAP, score: float = 1.0, rank: int = 0, doc: str = "d1",
              **evidence) -> Candidate:
    at = 1000 * len(_made)  # each sentence at its own place in the document
    _made.append(text)
    chunk = Chunk(chunk_id, doc, "msa.txt", 0, at, at + len(text), 1, 1, section, "", text, text)
    c = Candidate(chunk, rank, 0, len(text), evidence.pop("lexical", 0.8), evidence.pop("coverage", 0.8), **evidence)
    c.score = score
    return c


STRONG = {"semantic": 0.8, "operative": 1.0}  # evidence well above the threshold with a clause match
WEAK = {"lexical": 0.05, "coverage": 0.05, "semantic": 0.05}


def test_answers_from_the_first_sentence_with_enough_evidence_not_the_ranker_s_best(playbook):
    clause = question_clause("What is the cap on liability?", playbook)
    heading_like = candidate("The parties have read this Agreement.", "c0", "1. Interpretation", score=1.0, **WEAK)
    cap = candidate("The Supplier's total liability shall not exceed USD 1,000,000.", score=0.9, rank=1, value=1.0, **STRONG)
    assert answering([heading_like, cap], "amount", clause) is cap
    assert answering([heading_like], "amount", clause) is None  # nothing has the evidence: refuse


def test_a_value_question_takes_the_first_sentence_stating_a_value(playbook):
    clause = question_clause("What is the cap on liability?", playbook)
    carve_out = candidate("Nothing in this clause limits either party's liability for fraud.", score=1.0, **STRONG)
    cap = candidate("Each party's aggregate liability shall not exceed USD 500,000.", "c2", score=0.8, rank=1, value=1.0, **STRONG)
    assert answering([carve_out, cap], "amount", clause) is cap
    # no sentence states an amount: the first is quoted only when it says what the question names (a cap)
    assert answering([carve_out], "amount", clause) is None
    limited = candidate("Each party's aggregate liability is limited to the fees paid in the prior twelve months.", **STRONG)
    assert answering([limited], "amount", clause) is limited


def test_a_runner_up_holding_none_of_the_question_s_words_does_not_answer_over_the_best():
    # asked a recovery time objective: the best speaks of disaster recovery but lacks the evidence; a support response
    # time below it states a period and is similar, but holds none of the question's words and is no clause it names
    best = candidate("The Supplier shall maintain a disaster recovery plan.", "c0", "8. Business Continuity", score=0.5,
                     lexical=0.45, coverage=0.45, semantic=0.5)
    response = candidate("The Supplier shall respond to Severity 1 tickets within thirty (30) minutes.", "c1", "Exhibit A",
                         score=0.44, rank=1, lexical=0.0, coverage=0.0, semantic=0.65, value=1.0)
    assert answerable(response, "period", None) and not answerable(best, "period", None)
    assert not about_the_question(response, best, None)
    assert answering([best, response], "period", None) is None  # refuse rather than quote a response time


def test_a_runner_up_of_the_named_clause_answers_without_the_question_s_words(playbook):
    clause = question_clause("How long is the initial term of the agreement?", playbook)
    renewal = candidate("After the initial term the agreement renews for one year.", "c0", "3. Renewal", score=0.6,
                        lexical=0.6, coverage=0.6, semantic=0.3)
    term = candidate("This Agreement shall continue for a period of five (5) years.", "c1", "2. Initial Term", score=0.5, rank=1,
                     lexical=0.0, coverage=0.0, semantic=0.7, value=1.0, operative=1.0)
    assert about_the_question(term, renewal, clause)
    assert answering([renewal, term], "period", clause) is term


def test_runners_up_are_quoted_only_from_the_answering_clause():
    best = candidate("The Supplier's total liability shall not exceed the Charges.", "c1", CAP, score=1.0)
    same_chunk = candidate("This cap applies in aggregate to all claims.", "c1", CAP, score=0.99)
    same_section = candidate("The cap does not apply to fraud.", "c2", CAP, score=0.98)
    elsewhere = candidate("The Customer's liability for the Charges shall not exceed the Charges.", "c3", "9. Payment", score=0.99)
    other_doc = candidate("Liability shall not exceed the Charges.", "c9", CAP, score=0.99, doc="d2")
    assert same_clause(same_chunk, best) and same_clause(same_section, best)
    assert not same_clause(elsewhere, best) and not same_clause(other_doc, best)
    ranked = [best, elsewhere, other_doc, same_chunk, same_section]
    assert [c.chunk.id for c in choose(best, ranked)] == ["c1", "c1", "c2"]
    # the answering sentence comes first even when a sentence of its clause ranks above it
    assert choose(same_chunk, ranked)[0] is same_chunk and best in choose(same_chunk, ranked)


def test_a_chunk_without_a_section_shares_its_clause_only_within_itself():
    best = candidate("Either party may terminate on ninety (90) days' notice.", "c1", "", score=1.0)
    unsectioned = candidate("Notice shall be given in writing.", "c2", "", score=0.99)
    assert choose(best, [best, unsectioned]) == [best]


def test_a_runner_up_of_the_clause_without_enough_evidence_is_not_quoted():
    best = candidate("The Supplier shall respond to support requests within four (4) hours.", "c1", "4 Service Levels", **STRONG)
    report = candidate("The Supplier shall send a quarterly report.", "c1", "4 Service Levels", score=0.99, **WEAK)
    assert choose(best, [best, report]) == [best]
    assert choose(best, [best, report], "period") == [best]
