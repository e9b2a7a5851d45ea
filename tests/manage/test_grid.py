"""The review grid over the sample corpus: cells match the corpus facts, every citation is an exact span of the
row's own document, and questions come from a YAML file, a list or the playbook."""

from __future__ import annotations

import json

import pytest

from assistant import NOT_FOUND, Grid, GridQuestionsError, PlaybookError

QUESTIONS = ["What is the liability cap?", "How much notice is needed to terminate for convenience?",
             "Which law governs the agreement?", {"id": "exit", "clause": "exit_management"}]
EXPECTED = {  # (row, column) -> words the short answer contains (from eval/corpus_facts)
    ("msa.pdf", 0): "150%", ("nimbusgrid_cloud_terms.docx", 0): "TWELVE (12) MONTHS", ("quickfix_support_agreement.pdf", 0): "one (1) month",
    ("msa.pdf", 1): "six (6) months", ("nimbusgrid_cloud_terms.docx", 1): "sixty (60) days", ("quickfix_support_agreement.pdf", 1): "thirty (30) days",
    ("msa.pdf", 2): "England and Wales", ("nimbusgrid_cloud_terms.docx", 2): "State of New York", ("nda_harbourline_veridian.txt", 2): "England and Wales",
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def grid(corpus_workspace):
    progress: list[tuple[int, int]] = []
    result = corpus_workspace.grid(QUESTIONS, progress=lambda done, total, label: progress.append((done, total)))
    return result, progress


def test_cells_match_the_corpus_facts_with_verified_citations(grid, corpus_workspace):
    result, progress = grid
    assert [r.subject for r in result.rows] == [d.file_name for d in corpus_workspace.documents()]
    ids = [q.id for q in result.questions]
    assert ids[3] == "exit" and ids[0] == "what_is_the_liability_cap"
    for (subject, column), words in EXPECTED.items():
        cell = result.cell(subject, ids[column])
        assert cell.found and words in cell.answer, (subject, ids[column], cell.answer)
        span = cell.citation
        assert span.file_name == subject and corpus_workspace.document(subject).text[span.start:span.end] == span.text
        assert flat(words) in flat(span.text) or column == 0  # a cap's sentence can state it in words
    assert result.cell("nda_harbourline_veridian.txt", ids[0]).answer == NOT_FOUND  # an NDA has no liability cap
    assert result.cell("nda_harbourline_veridian.txt", ids[0]).citation is None
    assert progress[-1] == (len(result.rows) * 4, len(result.rows) * 4) and len(progress) == len(result.rows) * 4


def test_clause_columns_are_answered_by_the_audit(grid, corpus_workspace):
    result, _ = grid
    for row in result.rows:
        finding = corpus_workspace.audit(documents=[row.subject])[0].finding("exit_management")
        cell = result.cell(row.subject, "exit")
        assert cell.found == (finding.status != "missing")
        if finding.status == "present":
            assert cell.answer == "present" and cell.citation == finding.evidence[0].span
        elif finding.status == "weak":
            assert cell.answer.startswith("weak: no ")


def test_grid_round_trips_through_json(grid):
    result, _ = grid
    assert Grid.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_questions_from_yaml_the_playbook_and_bad_input(corpus_workspace, tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text("questions:\n  - text: Which law governs the agreement?\n    id: law\n  - clause: termination_assistance\n", encoding="utf-8")
    result = corpus_workspace.grid(path, by="document", documents=["msa.pdf"])
    assert [q.id for q in result.questions] == ["law", "termination_assistance"]
    assert "England and Wales" in result.cell("msa.pdf", "law").answer
    columns = corpus_workspace.grid(documents=["nda_harbourline_veridian.txt"]).questions
    assert [q.clause_id for q in columns] == list(corpus_workspace.playbook.ids)
    path.write_text("questions:\n  - {id: x}\n", encoding="utf-8")
    with pytest.raises(GridQuestionsError, match="entry 1 needs 'text'"):
        corpus_workspace.grid(path)
    with pytest.raises(GridQuestionsError, match="not found"):
        corpus_workspace.grid(tmp_path / "missing.yaml")
    with pytest.raises(PlaybookError, match="valid ids"):
        corpus_workspace.grid([{"clause": "exit_plan"}])
    with pytest.raises(ValueError, match="valid: document, deal"):
        corpus_workspace.grid(["Which law?"], by="matter")
