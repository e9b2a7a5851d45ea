"""The negotiation and contract-management commands, run as a user runs them, and the files they write read back."""

from __future__ import annotations

import json
import zipfile

import docx
import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from assistant.shells.cli import app

from ..paths import CORPUS


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def data(tmp_path_factory, cache_dir):
    folder = tmp_path_factory.mktemp("manage-cli")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    mp.setenv("CONTRACT_ASSISTANT_DATA_DIR", str(folder / "data"))
    mp.setenv("CONTRACT_ASSISTANT_WORKSPACE", "cli")
    assert cli("ingest", CORPUS / "harbourline_veridian", "--deal", "Harbourline / Veridian").exit_code == 0
    assert cli("ingest", CORPUS / "standalone").exit_code == 0
    yield folder
    mp.undo()


def test_redline_and_memo(data):
    out = data / "nimbus.redline.docx"
    result = cli("redline", "nimbusgrid_cloud_terms.docx", "--out", out, "--min-severity", "high")
    assert result.exit_code == 0, result.output
    assert "redline of nimbusgrid_cloud_terms.docx" in result.output and "Exit management" in result.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:author="Contract assistant"' in xml and "<w:ins " in xml
    memo = cli("redline", "msa.pdf")
    assert memo.exit_code == 0 and "memo of msa.pdf" in memo.output
    assert (data / "data" / "workspaces" / "cli" / "exports" / "msa.memo.docx").exists()


def test_compare_writes_xlsx_and_html(data):
    result = cli("compare", "quickfix_support_agreement.pdf", "--against", "playbook", "--out", data / "cmp.xlsx")
    assert result.exit_code == 0, result.output
    assert "removed" in result.output and "Exit management" in result.output
    sheet = load_workbook(data / "cmp.xlsx")["Comparison"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["status", "moved", "renumbered"] and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    statuses = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"removed", "changed"} <= statuses
    assert cli("compare", "msa.pdf", "--against", "playbook", "--out", data / "cmp.html").exit_code == 0
    assert "<table class='grid compare'>" in (data / "cmp.html").read_text(encoding="utf-8")


def test_grid_by_deal_to_xlsx_with_citations(data):
    result = cli("grid", "--ask", "Which law governs the agreement?", "--ask", "What is the liability cap?", "--by", "deal",
                 "--out", data / "grid.xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(data / "grid.xlsx")
    grid = book["Grid"]
    assert [c.value for c in grid[1]] == ["Document", "Which law governs the agreement?", "What is the liability cap?"]
    rows = {r[0]: r for r in grid.iter_rows(min_row=2, values_only=True)}
    assert "England and Wales" in rows["Harbourline / Veridian"][1] and "msa.pdf p." in rows["Harbourline / Veridian"][1]
    citations = [dict(zip([c.value for c in book["Citations"][1]], r)) for r in book["Citations"].iter_rows(min_row=2, values_only=True)]
    law = next(c for c in citations if c["subject"] == "Harbourline / Veridian" and c["question"].startswith("Which law"))
    assert law["document"] == "msa.pdf" and law["page"] and law["section"].startswith("33") and "England and Wales" in law["quote"]
    assert cli("grid", "--ask", "Which law governs the agreement?", "--out", data / "grid.csv").exit_code == 0
    assert (data / "grid.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_deadlines_next_90_days_and_ics(data):
    result = cli("deadlines", "--today", "2026-12-01", "--ics", data / "d.ics", "--out", data / "d.csv")
    assert result.exit_code == 0, result.output
    assert "the next 90 days from 01 December 2026" in " ".join(result.output.split())
    soon = (data / "d.csv").read_text(encoding="utf-8-sig")
    assert "nda_harbourline_veridian.txt,Expiry of the current term,2027-01-09" in soon and "Harbourline / Veridian" not in soon
    events = Calendar.from_ical((data / "d.ics").read_bytes()).walk("VEVENT")
    assert any(str(e["summary"]) == "Harbourline / Veridian: Last day to give notice of non-renewal" for e in events)
    assert cli("deadlines", "--all", "--today", "2026-12-01", "--out", data / "all.json").exit_code == 0
    every = json.loads((data / "all.json").read_text(encoding="utf-8"))
    quickfix = next(d for d in every if d["subject"] == "quickfix_support_agreement.pdf" and d["kind"] == "expiry")
    assert quickfix["date"] is None and quickfix["depends_on"] == "the Commencement Date"


def test_lifecycle_exports(data):
    for suffix in ("pdf", "docx", "html"):
        result = cli("lifecycle", "Harbourline / Veridian", "--out", data / f"lc.{suffix}")
        assert result.exit_code == 0, result.output
    assert "Harbourline / Veridian: 10 present, 0 weak, 0 missing" in result.output
    pdf = " ".join(p.extract_text() for p in PdfReader(data / "lc.pdf").pages)
    assert "[PRESENT] Exit plan" in pdf and "schedule_4_exit_management.docx" in pdf
    headings = [p.text for p in docx.Document(data / "lc.docx").paragraphs if p.style.name.startswith("Heading")]
    assert "Termination assistance and its duration \u2014 present" in headings
    assert "up to twelve (12) months" in (data / "lc.html").read_text(encoding="utf-8")


def test_errors_are_one_line_with_the_choices(data):
    assert "valid: document, deal" in cli("grid", "--by", "matter").output
    bad = cli("lifecycle", "Acme")
    assert bad.exit_code == 2 and "deals: Harbourline / Veridian" in bad.output
    pdf = cli("compare", "msa.pdf", "--against", "playbook", "--out", data / "x.pdf")
    assert pdf.exit_code == 2 and "valid: xlsx, json, html" in pdf.output
    assert "YYYY-MM-DD" in cli("deadlines", "--today", "tomorrow").output
