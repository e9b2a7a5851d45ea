"""The focus: the sentences of the top passages that best answer the question, as exact document spans."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.sentence_scoring import phrase_coverage, term_coverage, widen
from assistant.text.headings import is_heading_line as is_heading
from assistant.text.sentences import join_wrapped_lines, sentence_spans
from assistant.text.tokenization import stems


def test_wrapped_lines_are_joined_into_sentences():
    text = "12.1 The Supplier shall keep complete records\nfor six years after expiry.\nThe Customer may audit them.\n\nSCHEDULE 2\nService levels"
    units = [text[a:b] for a, b in join_wrapped_lines(text, sentence_spans(text))]
    assert units[0] == "12.1 The Supplier shall keep complete records\nfor six years after expiry."
    assert units[1] == "The Customer may audit them."
    assert units[2] == "SCHEDULE 2\nService levels"  # a blank line ends a unit even without a full stop


def test_a_bare_number_joins_its_heading_and_headings_are_never_the_answer():
    text = "12. GOVERNING LAW\n\n12.1 This Agreement is governed by English law.\n\n13. NOTICES\n\nNotices must be in writing."
    units = [text[a:b] for a, b in join_wrapped_lines(text, sentence_spans(text))]
    assert units == ["12. GOVERNING LAW", "12.1 This Agreement is governed by English law.", "13. NOTICES", "Notices must be in writing."]
    assert [is_heading(u) for u in units] == [True, False, True, False]


def test_widen_takes_equally_good_neighbours_only():
    scores = np.array([0.1, 0.9, 0.8, 0.3, 0.85])
    assert widen(scores, 1, 0.8) == (1, 2)
    assert widen(scores, 1, 1.0) == (1, 1)
    assert widen(np.array([0.5]), 0, 0.8) == (0, 0)


def test_rare_question_words_weigh_most():
    idf = {"indemnifi": 3.0, "supplier": 0.2, "shall": 0.1}.get
    sentences = ["The Supplier shall indemnify the Customer.", "The Supplier shall attend meetings."]
    coverage = term_coverage(sentences, {"indemnifi", "supplier"}, lambda t: idf(t, 0.0))
    assert coverage[0] > 0.9 and coverage[1] < 0.1


def test_word_pairs_in_the_question_s_order_tell_the_term_clause_from_boilerplate():
    """Both sentences hold "term" and "agreement"; only the term clause holds them as the question's pair."""
    question = stems("What is the term of the agreement?")
    sentences = ["The term of this Agreement is three (3) years from the Effective Date.",
                 "If any term or provision of this Agreement is held invalid, the rest remains in force."]
    idf = lambda token: 1.0  # noqa: E731
    words = term_coverage(sentences, set(question), idf)
    assert words[0] == words[1] > 0.5
    assert list(phrase_coverage(sentences, question, idf)) == [0.5, 0.0]  # "term agreement" of ("what term", "term agreement")
    assert list(phrase_coverage(sentences, stems("governing law"), idf)) == [0.0, 0.0]
    assert list(phrase_coverage(sentences, stems("term"), idf)) == [0.0, 0.0]  # one word: no pair


def test_focus_is_the_answering_sentence_with_exact_offsets(corpus_workspace):
    result = corpus_workspace.retrieve("For how long do the NDA's obligations survive after it ends?", k=5)
    focus = result.focus
    span = focus.span
    assert focus is not None and span.file_name.endswith("nda_harbourline_veridian.txt")
    assert "three (3) years" in span.text
    document = corpus_workspace.document(span.doc_id)
    assert document.text[span.start : span.end] == span.text
    source = result.passages[focus.rank].chunk
    assert source.start <= span.start < span.end <= source.end and source.doc_id == span.doc_id
    assert len(span.text) < len(source.text)
    # what a benchmark scores: the focus first, then the passages
    assert result.spans()[0] == (span.file_name, span.start, span.end)
    assert result.spans()[1:] == [(p.chunk.file_name, p.chunk.start, p.chunk.end) for p in result.passages]
    assert [row[3] for row in result.spans(with_scores=True)] == [focus.score] + [p.score for p in result.passages]


def test_focus_can_come_from_a_lower_ranked_passage(corpus_workspace):
    """The selector reads several passages: over the corpus questions it sometimes prefers rank 2+."""
    from eval.retrieval import load_facts

    ranks = [corpus_workspace.retrieve(f.question, k=5).focus.rank for f in load_facts()[:30]]
    assert 0 in ranks and any(r > 0 for r in ranks)


def test_search_without_focus(corpus_workspace):
    assert corpus_workspace.retrieve("governing law", k=3, with_focus=False).focus is None


def test_focus_sentence_vectors_are_the_model_s_and_embedded_once(corpus_workspace, monkeypatch):
    """The focus embeds its shortlist through the content-hash cache: the same question again runs no model, and a
    cached vector is exactly the model's (so the focus is the same whether its sentences were cached or not)."""
    retriever = corpus_workspace.retriever
    model = corpus_workspace.index.embedder.embedder
    question = "Within how many days must the receiving party return confidential information after a request?"
    first = corpus_workspace.retrieve(question, k=5)
    runs = []
    original = model.embed
    monkeypatch.setattr(model, "embed", lambda texts, *a, **kw: runs.append(list(texts)) or original(texts, *a, **kw))
    again = corpus_workspace.retrieve(question, k=5)
    assert runs == []
    assert again.focus == first.focus and again.focus is not None
    texts = [f"Clause {n}: the Supplier shall keep records for {n} years after expiry." for n in (3, 7, 11)]
    fresh = original(texts)
    assert np.array_equal(retriever.selector.embed(texts), fresh) and [sorted(r) for r in runs] == [sorted(texts)]  # computed
    assert np.array_equal(retriever.selector.embed(texts[::-1]), fresh[::-1]) and len(runs) == 1  # from the cache
