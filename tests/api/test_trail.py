"""The audit trail: one JSON line per question, surviving restarts, exported as JSON lines or CSV."""

from __future__ import annotations

import csv
import json
import threading
from datetime import datetime

import pytest

from assistant import Answer, Citation, Span, Workspace
from assistant.api.trail import export_trail, read_trail, record, trail_path

CONTRACT = """SERVICES AGREEMENT

4. TERMINATION
4.1 The Customer may terminate this Agreement for convenience on ninety (90) days' written notice.
4.2 Either party may terminate with immediate effect if the other party becomes insolvent.
"""


@pytest.fixture
def contract(workspace, tmp_path):
    path = tmp_path / "globex_services_agreement.txt"
    path.write_text(CONTRACT, encoding="utf-8")
    workspace.ingest([path])
    return workspace


def test_every_ask_is_recorded_and_survives_a_restart(contract, settings):
    first = contract.ask("How much notice is needed to terminate for convenience?", user="alice")
    second = contract.ask("and on insolvency?", history=[("How much notice is needed to terminate for convenience?", first.text)], user="bob")
    contract.close()

    reopened = Workspace(settings)  # a new process would see the same folder
    try:
        records = read_trail(reopened.settings)
    finally:
        reopened.close()
    assert [r["user"] for r in records] == ["alice", "bob"]
    one, two = records
    assert one["workspace"] == settings.workspace == "test"
    assert one["question"] == "How much notice is needed to terminate for convenience?" and one["rewritten_question"] == ""
    assert one["answered"] is True and one["key_value"] == first.key_value == "ninety (90) days' written notice"
    assert one["answer"] == first.text and one["answerer"] == "extractive" and one["model"] == ""
    assert datetime.fromisoformat(one["time"].replace("Z", "+00:00")).tzinfo is not None and one["time"].endswith("Z")
    (citation,) = one["citations"]
    assert citation["file_name"] == "globex_services_agreement.txt" and citation["number"] == 1 and citation["page"] == 1
    assert CONTRACT.replace("\r", "")[citation["start"] : citation["end"]] == citation["text"]
    assert "ninety (90) days' written notice" in citation["text"] and citation["section_path"] == first.citations[0].span.section_path
    assert Citation.from_dict(citation) == first.citations[0]  # the trail keeps the citation exactly
    assert two["question"] == "and on insolvency?" and two["rewritten_question"] == second.rewritten_question != ""
    lines = trail_path(settings).read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if "\"event\"" not in line]) == 2 and json.loads(lines[0])["event"] == "ingest"


def test_export_as_csv_and_json_lines(contract, settings, tmp_path):
    contract.ask("How much notice is needed to terminate for convenience?", user="alice")
    contract.ask("=HYPERLINK(\"http://evil\") what is the fee?", user="mallory")

    lines = export_trail(settings, tmp_path / "out" / "trail.jsonl")
    assert [json.loads(line)["user"] for line in lines.read_text(encoding="utf-8").splitlines()] == ["alice", "mallory"]

    exported = export_trail(settings, tmp_path / "trail.csv", fmt="csv")
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["user"] for r in rows] == ["alice", "mallory"]
    assert rows[0]["key_value"] == "ninety (90) days' written notice" and rows[0]["answered"] == "True"
    assert rows[0]["citations"].startswith("[1] globex_services_agreement.txt p.1 ") and "ninety (90) days' written notice" in rows[0]["citations"]
    assert rows[1]["question"].startswith("'=HYPERLINK")  # shown as text by spreadsheets, never run as a formula

    with pytest.raises(ValueError, match="unknown trail export format 'xml'; valid: jsonl, csv"):
        export_trail(settings, tmp_path / "trail.xml", fmt="xml")


def test_concurrent_appends_never_interleave(settings):
    citation = Citation(1, Span("d" * 32, "a.pdf", 10, 20, "0123456789", 2, 2, "1 TERMS"))
    answers = [Answer(f"question {i} " + "x" * 2000, "text " * 500, (citation,), True, "six months") for i in range(40)]
    threads = [threading.Thread(target=record, args=(settings, a, f"user{i}")) for i, a in enumerate(answers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = read_trail(settings)
    assert sorted(r["user"] for r in records) == sorted(f"user{i}" for i in range(40))
    assert all(r["citations"][0]["text"] == "0123456789" for r in records)


def test_an_empty_trail_and_a_line_cut_short_by_a_crash(settings):
    assert read_trail(settings) == []
    record(settings, Answer("q", "t", (), False), user="alice")
    with trail_path(settings).open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2025-01-01T00:00:00Z", "user": "cut')
    assert [r["user"] for r in read_trail(settings)] == ["alice"]
