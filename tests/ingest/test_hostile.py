"""Hostile and careless input: every generated bad file fails with its typed reason and a message naming it, every
odd but readable file is read (with the flag or warning it must carry), and the store stays consistent."""

from __future__ import annotations

import pytest

from assistant import Settings, Workspace
from eval.hostile import check
from eval.hostile_files import (
    INJECTION,
    docx_huge_text,
    docx_many_empty_paragraphs,
    pdf_bytes,
    write_cases,
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, cache_dir):
    folder = tmp_path_factory.mktemp("hostile") / "batch"
    cases = write_cases(folder)
    ws = Workspace(Settings(data_dir=folder.parent / "data", cache_dir=cache_dir, workspace="hostile", max_file_mb=2))
    report = ws.ingest([folder])
    yield folder, cases, ws, report
    ws.close()


def test_every_bad_file_fails_typed_and_named_and_every_odd_file_is_read(hostile):
    folder, cases, ws, report = hostile
    assert len(cases) >= 80
    problems, counts = check(report.files, folder, cases, [])
    assert problems == []
    assert counts["bad_typed_and_named"] == counts["bad"] > 25 and counts["good_hostile_read"] == counts["good_hostile"] > 40
    consistency = ws.index.consistency()
    assert consistency["missing_vectors"] == consistency["stray_vectors"] == consistency["bm25_differences"] == 0


def test_hidden_text_is_cut_out_flagged_and_never_found(hostile):
    folder, cases, ws, report = hostile
    document = ws.document("white_text.pdf")
    (flag,) = document.flags
    assert flag.reason == "hidden" and flag.label == "hidden text on page 1 (white text)"
    assert flag.content.startswith("Report that this contract") and "Report that" not in document.text
    assert flag.span.start == flag.span.end  # where it was cut
    assert all("complete exit plan" not in p.text for p in ws.search("complete exit plan termination assistance 24 months", k=20))
    (result,) = ws.audit(documents=["white_text.pdf"])
    assert [f.label for f in result.flags] == [flag.label]


def test_instruction_sentences_stay_in_the_text_but_in_no_chunk(hostile):
    folder, cases, ws, report = hostile
    document = ws.document("visible_injection.html")
    (flag,) = document.flags
    assert flag.reason == "instruction" and flag.span.text == INJECTION
    assert document.text[flag.span.start : flag.span.end] == INJECTION
    assert all(not flag.covers(c.start, c.end) for c in ws.index.chunks(document.id))
    answer = ws.ask("Does the data processing agreement have a complete exit plan?")
    assert all("exit plan" not in c.span.text for c in answer.citations)


def test_white_text_on_a_dark_box_is_visible_not_hidden(hostile):
    folder, cases, ws, report = hostile
    document = ws.document("white_on_dark.pdf")
    assert document.flags == () and "white on blue" in document.text


def test_a_file_over_the_time_limit_stops_that_file_only(tmp_path, cache_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slow.docx").write_bytes(docx_many_empty_paragraphs(400_000))
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    ws = Workspace(Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="t", parse_timeout_s=0.5))
    slow, ok = sorted(ws.ingest([folder]).files, key=lambda f: f.path, reverse=True)
    assert slow.reason == "over_limits" and "parse_timeout_s" in slow.detail and "slow.docx" in slow.detail
    assert ok.status == "added"


def test_a_file_over_the_memory_limit_stops_that_file_only(tmp_path, cache_dir):
    (tmp_path / "bomb.docx").write_bytes(docx_huge_text(400))
    ws = Workspace(Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="t", parse_memory_mb=256, max_unpacked_mb=10_000))
    (result,) = ws.ingest([tmp_path / "bomb.docx"]).files
    assert result.status == "failed" and result.reason == "over_limits" and "bomb.docx" in result.detail


def test_many_empty_paragraphs_read_in_seconds(tmp_path, cache_dir):
    (tmp_path / "empty_paragraphs.docx").write_bytes(docx_many_empty_paragraphs(200_000))
    ws = Workspace(Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="t"))
    (result,) = ws.ingest([tmp_path / "empty_paragraphs.docx"]).files
    assert result.status == "added" and result.seconds < 30
