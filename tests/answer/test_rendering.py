"""An answer as Markdown and HTML, in one place: pure functions over the answer types."""

from assistant import REFUSAL_TEXT, Answer, Citation, Span, TableRow, answer_html
from assistant.answer.rendering import (
    compose,
    drop_citations,
    markdown_table,
    quote_block,
)

CITE = Citation(1, Span("d", "msa.pdf", 10, 60, "The Customer may terminate on six (6) months'\nnotice.", 9, 9, "12 TERMINATION > 12.3 Convenience"))


def test_compose_states_the_value_then_quotes_with_where():
    text = compose("not less than six (6) months", [CITE])
    assert text.startswith("**Not less than six (6) months**\n\n> \"The Customer may terminate on six (6) months' notice.\" [1]")
    assert text.endswith("> — *msa.pdf, p. 9, 12.3 Convenience*")
    assert compose("", [CITE]).startswith("The documents say:")


def test_dropping_a_citation_takes_its_block_and_markers_and_a_lone_one_makes_a_refusal():
    two = Citation(2, Span("d", "msa.pdf", 70, 80, "Other text", 9, 9, ""))
    answer = Answer("q", compose("x", [CITE, two]) + " See [2].", (CITE, two), True, "x", (TableRow("msa.pdf", "x", "found", 2),))
    kept = drop_citations(answer, {2})
    assert "[2]" not in kept.text and "Other text" not in kept.text and quote_block(CITE) in kept.text
    assert kept.citations == (CITE,) and kept.table[0].citation is None
    refused = drop_citations(Answer("q", compose("x", [CITE]), (CITE,), True, "x"), {1})
    assert refused.text == REFUSAL_TEXT and not refused.answered


def test_html_shows_a_table_once_links_citations_and_lists_sources():
    rows = (TableRow("msa.pdf", "150%", "found", 1), TableRow("nda.txt", "not stated", "not stated"))
    text = "**Liability cap across 2 documents**\n\n" + markdown_table(rows, ("Document", "Liability cap")) + "\n\n" + quote_block(CITE)
    html = answer_html(Answer("Compare the caps", text, (CITE,), True, "", rows), key=lambda c: f"k{c.number}")
    assert html.count("<table") == 1 and "None" not in html
    assert "data-passage='k1'" in html and "<div class='sources'>" in html and "p. 9" in html


def test_html_escapes_the_document_text():
    evil = Citation(1, Span("d", "x.txt", 0, 20, "<script>alert(1)</script>", 1, 1, ""))
    html = answer_html(Answer("q", compose("", [evil]), (evil,), True), key=lambda c: "k")
    assert "<script>" not in html and "&lt;script&gt;" in html
