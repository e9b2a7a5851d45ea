"""Reports in every format, the batch audit (bad-file row, --fail-on) and the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import element_names, failing
from assistant.shells.cli import app
from assistant.shells.reports import FORMATS, write_report

from ..paths import PLAYBOOK

POOR = """IT SUPPORT AGREEMENT
1. SERVICES
1.1 The Supplier shall provide IT support to the Customer using reasonable endeavours.
2. CHARGES
2.1 The Customer shall pay the monthly fee within fourteen (14) days of invoice.
3. GOVERNING LAW
3.1 This Agreement is governed by the laws of England and Wales, and the courts of England have exclusive jurisdiction.
"""


@pytest.fixture
def batch(tmp_path, settings):
    folder = tmp_path / "deal"
    folder.mkdir()
    (folder / "support.txt").write_text(POOR, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    from assistant import Workspace

    ws = Workspace(settings)
    results = ws.audit_paths([folder / "support.txt", folder / "broken.pdf"])
    return folder, results, ws


def test_bad_file_becomes_error_row_and_run_goes_on(batch):
    _, results, _ = batch
    good, bad = results
    assert good.subject == "support.txt" and not good.error  # a file name, not the path it was read from
    assert good.finding("exit_management").status == "missing"
    assert good.finding("governing_law").status == "present"
    assert bad.error and "broken.pdf" in bad.error and "damaged" in bad.error and bad.findings == ()


def test_fail_on_severity(batch):
    _, results, _ = batch
    high = failing(results, "high")
    assert ("Exit management / disentanglement" in {c for _, c in high})
    assert all(s.endswith("support.txt") for s, _ in high)
    assert len(failing(results, "low")) > len(high)
    assert failing(results, None) == []
    with pytest.raises(ValueError, match="valid: high, medium, low"):
        failing(results, "critical")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_opens(batch, tmp_path, fmt):
    _, results, _ = batch
    path = write_report(results, fmt, tmp_path / f"report.{fmt}", element_names(batch[2].playbook))
    if fmt == "csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads it as UTF-8
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert len(rows) == 32  # 31 clause types + the error row
        exit_row = next(r for r in rows if r["clause_id"] == "exit_management")
        assert exit_row["status"] == "missing" and exit_row["severity"] == "high" and exit_row["suggested_language"]
        error_row = next(r for r in rows if r["status"] == "error")
        assert error_row["subject"] == "broken.pdf" and "damaged" in error_row["error"]
        gov_row = next(r for r in rows if r["clause_id"] == "governing_law")
        assert gov_row["found_elements"].startswith("Governing law (support.txt p. 1, 3 GOVERNING LAW")  # where each element was found
    elif fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        assert {p["subject"].split("/")[-1] for p in data["portfolio"]} == {"support.txt", "broken.pdf"}
        findings = data["results"][0]["findings"]
        gov = next(f for f in findings if f["clause_id"] == "governing_law")
        assert gov["status"] == "present" and gov["evidence"][0]["text"].startswith("3. GOVERNING LAW")
        law = next(e for e in gov["element_evidence"] if e["element"] == "law")
        assert POOR[law["start"] : law["end"]] == law["text"] and "laws of England and Wales" in law["text"]
        assert any(t["name"] == "Governing law" and t["value"] == "England and Wales" for t in data["results"][0]["key_terms"])
        assert all("/" not in d for d in data["results"][0]["file_names"])
    elif fmt == "md":
        text = path.read_text(encoding="utf-8")
        assert "## Portfolio" in text and "| Exit management / disentanglement | high | **missing** |" in text
        assert "| elements found |" in text and "Governing law (support.txt p. 1, 3 GOVERNING LAW" in text
    elif fmt == "html":
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!doctype html>") and "http" not in text.split("<body>")[0]
        assert "Exit management / disentanglement" in text and "#f8d0d0" in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        assert book.sheetnames == ["Findings", "Portfolio", "Key terms"]
        header = [c.value for c in book["Findings"][1]]
        statuses = [row[header.index("status")] for row in book["Findings"].iter_rows(min_row=2, values_only=True)]
        assert statuses.count("error") == 1 and "missing" in statuses and "present" in statuses
        assert book["Findings"].column_dimensions["J"].width == 50 and header[9] == "found_elements"
        for sheet in book.worksheets:  # every sheet: a filter over its columns, the header frozen, readable widths
            assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:") and sheet.freeze_panes == "A2"
            assert all(sheet.column_dimensions[c].width >= 8 for c in "ABC")


def test_html_report_renders_in_a_browser_without_the_network(batch, tmp_path, chromium):
    """The standalone HTML report as a reviewer opens it: every row rendered, statuses coloured, nothing fetched."""
    from playwright.sync_api import sync_playwright

    from ..browser import CHROMIUM_ARGS

    _, results, _ = batch
    path = write_report(results, "html", tmp_path / "report.html", element_names(batch[2].playbook))
    requested: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(path.as_uri())
        assert page.title() == "Clause audit"
        tables = page.locator("table")
        groups = page.locator("nav.toc a")
        assert groups.count() == tables.count() - 1 >= 5  # the portfolio, then a table per clause group of the readable document
        rows = page.locator("table:not(:first-of-type) tr:has(td)")
        assert rows.count() == 31  # the 31 clause types; the bad file is an error paragraph
        by_clause = {row.locator("td").first.inner_text(): row.locator("td") for row in rows.all()}
        groups.first.click()  # the table of contents jumps to the group
        assert page.evaluate("location.hash").startswith("#s0-support-txt-")
        status = by_clause["Exit management / disentanglement"].nth(2)
        assert status.inner_text() == "missing"
        assert status.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(248, 208, 208)"
        assert "3 GOVERNING LAW" in by_clause["Governing law and jurisdiction"].nth(5).inner_text()  # where its elements were found
        assert page.locator("a", has_text="support.txt").count() >= 1  # the portfolio links to each document
        assert "damaged" in page.locator("p", has_text="broken.pdf").inner_text()
        browser.close()
    assert requested == [path.as_uri()]


def test_unknown_format_names_valid_choices(batch, tmp_path):
    _, results, _ = batch
    with pytest.raises(ValueError, match="valid: csv, json, md, xlsx, html"):
        write_report(results, "pdf", tmp_path / "r.pdf")


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_cli_ingest_search_list_remove(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "support.txt").write_text(POOR, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    data = tmp_path / "data"
    result = cli("ingest", folder, "--data-dir", data, "-w", "team")
    assert result.exit_code == 1, result.output  # one file failed, the other was ingested
    assert "1 added" in result.output and "1 failed" in result.output and "damaged" in result.output
    again = cli("ingest", folder / "support.txt", "--data-dir", data, "-w", "team")
    assert again.exit_code == 0 and "1 unchanged" in again.output
    found = cli("search", "which law governs", "-k", "1", "--json", "--data-dir", data, "-w", "team")
    output = json.loads(found.output)
    rows, focus = output["passages"], output["focus"]
    assert rows[0]["document"] == str(folder / "support.txt") or rows[0]["document"].endswith("support.txt")
    assert "England and Wales" in rows[0]["text"] and rows[0]["section"].startswith("3 GOVERNING LAW")
    # the best match is the governing-law sentence itself, an exact span of the document
    assert "governed by the laws of England and Wales" in focus["text"] and "monthly fee" not in focus["text"]
    assert POOR[focus["start"] : focus["end"]] == focus["text"]
    listed = cli("documents", "--json", "--data-dir", data, "-w", "team")
    assert [Path(d["file_name"]).name for d in json.loads(listed.output)] == ["support.txt"]
    removed = cli("remove", "support.txt", "--data-dir", data, "-w", "team")
    assert "removed" in removed.output
    assert json.loads(cli("documents", "--json", "--data-dir", data, "-w", "team").output) == []


def test_cli_audit_formats_and_fail_on(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    doc = tmp_path / "support.txt"
    doc.write_text(POOR, encoding="utf-8")
    data = tmp_path / "data"
    out = tmp_path / "audit.csv"
    ok = cli("audit", doc, "--out", out, "--data-dir", data)
    assert ok.exit_code == 0, ok.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {r["clause_id"] for r in rows} >= {"exit_management", "governing_law"}
    failed = cli("audit", doc, "--fail-on", "high", "--format", "json", "--data-dir", data)
    assert failed.exit_code == 3
    assert "Exit management / disentanglement" in failed.output
    bad = cli("audit", doc, "--format", "pdf", "--data-dir", data)
    assert bad.exit_code == 2 and "valid: csv, json, md, xlsx, html" in bad.output


def test_cli_playbook_validate(tmp_path):
    good = cli("playbook", "validate", PLAYBOOK)
    assert good.exit_code == 0 and "31 clause types" in good.output
    broken = tmp_path / "mine.yaml"
    broken.write_text("schema_version: 1\nname: mine\nclauses:\n  - id: exit\n    severity: urgent\n", encoding="utf-8")
    result = cli("playbook", "validate", broken)
    assert result.exit_code == 1
    assert "clause 'exit'" in result.output and "severity" in result.output


def test_cli_ask_answers_with_citation_and_logs(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    doc = tmp_path / "support.txt"
    doc.write_text(POOR, encoding="utf-8")
    data = tmp_path / "data"
    assert cli("ingest", doc, "--data-dir", data).exit_code == 0
    result = cli("ask", "Which law governs the agreement?", "--json", "--data-dir", data)
    answer = json.loads(result.output)
    assert answer["answered"] and "England and Wales" in answer["key_value"] + answer["text"]
    cited = answer["citations"][0]
    assert cited["text"] == POOR[cited["start"] : cited["end"]]
    trail = (data / "workspaces" / "default" / "trail.jsonl").read_text(encoding="utf-8")
    assert "Which law governs the agreement?" in trail


def test_cli_errors_are_one_line_and_name_what_exists(tmp_path, cache_dir, monkeypatch):
    """What a new user hit: a typo in a workspace name created an empty one; a missing path said nothing useful."""
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    doc = tmp_path / "support.txt"
    doc.write_text(POOR, encoding="utf-8")
    data = tmp_path / "data"
    assert cli("ingest", doc, "--data-dir", data, "-w", "acme").exit_code == 0
    for command in (("ask", "Which law governs?"), ("search", "governing law"), ("documents",), ("remove", "support.txt")):
        result = cli(*command, "--data-dir", data, "-w", "acmee")
        assert result.exit_code == 2, command
        assert "no workspace 'acmee'" in result.output and "workspaces: acme" in result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (data / "workspaces" / "acmee").exists()
    missing = cli("audit", tmp_path / "nonexistent", "--data-dir", data)
    assert missing.exit_code == 2 and "not found" in missing.output and "nonexistent" in missing.output
    unknown = cli("remove", "nothing.pdf", "--data-dir", data, "-w", "acme")
    assert unknown.exit_code == 2 and "no document 'nothing.pdf'" in unknown.output and "support.txt" in unknown.output


def test_cli_serve_on_a_busy_port_says_which_option_picks_another(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", port, "--data-dir", tmp_path / "data")
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output and "--port N" in result.output and "Traceback" not in result.output


def test_cli_playbook_show_lists_the_bundled_playbook():
    shown = cli("playbook", "show")
    assert shown.exit_code == 0 and "IT outsourcing playbook" in shown.output and "outsourcing.yaml" in shown.output
    assert "Termination" in shown.output and "high" in shown.output


def test_cli_ingest_exits_4_with_the_report_so_far_when_the_store_fails(tmp_path, cache_dir, monkeypatch):
    import sqlite3

    from assistant.index.store import Index

    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a_broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "b_support.txt").write_text(POOR, encoding="utf-8")

    def failing_add(self, *args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Index, "add", failing_add)
    result = cli("ingest", folder, "--json", "--data-dir", tmp_path / "data", "-w", "team")
    assert result.exit_code == 4, result.output
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["failed"]  # the bad file before the failure is still reported
    assert "b_support.txt" in report["error"] and "disk I/O error" in report["error"]


def test_cli_scanned_pdf_pages_read_by_ocr_are_reported_and_cited_as_ocr(tmp_path, cache_dir, monkeypatch):
    from ..documents import blank_page_image, make_pdf, page_images, save_images_as_pdf

    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    printed = make_pdf(tmp_path / "printed.pdf", [POOR])
    scan = save_images_as_pdf(tmp_path / "support-scan.pdf", page_images(printed) + [blank_page_image()])
    data = tmp_path / "data"
    result = cli("ingest", scan, "--json", "--data-dir", data, "-w", "scans")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["files"]
    assert row["status"] == "added" and row["ocr_pages"] == [1]
    assert len(row["warnings"]) == 1 and row["warnings"][0].startswith("support-scan.pdf: page 2: OCR recognised no text")
    answer = cli("ask", "Which law governs the agreement?", "--data-dir", data, "-w", "scans")
    assert "support-scan.pdf, p. 1 (OCR)" in answer.output and "p. 1 (OCR)" in answer.output
    report = cli("audit", scan, "--format", "md", "--data-dir", data, "-w", "scans")
    assert "support-scan.pdf p. 1 (OCR)" in report.output
