"""Scanned and mixed PDFs through the public API: pages without a text layer are read by OCR, page by page, and
what came from OCR says so (the document, its chunks, its citations); a page OCR cannot read is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Settings, Workspace
from assistant.core.errors import ScannedDocumentError
from assistant.ingest.loading import load_document

from ..documents import (
    CONTRACT_PAGES,
    blank_page_image,
    make_mixed_pdf,
    make_pdf,
    make_scanned_pdf,
    page_images,
    save_images_as_pdf,
)

QUESTION = "How much notice is needed to terminate the agreement for convenience?"


@pytest.fixture(scope="module")
def scans(tmp_path_factory, cache_dir):
    """One workspace with a scanned, a mixed and a partly unreadable PDF, ingested once (OCR takes seconds a page)."""
    folder = tmp_path_factory.mktemp("scans")
    files = {
        "scan": make_scanned_pdf(folder / "scan.pdf", CONTRACT_PAGES[:2]),
        "mixed": make_mixed_pdf(folder / "mixed.pdf"),
    }
    pages = page_images(make_pdf(folder / "printed.pdf", CONTRACT_PAGES[:2]))
    files["holes"] = save_images_as_pdf(folder / "holes.pdf", [pages[0], blank_page_image(), blank_page_image(), pages[1]])
    heard = []
    ws = Workspace(Settings(data_dir=folder / "data", cache_dir=cache_dir, workspace="scans"))
    report = ws.ingest(list(files.values()), ocr_progress=heard.append)
    yield ws, report, files, heard
    ws.close()


def _result(report, path: Path):
    return next(f for f in report.files if f.path == str(path))


def test_a_scanned_pdf_is_read_by_ocr_with_its_structure(scans):
    ws, report, files, _ = scans
    result = _result(report, files["scan"])
    assert result.status == "added" and result.ocr_pages == (1, 2) and result.warnings == ()
    document = ws.document("scan.pdf")
    assert document.ocr_pages == (1, 2) and document.pages == 2
    for words in ("DEFINITIONS", "12. TERMINATION", "Termination for convenience", "six (6) months' written notice"):
        assert words in " ".join(document.text.split())
    assert document.page_at(document.text.index("12. TERMINATION")) == 2
    chunks = ws.index.chunks(document.id)
    assert any(c.section_path.startswith("12 TERMINATION > 12.3") for c in chunks)
    assert all(document.text[c.start:c.end] == c.text for c in chunks)
    assert all(c.ocr_pages and c.span.ocr for c in chunks)


def test_a_mixed_pdf_keeps_its_text_page_and_reads_only_the_scanned_one(scans):
    ws, report, files, heard = scans
    assert _result(report, files["mixed"]).ocr_pages == (2,)
    document = ws.document("mixed.pdf")
    text_layer = load_document(files["mixed"].with_name("text-mixed.pdf"))  # the same pages, all with their text layer
    first_page = document.text[: document.page_starts[1]].strip()
    assert first_page == text_layer.text[: text_layer.page_starts[1]].strip()
    assert document.ocr_pages == (2,) and "12. TERMINATION" in document.text[document.page_starts[1]:]
    chunks = ws.index.chunks(document.id)
    assert all(document.text[c.start:c.end] == c.text for c in chunks)
    page_one = [c for c in chunks if c.page_end == 1]
    assert page_one and not any(c.span.ocr for c in page_one)
    assert [(p.page, p.number, p.total) for p in heard if p.file_name.endswith("mixed.pdf")] == [(2, 1, 1)]


def test_pages_ocr_cannot_read_are_warnings_and_the_rest_is_kept(scans):
    ws, report, files, heard = scans
    result = _result(report, files["holes"])
    assert result.status == "added" and result.ocr_pages == (1, 4)
    assert [w.split(": ")[:2] for w in result.warnings] == [["holes.pdf", "page 2"], ["holes.pdf", "page 3"]]
    assert all("OCR recognised no text" in w for w in result.warnings)
    document = ws.document("holes.pdf")
    assert document.pages == 4 and document.page_at(document.text.index("12. TERMINATION")) == 4  # empty pages keep their numbers
    assert [(p.page, p.number, p.total) for p in heard if p.file_name.endswith("holes.pdf")] == [(1, 1, 4), (2, 2, 4), (3, 3, 4), (4, 4, 4)]


def test_a_citation_from_a_scanned_page_says_it_was_read_by_ocr(scans):
    ws, *_ = scans
    answer = ws.ask(QUESTION)
    assert answer.answered and answer.citations
    cited = answer.citations[0].span
    assert cited.ocr and "six (6) months" in " ".join(cited.text.split())
    assert ws.document(cited.doc_id).text[cited.start:cited.end] == cited.text
    assert f"p. {cited.page} (OCR)" in answer.text


def test_a_pdf_with_no_readable_page_is_refused_with_a_clear_error(tmp_path, settings):
    path = save_images_as_pdf(tmp_path / "blank-scan.pdf", [blank_page_image(100), blank_page_image(100)], 100)
    ws = Workspace(settings)
    try:
        result = ws.ingest([path]).files[0]
    finally:
        ws.close()
    assert result.status == "failed" and result.reason == "scanned"
    assert "blank-scan.pdf" in result.detail and "OCR read no text" in result.detail and "page 1" in result.detail


def test_with_ocr_off_a_scan_is_refused_and_says_which_setting(tmp_path, settings):
    path = save_images_as_pdf(tmp_path / "scan.pdf", [blank_page_image(100)], 100)
    ws = Workspace(settings.model_copy(update={"ocr": False}))
    try:
        result = ws.ingest([path]).files[0]
    finally:
        ws.close()
    assert result.status == "failed" and result.reason == "scanned" and "setting ocr" in result.detail
    with pytest.raises(ScannedDocumentError, match="no text layer"):
        load_document(path)
