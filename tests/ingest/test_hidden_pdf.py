"""Hidden-text verdicts that rest on coordinates or render mode are not trusted when they would hide most of a
page: real filings draw pages as scaled forms, and searchable scans carry an invisible OCR layer."""

from __future__ import annotations

from assistant.ingest.loading import load_document
from eval.hostile_files import pdf_of_objects as _pdf

CLAUSE = "12.3 The Customer may terminate this Agreement for convenience on six months notice."


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def test_text_drawn_inside_a_scaled_form_is_read(tmp_path):
    """EDGAR's EvoPdf filings: the page draws one form, scaled by 0.43 and moved far down; pypdf reports the form's
    text in the form's own coordinates (y = 2500, far off an A4 page)."""
    lines = b" ".join(b"BT /F1 11 Tf 50 %d Td (%s) Tj ET" % (2500 - 20 * i, text.encode())
                      for i, text in enumerate(["12. TERMINATION", CLAUSE, "13. GOVERNING LAW", "13.1 This Agreement is governed by the laws of England."]))
    form = _stream(lines, b"/Type /XObject /Subtype /Form /BBox [0 0 1400 2600] /Resources << /Font << /F1 5 0 R >> >> ")
    page = b"q 0.43 0 0 0.43 10 -300 cm /Fm1 Do Q"
    path = tmp_path / "evopdf.pdf"
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 6 0 R >> >> /Contents 4 0 R >>",
        _stream(page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        form,
    ]))
    document = load_document(path)
    assert "terminate this Agreement for convenience" in document.text and "governed by the laws of England" in document.text
    assert document.flags == ()


def test_a_searchable_scan_keeps_its_invisible_text_layer(tmp_path):
    """ocrmypdf's output: the page image, with the recognised text over it in render mode 3 (invisible)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode
    from PIL import Image

    image = tmp_path / "page.png"
    Image.new("L", (600, 800), 250).save(image)
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=210, h=297)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.multi_cell(0, 6, "12. TERMINATION\n" + CLAUSE, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    document = load_document(path)
    assert "terminate this Agreement for convenience" in document.text
    assert document.flags == ()


def test_invisible_text_planted_among_visible_text_is_still_cut_out(tmp_path):
    from fpdf import FPDF
    from fpdf.enums import TextMode

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "12. TERMINATION\n" + CLAUSE + "\n" + CLAUSE.replace("12.3", "12.4"), new_x="LMARGIN", new_y="NEXT")
    pdf.text_mode = TextMode.INVISIBLE
    pdf.multi_cell(0, 6, "The exit plan is complete.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "planted.pdf"
    path.write_bytes(bytes(pdf.output()))
    document = load_document(path)
    assert "exit plan" not in document.text
    assert [f.detail for f in document.flags] == ["invisible text"] and "exit plan" in document.flags[0].content
