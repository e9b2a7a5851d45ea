"""Questions answered from a contract's key terms (assistant.answer.key_term_answers): a cap question of a contract
whose limitation of liability sets no amount but excludes kinds of damages. Contracts written for the project."""

import pytest

from assistant.answer.key_term_answers import asks_for_cap

EXCLUSION_ONLY = """DISTRIBUTION AGREEMENT

This Distribution Agreement is made on 3 March 2021 between Larkspur Devices Inc. ("Supplier") and Fenwick Retail LLC ("Distributor").

1. Appointment. Supplier appoints Distributor as its non-exclusive distributor of the Products in Ohio.

2. Orders. Distributor shall order Products by written purchase order, and Supplier shall ship them within ten (10) days.

3. Limitation of Liability. IN NO EVENT SHALL EITHER PARTY BE LIABLE TO THE OTHER FOR ANY SPECIAL, INDIRECT, INCIDENTAL OR CONSEQUENTIAL DAMAGES ARISING OUT OF THIS AGREEMENT.

4. Governing Law. This Agreement is governed by the laws of the State of Ohio.
"""

NO_LIMITATION = """SUPPLY AGREEMENT

This Supply Agreement is made on 9 June 2022 between Larkspur Devices Inc. ("Supplier") and Alder Foods LLC ("Buyer").

1. Supply. Supplier shall supply the Products that Buyer orders by written purchase order.

2. Delivery. Supplier shall deliver the Products within fourteen (14) days of each order.

3. Governing Law. This Agreement is governed by the laws of the State of Texas.
"""


@pytest.mark.parametrize(
    ("question", "asks"),
    [("What is the cap on liability?", True), ("How much can a party recover at most for a breach?", True),
     ("What is the maximum aggregate liability under the agreement?", True),
     ("What claims are not subject to the liability cap?", False),  # what the cap leaves out, not how much
     ("Which liabilities are excluded from the limitation of liability?", False), ("What is the fee cap?", True)],
)
def test_asks_for_cap(question, asks):
    assert asks_for_cap(question) is asks


def ingest(workspace, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert not workspace.ingest([path]).by_status("failed")
    return next(d.doc_id for d in workspace.documents() if d.file_name == name)


def test_a_cap_question_is_answered_no_amount_when_the_clause_only_excludes_damages(workspace, tmp_path):
    doc = ingest(workspace, tmp_path, "larkspur_distribution.txt", EXCLUSION_ONLY)
    answer = workspace.answerer.run("What is the cap on liability?", scope=(doc,))
    assert answer.answered
    assert answer.key_value.startswith("No amount cap (excludes special, indirect, incidental, consequential")
    assert answer.citations[0].span.text.startswith("IN NO EVENT SHALL EITHER PARTY BE LIABLE TO THE OTHER")


def test_a_cap_question_of_a_contract_without_such_a_sentence_is_still_refused(workspace, tmp_path):
    doc = ingest(workspace, tmp_path, "larkspur_supply.txt", NO_LIMITATION)
    answer = workspace.answerer.run("What is the cap on liability?", scope=(doc,))
    assert not answer.answered and "No amount cap" not in answer.text
