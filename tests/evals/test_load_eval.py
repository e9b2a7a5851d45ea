"""The load run over HTTP, small: the real app server (``contract-assistant serve``) started here, two users' browsers
signed in at once with their own cookies and sessions, each asking through the Chat tab's event and auditing
through the Audit tab's; with two app servers on one ``chroma run`` server, a contract added through one is
answered through the other."""

from __future__ import annotations

import pytest

from eval.chroma_server import chroma_cli
from eval.load import Plan, answer_problem, run

CONTRACTS = {
    "alder_hosting_msa.txt": """MASTER SERVICES AGREEMENT
This Agreement is made between Alder Systems Inc. (the Supplier) and Birch Retail LLC (the Customer).
1. SERVICES
1.1 The Supplier shall host and operate the Customer's order platform.
2. TERM AND TERMINATION
2.1 This Agreement lasts three (3) years from the Effective Date.
2.2 The Customer may terminate this Agreement for convenience on ninety (90) days' written notice.
3. LIABILITY
3.1 Each party's total liability under this Agreement shall not exceed the charges paid in the preceding twelve months.
4. GOVERNING LAW
4.1 This Agreement is governed by the laws of the State of Delaware.
""",
    "cedar_support_agreement.txt": """SUPPORT AGREEMENT
This Agreement is made between Cedar Software Ltd. (the Supplier) and Dune Logistics plc (the Customer).
1. SUPPORT
1.1 The Supplier shall answer support requests within four (4) business hours.
2. CHARGES
2.1 The Customer shall pay the charges within thirty (30) days of each invoice.
3. CONFIDENTIALITY
3.1 Each party shall keep the other party's confidential information secret.
4. GOVERNING LAW
4.1 This Agreement is governed by the laws of England and Wales.
""",
}
EXTRA = """DATA PROCESSING AGREEMENT
This Agreement is made between Elm Analytics GmbH (the Processor) and Fir Insurance AG (the Controller).
1. PROCESSING
1.1 The Processor shall process personal data only on the Controller's documented instructions.
2. GOVERNING LAW
2.1 This Agreement is governed by the laws of Switzerland.
"""


@pytest.fixture
def contracts(tmp_path):
    folder = tmp_path / "contracts"
    folder.mkdir()
    paths = []
    for name, text in CONTRACTS.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    extra = folder / "elm_data_processing.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    return paths, extra


def _seeded(tmp_path, cache_dir) -> Plan:
    """A plan whose workspaces share the session's embedding cache (as ``--seed-cache`` would)."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "cache").symlink_to(cache_dir, target_is_directory=True)
    return Plan(work, users=2, questions=2)


def test_two_browsers_ask_and_audit_over_http_without_errors(tmp_path, cache_dir, contracts):
    paths, extra = contracts
    results = run(_seeded(tmp_path, cache_dir), ["embedded"], paths, extra, transport="http")
    figures = results["embedded"]
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["users"] == 2 and figures["answers"] == 4 and figures["servers"] == 1
    assert figures["answer_p95_ms"] >= figures["answer_p50_ms"] > 0
    assert figures["audit_max_s"] >= figures["audit_median_s"] > 0
    assert "answer_queue_p95_ms" in figures and "audit_queue_max_s" in figures  # the queue's wait is seen apart


@pytest.mark.skipif(chroma_cli() is None, reason="the chroma CLI is not installed")
def test_a_contract_added_through_one_app_server_is_answered_through_the_other(tmp_path, cache_dir, contracts):
    paths, extra = contracts
    figures = run(_seeded(tmp_path, cache_dir), ["two-servers"], paths, extra, transport="http")["two-servers"]
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["servers"] == 2 and figures["users"] == 2
    assert figures["ingested_on_a_answered_on_b"] == "yes"


def test_an_answer_is_judged_as_the_user_sees_it():
    question = "Which law governs the agreement?"
    good = {"answer": {"text": "Delaware [1]", "citations": [{"doc_id": "d1", "file_name": "a.txt"}]}, "error": ""}
    assert answer_problem(good, question, ["d1"]) == "" and answer_problem(good, question, []) == ""
    assert "cited ['d1']" in answer_problem(good, question, ["d2"])  # a citation outside the picked contract
    assert "empty answer" in answer_problem({"answer": {"text": " ", "citations": []}, "error": ""}, question, [])
    assert "error shown" in answer_problem({"answer": None, "error": "Could not answer: store down"}, question, [])
    assert "no answer kept" in answer_problem(None, question, [])
