"""Retrieval on the sample corpus: the right clause for questions kept in eval/corpus_facts."""

from __future__ import annotations

from assistant.retrieval.fusion import reciprocal_rank_fusion
from assistant.retrieval.resolution import split_naming
from eval.retrieval import evaluate, load_facts, rank_of

from ..paths import CORPUS


def test_finds_the_right_clause_for_the_eval_questions(corpus_workspace):
    facts = load_facts()
    assert len(facts) >= 60
    result = evaluate(corpus_workspace, facts, k=5)
    # Regression floor (measured 2026-11-22: hit@1 59.5%, hit@3 78.4%, hit@5 82.4%).
    assert result["hit"][5] >= 0.78, [f.question for f in result["misses"]]
    assert result["hit"][1] >= 0.50


def test_key_clauses_rank_first(corpus_workspace):
    by_question = {f.question: f for f in load_facts()}
    for asked, question in [
        ("Under the MSA, how much notice must Harbourline give to terminate the agreement for convenience?",
         "How much notice must Harbourline give to terminate the agreement for convenience?"),
        ("What is QuickFix's liability cap?", "What is QuickFix's liability cap?"),
    ]:
        fact = by_question[question]
        passages = corpus_workspace.search(asked, k=3)
        assert rank_of(fact, passages) is not None, (question, [p.chunk.section_path for p in passages])


def test_passages_carry_page_section_and_exact_offsets(corpus_workspace):
    passages = corpus_workspace.search("termination for convenience notice period", k=5)
    assert passages
    for p in passages:
        document = corpus_workspace.index.document(p.chunk.doc_id)
        assert document.text[p.chunk.start : p.chunk.end] == p.chunk.text
        assert p.chunk.page_start >= 1 and p.chunk.section_path
    pdf = next(p for p in corpus_workspace.search("Termination for convenience six months notice", k=10, documents=["msa.pdf"]))
    assert pdf.chunk.page_start > 1, "MSA clause 12 is not on page 1"


def test_document_named_in_question_is_searched_first(corpus_workspace):
    result = corpus_workspace.retrieve("In the NimbusGrid Cloud Hosting Services Agreement, which law governs?", k=3)
    names = {d.doc_id: d.file_name for d in corpus_workspace.documents()}
    assert [names[d] for d in result.resolution.doc_ids] == ["standalone/nimbusgrid_cloud_terms.docx"] or \
        [names[d].split("/")[-1] for d in result.resolution.doc_ids] == ["nimbusgrid_cloud_terms.docx"]
    assert all("nimbusgrid" in p.chunk.file_name for p in result.passages)
    assert "State of New York" in " ".join(p.text for p in result.passages)


def test_filter_by_document(corpus_workspace):
    passages = corpus_workspace.search("governing law", k=5, documents=["quickfix_support_agreement.pdf"])
    assert passages and all(p.chunk.file_name.endswith("quickfix_support_agreement.pdf") for p in passages)


def test_split_naming():
    assert split_naming("Consider the Non-Disclosure Agreement between Acme and Beta; what survives?") == (
        "the Non-Disclosure Agreement between Acme and Beta", "what survives?")
    assert split_naming("In the Acme MSA, what is the cap?") == ("Acme MSA", "what is the cap?")
    assert split_naming("In practice, what is a cap?") is None


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion({"a": ["x", "y", "z"], "b": ["y", "x", "w"]})
    assert [i for i, _, _ in fused][:2] in (["x", "y"], ["y", "x"])
    assert fused[-1][0] in ("z", "w") and fused[0][2] in ({"a": 1, "b": 2}, {"a": 2, "b": 1})


def test_the_passages_are_the_fusion_of_the_rankings_the_retriever_reports(corpus_workspace):
    """What eval/fit_retrieval.py refits: ``run`` returns the reciprocal-rank fusion of ``rankings``, searched on the
    question without its template."""
    retriever = corpus_workspace.retriever
    question = "Does the agreement state that the Customer may terminate for convenience?"
    search = retriever.rankings(question, 8)
    assert set(search.rankings) >= {"bm25", "dense"} and search.text == "the Customer may terminate for convenience?"
    fused = [i for i, _, _ in reciprocal_rank_fusion(search.rankings, retriever.weights)]
    assert [p.chunk.id for p in retriever.run(question, k=8).passages] == fused[:8]


def test_a_search_already_run_for_the_caller_is_not_run_again_until_the_documents_change(workspace, monkeypatch):
    """``searches`` (one answer's dict): the same search returns the same passages without scanning the chunks again;
    after an ingest (a new catalog generation) it runs again and sees the new document."""
    workspace.ingest([CORPUS / "standalone" / "nda_harbourline_veridian.txt"])
    index, retriever = workspace.index, workspace.retriever
    calls = []
    original = index.dense_search
    monkeypatch.setattr(index, "dense_search", lambda *a, **kw: calls.append(a[1]) or original(*a, **kw))
    question = "How long do the obligations survive?"
    plain = retriever.run(question, k=4, resolve=False, with_focus=False).passages
    searches: dict = {}
    first = retriever.run(question, k=4, resolve=False, with_focus=False, searches=searches).passages
    wide = retriever.run(question, k=12, resolve=False, with_focus=False, searches=searches).passages
    assert first == plain and wide[:4] == plain
    assert len(calls) == 2 and len(searches) == 1  # the one without the dict, then one for both (same depth: 100)
    workspace.ingest([CORPUS / "standalone" / "quickfix_support_agreement.pdf"])
    after = retriever.run(question, k=50, resolve=False, with_focus=False, searches=searches).passages
    assert len(calls) == 3 and len(searches) == 2
    assert {p.chunk.file_name for p in after} == {"nda_harbourline_veridian.txt", "quickfix_support_agreement.pdf"}
