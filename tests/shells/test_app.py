"""The web app: a real browser session (Debian Chromium driven by Playwright, started here) and direct tests
of the app's pure helpers.

The browser test is the issue's "done when": log in, upload a PDF from corpus/ (and a broken one), ask a
question, open the answer's citation, run the audit, download the CSV, and never reach a non-loopback host.
Screenshots go to artifacts/screenshots/ (set CONTRACT_ASSISTANT_SCREENSHOTS=docs/screenshots to refresh the README's).
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant import (
    Answer,
    AuditResult,
    Citation,
    ClauseFinding,
    Document,
    Evidence,
    Settings,
    Span,
    TableRow,
)
from assistant.api.workspace import span_view

from ..browser import CHROMIUM_ARGS, open_tab
from ..paths import REPO  # noqa: E402

MSA = REPO / "corpus" / "harbourline_veridian" / "msa.pdf"
CHARGES = REPO / "corpus" / "harbourline_veridian" / "schedule_3_charges.txt"
NIMBUS = REPO / "corpus" / "standalone" / "nimbusgrid_cloud_terms.docx"
QUICKFIX = REPO / "corpus" / "standalone" / "quickfix_support_agreement.pdf"
SHOTS = REPO / os.environ.get("CONTRACT_ASSISTANT_SCREENSHOTS", "artifacts/screenshots")
USER, PASSWORD = "reviewer", "s3cret!"
QUESTION = "How much notice must Harbourline give to terminate for convenience?"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


# ---------------------------------------------------------------------------------------------- fixtures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http_ok(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f}s")
        time.sleep(0.05)


@pytest.fixture
def app_url(tmp_path, cache_dir):
    """The app on a free loopback port with a login, a fresh data folder and the session's embedding cache."""
    yield from _serve(tmp_path, cache_dir)


@pytest.fixture
def two_contracts_url(tmp_path, cache_dir):
    """The app over a workspace that already holds two contracts under different laws and notice periods."""
    from assistant import Workspace

    ws = Workspace(Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="default"))
    report = ws.ingest([NIMBUS, QUICKFIX])
    assert len(report.by_status("added")) == 2, report.summary()
    ws.close()
    yield from _serve(tmp_path, cache_dir)


def _serve(tmp_path, cache_dir):
    from assistant.shells.web.app import create_app, launch_options

    port = _free_port()
    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="default",
                        auth_users={USER: PASSWORD}, server_host="127.0.0.1", server_port=port)
    started = time.perf_counter()
    demo = create_app(settings)
    demo.launch(**launch_options(settings, demo, prevent_thread_lock=True))
    url = f"http://127.0.0.1:{port}/"
    _wait_http_ok(url, 30)
    seconds = time.perf_counter() - started
    print(f"\napp start (create_app + launch until HTTP 200): {seconds:.2f}s")
    yield url
    demo.close()
    demo.pool.close()


# ---------------------------------------------------------------------------------------------- browser test


def _settle(page) -> None:
    """Before a screenshot: close notification toasts and let the side panel finish sliding in."""
    from playwright.sync_api import Error as PlaywrightError

    for button in page.locator("[data-testid=toast-close]").all():
        try:
            button.click(timeout=2000)
        except PlaywrightError:  # the toast closed by itself meanwhile
            pass
    page.mouse.move(1, 1)
    page.wait_for_function("() => { const v = document.querySelector('#passage-viewer'); if (!v) return true;"
                           " const r = v.getBoundingClientRect(); return r.right <= innerWidth + 1 || r.left >= innerWidth - 1; }")
    page.wait_for_timeout(300)


def test_browser_login_upload_chat_citation_audit_download(app_url, chromium, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    requested: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.set_default_timeout(30_000)
        expect.set_options(timeout=20_000)
        try:
            # Login: a wrong password is refused, the right one lets us in.
            page.goto(app_url)
            page.get_by_label("username").fill(USER)
            page.screenshot(path=str(SHOTS / "login.png"))
            page.get_by_label("password").fill("wrong")
            page.get_by_role("button", name="Login").click()
            expect(page.get_by_text("Incorrect Credentials")).to_be_visible()
            page.get_by_label("username").fill(USER)
            page.get_by_label("password").fill(PASSWORD)
            page.get_by_role("button", name="Login").click()
            expect(page.locator("#workspace-status")).to_contain_text("Workspace default")

            # A new workspace.
            page.locator("#new-workspace textarea, #new-workspace input").first.fill("harbourline")
            page.locator("#create-workspace").click()
            expect(page.locator("#workspace-status")).to_contain_text("Workspace harbourline")

            # Auditing an empty workspace says so, with no red error badges.
            open_tab(page, "Audit")
            page.locator("#run-audit").click()
            expect(page.locator("#audit-summary")).to_contain_text("This workspace has no documents yet")
            assert page.get_by_text("Error", exact=True).count() == 0  # no red error badges on the outputs
            open_tab(page, "Documents")

            # Upload three files at once into a deal: two good, one broken (reported per file, the others still added).
            page.locator("#uploads input[type=file]").set_input_files([str(MSA), str(CHARGES), str(broken)])
            expect(page.locator("#uploads")).to_contain_text("broken")
            page.locator("#upload-deal input, #upload-deal textarea").first.fill("Harbourline / Veridian")
            page.locator("#add-files").click()
            results = page.locator("#ingest-results")
            expect(results).to_contain_text("added", timeout=60_000)
            expect(results).to_contain_text("failed")
            expect(results.locator("tr", has_text="broken.pdf")).to_contain_text("damaged or unreadable")
            expect(page.locator("#documents-table")).to_contain_text("msa.pdf")
            expect(page.locator("#workspace-status")).to_contain_text("2 documents")
            expect(page.locator("#upload-deal input, #upload-deal textarea").first).to_have_value("")  # ready for the next upload
            expect(page.locator("#documents-table")).to_contain_text("Harbourline / Veridian")
            name = results.locator("tr", has_text="schedule_3_charges.txt").locator("td.file b")
            box = name.bounding_box()
            assert box["width"] > 120 and box["height"] < 30, box  # the file name has room: one line, not a letter per line

            # Chat: a streamed answer with a citation that opens the right passage.
            open_tab(page, "Chat")
            page.locator("#question textarea").fill(QUESTION)
            page.locator("#ask").click()
            answer = page.locator("#transcript .msg.bot").last
            expect(answer.locator(".sources")).to_be_visible(timeout=60_000)
            expect(answer).to_contain_text("six (6) months")
            cite = answer.locator("a.cite").first
            expect(cite).to_be_visible()
            _settle(page)
            page.screenshot(path=str(SHOTS / "chat.png"))

            first_source = answer.locator(".sources li").first
            quote_shown = " ".join(first_source.locator(".q").inner_text().strip("\u201c\u201d").split()).rstrip("\u2026")
            cite.click()
            viewer = page.locator("#passage-viewer")
            expect(viewer.locator("mark")).to_be_visible()
            expect(viewer).to_contain_text("msa.pdf")
            header = viewer.locator(".where").inner_text()
            assert re.search(r"Page \d+ of \d+", header), header
            assert re.search(r"Section .*\b12\b", header), header
            marked = " ".join(viewer.locator("mark").inner_text().split())
            assert marked and marked.startswith(quote_shown[:120]), (marked, quote_shown)
            assert "six (6) months" in marked
            body = viewer.locator(".body")
            assert body.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), "long lines wrap in the viewer"
            _settle(page)
            page.screenshot(path=str(SHOTS / "citation.png"))
            page.locator("#close-viewer").click()

            # A question across the contracts: one table, no "None" column.
            page.locator("#question textarea").fill("Compare the liability caps")
            page.locator("#ask").click()
            table_answer = page.locator("#transcript .msg.bot").last
            expect(table_answer.locator("table")).to_have_count(1, timeout=60_000)
            expect(table_answer).to_contain_text("Harbourline / Veridian")  # the two documents compared as their deal
            assert "None" not in table_answer.inner_text()

            # A reload comes back to the same workspace and conversation.
            page.reload()
            expect(page.locator("#workspace-status")).to_contain_text("Workspace harbourline")
            open_tab(page, "Chat")
            expect(page.locator("#transcript")).to_contain_text(QUESTION)
            expect(page.locator("#transcript .msg.bot").first).to_contain_text("six (6) months")
            page.locator("#transcript .msg.bot a.cite").first.click()  # the citations still open their passages
            expect(viewer.locator("mark")).to_contain_text("six (6) months")
            page.locator("#close-viewer").click()

            # Audit: statuses in the table, evidence opens in the viewer, the CSV downloads.
            open_tab(page, "Audit")
            page.locator("#run-audit").click()
            table = page.locator("#audit-table table.audit")
            expect(table).to_be_visible(timeout=60_000)
            statuses = set(table.locator("td .pill").all_inner_texts())
            assert statuses <= {"present", "weak", "missing"} and "present" in statuses, statuses
            _settle(page)
            page.evaluate("document.querySelector('#audit-summary').scrollIntoView({block: 'start'})")
            page.screenshot(path=str(SHOTS / "audit.png"))
            table.locator("a.ev").first.click()
            expect(viewer).to_contain_text("Evidence:")
            expect(viewer.locator("mark")).to_be_visible()
            page.locator("#close-viewer").click()
            element = table.locator("a.el").first  # where a met element was found
            name = element.inner_text()
            element.click()
            expect(viewer).to_contain_text(re.compile(re.escape(name), re.IGNORECASE))
            expect(viewer.locator("mark")).to_be_visible()

            download_csv = page.locator("#download-csv")
            expect(download_csv).to_be_enabled()
            with page.expect_download() as info:
                download_csv.click()
            text = Path(info.value.path()).read_text(encoding="utf-8")
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        finally:
            context.close()
            browser.close()

    from assistant import load_playbook
    from assistant.shells.reports import COLUMNS

    text = text.removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(csv.reader(io.StringIO(text))) == COLUMNS
    assert len(rows) == 2 * len(load_playbook().clauses)
    assert {r["subject"] for r in rows} == {"msa.pdf", "schedule_3_charges.txt"}
    assert {r["status"] for r in rows} <= {"present", "weak", "missing"}
    assert any(r["evidence_document"] == "msa.pdf" and r["evidence_page"] for r in rows)

    outside = sorted({u for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).hostname not in LOOPBACK})
    assert not outside, f"requests left the machine: {outside}"
    for name in ("login", "chat", "citation", "audit"):
        assert (SHOTS / f"{name}.png").stat().st_size < 400_000


# ---------------------------------------------------------------------------------------------- views


def _document(text: str, page_starts=(0,)) -> Document:
    return Document(id="d1", source="x.pdf", file_name="x.pdf", kind="pdf", text=text, page_starts=tuple(page_starts))


def test_browser_scope_answers_from_the_picked_document_and_a_vague_question_per_contract(two_contracts_url, chromium):
    """Issue #11: with two contracts that each answer, a question naming neither comes back as one row per contract,
    each cited; with one document picked as the scope, the answer comes from it and says so."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)
        try:
            page.goto(two_contracts_url)
            page.get_by_label("username").fill(USER)
            page.get_by_label("password").fill(PASSWORD)
            page.get_by_role("button", name="Login").click()
            expect(page.locator("#workspace-status")).to_contain_text("2 documents")
            open_tab(page, "Chat")

            page.locator("#question textarea").fill("Which law governs the agreement?")
            page.locator("#ask").click()
            answer = page.locator("#transcript .msg.bot").last
            table = answer.locator("table")
            expect(table).to_have_count(1, timeout=60_000)
            expect(table.locator("tbody tr")).to_have_count(2)
            expect(table.locator("tr", has_text="nimbusgrid_cloud_terms.docx")).to_contain_text("New York")
            expect(table.locator("tr", has_text="quickfix_support_agreement.pdf")).to_contain_text("England and Wales")
            expect(table.locator("a.cite")).to_have_count(2)  # each cell cited

            page.locator("#chat-scope input").click()
            page.get_by_role("option", name="nimbusgrid_cloud_terms.docx").click()
            page.keyboard.press("Escape")
            page.locator("#question textarea").fill("What notice is needed to terminate for convenience?")
            page.locator("#ask").click()
            scoped = page.locator("#transcript .msg.bot").nth(1)
            expect(scoped).to_contain_text("Answered from: nimbusgrid_cloud_terms.docx", timeout=60_000)
            expect(scoped).to_contain_text("sixty (60) days")
            expect(scoped).not_to_contain_text("quickfix")
            expect(scoped.locator("table")).to_have_count(0)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "chat-scope.png"))
        finally:
            browser.close()


def test_scope_choices_list_deals_then_documents_and_split_back():
    from assistant import DocumentInfo
    from assistant.shells.web import views

    docs = [DocumentInfo("d1", "msa.pdf", "pdf", "MSA", 3, 10, 100, "Harbourline", 0.0),
            DocumentInfo("d2", "nda.txt", "txt", "NDA", 1, 2, 50, "", 0.0)]
    choices = views.scope_choices(docs)
    assert choices == [("Deal: Harbourline", "deal:Harbourline"), ("msa.pdf", "d1"), ("nda.txt", "d2")]
    assert views.scope_of(["d2", "deal:Harbourline"]) == (["d2"], ["Harbourline"])


def test_passage_html_marks_exact_quote_and_escapes_everything_else():
    from assistant.shells.web.views import passage_html

    text = "word " * 200 + "<i>near</i> TARGET & <quote> " + "tail " * 200
    start = text.index("TARGET")
    end = start + len("TARGET & <quote>")
    span = Span("d1", "x.pdf", start, end, text[start:end], 2, 2, "12 TERMINATION > 12.3")
    out = passage_html(span_view(_document(text, (0, start - 10)), span), "Citation [1]")
    assert "<mark>TARGET &amp; &lt;quote&gt;</mark>" in out
    assert "&lt;i&gt;near&lt;/i&gt;" in out and "<i>" not in out and "Page 2</b> of 2" in out and "12 TERMINATION &gt; 12.3" in out
    body = out.split("<div class='body'>")[1]
    assert body.startswith("\u2026word") and body.rstrip("</div>").endswith("tail\u2026")  # whole words, elided edges


def test_passage_html_at_document_edges_has_no_ellipsis_and_names_both_pages():
    from assistant.shells.web.views import passage_html

    document = _document("Short clause text.\n\nOn the next page.", (0, 20))
    out = passage_html(span_view(document, Span("d1", "x.pdf", 0, 5, "Short")))
    assert "<div class='body'><mark>Short</mark> clause text.\n\nOn the next page.</div>" in out
    assert "(before the first heading)" in out and "Page 1</b> of 2" in out
    across = passage_html(span_view(document, Span("d1", "x.pdf", 6, 30, document.text[6:30], 1, 2)))
    assert "Pages 1\u20132</b> of 2" in across  # a quote that runs across a page break says so


def test_passage_html_notes_text_read_by_ocr():
    from assistant.shells.web.views import passage_html

    document = _document("12. TERMINATION\nSix months' notice.", (0,))
    read = passage_html(span_view(document, Span("d1", "x.pdf", 16, 35, document.text[16:35], 1, 1, "12 TERMINATION", ocr=True)))
    assert "Page 1</b> (OCR) of 1" in read and "read by OCR from a scanned page" in read and "recognition errors" in read
    typed = passage_html(span_view(document, Span("d1", "x.pdf", 16, 35, document.text[16:35], 1, 1, "12 TERMINATION")))
    assert "OCR" not in typed


def test_ingest_html_lists_pages_read_by_ocr_and_the_warnings():
    from assistant import FileResult
    from assistant.shells.web.views import ingest_html

    warning = "scan.pdf: page 2: OCR recognised no text on it (a blank page, or print too faint or small to read); the page is left empty"
    out = ingest_html([FileResult("scan.pdf", "added", pages=3, chunks=4, ocr_pages=(1, 3), warnings=(warning,))])
    assert "read by OCR: pages 1, 3" in out and "scan.pdf: page 2: OCR recognised no text" in out


CITES = (Citation(1, Span("d", "msa.pdf", 0, 5, "q", 9, 9, "12 TERMINATION")), Citation(2, Span("d", "msa.pdf", 0, 5, "q", 3, 3, "")))


def test_link_citations_links_only_known_numbers():
    from assistant.answer.rendering import link_citations

    out = link_citations("<p>Six months [1]. Also [2, 7] and [9].</p>", CITES, key=lambda c: f"c3-{c.number}")
    assert "data-passage='c3-1'" in out and "data-passage='c3-2'" in out
    assert ">7<" not in out and ", 7]" in out  # unknown number in a group stays text
    assert "[9]" in out  # a marker with no citation is left alone


def test_transcript_links_each_citation_to_its_span_and_survives_the_browser_store():
    from assistant.shells.web.views import Turn, linked_span, transcript_html

    cite = Citation(1, Span("d", "msa.pdf", 10, 20, "six (6) months' notice", 9, 9, "12 TERMINATION"))
    answer = Answer("Q <one>?", "**Six (6) months** [1]", (cite,), True, "six (6) months", answerer="extractive", seconds=0.2)
    turns = [Turn("Q <one>?", answer)]
    out, links = transcript_html(turns, "ws")
    assert "Q &lt;one&gt;?" in out and "<strong>Six (6) months</strong>" in out
    assert "class='cite' data-passage='c0-1'" in out and "Sources" in out and "extractive" in out
    assert linked_span(links, "c0-1") == (cite.span, "Citation [1]")
    assert linked_span(links, "c0-2") is None and linked_span(links, "junk") is None
    assert "Ask about your contracts" in transcript_html([], "ws")[0]
    stored = [Turn.from_dict(t.to_dict()) for t in turns]  # what a reload reads back from the browser
    assert stored[0].answer == answer and transcript_html(stored, "ws") == (out, links)


def test_a_cross_document_answer_shows_its_table_once():
    """The bug a new user hit: the table was drawn from the Markdown and again from Answer.table, with a None column."""
    from assistant.shells.web.views import Turn, transcript_html

    text = ("**Liability cap across 2 documents** (1 state one):\n\n| Document | Liability cap | Evidence |\n|---|---|---|\n"
            "| msa.pdf | 150% | [1] |\n| nda.txt | not stated |  |\n\n> \"cap\" [1]  \n> \u2014 *msa.pdf, p. 9*")
    answer = Answer("Compare the liability caps", text, CITES[:1], True, "", (TableRow("msa.pdf", "150%", "found", 1),
                                                                             TableRow("nda.txt", "not stated", "not stated")))
    out, _ = transcript_html([Turn(answer.question, answer)], "ws")
    assert out.count("<table") == 1 and "None" not in out and out.count("msa.pdf</td>") == 1


def _finding(clause_id, status, severity="high", group="Legal", evidence=(), missing=(), met=()):
    per_element = tuple((m, evidence[0]) for m in met)
    return ClauseFinding(clause_id, clause_id.title(), group, severity, status, 0.8, missing, met, evidence, "Use this wording.", "why", per_element)


def _results():
    ev = Evidence(Span("d1", "msa.pdf", 100, 160, "text", 9, 9, "12 TERMINATION > 12.3 Termination for convenience"), 0.9, True, (), 0.7)
    a = AuditResult("msa.pdf", "document", ("d1",), ("msa.pdf",), (
        _finding("termination_for_convenience", "present", evidence=(ev,), met=("convenience_right", "notice_period")),
        _finding("exit", "missing", severity="medium", group="Exit"),
        _finding("sla", "weak", severity="low", group="Service", evidence=(ev,), missing=("named_metric",)),
    ))
    b = AuditResult("broken.pdf", "document", ("d2",), ("broken.pdf",), error="no text")
    return [a, b]


def test_audit_rows_filters_and_downloads_follow_the_table(tmp_path):
    from assistant import element_names, load_playbook
    from assistant.shells.reports import finding_rows
    from assistant.shells.web.views import (
        audit_table_html,
        filter_rows,
        filtered_results,
        linked_span,
        write_downloads,
    )

    playbook = load_playbook()
    names = element_names(playbook)
    results = _results()
    rows = finding_rows(results, names, worst_first=True)
    assert [r.status for r in rows] == ["missing", "weak", "present", "error"]  # worst first; error rows kept
    assert rows[0].suggested == "Use this wording." and rows[2].suggested == ""
    shown = filter_rows(rows, statuses=["weak", "missing"], severities=["low"])
    assert [r.status for r in shown] == ["weak", "error"]
    assert filter_rows(rows) == rows
    html, links = audit_table_html(shown)
    assert "class='weak'" in html and "data-passage='e0-2-0'" in html and "named_metric" in html and "no text" in html
    cut = filtered_results(results, shown)
    assert [f.status for f in cut[0].findings] == ["weak"] and cut[1].error == "no text"
    files = write_downloads(cut, tmp_path / "out", "audit", {})
    assert {p.suffix for p in files.values()} == {".csv", ".xlsx", ".json", ".md"}
    assert "weak" in files["csv"].read_text() and "present" not in files["csv"].read_text().split("\n", 1)[1]
    span, label = linked_span(links, "e0-2-0")
    assert (span.doc_id, span.start, span.end, span.page) == ("d1", 100, 160, 9) and label == "Evidence: Sla"
    # each met element links to the passage where it was found, under its readable name
    present, links = audit_table_html([r for r in rows if r.status == "present"])
    assert "found: " in present and "data-passage='m0-0-1'" in present and ">Notice period</a>" in present
    span, label = linked_span(links, "m0-0-1")
    assert (span.doc_id, span.start, span.end) == ("d1", 100, 160) and label == "Termination_For_Convenience: Notice period"
    assert linked_span(links, "m0-0-7") is None and linked_span(links, "zz") is None


def test_launch_options_offline_theme_and_login(tmp_path):
    from assistant.shells.web.app import create_app, launch_options
    from assistant.shells.web.assets import CSS, THEME
    from assistant.shells.web.views import llm_env_help

    settings = Settings(data_dir=tmp_path / "a", auth_users={"a": "b-password"}, server_host="0.0.0.0", server_port=9100)
    demo = create_app(settings)
    opts = launch_options(settings, demo)
    assert opts["auth"] == demo.gate.auth and opts["server_name"] == "0.0.0.0" and opts["server_port"] == 9100
    open_settings = Settings(data_dir=tmp_path / "b")
    assert launch_options(open_settings, create_app(open_settings))["auth"] is None
    assert opts["ssr_mode"] is False and opts["share"] is False
    assert THEME._stylesheets == []  # no web fonts: nothing to fetch from outside
    assert not re.search(r"https?://|@import|url\(", CSS)
    assert os.environ.get("GRADIO_ANALYTICS_ENABLED") == "False"
    env = dict(llm_env_help())
    assert "CONTRACT_ASSISTANT_LLM_PROVIDER" in env and "ollama" in env["CONTRACT_ASSISTANT_LLM_PROVIDER"]
    assert "CONTRACT_ASSISTANT_LLM_MODEL" in env and "CONTRACT_ASSISTANT_LLM_BASE_URL" in env


def test_every_event_serves_as_many_users_at_once_as_the_setting_allows(tmp_path):
    """Gradio's own default would run each event for one user at a time (one user's audit waiting for every other's)."""
    from assistant.shells.web.app import create_app

    demo = create_app(Settings(data_dir=tmp_path / "a", server_concurrency=7))
    queue = demo._queue  # the queue the app will run its events through
    limits = {fn.name: queue.default_concurrency_limit if fn.concurrency_limit == "default" else fn.concurrency_limit
              for fn in demo.fns.values() if fn.queue}
    assert {"ask_question", "audit", "load", "show_link", "ingest"} <= set(limits)
    assert set(limits.values()) == {7}, {name: limit for name, limit in limits.items() if limit != 7}
    assert Settings(data_dir=tmp_path / "b").server_concurrency >= 20  # the load run's 20 users at once
