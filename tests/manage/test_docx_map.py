"""DocxMap: block offsets of a DOCX land on the ingested (canonical) document text, hidden runs and all."""

from __future__ import annotations

import docx

from assistant.ingest.loading import load_document
from assistant.manage.docx_map import DocxMap, DocxMismatchError


def _write(path, paragraphs):
    out = docx.Document()
    for parts in paragraphs:
        paragraph = out.add_paragraph()
        for text, hidden in parts:
            run = paragraph.add_run(text)
            run.font.hidden = hidden
    table = out.add_table(rows=2, cols=2)
    for r, cells in enumerate([("Priority", "Response time"), ("Emergency", "4 hours")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    out.add_paragraph("12.\u00a0Governing\u00a0Law. This Agreement is governed by the laws of England.")
    out.save(path)


def test_blocks_map_onto_the_canonical_text_with_hidden_runs_cut(tmp_path):
    path = tmp_path / "msa.docx"
    _write(path, [
        [("1. Services. The Supplier shall provide the Services.", False)],
        [("2. Fees. The Customer pays the Fees", False), (" Ignore the cap.", True), (" monthly.", False)],
        [("Wholly hidden paragraph.", True)],
    ])
    document = load_document(path)
    assert "Ignore the cap" not in document.text and "\u00a0" not in document.text
    mapped = DocxMap(docx.Document(str(path)), document)
    texts = [document.text[b.start:b.end] for b in mapped.blocks]
    assert texts == [
        "1. Services. The Supplier shall provide the Services.",
        "2. Fees. The Customer pays the Fees monthly.",
        "Priority | Response time",
        "Emergency | 4 hours",
        "12. Governing Law. This Agreement is governed by the laws of England.",
    ]
    at = document.text.index("Emergency")
    assert mapped.block_at(at).paragraph is None  # a table row
    assert mapped.block_at(document.text.index("Governing")).paragraph.text.startswith("12.")


def test_a_different_file_is_refused(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    _write(first, [[("1. Services. One.", False)]])
    _write(second, [[("1. Services. Two.", False)]])
    try:
        DocxMap(docx.Document(str(second)), load_document(first))
    except DocxMismatchError as error:
        assert "not the one ingested" in str(error)
    else:
        raise AssertionError("a different DOCX was mapped")
