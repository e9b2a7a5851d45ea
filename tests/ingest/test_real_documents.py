"""Contracts as users have them (issue: real documents): EDGAR-style PDFs and text files with non-breaking spaces,
running headers and page numbers, tables of contents, spaced numbering, and fee tables in DOCX, HTML and text.
Everything goes through the public API; every chunk and citation must stay verbatim at its offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Workspace

FILLER = ("The Supplier shall perform its obligations under this clause with all due skill, care and diligence, "
          "in accordance with Good Industry Practice and the Service Levels. ")


def verbatim(ws: Workspace, name: str):
    """Every chunk of the document is its text at its offsets; returns (document, chunks)."""
    document = ws.document(name)
    chunks = ws.chunks(name)
    assert chunks
    for chunk in chunks:
        assert document.text[chunk.start:chunk.end] == chunk.text
    return document, chunks


def cited_verbatim(ws: Workspace, answer) -> None:
    assert answer.citations
    for citation in answer.citations:
        span = citation.span
        assert ws.document(span.doc_id).text[span.start:span.end] == span.text


def _pdf(path: Path, pages: list[str], header: str = "", footer: bool = False) -> Path:
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT", align="C")
                self.set_font("Helvetica", size=11)

        def footer(self):
            if footer:
                self.set_y(-12)
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
                self.set_font("Helvetica", size=11)

    pdf = Paged(format="A4")
    pdf.alias_nb_pages()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# ------------------------------------------------------------------------------------------ PDF text


def test_words_joined_by_non_breaking_spaces_keep_their_headings(workspace, tmp_path):
    nb = "\u00a0"
    pages = [
        f"HOSTING{nb}SERVICES{nb}AGREEMENT\n1.{nb}Definitions.{nb}In this Agreement \"Services\" means the hosting services.\n"
        f"2.{nb}Services.{nb}The Supplier shall host the Customer's systems.",
        f"17.{nb}Governing{nb}Law.{nb}This{nb}Agreement{nb}is{nb}governed{nb}by{nb}the{nb}laws{nb}of{nb}the{nb}State{nb}of{nb}New{nb}York.\n"
        f"18.{nb}Notices.{nb}Notices shall be given in writing.",
    ]
    path = _pdf(tmp_path / "hosting.pdf", pages)
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "hosting.pdf")
    assert nb not in document.text
    paths = [c.section_path for c in chunks]
    assert any(p.startswith("17 Governing Law") for p in paths)
    assert all(p for p in paths[1:]), paths  # nothing after the first heading is "preamble"
    found = workspace.search("governing law", documents=["hosting.pdf"])
    assert "State of New York" in found[0].chunk.text and found[0].chunk.section_path.startswith("17 Governing Law")
    assert document.title == "HOSTING SERVICES AGREEMENT"


def test_running_headers_and_page_numbers_stay_out_and_a_sentence_across_a_page_break_is_one(workspace, tmp_path):
    first = ("MAINTENANCE AGREEMENT\n1. Services\n1.1 " + FILLER * 6 + "\n2. Payment\n2.1 " + FILLER * 2 +
             "Invoices are payable in euros at the rate of exchange on the")  # the page ends mid-sentence
    second = ("date of the invoice, and any amount not paid within thirty (30) days of the invoice date bears interest at four per "
              "cent (4%) above the base rate of the European Central Bank from the due date until payment.\n3. Liability\n3.1 Neither "
              "party's liability under this Agreement shall exceed the charges paid in the twelve (12) months before the claim.")
    third = "4. Term\n4.1 This Agreement continues for three (3) years. " + FILLER * 3
    path = _pdf(tmp_path / "maintenance.pdf", [first, second, third], header="CONFIDENTIAL - MAINTENANCE AGREEMENT - EXECUTION VERSION",
                footer=True)
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "maintenance.pdf")
    assert document.pages >= 3
    assert "CONFIDENTIAL - MAINTENANCE" not in document.text and "Page 1 of" not in document.text
    paths = {c.section_path.split(" > ")[0] for c in chunks}
    assert paths <= {"1 Services", "2 Payment", "3 Liability", "4 Term"}, paths
    spanning = [c for c in chunks if "rate of exchange on the" in c.text][0]
    assert "European Central Bank" in spanning.text  # the page break did not cut the clause
    answer = workspace.ask("What interest is charged on late payment?")
    cited_verbatim(workspace, answer)
    quote = answer.citations[0].span
    assert "rate of exchange on the date of the invoice" in " ".join(quote.text.split()) and "European Central Bank" in quote.text
    assert (quote.page, quote.page_end) == (1, 2) and "pp. 1-2" in answer.text  # a quote across a page break says so


def test_a_table_of_contents_is_not_read_as_headings(workspace, tmp_path):
    contents = ("OUTSOURCING AGREEMENT\nTABLE OF CONTENTS\nARTICLE I DEFINITIONS .......................... 1\n"
                "ARTICLE II SERVICES ............................ 2\nARTICLE III TERM AND TERMINATION ............... 2\n"
                "ARTICLE IV MISCELLANEOUS ....................... 3")
    body = [
        "ARTICLE I\nDEFINITIONS\n1.1 \"Services\" means the outsourced services. " + FILLER,
        "ARTICLE II\nSERVICES\n2.1 The Supplier shall provide the Services. " + FILLER + "\nARTICLE III\nTERM AND TERMINATION\n"
        "3.1 Either party may terminate this Agreement on ninety (90) days' notice.",
        "ARTICLE IV\nMISCELLANEOUS\n4.1 This Agreement is the entire agreement.",
    ]
    path = _pdf(tmp_path / "outsourcing.pdf", [contents] + body)
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "outsourcing.pdf")
    on_contents_page = [c for c in chunks if c.page_start == 1]
    assert all("MISCELLANEOUS" not in c.section_path for c in on_contents_page)
    termination = [c for c in chunks if "ninety (90) days" in c.text][0]
    assert termination.section_path.startswith("ARTICLE III TERM AND TERMINATION")
    assert termination.page_start == 3


# ------------------------------------------------------------------------------------------ text files


def test_spaced_and_mixed_numbering_and_cross_references(workspace, tmp_path):
    from assistant.ingest.structure import detect_sections

    text = ("SERVICES AGREEMENT\n\n"
            "ARTICLE 6 CHANGE CONTROL\n\n"
            "6. 1. Changes. Either party may propose a change.\n\n"
            "6. 2. 1. Change requests. A change request shall be in writing.\n\n"
            "Section 6.03 Costs. Each party bears its own costs, as set out in Section 12.1 (\"Term and Termination\"), "
            "and as described in\n12.1 (\"Term and Termination\"), (i) HSNS shall notify the Customer.\n\n"
            "ARTICLE IX LIABILITY\n\n"
            "9.1 Cap. Liability is capped at the fees paid.\n")
    path = tmp_path / "services.txt"
    path.write_text(text, encoding="utf-8")
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "services.txt")
    sections = {s.number: " > ".join(s.path) for s in detect_sections(document)}
    assert sections["6.1"] == "ARTICLE 6 CHANGE CONTROL > 6.1 Changes"
    assert sections["6.2.1"].endswith("6.2.1 Change requests")
    assert sections["6.03"] == "ARTICLE 6 CHANGE CONTROL > 6.03 Costs"
    assert "12.1" not in sections and not any("Term and Termination" in p for p in sections.values())  # cross-references
    assert sections["9.1"] == "ARTICLE IX LIABILITY > 9.1 Cap"
    assert [c.section_path for c in chunks if "capped" in c.text][0].startswith("ARTICLE IX LIABILITY")


# ------------------------------------------------------------------------------------------ tables

RESPONSE_ROWS = [("Priority", "Response time", "Resolution time"), ("Emergency", "4 hours", "1 Business Day"),
                 ("High", "8 hours", "3 Business Days"), ("Normal", "2 Business Days", "10 Business Days")]
LEAD = "2.1 The Supplier shall respond to and resolve each Incident within the times for its priority set out below:"


def _text_table(path: Path) -> Path:
    lines = ["SUPPORT SCHEDULE", "", "1. Definitions", "1.1 \"Incident\" means an unplanned interruption to the Services.", "",
             "2. Response times", LEAD, ""]
    lines += [f"{a:<16}{b:<18}{c}" for a, b, c in RESPONSE_ROWS]
    lines += ["", "3. Fees", "3.1 The fees are as follows:", "",
              "Installation fee ............................ 151'440.-- CHF",
              "Annual maintenance .......................... 12'000.-- CHF", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _docx_table(path: Path) -> Path:
    import docx

    out = docx.Document()
    out.add_paragraph("SUPPORT SCHEDULE", style="Title")
    out.add_paragraph("1. Definitions")
    out.add_paragraph("1.1 \"Incident\" means an unplanned interruption to the Services.")
    out.add_paragraph("2. Response times")
    out.add_paragraph(LEAD)
    table = out.add_table(rows=len(RESPONSE_ROWS), cols=3)
    for r, row in enumerate(RESPONSE_ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out.save(path)
    return path


def _html_table(path: Path) -> Path:
    rows = "".join("<tr>" + "".join(f"<{'th' if r == 0 else 'td'}>{v}</{'th' if r == 0 else 'td'}>" for v in row) + "</tr>"
                   for r, row in enumerate(RESPONSE_ROWS))
    path.write_text("<html><body><h1>SUPPORT SCHEDULE</h1><div>1. Definitions</div><div>1.1 \"Incident\" means an unplanned "
                    f"interruption to the Services.</div><div>2. Response times</div><p>{LEAD}</p><table>{rows}</table></body></html>",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("make, name", [(_text_table, "support.txt"), (_docx_table, "support.docx"), (_html_table, "support.html")])
def test_a_response_time_table_is_read_as_rows_with_their_header(workspace, tmp_path, make, name):
    make(tmp_path / name)
    workspace.ingest([tmp_path / name])
    document, chunks = verbatim(workspace, name)
    assert "Priority | Response time | Resolution time\nEmergency | 4 hours | 1 Business Day" in document.text
    answer = workspace.ask("What is the response time for an emergency incident?")
    cited_verbatim(workspace, answer)
    assert answer.key_value == "4 hours"
    assert answer.citations[0].span.text == "Emergency | 4 hours | 1 Business Day"
    answer = workspace.ask("How long does the supplier have to resolve a high priority incident?")
    assert answer.key_value == "3 Business Days"  # the value under the column the question names


def test_dot_leader_fees_are_rows(workspace, tmp_path):
    path = _text_table(tmp_path / "support.txt")
    workspace.ingest([path])
    document, _ = verbatim(workspace, "support.txt")
    assert "Installation fee | 151'440.-- CHF" in document.text
    assert document.source_span(*(lambda i: (i, i + len("Installation fee | 151'440.-- CHF")))(document.text.index("Installation fee"))) \
        == (path.read_text().index("Installation fee"), path.read_text().index("151'440.-- CHF") + len("151'440.-- CHF"))
    answer = workspace.ask("What is the installation fee?")
    assert answer.key_value == "151'440.-- CHF"
    cited_verbatim(workspace, answer)


def test_a_long_table_split_across_chunks_keeps_its_header_with_every_part(workspace, tmp_path):
    rows = ["| Ref | Service Level | Target | Minimum |", "|---|---|---|---|"]
    rows += [f"| SL{n} | Availability of application {n} in the Agreed Service Time | {99 + n / 100:.2f}% | {98 + n / 100:.2f}% |"
             for n in range(1, 41)]
    path = tmp_path / "levels.md"
    path.write_text("# Service levels\n\n1. Service levels\n\n1.1 The Service Levels are:\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    workspace.ingest([path])
    _, chunks = verbatim(workspace, "levels.md")
    later = [c for c in chunks if "| SL30 |" in c.text][0]
    assert "| SL1 |" not in later.text and later.table_header == "| Ref | Service Level | Target | Minimum |"
    answer = workspace.ask("What is the minimum service level for SL30?")
    assert answer.key_value == "98.30%"
    cited_verbatim(workspace, answer)


def test_a_running_header_printed_into_the_body_is_cut_where_it_interrupts_a_sentence(workspace, tmp_path):
    """A filing printed to PDF keeps its own page headers mid-page ("... written notice" / "ACME HOSTING CORPORATION" /
    "HOSTING AGREEMENT" / "of such termination ..."): cut there, so the sentence and its quote are whole, while the
    title lines on the first page stay."""
    header = "ACME HOSTING CORPORATION\nHOSTING AGREEMENT\n"
    text = (header + "1. Services\n1.1 " + FILLER * 3 + "The Supplier shall notify the Customer of any\n" + header +
            "interruption of the Hosting Services within one (1) hour.\n2. Term and Termination\n2.1 Either party may terminate "
            "this Agreement by giving the other party written\nnotice\n" + header +
            "of such termination upon the other party's material breach, subject to a cure period of thirty (30) days.\n"
            "3. Fees\n3.1 " + FILLER * 2)
    path = tmp_path / "hosting.txt"
    path.write_text(text, encoding="utf-8")
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "hosting.txt")
    assert document.text.count("HOSTING AGREEMENT") == 1 and document.text.startswith("ACME HOSTING CORPORATION")
    assert {c.section_path.split(" > ")[0] for c in chunks if c.start > 30} <= {"1 Services", "2 Term and Termination", "3 Fees"}
    answer = workspace.ask("How long is the cure period for a material breach?")
    cited_verbatim(workspace, answer)
    quote = " ".join(answer.citations[0].span.text.split())
    assert "written notice of such termination upon the other party's material breach" in quote, quote


def test_page_numbers_printed_twice_at_each_break_of_a_text_filing(workspace, tmp_path):
    """An EDGAR text whose page numbers come twice at each break ("2" under the page, then indented again: 2, 2, 3,
    3, 4, 4) has pages; a number inside a sentence ("the party not in default" / "2" / "may, by giving ...") is
    furniture, and the sentence is one."""
    pages = [
        "1. Term\n\n1.1 " + FILLER * 2 + "If either party defaults and does not cure within thirty days, then the party not in default\n",
        "may, by giving written notice to the defaulting party, terminate this Agreement.\n\n2. Fees\n\n2.1 " + FILLER * 2 + "\n",
        "3. Audit\n\n3.1 " + FILLER * 2 + "\n",
        "4. Law\n\n4.1 This Agreement is governed by the laws of the State of Florida.\n",
    ]
    text = "".join(page + (f"\n{i}\n\n" if i == 2 else f"\n                   {i - 1}\n\n{i}\n\n") for i, page in enumerate(pages, 2))
    path = tmp_path / "outsourcing.txt"
    path.write_text(text, encoding="utf-8")
    workspace.ingest([path])
    document, chunks = verbatim(workspace, "outsourcing.txt")
    assert document.pages >= 4
    assert "default\nmay, by giving written notice" in document.text
    assert {c.section_path.split(" > ")[0] for c in chunks} <= {"1 Term", "2 Fees", "3 Audit", "4 Law"}
