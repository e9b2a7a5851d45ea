"""Redlines and review memos, read back three ways: the OOXML revision marks and comments themselves, the document
with every change rejected (identical to the original, paragraph for paragraph), and LibreOffice opening the file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest

from assistant import AssistantError, NotFoundError, PlaybookError
from assistant.ingest.formats.docx import read_docx

from ..office import NS, body_paragraphs, convert, ensure_libreoffice, part, rejected
from ..paths import CORPUS

NIMBUS = CORPUS / "standalone" / "nimbusgrid_cloud_terms.docx"
MSA = CORPUS / "harbourline_veridian" / "msa.pdf"
WHEN = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.timezone.utc)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def redlined(tmp_path_factory, cache_dir):
    from assistant import Settings, Workspace

    folder = tmp_path_factory.mktemp("redline")
    ws = Workspace(Settings(data_dir=folder / "data", cache_dir=cache_dir, workspace="redline"))
    ws.ingest([NIMBUS, MSA])
    result = ws.redline("nimbusgrid_cloud_terms.docx", folder / "nimbus.redline.docx", date=WHEN)
    yield ws, result, Path(result.path)
    ws.close()


def test_redline_inserts_fallback_language_as_tracked_changes(redlined):
    ws, result, path = redlined
    assert result.kind == "redline" and result.date == "2026-01-15T09:30:00Z"
    audit = ws.audit(documents=["nimbusgrid_cloud_terms.docx"])[0]
    gaps = {f.clause_id for f in audit.findings if f.status in ("missing", "weak")}
    assert {c.clause_id for c in result.changes} == gaps  # every missing and weak clause of this document
    root = part(path)
    marks = root.xpath("//w:ins", namespaces=NS)
    assert marks and {m.get(f"{{{NS['w']}}}author") for m in marks} == {"Contract assistant"}
    assert {m.get(f"{{{NS['w']}}}date") for m in marks} == {"2026-01-15T09:30:00Z"}
    ids = [m.get(f"{{{NS['w']}}}id") for m in marks]
    assert len(ids) == len(set(ids))
    inserted = flat(" ".join(t.text or "" for t in root.xpath("//w:ins//w:t", namespaces=NS)))
    for change in result.changes:
        assert flat(change.text) in inserted
        if change.heading:
            assert change.heading in inserted
    # a missing clause becomes a numbered clause at the end of the article it belongs with
    exit_plan = next(c for c in result.changes if c.clause_id == "exit_management")
    assert exit_plan.status == "missing" and exit_plan.heading.startswith("5.") and "ARTICLE 5" in exit_plan.placement
    # a weak clause gets only the fallback sentences that supply what it lacks
    weak = next(c for c in result.changes if c.status == "weak" and c.clause_id == "consequences_of_termination")
    clause = ws.playbook.get("consequences_of_termination")
    assert len(weak.text) < len(flat(clause.fallback)) and weak.evidence is not None
    assert all(any(e.name == name for e in clause.elements) for name in weak.missing_elements)


def test_every_change_and_weak_clause_has_a_comment(redlined):
    _, result, path = redlined
    comments = part(path, "word/comments.xml").xpath("//w:comment", namespaces=NS)
    texts = [flat(" ".join(c.xpath(".//w:t/text()", namespaces=NS))) for c in comments]
    weak = [c for c in result.changes if c.status == "weak"]
    assert len(comments) == len(result.changes) + len({c.evidence.start for c in weak})
    assert {c.get(f"{{{NS['w']}}}author") for c in comments} == {"Contract assistant"}
    for change in result.changes:
        said = next(t for t in texts if t.startswith(f"{change.clause} is {change.status} ({change.severity} severity)"))
        if change.status == "weak":
            assert all(name in said for name in change.missing_elements)
            assert "Evidence: nimbusgrid_cloud_terms.docx, p. 1" in said and flat(change.evidence.text)[:60] in said
    anchors = part(path).xpath("//w:commentReference", namespaces=NS)
    assert len(anchors) == len(comments)


def test_rejecting_every_change_gives_back_the_original(redlined):
    _, _, path = redlined
    original, back = NIMBUS.read_bytes(), rejected(path)
    assert read_docx(back, "back")[0] == read_docx(original, "original")[0]
    assert body_paragraphs(back) == body_paragraphs(original)  # runs, styles and numbering untouched elsewhere


def test_libreoffice_opens_the_redline_with_its_revisions(redlined, tmp_path):
    soffice = ensure_libreoffice()
    _, result, path = redlined
    text = flat(convert(soffice, path, "txt:Text", tmp_path / "txt").read_text(encoding="utf-8-sig"))
    for change in result.changes:
        assert flat(change.text)[:200] in text
    assert "5.2 Termination for Convenience" in text  # the original is there too
    again = convert(soffice, path, "docx:MS Word 2007 XML", tmp_path / "docx")  # LibreOffice's own save of the redline
    authors = {m.get(f"{{{NS['w']}}}author") for m in part(again).xpath("//w:ins", namespaces=NS)}
    assert authors == {"Contract assistant"}  # it read them as tracked changes, not as plain text
    assert read_docx(rejected(again), "lo")[0] == read_docx(NIMBUS.read_bytes(), "original")[0]


def test_review_memo_for_a_pdf(redlined, tmp_path):
    ws, _, _ = redlined
    memo = ws.redline("msa.pdf", tmp_path / "msa.memo.docx", min_severity="medium", date=WHEN)
    assert memo.kind == "memo" and memo.changes
    assert all(c.severity in ("high", "medium") for c in memo.changes)
    read = docx.Document(memo.path)
    text = "\n".join(p.text for p in read.paragraphs)
    assert "Review memo: msa.pdf" in text and "15 January 2026" in text
    for change in memo.changes:
        assert f"{change.clause} \u2014 {change.status}, {change.severity} severity" in text
        assert flat(change.text) in flat(text)
    assert re.search(r"Evidence: msa\.pdf, p\. \d+, \d+ [A-Z]", text)  # page and section of each quote
    tables = [[c.text for c in row.cells] for t in read.tables for row in t.rows]
    assert ["Governing law", "England and Wales"] == tables[[r[0] for r in tables].index("Governing law")][:2]


def test_redline_errors_name_the_choices(redlined, tmp_path):
    ws, _, _ = redlined
    with pytest.raises(NotFoundError, match="nimbusgrid_cloud_terms.docx"):
        ws.redline("no-such-contract.docx")
    with pytest.raises(ValueError, match="valid: high, medium, low"):
        ws.redline("msa.pdf", min_severity="severe")
    with pytest.raises(PlaybookError, match="valid ids: termination_for_cause"):
        ws.redline("msa.pdf", clauses=["exit_plan"])
    shutil.rmtree(ws.originals.folder)
    with pytest.raises(AssistantError, match="ingest the file again"):
        ws.redline("nimbusgrid_cloud_terms.docx", tmp_path / "x.docx")
