"""Comparison of the corpus MSA with an edited copy made here: one article moved to the end and renumbered, the
termination-for-convenience clause weakened. The move is seen as a move, the weakening is found and flagged."""

from __future__ import annotations

import json
import re

import pytest

from assistant import Comparison, NotFoundError, Settings, Workspace

from ..paths import CORPUS

MSA = CORPUS / "harbourline_veridian" / "msa.pdf"
NOTICE = "for convenience at any\ntime by giving the Supplier not less than six (6) months' written notice."
WEAKER = "for convenience by written notice to the Supplier."


@pytest.fixture(scope="module")
def compared(tmp_path_factory, cache_dir):
    folder = tmp_path_factory.mktemp("compare")
    ws = Workspace(Settings(data_dir=folder / "data", cache_dir=cache_dir, workspace="compare"))
    ws.ingest([MSA])
    text = ws.document("msa.pdf").text
    article = re.search(r"\n24\. INSURANCE.*?(?=\n25\. )", text, re.S).group(0)
    assert NOTICE in text
    edited = text.replace(article, "").replace(NOTICE, WEAKER) + re.sub(r"(?m)^24\.", "35.", article)
    (folder / "msa_counterparty_draft.txt").write_text(edited, encoding="utf-8")
    ws.ingest([folder / "msa_counterparty_draft.txt"])
    yield ws, ws.compare("msa_counterparty_draft.txt", against="msa.pdf")
    ws.close()


def test_moved_and_renumbered_clauses_are_the_same_clauses(compared):
    _, result = compared
    assert result.left == "msa.pdf" and result.right == "msa_counterparty_draft.txt"
    counts = result.counts()
    assert counts["added"] == 0 and counts["removed"] == 0 and counts["changed"] == 1
    moved = [p for p in result.pairs if p.moved]
    assert {p.left_label.split()[0] for p in moved} == {"24", "24.1", "24.2", "24.3"}
    assert all(p.status == "same" and p.renumbered and p.right_label.startswith("35") for p in moved)
    assert all(p.left.text.split()[1:] == p.right.text.split()[1:] for p in moved)  # same words after the number


def test_the_weakened_clause_is_found_and_flagged(compared):
    ws, result = compared
    [changed] = [p for p in result.pairs if p.status == "changed"]
    assert changed.left_label == changed.right_label == "12.3 Termination for convenience"
    deleted = " ".join(words for op, words in changed.diff if op == "delete")
    inserted = " ".join(words for op, words in changed.diff if op == "insert")
    assert "not less than six (6) months'" in deleted and "to" in inserted.split()
    flag = next(f for f in changed.flags if f.clause_id == "termination_for_convenience")
    assert flag.severity == "high" and flag.weakened and flag.lost == ("Notice period",)
    assert result.flagged()[0] is changed
    draft = ws.document("msa_counterparty_draft.txt").text
    assert draft[changed.right.start:changed.right.end] == changed.right.text  # exact spans into both documents
    assert ws.document("msa.pdf").text[changed.left.start:changed.left.end] == changed.left.text


def test_comparison_round_trips_through_json(compared):
    _, result = compared
    assert Comparison.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_against_the_playbook_standard_language(compared):
    ws, _ = compared
    result = ws.compare("msa.pdf", against="playbook")
    audit = ws.audit(documents=["msa.pdf"])[0]
    by_clause = {p.left_label: p for p in result.pairs}
    assert len(result.pairs) == len(ws.playbook)
    for finding in audit.findings:
        pair = by_clause[finding.name]
        assert pair.status == {"present": "same", "weak": "changed", "missing": "removed"}[finding.status]
        if finding.status == "weak":
            assert pair.flags[0].severity == finding.severity and pair.flags[0].lost and pair.diff
    with pytest.raises(NotFoundError, match="msa.pdf"):
        ws.compare("msa.pdf", against="template.docx")
