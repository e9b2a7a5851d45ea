"""The outsourcing life-cycle view of the corpus deal and of the deliberately poor QuickFix contract."""

from __future__ import annotations

import json

import pytest

from assistant import LifecycleView, NotFoundError
from assistant.manage.lifecycle import ChecklistError, load_checklist

from .test_deadlines import deal  # noqa: F401  (the corpus ingested with its deal)

ITEMS = ["exit_plan", "termination_assistance", "data_return", "exit_costs", "knowledge_transfer", "staff_and_assets",
         "cooperation", "transition_plan", "sla_smart", "governance"]


def test_the_deal_is_ready_for_exit_and_transition(deal):  # noqa: F811
    view = deal.lifecycle("Harbourline / Veridian")
    assert [i.id for i in view.items] == ITEMS and view.kind == "deal"
    audit = deal.audit(by="deal")
    result = next(r for r in audit if r.subject == "Harbourline / Veridian")
    for item in view.items:
        assert item.status in ("present", "weak") and item.citations
        for span in item.citations:
            assert deal.document(span.file_name).text[span.start:span.end] == span.text
    assistance = view.item("termination_assistance")
    assert assistance.value == "up to twelve (12) months" and assistance.status == "present"
    assert any("Exit Charges" in s.text or "Exit Charge" in s.text for s in view.item("exit_costs").citations)
    assert {s.file_name for i in view.items for s in i.citations} >= {"msa.pdf", "schedule_4_exit_management.docx"}
    # items follow the audit: an item is present exactly when its clause's elements are met
    exit_finding = result.finding("exit_management")
    assert (view.item("knowledge_transfer").status == "present") == ("knowledge_transfer" in exit_finding.met_elements)
    assert LifecycleView.from_dict(json.loads(json.dumps(view.to_dict()))) == view


def test_a_poor_contract_is_not(deal):  # noqa: F811
    view = deal.lifecycle("quickfix_support_agreement.pdf")
    counts = view.counts()
    assert counts["missing"] >= 6 and counts["present"] == 0
    for item in view.items:
        if item.status == "missing":
            assert not item.citations and item.missing
    with pytest.raises(NotFoundError, match="deals: Harbourline / Veridian"):
        deal.lifecycle("Acme deal")


def test_the_checklist_must_fit_the_playbook(deal, tmp_path):  # noqa: F811
    bad = tmp_path / "checklist.yaml"
    bad.write_text("items:\n  - {id: x, name: X, stage: exit, sources: {exit_management: [exit_plann]}}\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="has no element 'exit_plann'"):
        load_checklist(deal.playbook, bad)
