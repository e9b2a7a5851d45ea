"""Real test documents made on the fly: PDFs (text, encrypted, image-only, corrupt), DOCX, HTML, odd encodings."""

from __future__ import annotations

from pathlib import Path

CONTRACT_PAGES = [
    "MASTER SERVICES AGREEMENT\n1. DEFINITIONS\n1.1 \"Services\" means the IT services described in Schedule 1.\n"
    "2. TERM\n2.1 This Agreement starts on the Effective Date and continues for five (5) years.",
    "12. TERMINATION\n12.1 Termination for cause. Either party may terminate this Agreement if the other commits a material breach "
    "which is not remedied within thirty (30) days.\n12.3 Termination for convenience. The Customer may terminate this Agreement "
    "for convenience on six (6) months' written notice.",
    "SCHEDULE 4 EXIT MANAGEMENT\n1. Exit Plan\n1.1 The Supplier shall deliver an Exit Plan within three (3) months of the Effective Date.",
]


def make_pdf(path: Path, pages: list[str] = CONTRACT_PAGES) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_name("plain-" + path.name))
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password=password, owner_password=password)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def scan_image(width: int = 400, height: int = 560):
    """A grey page with dark bars where lines of text would be, as a scanner would give it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(image)
    for row in range(40):
        draw.rectangle([30, 30 + row * 12, width - 30 - (row % 7) * 20, 36 + row * 12], fill=40)
    return image


def make_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """Like a scan: pages that are images, no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(scan_image(), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Statement of Work 7", level=0)
    document.add_heading("1. Scope", level=1)
    document.add_paragraph("1.1 The Supplier shall provide a 24x7 service desk for all Customer sites.")
    document.add_heading("2. Charges", level=1)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Item", "Monthly charge"), ("Service desk", "GBP 40,000"), ("Desktop support", "GBP 25,000")]):
        for col, value in enumerate(cells):
            table.cell(row, col).text = value
    document.add_paragraph("2.2 Invoices are payable within thirty (30) days of receipt.")
    document.save(str(path))
    return path


HTML = """<!doctype html><html><head><title>DPA</title><style>p{color:red}</style><script>var x = "not text";</script></head>
<body><h1>Data Processing Agreement</h1><h2>1. Breach notification</h2>
<p>The Processor shall notify the Controller of a Personal Data Breach within <b>24 hours</b>.</p>
<table><tr><th>Category</th><th>Data subjects</th></tr><tr><td>Contact data</td><td>Employees</td></tr></table>
<h2>2. Deletion</h2><p>On termination the Processor shall delete all Personal Data within 30 days.</p></body></html>"""


def make_html(path: Path) -> Path:
    path.write_text(HTML, encoding="utf-8")
    return path


def page_images(pdf_path: Path, dpi: int = 200) -> list:
    """Each page of a PDF as a picture (pypdfium2), as a scanner would see it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def blank_page_image(dpi: int = 200):
    """A white A4 page, as a scan of an empty sheet."""
    from PIL import Image

    return Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), "white")


def save_images_as_pdf(path: Path, images: list, dpi: int = 200) -> Path:
    """A PDF of page images only, with no text layer (what a scanner writes)."""
    images[0].save(str(path), "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path


def make_scanned_pdf(path: Path, pages: list[str] = CONTRACT_PAGES, dpi: int = 200) -> Path:
    """A contract printed and scanned: the text PDF's pages rendered to images, saved as an image-only PDF."""
    return save_images_as_pdf(path, page_images(make_pdf(path.with_name("printed-" + path.name), pages), dpi), dpi)


def make_mixed_pdf(path: Path, pages: list[str] = CONTRACT_PAGES[:2], dpi: int = 200) -> Path:
    """Page 1 with its text layer, page 2 a scanned image (a signed page scanned back in, say)."""
    from pypdf import PdfReader, PdfWriter

    text = make_pdf(path.with_name("text-" + path.name), pages)
    scan = save_images_as_pdf(path.with_name("scan-" + path.name), page_images(text, dpi)[1:2], dpi)
    writer = PdfWriter()
    writer.add_page(PdfReader(str(text)).pages[0])
    writer.add_page(PdfReader(str(scan)).pages[0])
    with path.open("wb") as handle:
        writer.write(handle)
    return path
