"""Three ways a question and a clause can fail to meet, on a small made-up contract through the public API: the question
names a party by its role ("the client", "we") where the clause says "either party" (any party the clause names
answers for the role word, and it is not counted as evidence); and a survival clause that only
lists clause names must not answer questions about those clauses; and an unnumbered inline heading ("Liability Cap.")
names what its clause is about, it does not answer."""

from __future__ import annotations

import pytest

from assistant import Settings, Workspace, load_playbook
from assistant.answer.ranking import ClauseNames, role_terms
from assistant.answer.selection import features

CONTRACT = """SERVICES AGREEMENT

This Services Agreement (the "Agreement") is made on 3 March 2024 between Northwind Traders Inc., a Delaware corporation ("Northwind"), and Bluefin Analytics LLC (the "Client").

1. Services. Northwind shall provide the data analytics services described in Exhibit A to the Client.

2. Fees. The Client shall pay the fees set out in Exhibit A within thirty (30) days of the date of each invoice.

3. Term and Termination.
(a) This Agreement begins on the date above and continues for two (2) years.
(b) Either Party may terminate this Agreement for any reason upon sixty (60) days' written notice to the other Party.
(c) Either Party may terminate this Agreement if the other commits a material breach and fails to cure it within thirty (30) days.
(d) Upon termination of this Agreement the Client shall promptly cease use of the services.

4. Confidentiality. Each Party shall keep the Confidential Information of the other in confidence and use it only to perform this Agreement.

5. Indemnification. Northwind shall defend, indemnify and hold harmless the Client against any third-party claim that the services infringe a patent or copyright.

6. Limitation of Liability.
Exclusions. Neither Party is liable for indirect or consequential loss.
Liability Cap. Neither Party's aggregate liability under this Agreement shall exceed the fees paid in the twelve (12) months before the claim.

7. Applicable Law. This Agreement shall be construed in accordance with the laws of the State of Delaware.

8. Survival. Sections 4 (Confidentiality), 5 (Indemnification), 6 (Limitation of Liability) and 7 (Governing Law) shall survive any termination or expiration of this Agreement.

9. Notices. Notices shall be given in writing to the addresses set out above.
"""


@pytest.fixture(scope="module")
def contract(tmp_path_factory, cache_dir):
    folder = tmp_path_factory.mktemp("roles")
    path = folder / "northwind_services_agreement.txt"
    path.write_text(CONTRACT, encoding="utf-8")
    ws = Workspace(Settings(data_dir=folder / "data", cache_dir=cache_dir, workspace="roles"))
    report = ws.ingest([path])
    assert not report.by_status("failed")
    yield ws, ws.documents()[0].doc_id
    ws.close()


@pytest.mark.parametrize("question", ["Can the client terminate for convenience?", "Can we terminate without cause?",
                                      "May the customer end the agreement for any reason?"])
def test_a_party_named_by_its_role_is_answered_by_a_clause_about_either_party(contract, question):
    ws, doc_id = contract
    answer = ws.answerer.run(question, scope=(doc_id,))
    assert answer.answered, answer.text
    assert answer.key_value == "Yes"
    assert "for any reason upon sixty (60) days" in answer.citations[0].span.text


def test_a_role_word_is_not_looked_for_in_the_clause(contract):
    ranker = contract[0].answerer.extractive.ranker
    assert ranker.question_terms("Can the client terminate for convenience?") == ranker.question_terms("Can it be terminated for convenience?")
    assert "parti" in ranker.question_terms("Can either party terminate for convenience?")
    assert ranker.question_terms("Which customer?") == ["custom"]  # nothing else to look for


def test_a_role_word_prefers_a_clause_about_a_party_but_is_no_evidence_that_it_answers(contract):
    ws, doc_id = contract
    question = "Can we terminate without cause?"
    ranker = ws.answerer.extractive.ranker
    ranked = ranker.rank(question, ws.answerer.passages.run(question, (doc_id,)), "yesno", (doc_id,))
    about_a_party = [c for c in ranked if "Party" in c.text or "Client" in c.text or "Northwind" in c.text]
    assert about_a_party and all(c.party > 0 for c in about_a_party)
    assert all(c.party == 0 for c in ranked if c not in about_a_party)
    assert features(about_a_party[0], "yesno", None)["lexical"] == pytest.approx(max(0.0, min(1.0, about_a_party[0].lexical - about_a_party[0].party)))


@pytest.mark.parametrize(
    ("question", "cited"),
    [("Which law governs this agreement?", "construed in accordance with the laws of the State of Delaware"),
     ("Must a party indemnify the other against third-party claims?", "defend, indemnify and hold harmless"),
     ("What survives termination?", "shall survive any termination")],
)
def test_a_list_of_clause_names_answers_only_what_it_states(contract, question, cited):
    ws, doc_id = contract
    answer = ws.answerer.run(question, scope=(doc_id,))
    assert answer.answered, answer.text
    assert cited in answer.citations[0].span.text


def test_an_unnumbered_inline_heading_is_read_with_its_clause_not_quoted_as_the_answer(contract):
    ws, doc_id = contract
    answer = ws.answerer.run("Is either party's liability capped?", scope=(doc_id,))
    assert answer.answered
    assert "shall exceed the fees paid" in answer.citations[0].span.text  # not the bare "Liability Cap."


def test_role_words_are_the_question_words_that_only_say_which_party():
    assert role_terms("Can the customer terminate for convenience?") == {"custom"}
    assert role_terms("Can we terminate without cause?") == {"we"}
    assert role_terms("May either party assign the agreement?") == set()  # contracts say "party"
    assert role_terms("Can the developer use the developed software?") == set()
    assert role_terms("In what format must structured Customer Data be returned?") == set()  # a defined term, not the party
    assert role_terms("What are the supplier's obligations on termination?") == {"supplier"}
    assert role_terms("What does the agreement say about partial payments?") == set()


def test_a_run_of_clause_names_is_found_and_a_clause_that_states_terms_is_not():
    names = ClauseNames(load_playbook())
    survival = ("Provisions that should reasonably survive termination will survive, including without limitation provisions "
                "relating to confidentiality, proprietary rights, indemnification, limitations of liability and governing law.")
    (run,) = names.runs(survival)
    assert survival[run[0] : run[1]].startswith("confidentiality") and survival[run[0] : run[1]].endswith("governing law")
    assert {"govern", "law", "indemnif"} <= names.listed_words(survival)
    assert "surviv" not in names.listed_words(survival) and "termin" not in names.listed_words(survival)
    assert names.runs("The Client shall pay all fees, charges and expenses upon termination for material breach.") == []
    assert names.runs("This Agreement is governed by the laws of the State of Delaware.") == []
