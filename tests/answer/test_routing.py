"""Routing and question analysis: pure functions, no model, no index."""

import pytest

from assistant import load_playbook
from assistant.answer.questions import content_terms, question_kind, strip_naming
from assistant.answer.routing import finding_status, match_clause, route


@pytest.fixture(scope="module")
def playbook():
    return load_playbook()


@pytest.mark.parametrize(
    ("question", "doc_ids", "kind", "clause"),
    [
        ("Which of these contracts lack an exit plan?", (), "cross_document", None),
        ("Compare the liability caps", (), "cross_document", None),
        ("Does the NDA have a termination assistance clause?", ("nda",), "clause", "termination_assistance"),
        ("Does the MSA contain a change of control clause?", ("msa",), "clause", "change_of_control"),
        ("Is there a change of control clause?", ("msa",), "passages", None),  # "is there a ..." alone is not an audit question
        ("How much notice to terminate for convenience?", ("msa",), "passages", None),
        ("Does the NDA have a termination assistance clause?", (), "passages", None),  # no contract named: passages
    ],
)
def test_route(playbook, question, doc_ids, kind, clause):
    way = route(question, doc_ids, playbook)
    assert way.kind == kind
    assert (way.clause.clause.id if way.clause else None) == clause


def test_the_clause_a_question_is_about_prefers_the_longest_and_verbatim_phrase(playbook):
    assert match_clause("Is there a change of control provision?", playbook).clause.id == "change_of_control"
    assert match_clause("Is there a change control procedure?", playbook).clause.id == "change_control"
    element = match_clause("Does it have an exit plan?", playbook)
    assert element.clause.id == "exit_management" and element.element.id == "exit_plan" and element.label == "Exit plan"


def test_a_clause_phrase_counts_with_its_words_in_another_order(playbook):
    # "governs" alone shares its stem with the Governance clause; "law governs" is the governing law
    assert match_clause("Which law governs the Master Services Agreement?", playbook).clause.id == "governing_law"
    assert match_clause("How are disputes governed by the steering committee?", playbook).clause.id != "governing_law"
    cap = match_clause("What is the cap on liability for data breaches?", playbook)
    assert cap.clause.id == "limitation_of_liability" and cap.element.id == "cap"
    assert match_clause("Is there a change control procedure?", playbook).clause.id == "change_control"  # in order still wins a tie


def test_a_heading_that_shrinks_to_one_stem_needs_its_other_words(playbook):
    # "termination at will" stems to "termin" alone: a question about when the agreement terminates is not about it
    assert match_clause("When will this agreement terminate if it is not renewed?", playbook).clause.id != "termination_for_convenience"
    assert match_clause("How many days' notice must be given to terminate the agreement at will?", playbook).clause.id == "termination_for_convenience"
    assert match_clause("Can a party hire the other's staff?", playbook) is None  # "no hire" needs its "no"
    assert match_clause("Is there a no hire clause?", playbook).clause.id == "key_personnel"


def test_finding_status_of_an_element():
    class Finding:
        status = "weak"
        missing_elements = ("exit_plan",)

    class Element:
        id = "exit_plan"

    assert finding_status(Finding, Element) == "missing" and finding_status(Finding, None) == "weak"


@pytest.mark.parametrize(
    ("question", "kind"),
    [("How much notice is needed to terminate?", "period"), ("When can the Customer terminate for convenience?", "period"),
     ("What is the cap on liability?", "amount"), ("Which law governs the agreement?", "law"), ("Who signed for the Supplier?", "party"),
     ("Does the NDA survive termination?", "yesno"), ("How many extension periods are there?", "count"),
     ("How often does the steering committee meet?", "frequency"), ("What is the Effective Date?", "date")],
)
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_content_terms_drop_question_words_and_keep_numbers():
    assert content_terms("What termination fee applies in Contract Year 2?") == ["termin", "fee", "year", "#2"]  # "contract" names no fact
    assert content_terms("How much can a party recover at most for a breach?") == ["parti", "recov", "cap", "breach"]  # "at most": a cap
    assert strip_naming("What is the cap under the QuickFix agreement?") == "What is the cap ?"
    assert strip_naming("What is QuickFix's cap?") == "What is cap?"


def test_a_lead_in_that_names_the_contract_is_not_part_of_the_question():
    from assistant.answer.questions import without_lead_in

    asked = ('Consider the Hosting Agreement between Alder Networks, Inc. ("Alder") and Birch Retail LLC ("Customer"); '
             "What is the expiration date of this contract?")
    assert without_lead_in(asked) == "What is the expiration date of this contract?"
    assert without_lead_in("Regarding the NDA between Harbourline and Veridian: how long do the obligations survive?") == \
        "how long do the obligations survive?"
    assert without_lead_in("Under the MSA, how long does Veridian have to remedy a breach?") == \
        "Under the MSA, how long does Veridian have to remedy a breach?"


def test_questions_a_contract_s_key_terms_answer():
    from assistant.answer.key_term_answers import key_term_asked

    assert key_term_asked("When was this agreement made?") == "agreement_date"
    assert key_term_asked("On what date was the contract entered into?") == "agreement_date"
    assert key_term_asked("When does this agreement take effect?") == "effective_date"
    assert key_term_asked("What is the expiry date of this contract?") == "expiration_date"
    assert key_term_asked("Between whom is this contract made?") == "parties"
    assert key_term_asked("Who are the parties to this agreement?") == "parties"
    assert key_term_asked("Who must be notified of a data breach?") == ""
    assert key_term_asked("How much notice is needed to terminate for convenience?") == ""
