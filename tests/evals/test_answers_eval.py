"""The answers eval as a regression test: the extractive answerer over the sample corpus, held to
floors a little below what it measures (eval/answer_questions.yaml; see ``python -m eval.answers``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.answers import QUESTIONS, dump, evaluate, file_paths, load_questions, locate

# Measured (2026-12-02, refusals decided by the evidence weights fitted on the CUAD tuning contracts, not on this
# set): key facts 93.5%, citation precision 89.7%, verbatim 100%, refusals 60.0% (9/15), answered 98.1% of
# answerable. Refusals fell from 93.3% when the thresholds fitted on this set were replaced: a known regression
# (the floor records it rather than hides it; see README "How refusals are decided").
FLOORS = {"key_fact_accuracy": 0.92, "citation_precision": 0.87, "refusal_rate": 0.55, "answer_rate": 0.96}


def test_the_question_set_covers_what_the_issue_asks_for(corpus_workspace):
    questions = load_questions(QUESTIONS)
    kinds = Counter((q.kind, q.answerable) for q in questions)
    assert kinds[("single", True)] >= 60
    assert sum(1 for q in questions if not q.answerable) >= 12
    assert kinds[("cross_document", True)] >= 5 and kinds[("follow_up", True)] >= 4
    assert all(q.history for q in questions if q.kind == "follow_up")
    for question in questions:
        if question.answerable:
            assert question.key_fact or question.key_facts or question.key_value, question.question
        for evidence in question.evidence:  # every expected quote is really in the rendered document
            assert locate(evidence.quote, corpus_workspace.document(Path(evidence.document).name).text), evidence


@pytest.fixture(scope="module")
def figures(corpus_workspace) -> dict:
    return evaluate(corpus_workspace, load_questions(QUESTIONS), corpus_workspace.answerer)


def test_extractive_answers_meet_the_floors(figures):
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, f"{name} {figures[name]:.1%} < {floor:.0%}"
    assert figures["verbatim_rate"] == 1.0 and figures["citations"] > 150
    print(f"\nanswer latency after warm-up: p95 {figures['latency_p95_ms']:.0f} ms (measured by python -m eval.answers, not held to a limit here)")


def test_every_kind_of_question_is_answered(figures):
    assert figures["by_kind"]["cross_document"]["key_fact_accuracy"] == 1.0
    assert figures["by_kind"]["follow_up"]["key_fact_accuracy"] >= 0.8
    assert figures["by_kind"]["single"]["key_fact_accuracy"] >= 0.92


def test_the_out_file_records_answers_with_repository_paths_and_spans(figures):
    out = dump(figures, file_paths(QUESTIONS.parent.parent / "corpus"))
    first = out["questions"][0]
    assert first["answered"] and first["key_fact_ok"]
    citation = first["citations"][0]
    assert citation["file_path"] == "corpus/harbourline_veridian/msa.pdf"
    assert citation["span"][1] - citation["span"][0] == len(citation["quote"])
    assert out["summary"]["verbatim_rate"] == 1.0 and "results" not in out["summary"]
