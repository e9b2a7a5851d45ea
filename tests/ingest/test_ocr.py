"""OCR of page images: boxes into lines in reading order, the bundled engine offline and checked, per-page errors."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from assistant.core.errors import OcrPageError
from assistant.index.embeddings import verify_file
from assistant.ingest import ocr
from assistant.ingest.ocr import (
    OcrEngine,
    ScanReader,
    TextBox,
    models_dir,
    page_text,
    text_box,
    text_lines,
)

from ..documents import blank_page_image, make_pdf, page_images, save_images_as_pdf


def _box(text: str, left: float, middle: float, height: float = 20) -> TextBox:
    return TextBox(text, left, middle, height)


def test_boxes_become_lines_in_reading_order():
    boxes = [  # as an engine may list them: out of order, a line split into pieces, a slightly lower piece
        _box("may terminate", 300, 131),
        _box("12.3 The Customer", 100, 130),
        _box("on notice.", 100, 160),
        _box("12. Termination", 100, 100),
        _box("for convenience", 520, 133),
    ]
    lines = text_lines(boxes)
    assert [[b.text for b in line] for line in lines] == [
        ["12. Termination"], ["12.3 The Customer", "may terminate", "for convenience"], ["on notice."]]
    assert page_text(boxes) == "12. Termination\n12.3 The Customer may terminate for convenience\non notice."


def test_a_wide_gap_between_lines_starts_a_paragraph():
    boxes = [_box("1. Services", 100, 100), _box("The Supplier shall", 100, 130), _box("provide them.", 100, 160),
             _box("2. Charges", 100, 250), _box("The Customer pays.", 100, 280)]
    assert page_text(boxes) == "1. Services\nThe Supplier shall\nprovide them.\n\n2. Charges\nThe Customer pays."


def test_glued_clause_numbers_and_full_width_punctuation_are_repaired():
    boxes = [_box("12.TERMINATION", 100, 100), _box("terms；provided", 100, 130), _box("3.5% of the fees", 100, 160)]
    assert page_text(boxes) == "12. TERMINATION\nterms;provided\n3.5% of the fees"


def test_a_box_keeps_the_height_of_its_sides_when_skewed():
    box = text_box([[10, 100], [1010, 120], [1010, 140], [10, 120]], "a slightly skewed line")
    assert box.left == 10 and box.middle == 120 and box.height == 20


def test_the_bundled_models_are_inside_the_installed_package_and_match_their_pinned_sha256():
    folder = models_dir()
    assert folder.parent.name == "rapidocr"
    for file_name, sha256 in ocr.MODELS.values():
        verify_file(folder / file_name, sha256, file_name, ocr.RAPIDOCR)  # raises ModelIntegrityError otherwise


def test_the_engine_reads_a_page_with_the_network_blocked(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pdf = make_pdf(tmp_path / "notice.pdf", ["12. TERMINATION\nThe Customer may terminate on six (6) months' notice."])
    image = np.asarray(page_images(pdf)[0].convert("L"))
    text = page_text(OcrEngine().read(image))  # a fresh engine: its models load here, offline
    assert "TERMINATION" in text and "six (6) months" in text


def test_a_model_that_is_not_the_pinned_one_is_refused_per_page(tmp_path, monkeypatch):
    pdf = save_images_as_pdf(tmp_path / "scan.pdf", page_images(make_pdf(tmp_path / "a.pdf", ["1. Scope\nThe services."])))
    monkeypatch.setitem(ocr.MODELS, "Det", (ocr.MODELS["Det"][0], "0" * 64))
    texts, failures = ScanReader(OcrEngine()).read(pdf.read_bytes(), "scan.pdf", [1])
    assert texts == {}
    assert isinstance(failures[0], OcrPageError) and failures[0].page == 1
    assert "scan.pdf: page 1: the OCR engine could not start" in str(failures[0]) and "sha256" in str(failures[0])


def test_a_blank_page_is_an_error_naming_file_and_page(tmp_path):
    pdf = save_images_as_pdf(tmp_path / "blank.pdf", [blank_page_image(100)], 100)
    texts, failures = ScanReader(ocr.shared_engine()).read(pdf.read_bytes(), "blank.pdf", [1])
    assert texts == {} and [f.page for f in failures] == [1]
    assert str(failures[0]).startswith("blank.pdf: page 1: OCR recognised no text") and failures[0].reason == "ocr_failed"


def test_a_file_pdfium_cannot_open_fails_every_page_asked_for():
    texts, failures = ScanReader(ocr.shared_engine()).read(b"%PDF-1.7 not really", "broken.pdf", [1, 2])
    assert texts == {} and [f.page for f in failures] == [1, 2]
    assert all("could not be rendered for OCR" in str(f) for f in failures)


@pytest.mark.parametrize("page, number, total, label", [(3, 3, 12, "OCR page 3/12 of scan.pdf"), (5, 2, 3, "OCR page 5 (2/3) of scan.pdf")])
def test_progress_labels(page, number, total, label):
    assert ocr.OcrProgress("uploads/scan.pdf", page, number, total).label() == label
