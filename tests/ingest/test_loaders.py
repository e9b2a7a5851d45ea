"""Every loader, the offset invariant on every loader, and the bad-input errors."""

from __future__ import annotations

import pytest

from assistant.core.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    ScannedDocumentError,
    UnsupportedFileError,
)
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loading import load_document

from ..documents import (
    make_docx,
    make_encrypted_pdf,
    make_html,
    make_image_only_pdf,
    make_pdf,
)


def assert_offsets(document, max_tokens=60):
    chunks = chunk_document(document, max_tokens=max_tokens, min_tokens=8)
    assert chunks, "no chunks"
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip() == chunk.text and chunk.text
        assert 1 <= chunk.page_start <= chunk.page_end <= document.pages
    return chunks


def test_pdf_pages_and_offsets(tmp_path):
    document = load_document(make_pdf(tmp_path / "msa.pdf"))
    assert document.kind == "pdf" and document.pages == 3
    offset = document.text.index("Termination for convenience")
    assert document.page_at(offset) == 2
    assert document.page_at(document.text.index("Exit Plan within")) == 3
    chunks = assert_offsets(document)
    convenience = next(c for c in chunks if "six (6) months" in " ".join(c.text.split()))
    assert convenience.page_start == 2
    assert "12.3 Termination for convenience" in convenience.section_path


def test_same_content_same_id(tmp_path):
    first = load_document(make_pdf(tmp_path / "a.pdf"))
    (tmp_path / "b.pdf").write_bytes((tmp_path / "a.pdf").read_bytes())
    assert load_document(tmp_path / "b.pdf").id == first.id
    assert load_document(make_docx(tmp_path / "c.docx")).id != first.id


def test_docx_headings_tables_and_offsets(tmp_path):
    document = load_document(make_docx(tmp_path / "sow.docx"))
    assert document.title == "Statement of Work 7"
    assert "Service desk | GBP 40,000" in document.text
    headings = [document.text[h.start : h.end] for h in document.headings]
    assert headings == ["Statement of Work 7", "1. Scope", "2. Charges"]
    chunks = assert_offsets(document, max_tokens=30)
    assert any("> 2. Charges" in c.section_path and "thirty (30) days" in c.text for c in chunks)


def test_html_drops_scripts_keeps_headings_and_tables(tmp_path):
    document = load_document(make_html(tmp_path / "dpa.html"))
    assert "not text" not in document.text and "color:red" not in document.text
    assert "within 24 hours" in document.text
    assert "Contact data | Employees" in document.text
    assert [document.text[h.start : h.end] for h in document.headings][:2] == ["Data Processing Agreement", "1. Breach notification"]
    assert_offsets(document, max_tokens=20)


def test_markdown_headings(tmp_path):
    path = tmp_path / "sow.md"
    path.write_text("# SOW 2\n\n## 1. Hosting\n\nThe Supplier hosts the ERP.\n\n## 2. Migration\n\nOne-off charge GBP 90,000.\n", encoding="utf-8")
    document = load_document(path)
    assert document.title == "SOW 2"
    chunks = assert_offsets(document, max_tokens=12)
    assert any("2. Migration" in c.section_path and "GBP 90,000" in c.text for c in chunks)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_text_encodings(tmp_path, encoding):
    text = "1. Fees\nThe fee is 5,000 \u00a3 per month; the caf\u00e9 r\u00e9sum\u00e9 clause applies.\n2. Law\nEnglish law governs."
    path = tmp_path / f"fees-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    document = load_document(path)
    assert "caf\u00e9 r\u00e9sum\u00e9" in document.text and "\u00a3" in document.text
    assert_offsets(document, max_tokens=10)


def test_crlf_text_is_read_with_line_feeds_and_maps_back_to_the_file(tmp_path):
    path = tmp_path / "crlf.txt"
    raw = "1. Term\r\nFive years.\r\n2. Law\r\nEnglish law.\r\n"
    path.write_bytes(raw.encode())
    document = load_document(path)
    assert "\r" not in document.text and document.text.startswith("1. Term\nFive years.\n2. Law")
    start = document.text.index("English law.")
    a, b = document.source_span(start, start + len("English law."))
    assert raw[a:b] == "English law."
    assert_offsets(document, max_tokens=5)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda p: make_encrypted_pdf(p / "locked.pdf"), EncryptedDocumentError, "password"),
        (lambda p: make_image_only_pdf(p / "scan.pdf"), ScannedDocumentError, "no text layer"),
        (lambda p: _write(p / "broken.pdf", b"%PDF-1.7\n1 0 obj<<>>garbage"), CorruptDocumentError, "damaged"),
        (lambda p: _write(p / "fake.pdf", b"hello, I am not a pdf"), CorruptDocumentError, "not a PDF"),
        (lambda p: _write(p / "empty.pdf", b""), EmptyDocumentError, "empty"),
        (lambda p: _write(p / "blank.txt", b"  \n\n "), EmptyDocumentError, "empty"),
        (lambda p: _write(p / "photo.jpg", b"\xff\xd8\xff\xe0"), UnsupportedFileError, "supported: .docx"),
        (lambda p: _write(p / "broken.docx", b"PK\x03\x04 not really a zip"), CorruptDocumentError, "DOCX"),
        (lambda p: _write(p / "binary.txt", b"\x00\x01\x02binary\x00"), UnsupportedFileError, "binary"),
    ],
)
def test_bad_input_raises_typed_error_naming_file(tmp_path, make, error, words):
    path = make(tmp_path)
    with pytest.raises(error) as raised:
        load_document(path)
    assert path.name in str(raised.value)
    assert words in str(raised.value)


def test_huge_file_refused(tmp_path):
    path = _write(tmp_path / "big.txt", b"clause text. " * 100_000)
    with pytest.raises(FileTooLargeError, match="over the 1 MB limit"):
        load_document(path, max_bytes=1_000_000)


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
