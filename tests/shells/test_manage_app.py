"""The contract-management tabs in a real browser (Debian Chromium through Playwright): the review grid with a
citation opened in the viewer, the side-by-side comparison of the MSA with an edited draft, and the redline download."""

from __future__ import annotations

import os
import re
import zipfile

import pytest
from openpyxl import load_workbook

from assistant import Settings, Workspace

from ..browser import CHROMIUM_ARGS, open_tab
from ..paths import CORPUS, REPO
from .test_app import _free_port, _settle, _wait_http_ok

SHOTS = REPO / os.environ.get("CONTRACT_ASSISTANT_SCREENSHOTS", "artifacts/screenshots")
NOTICE = "for convenience at any\ntime by giving the Supplier not less than six (6) months' written notice."


@pytest.fixture
def app_with_corpus(tmp_path, cache_dir):
    from assistant.shells.web.app import create_app, launch_options

    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="default", server_host="127.0.0.1", server_port=_free_port())
    ws = Workspace(settings)
    ws.ingest([CORPUS / "harbourline_veridian"], deal="Harbourline / Veridian")
    ws.ingest([CORPUS / "standalone"])
    draft = tmp_path / "msa_counterparty_draft.txt"
    draft.write_text(ws.document("msa.pdf").text.replace(NOTICE, "for convenience by written notice to the Supplier."), encoding="utf-8")
    ws.ingest([draft])
    ws.close()
    demo = create_app(settings)
    demo.launch(**launch_options(settings, demo, prevent_thread_lock=True))
    url = f"http://127.0.0.1:{settings.server_port}/"
    _wait_http_ok(url, 30)
    yield url
    demo.close()
    demo.pool.close()


def pick(page, elem_id: str, option: str) -> None:
    """Choose ``option`` in a Gradio dropdown the way a user does: open it, type, click the option."""
    box = page.locator(f"#{elem_id} input")
    box.click()
    box.fill(option[:12])
    page.locator(f"li[role=option][aria-label='{option}']:visible").first.click()


def test_browser_grid_compare_redline(app_with_corpus, chromium, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 860}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)
        try:
            page.goto(app_with_corpus)
            expect(page.locator("#workspace-status")).to_contain_text("12 documents")

            # Grid: two questions over every document; a cell's citation opens its passage.
            open_tab(page, "Grid")
            page.locator("#grid-questions textarea").fill("Which law governs the agreement?\nHow much notice is needed to terminate for convenience?")
            page.locator("#grid-run").click()
            grid = page.locator("#grid-view table.review-grid")
            expect(grid).to_be_visible(timeout=90_000)
            msa_row = grid.locator("tr", has_text="msa.pdf").first
            expect(msa_row).to_contain_text("England and Wales")
            expect(msa_row).to_contain_text("six (6) months")
            expect(grid.locator("tr", has_text="nimbusgrid_cloud_terms.docx")).to_contain_text("State of New York")
            msa_row.locator("a.ev").first.click()
            viewer = page.locator("#passage-viewer")
            expect(viewer.locator("mark")).to_contain_text("England and Wales")
            expect(viewer).to_contain_text("msa.pdf")
            _settle(page)
            page.screenshot(path=str(SHOTS / "grid.png"))
            page.locator("#close-viewer").click()
            with page.expect_download() as info:
                page.locator("#grid-xlsx").click()
            info.value.save_as(tmp_path / "grid.xlsx")
            cited = load_workbook(tmp_path / "grid.xlsx")["Citations"]
            assert any(r[0] == "msa.pdf" and "England and Wales" in (r[-1] or "") for r in cited.iter_rows(min_row=2, values_only=True))

            # Compare: the counterparty draft against the MSA; the weakened clause is flagged, high severity.
            open_tab(page, "Compare")
            pick(page, "compare-doc", "msa_counterparty_draft.txt")
            pick(page, "compare-against", "msa.pdf")
            page.locator("#compare-run").click()
            changed = page.locator("#compare-view tr.changed")
            expect(changed).to_have_count(1, timeout=60_000)
            expect(changed).to_contain_text("Termination for convenience \u00b7 high \u00b7 lost: Notice period")
            expect(changed.locator("del").last).to_contain_text("not less than six (6) months'")
            changed.locator("a.ev").last.click()
            expect(viewer).to_contain_text("msa_counterparty_draft.txt")
            expect(viewer.locator("mark")).to_contain_text("12.3")
            _settle(page)
            page.screenshot(path=str(SHOTS / "compare.png"))
            page.locator("#close-viewer").click()

            # Redline: a Word contract comes back with tracked changes to download.
            open_tab(page, "Redline")
            pick(page, "redline-doc", "nimbusgrid_cloud_terms.docx")
            page.locator("#redline-run").click()
            expect(page.locator("#redline-view")).to_contain_text("Word redline with tracked changes", timeout=60_000)
            expect(page.locator("#redline-view")).to_contain_text("Exit management")
            with page.expect_download() as info:
                page.locator("#redline-download").click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            assert path.name.endswith(".redline.docx")
            xml = zipfile.ZipFile(path).read("word/document.xml").decode()
            assert len(re.findall(r'<w:ins [^>]*w:author="Contract assistant"', xml)) > 10
            assert b"Contract assistant" in zipfile.ZipFile(path).read("word/comments.xml")
            _settle(page)
            page.screenshot(path=str(SHOTS / "redline.png"))

            # Deadlines and the life-cycle view render with their citations.
            open_tab(page, "Deadlines")
            days = page.locator("#deadlines-days input")
            days.fill("0")
            days.press("Tab")  # leave the field before Run: a click right after typing was once sent with the old 90 days
            page.locator("#deadlines-run").click()
            expect(page.locator("#deadlines-view")).to_contain_text("28 Feb 2030")
            expect(page.locator("#deadlines-view")).to_contain_text("depends on the Commencement Date")
            page.screenshot(path=str(SHOTS / "deadlines.png"))
            open_tab(page, "Life cycle")
            pick(page, "lifecycle-subject", "Harbourline / Veridian (deal)")
            page.locator("#lifecycle-run").click()
            expect(page.locator("#lifecycle-view")).to_contain_text("10 present, 0 weak, 0 missing")
            page.screenshot(path=str(SHOTS / "lifecycle.png"))
        finally:
            browser.close()
