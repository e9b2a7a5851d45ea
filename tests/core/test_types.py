"""Every data type the API returns carries its own to_dict / from_dict, and they round-trip."""

from assistant import (
    Answer,
    AuditResult,
    Chunk,
    Citation,
    ClauseFinding,
    DocumentInfo,
    Evidence,
    FileResult,
    Focus,
    KeyTerm,
    Passage,
    RetrievalResult,
    Span,
    TableRow,
)
from assistant.retrieval.resolution import Resolution

SPAN = Span("d1", "msa.pdf", 100, 120, "six (6) months' notice", 9, 10, "12 TERMINATION > 12.3")
CHUNK = Chunk("d1-00003", "d1", "msa.pdf", 3, 90, 130, 9, 10, "12 TERMINATION > 12.3", "12.3", "x" * 40, "MSA | 12.3\n" + "x" * 40)


def test_span_basics():
    assert SPAN.pages_label == "9-10" and SPAN.section == "12.3" and Span("d", "f", 0, 1, "x").section == "preamble"
    assert SPAN.overlaps(Span("d1", "msa.pdf", 110, 200, "y")) and not SPAN.overlaps(Span("d2", "msa.pdf", 110, 200, "y"))
    assert Span("d", "f", 0, 1, "x", page=3).page_end == 3  # a span on one page
    assert CHUNK.span == Span("d1", "msa.pdf", 90, 130, "x" * 40, 9, 10, "12 TERMINATION > 12.3")


def test_round_trips():
    evidence = Evidence(SPAN, 0.8, True, ("signal",), 0.6)
    finding = ClauseFinding("exit_management", "Exit", "Exit", "high", "weak", 0.7, ("exit_plan",), ("exit_period",), (evidence,),
                            "Fallback.", "Why.", (("exit_period", evidence),))
    values = [
        SPAN, CHUNK, Passage(CHUNK, 0.5, {"bm25": 1}), Citation(2, SPAN), TableRow("msa.pdf", "150%", "found", 2),
        Answer("q", "text [2]", (Citation(2, SPAN),), True, "v", (TableRow("msa.pdf", "v", "found", 2),), "extractive",
               (Passage(CHUNK, 0.5),), 0.12, "standalone q", ("Document", "Cap")),
        evidence, finding, KeyTerm("liability_cap", "Liability cap", "150%", SPAN), KeyTerm("renewal", "Renewal", ""),
        AuditResult("msa.pdf", "document", ("d1",), ("msa.pdf",), (finding,), (KeyTerm("renewal", "Renewal", ""),), "", 0.25),
        FileResult("msa.pdf", "added", "d1", 5, 5, 3, 900), DocumentInfo("d1", "msa.pdf", "pdf", "MSA", 3, 5, 900, "deal", 1.5),
        Focus(SPAN, 0.9, 1), Resolution(("d1",), "q", "the MSA", (1.0,), ()),
        RetrievalResult([Passage(CHUNK, 0.5, {"dense": 2})], Resolution((), "q", ""), (), Focus(SPAN, 0.9, 0)),
    ]
    for value in values:
        assert type(value).from_dict(value.to_dict()) == value, type(value).__name__


def test_an_older_trail_citation_is_still_read():
    old = {"number": 1, "doc_id": "d1", "document": "msa.pdf", "page": 9, "section": "12", "start": 100, "end": 120, "quote": "six"}
    assert Citation.from_dict(old) == Citation(1, Span("d1", "msa.pdf", 100, 120, "six", 9, 9, "12"))
