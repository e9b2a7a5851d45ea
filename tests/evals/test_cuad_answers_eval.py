"""The real-contract answer eval (eval.cuad_answers) on a small CUAD-layout folder written here: its figures per
part and its JSON of every question, answer, key value and citation."""

from __future__ import annotations

import json

import yaml

from eval.cuad_answers import load_topics, main, summarise
from eval.splits import part_of

HOSTING = """WEB HOSTING AGREEMENT
This Web Hosting Agreement is entered into as of March 1, 2003 by and between Alder Networks, Inc., a Delaware corporation ("Alder"), and Birch Retail LLC ("Customer").
1. SERVICES
1.1 Alder shall host the Customer's web site on servers in its data centre.
7. TERM
7.1 This Agreement shall continue for an initial term of two (2) years.
7.2 Thereafter it renews automatically for successive one (1) year periods unless either party gives notice of non-renewal at least ninety (90) days before the end of the then-current term.
12. GOVERNING LAW
12.1 This Agreement shall be governed by the laws and judicial decisions of the State of Florida.
"""

SUPPLY = """SUPPLY AGREEMENT
This Supply Agreement is made between Cedar Foods Corp. and Dune Packaging Ltd.
1. SUPPLY
1.1 Dune shall supply the packaging described in Exhibit A at the prices in Exhibit B.
3. TERM
3.1 This Agreement has a fixed term of three (3) years and then expires.
4. GOVERNING LAW
4.1 This Agreement is governed by the laws of the State of New York.
"""

QUESTIONS = [
    {"id": "governing_law", "category": "Governing Law", "compare": "law",
     "questions": ["Which law governs this agreement?", "Under the laws of which state is the contract construed?"]},
    {"id": "notice_to_prevent_renewal", "category": "Notice Period to Terminate Renewal", "compare": "period",
     "questions": ["How much notice must be given to stop the agreement from renewing?"]},
    {"id": "source_code_escrow", "category": "Source Code Escrow", "compare": "none",
     "questions": ["Must the source code be deposited with an escrow agent?"]},
]


def _span(text: str, sentence: str) -> dict:
    start = text.index(sentence)
    return {"text": sentence, "start": start, "end": start + len(sentence)}


def _write(root) -> None:
    """hosting.txt is in the tuning part, supply.txt in the checking part (eval.splits)."""
    docs = root / "corpus" / "cuad"
    docs.mkdir(parents=True)
    (root / "cuad").mkdir()
    (root / "legalbenchrag").mkdir()
    (docs / "hosting.txt").write_text(HOSTING, encoding="utf-8")
    (docs / "supply.txt").write_text(SUPPLY, encoding="utf-8")
    notice = "unless either party gives notice of non-renewal at least ninety (90) days before the end of the then-current term"
    labelled = {
        ("hosting.txt", "Governing Law"): ("Florida", [_span(HOSTING, "governed by the laws and judicial decisions of the State of Florida")]),
        ("hosting.txt", "Notice Period to Terminate Renewal"): ("90 days", [_span(HOSTING, notice)]),
        ("supply.txt", "Governing Law"): ("New York", [_span(SUPPLY, "This Agreement is governed by the laws of the State of New York.")]),
    }
    rows = []
    for contract in ("hosting.txt", "supply.txt"):
        for category in ("Governing Law", "Notice Period to Terminate Renewal", "Source Code Escrow"):
            answer, spans = labelled.get((contract, category), ("", []))
            rows.append({"contract": contract, "category": category, "present": bool(spans), "answer": answer, "spans": spans})
    (root / "cuad" / "labels.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (root / "questions.yaml").write_text(yaml.safe_dump(QUESTIONS), encoding="utf-8")
    gold = HOSTING.index(notice)
    lbr = {"tests": [{"query": "Consider the Web Hosting Agreement; what notice period applies to non-renewal?",
                      "snippets": [{"file_path": "cuad/hosting.txt", "span": [gold, gold + len(notice)], "answer": notice}]}]}
    (root / "legalbenchrag" / "cuad.json").write_text(json.dumps(lbr), encoding="utf-8")


def test_the_eval_reports_each_part_and_writes_every_answer(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    assert (part_of("hosting.txt"), part_of("supply.txt")) == ("tune", "check")
    data = tmp_path / "data"
    _write(data)
    common = ["--data", str(data), "--docs", str(data / "corpus" / "cuad"), "--questions", str(data / "questions.yaml"),
              "--work", str(tmp_path / "work"), "--phrasings", "all"]
    assert main([*common, "--part", "all", "--out", str(tmp_path / "all.json")]) == 0
    printed = capsys.readouterr().out
    assert "== part tune: 1 contracts, 4 questions" in printed and "== part check: 1 contracts, 4 questions" in printed
    assert "latency warm p50" in printed and "LegalBench-RAG cuad queries (tune): 1 asked" in printed
    report = json.loads((tmp_path / "all.json").read_text())
    rows = {(r["contract"], r["question"]): r for r in report["questions"]}
    assert len(rows) == 8
    law = rows[("cuad/hosting.txt", "Which law governs this agreement?")]
    assert law["answered"] and law["key_ok"] and law["hit"] and "Florida" in law["key_value"]
    for citation in law["citations"]:  # offsets into the file as it is on disk, the quote verbatim
        start, end = citation["span"]
        assert citation["file_path"] == "cuad/hosting.txt" and HOSTING[start:end] == citation["quote"]
    notice = rows[("cuad/hosting.txt", "How much notice must be given to stop the agreement from renewing?")]
    assert notice["key_ok"] and notice["hit"], notice
    assert rows[("cuad/supply.txt", "Which law governs this agreement?")]["key_ok"]
    escrow = rows[("cuad/supply.txt", "Must the source code be deposited with an escrow agent?")]
    assert not escrow["present"] and escrow["refused"]  # the contract has no escrow clause: refused (or "No")
    summary = report["summary"]
    assert summary["tune"]["overall"]["verbatim"] == 1.0 and summary["tune"]["legalbench_rag"]["citation_hit"] == 1.0
    assert summary["check"]["per_topic"]["governing_law"]["key_fact"] == 1.0
    assert main([*common, "--part", "check", "--no-lbr", "--out", str(tmp_path / "check.json")]) == 0
    check = json.loads((tmp_path / "check.json").read_text())
    assert {r["contract"] for r in check["questions"]} == {"cuad/supply.txt"} and list(check["summary"]) == ["check"]


def test_the_question_set_covers_the_issue_topics_in_several_phrasings():
    topics = load_topics()
    assert len(topics) >= 22 and all(len(t.questions) >= 3 for t in topics)
    wanted = {"Governing Law", "Agreement Date", "Effective Date", "Expiration Date", "Renewal Term", "Notice Period to Terminate Renewal",
              "Termination for Convenience", "Cap on Liability", "Uncapped Liability", "Change of Control", "Anti-Assignment",
              "Audit Rights", "Insurance", "Warranty Duration", "No-Solicit of Employees", "IP Ownership Assignment", "License Grant",
              "Post-Termination Services", "Source Code Escrow", "Minimum Commitment", "Exclusivity"}
    assert wanted <= {t.category for t in topics}
    for topic in topics:  # a lawyer's words, not the category's name
        assert any(q.rstrip("?").lower() != topic.category.lower() for q in topic.questions)


def test_the_figures_count_refusals_apart_from_wrong_answers():
    rows = [{"present": True, "refused": False, "hit": True, "key_ok": True, "verbatim": [True]},
            {"present": True, "refused": True, "hit": None, "key_ok": False, "verbatim": []},
            {"present": False, "refused": True, "verbatim": []}, {"present": False, "refused": False, "verbatim": [True]}]
    s = summarise(rows)
    assert (s["key_fact"], s["citation_hit"], s["false_refusals"], s["correct_refusals"], s["verbatim"]) == (0.5, 1.0, 0.5, 0.5, 1.0)


def test_a_phrasing_answered_no_when_the_clause_is_there_names_the_answer_that_counts_as_its_refusal(tmp_path):
    from types import SimpleNamespace

    from eval.cuad_answers import refused

    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump([{"id": "anti_assignment", "category": "Anti-Assignment", "compare": "none", "questions": [
        {"question": "Can the Supplier assign the contract without consent?", "absent": "Yes"}, "Is consent needed to assign the contract?"]}]))
    topic = load_topics(path)[0]
    assert topic.questions == ("Can the Supplier assign the contract without consent?", "Is consent needed to assign the contract?")
    without, needed = (topic.absent_answer(q) for q in topic.questions)
    assert (without, needed) == ("Yes", "No")
    no, yes, none = (SimpleNamespace(answered=a, key_value=v) for a, v in ((True, "No"), (True, "Yes"), (False, "")))
    assert not refused(no, without) and refused(yes, without) and refused(none, without)  # "No": the clause restricts assignment
    assert refused(no, needed) and not refused(yes, needed)
