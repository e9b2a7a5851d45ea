"""Clause structure of real-looking filings: what is a heading and what is not (pure: no models)."""

from __future__ import annotations

from assistant.ingest.loading import load_document
from assistant.ingest.structure import detect_sections


def sections_of(tmp_path, text: str, name: str = "contract.txt") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [" > ".join(s.path) for s in detect_sections(load_document(path))]


def test_a_date_at_the_start_of_a_wrapped_line_is_not_a_clause_number(tmp_path):
    text = ("17. Right of Renewal\n\n"
            "      17.1  The Publishers shall have the right to renew the term of the Services by notice given on or before\n"
            "            30 September 1999. If the Publishers exercise their right to renew, the term continues.\n\n"
            "18. Limitation of Liability\n\n"
            "      18.1  Neither party's liability shall exceed the fees paid under this Agreement.\n")
    paths = sections_of(tmp_path, text)
    assert not any("September" in p for p in paths)
    assert "18 Limitation of Liability > 18.1 Neither party's liability shall exceed the..." in paths


def test_a_schedule_number_wrapped_onto_the_next_line_is_not_a_clause(tmp_path):
    text = ("1. DEFINITIONS\n1.3 If there is any conflict, the following order applies: (a) the Clauses; (b) Schedule 2 (Service Levels), Schedule\n"
            "3 (Charges), Schedule 4 (Exit Management); and (c) the Statements of Work.\n\n"
            "2. COMMENCEMENT, TERM AND RENEWAL\n2.1 This Agreement continues for the Initial Term.\n")
    paths = sections_of(tmp_path, text)
    assert not any(p.startswith("3 (Charges)") for p in paths)
    assert "2 COMMENCEMENT, TERM AND RENEWAL" in paths


def test_an_unnumbered_heading_ending_in_a_colon_between_paragraphs(tmp_path):
    text = ("PHOTO SERVICES AGREEMENT\n\nBetween:\nDGT Corp.\nSuite 207, Austin Avenue\n\n"
            "The parties agree to the terms and conditions as follows.\n\n"
            "Records:\n\nThe Supplier shall keep separate accounts and records of all services provided to the Customer.\n\n"
            "Governing Law And Arbitration:\n\nThis Agreement shall be governed by the laws of the State of Nevada.\n\n"
            "List of Products:\nWidgets\nGadgets\n")
    paths = sections_of(tmp_path, text)
    assert paths == ["Records", "Governing Law And Arbitration"]  # a party block and a list caption are not headings


def test_a_contents_list_run_into_lines_is_not_taken_for_headings(tmp_path):
    text = ("IP AGREEMENT\n\nTABLE OF CONTENTS Page ARTICLE I DEFINITIONS\n\nSection 1.01. Definitions 1\n\n"
            "ARTICLE II ASSIGNMENT\n\nSection 2.01. Assignment Agreements 5 Section 2.02. Recordation 5 Section 2.03. Security Interests 5\n\n"
            "THIS AGREEMENT, dated as of September 30, 2019, is made by and between Nuance and SpinCo.\n\n"
            "ARTICLE I DEFINITIONS\n\nSection 1.01. Definitions. Capitalised terms have the meanings given below.\n\n"
            "ARTICLE II ASSIGNMENT\n\nSection 2.01. Assignment Agreements. Each party shall sign the assignment agreements.\n\n"
            "Section 2.02. Recordation. Each party shall record the assignments.\n")
    paths = sections_of(tmp_path, text)
    assert [p for p in paths if "2.0" in p] == ["ARTICLE II ASSIGNMENT > 2.01 Assignment Agreements", "ARTICLE II ASSIGNMENT > 2.02 Recordation"]


def test_the_title_a_flattened_first_line_starts_with(tmp_path):
    flattened = tmp_path / "reseller.txt"
    flattened.write_text("WALABOT-HOME RESELLER AGREEMENT This Walabot-HOME Reseller Agreement (\"Agreement\") is made and entered into "
                         "as of 31 July 2019 by and between Vayyar Imaging Ltd. and Inde Living Holdings, Inc.\n\n1. Definitions.\n", encoding="utf-8")
    cover = tmp_path / "cooperation.txt"
    cover.write_text("COOPERATION AGREEMENT     made by and between     HPIL ENERGYTECH Inc.   and   GINARES GROUP AG\n\n"
                     "1. Term. This Agreement starts on signature.\n", encoding="utf-8")
    assert load_document(flattened).title == "WALABOT-HOME RESELLER AGREEMENT"
    assert load_document(cover).title == "COOPERATION AGREEMENT"


def test_a_lettered_item_is_titled_only_by_a_title_of_its_own(tmp_path):
    text = ("4. PAYMENT\n\n4.1 Form of Payment. The Company shall pay as follows:\n"
            "(a) Wire Transfer: payment by wire to the account named by the Contractor.\n\n"
            "4.2 Remittance. The Contractor shall deposit all amounts received, less each of the following: (i) Service Fees, (ii)\n"
            "commissions and (iii) returns.\n\n"
            "5. OBLIGATIONS\n\n5.1 The Contractor's obligations are to: (i) Follow up on developments; (ii) Work with the Company as appropriate.\n")
    paths = sections_of(tmp_path, text)
    assert "4 PAYMENT > 4.1 Form of Payment > (a) Wire Transfer" in paths
    assert "4 PAYMENT > 4.2 Remittance > (i)" in paths  # a list item, no title of its own
    assert not any("Service Fees" in p or "Work with" in p for p in paths)


def test_a_title_word_after_the_recitals_is_a_heading_and_lead_in_words_and_names_are_not(tmp_path):
    text = ("Exhibit 10.19 CONFIDENTIAL TREATMENT REQUESTED Certain portions of this document have been omitted.\n\n"
            "SUPPLY AGREEMENT\n\nThis Supply Agreement is entered into by and between Apollo Inc. and Establishment Labs S.A.\n\n"
            "RECITALS\n\nA. Apollo wishes to buy the Product from Establishment.\n\n"
            "AGREEMENT\n\nNOW. THEREFORE, in consideration of the covenants contained herein, the parties agree as follows:\n\n"
            "1. NOTICES\n\nNotices are given to the addresses below.\n"
            "VITA LI BI S. INC. Attn: Thomas Raack 5348 Vegas Drive Las Vegas, NV 89108\n")
    paths = sections_of(tmp_path, text)
    assert "AGREEMENT" in paths and "SUPPLY AGREEMENT" not in paths  # the title is front matter, the later line a heading
    assert not any(p.startswith(("NOW", "VITA")) or p.endswith(("NOW", "VITA LI BI S")) for p in paths)
    assert paths[-1] == "1 NOTICES"


def _styled_pdf(path, lines: list[tuple[str, str, int]]) -> None:
    """A PDF of (text, fpdf style "" / "B", size) lines; a text of several (text, style) parts is written run on."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    for text, style, size in lines:
        for part in text.split("|"):
            bold = part.startswith("*")
            pdf.set_font("Helvetica", style="B" if bold or style == "B" else "", size=size)
            pdf.write(6, part.lstrip("*"))
        pdf.ln(8)
    pdf.output(str(path))


BODY = "The Supplier shall meet every service level and report on its performance to the Customer each month in writing."
STYLED_CONTRACT = [
    ("HOSTING SERVICES AGREEMENT", "B", 14),
    ("This Agreement is made on 1 March 2024 between Acme Hosting Ltd and Beta Bank plc.", "", 10),
    ("Service Levels", "B", 10),
    (BODY, "", 10),
    ("In this Agreement \"|*Charges|\" means the fees set out in the schedule, payable monthly in arrears.", "", 10),
    ("Data Protection", "B", 10),
    ("The Supplier shall process personal data only on the Customer's documented instructions.", "", 10),
    ("Severance Pay and Benefits Upon Termination by the Customer", "B", 10),
    ("without Cause", "B", 10),
    ("The Customer shall pay the termination charges within thirty days of the date of termination.", "", 10),
    ("IN WITNESS WHEREOF the parties have signed this Agreement on the date written above.", "", 10),
    ("Jane Smith", "B", 10),
    ("Chief Executive Officer", "", 10),
]


def test_a_pdf_line_set_in_bold_between_paragraphs_is_a_heading(tmp_path):
    from assistant.ingest.chunking import chunk_document

    path = tmp_path / "hosting.pdf"
    _styled_pdf(path, STYLED_CONTRACT)
    document = load_document(path)
    sections = detect_sections(document)
    assert [" > ".join(s.path) for s in sections] == [
        "Service Levels", "Data Protection", "Severance Pay and Benefits Upon Termination by the Customer without Cause"]
    for section in sections:  # each heading is the document's text where the section starts
        assert document.text[section.start : section.start + 14] == section.title[:14]
    # a bold defined term inside a sentence and a bold name in the signature block are not headings
    assert not any("Charges" in s.title or "Jane" in s.title for s in sections)
    chunks = chunk_document(document, 160, 24)
    assert all(document.text[c.start : c.end] == c.text for c in chunks)
    assert any("report on its performance" in c.text and c.section_path == "Service Levels" for c in chunks)
    name = document.text.index("Jane Smith")
    assert [s.title for s in sections if s.start <= name < s.end] == [sections[-1].title]  # the signature stays in the last clause


def test_the_same_lines_as_plain_text_keep_the_text_rules(tmp_path):
    text = "\n".join(line.replace("|", "").replace("*", "") for line, _, _ in STYLED_CONTRACT) + "\n"
    assert sections_of(tmp_path, text) == []  # no font: a bare title-case line is as often a name or a caption


def test_the_first_line_of_a_title_over_two_lines_is_not_a_heading(tmp_path):
    text = ("PHOTO RETOUCHING\nOUTSOURCING AGREEMENT\n\nThis Agreement is made between DGT Corp. and Dolphin Industries Limited.\n\n"
            "Records:\n\nThe Supplier shall keep separate accounts and records of all services provided to the Customer.\n\n"
            "TERMINATION\n\nEither party may end this Agreement on ninety days' written notice to the other party.\n")
    path = tmp_path / "photo.txt"
    path.write_text(text, encoding="utf-8")
    document = load_document(path)
    assert document.title == "PHOTO RETOUCHING OUTSOURCING AGREEMENT"
    assert [" > ".join(s.path) for s in detect_sections(document)] == ["Records", "TERMINATION"]


def test_an_article_keeps_its_title_across_a_blank_line(tmp_path):
    text = ("ARTICLE VII\nINSURANCE\n7.01 Insurance. The Company shall maintain products liability insurance.\n\n"
            "ARTICLE VIII\n\nTERMINATION\n8.01 Termination. This Agreement shall be terminable as follows.\n")
    paths = sections_of(tmp_path, text)
    assert "ARTICLE VIII TERMINATION" in paths and "ARTICLE VIII TERMINATION > 8.01 Termination" in paths


def test_a_name_with_a_middle_initial_is_not_a_run_in_heading(tmp_path):
    text = ("Notices. Notices shall be sent to the addresses below.\n\n"
            "Michael E. Vogel email: mvogel@example.com Facsimile: 212-492-0040\n\n"
            "Survival of Article V. The obligations of Article V survive the end of this Agreement.\n")
    assert sections_of(tmp_path, text) == ["Notices", "Survival of Article V"]


def test_a_numbered_run_in_heading_inside_flattened_text_that_continues_the_numbering(tmp_path):
    text = ("BRAND LICENSE AGREEMENT\n\nThe parties agree as follows: 1. Grant of Rights. Section 1.1. License Grant. Licensor grants "
            "Licensee a licence to use the Brand. Section 1.2. Sublicensing. Licensee may sublicense its rights under Section 1.1 "
            "only to an Affiliate, as provided in this Section 1.3. Form Requirements apply to every sublicence. 2. Notices. Notices "
            "shall be sent to: Acme Corp Attention: Jane Doe 2.1 Form of Notice. Each notice shall be in writing and signed.\n")
    path = tmp_path / "license.txt"
    path.write_text(text, encoding="utf-8")
    document = load_document(path)
    sections = detect_sections(document)
    assert [" > ".join(s.path) for s in sections] == [
        "1 Grant of Rights", "1 Grant of Rights > 1.1 License Grant", "1 Grant of Rights > 1.2 Sublicensing",
        "2 Notices", "2 Notices > 2.1 Form of Notice"]  # "in this Section 1.3. Form ..." is a reference, not clause 1.3
    assert document.text[sections[1].start :].startswith("Section 1.1. License Grant.")  # the heading's own word, exact offsets
    assert document.text[sections[4].start :].startswith("2.1 Form of Notice.")  # after a name, not a sentence end


def test_a_run_in_number_that_does_not_continue_the_numbering_is_not_a_heading(tmp_path):
    text = ("1. Fees. The fees are due monthly. The rates are listed in Schedule 2. 4.2 Rate Table. Applies to all services.\n"
            "Response levels are defined there: Severity 2. Priority Incidents. Those get a response in four hours.\n")
    assert sections_of(tmp_path, text) == ["1 Fees"]


def test_one_line_start_number_out_of_order_does_not_stop_the_numbering(tmp_path):
    text = ("2. RIGHTS\n2.1 Grant. Licensor grants Licensee a non-exclusive licence.\n2.2 Sublicences. Licensee may sublicense, subject to\n"
            "4.8 (Right of Reference) and to the other terms of this Agreement.\n2.3 Reservation. All other rights are reserved to Licensor.\n"
            "3. FEES AND PAYMENT\n3.1 Payment. Licensee shall pay the fees within thirty days.\n")
    paths = sections_of(tmp_path, text)
    assert "2 RIGHTS > 2.3 Reservation" in paths and "3 FEES AND PAYMENT > 3.1 Payment" in paths
    assert not any("4.8" in p for p in paths)


def test_a_numbered_run_in_heading_inside_a_pdf_paragraph(tmp_path):
    path = tmp_path / "license.pdf"
    _styled_pdf(path, [("BRAND LICENSE AGREEMENT", "B", 14),
                       ("9. Miscellaneous. " + BODY + " Section 9.1. Notice. Any notice shall be in writing and delivered by hand or courier "
                        "to the address of the other party given above. Section 9.2. Integration. This Agreement is the entire agreement "
                        "between the parties about its subject matter, as stated in Section 9.3. Other documents do not apply.", "", 10)])
    document = load_document(path)
    sections = [s for s in detect_sections(document) if s.number]
    assert [(s.number, s.title) for s in sections] == [("9", "9 Miscellaneous"), ("9.1", "9.1 Notice"), ("9.2", "9.2 Integration")]
    assert all(document.text[s.start :].startswith(("9. Misc", "Section 9.")) for s in sections)


def test_letters_with_a_dot_or_a_bracket_used_as_a_level_are_lettered_items(tmp_path):
    text = ("12. General Provisions.\n\na. Assignment. Distributor may not assign any duties arising under this Agreement.\n\n"
            "b. Governing Law. This Agreement is governed by the laws of the State of Florida.\n\n"
            "13. Trademarks.\n\na) Use: Licensor may specify all aspects of the use of the Trademarks.\n\nb) Goodwill: Licensee "
            "recognises the value of the goodwill of the Trademarks.\n\n14. Fees. The fees are set out in Exhibit a. The Reseller "
            "pays them monthly.\n")
    paths = sections_of(tmp_path, text)
    assert "12 General Provisions > (a) Assignment" in paths and "12 General Provisions > (b) Governing Law" in paths
    assert "13 Trademarks > (a) Use" in paths and "13 Trademarks > (b) Goodwill" in paths
    assert not any("14 Fees >" in p for p in paths)  # a lone letter ending a sentence starts no run of items


def test_items_lettered_in_capitals_with_titles_are_headings(tmp_path):
    text = ("7. Source Code.\n\n    (A)  General. Licensee shall keep the Licensed Source Code at its premises.\n\n"
            "    (B)  Security. Licensee agrees to use the Licensed Source Code under controlled conditions.\n\n"
            "MISCELLANEOUS PROVISIONS\n\nThe following provisions apply to this Agreement as a whole.\n\n"
            "D. TERM. This Agreement begins on the Effective Date and lasts one year.\n\n"
            "E. ENTIRE AGREEMENT. This Agreement is the whole agreement of the parties.\n\n"
            "F. NOTICES. Notices are given in writing.\n")
    paths = sections_of(tmp_path, text)
    assert "7 Source Code > (A) General" in paths and "7 Source Code > (B) Security" in paths
    assert not any("TERM" in p for p in paths)  # "D." starts no run: no "A." or "B." before it
    recitals = ("RECITALS\n\nA. Licensee owns and operates the station.\n\nB. Programmer desires to broadcast on it.\n\n"
                "C. ENTIRE AGREEMENT. This Agreement is the whole agreement of the parties.\n\n"
                "D. NOTICES. Notices are given in writing to J. Scott Enright.\n")
    paths = sections_of(tmp_path, recitals)
    assert "(C) ENTIRE AGREEMENT" in " | ".join(paths) and "(D) NOTICES" in " | ".join(paths)
    assert not any("Licensee owns" in p or "Programmer" in p or "Scott" in p for p in paths)  # a recital has no title


def test_a_clause_whose_text_starts_in_lower_case_is_a_section(tmp_path):
    text = ("1. Services.\n\n1.1 The Provider shall:\n\n1.1.1 deliver a copy of the Material to the Escrow Agent;\n\n"
            "1.1.2 at all times keep the Material up to date.\n\n2. mPhase may terminate this Agreement on notice.\n\n"
            "3. Fees. The fees are payable monthly.\nThe response time is\n40 ms for every request and the budget is\n"
            "10 million dollars.\n")
    path = tmp_path / "escrow.txt"
    path.write_text(text, encoding="utf-8")
    document = load_document(path)
    sections = detect_sections(document)
    assert [s.number for s in sections] == ["1", "1.1", "1.1.1", "1.1.2", "2", "3"]  # not "40" nor "10"
    assert document.text[sections[2].start :].startswith("1.1.1 deliver") and sections[2].path[1].startswith("1.1 The Provider")
    assert document.text[sections[4].start :].startswith("2. mPhase") and len(sections[4].path) == 1


def test_clauses_numbered_by_a_number_and_a_capital_letter(tmp_path):
    text = ("19. DEFAULT AND TERMINATION\n\n    19.A.  EXACT PERFORMANCE REQUIRED.\n\n    Franchisee shall perform every "
            "obligation in this Agreement.\n\n    19.B.  DEFAULT AND RIGHT TO CURE.\n\n    Franchisee may cure a default "
            "within thirty days of notice.\n\n20. ENFORCEMENT\n\n    20.C.  Waiver. No waiver is effective unless in "
            "writing.\n")
    paths = sections_of(tmp_path, text)
    assert "19 DEFAULT AND TERMINATION > 19.A EXACT PERFORMANCE REQUIRED" in paths
    assert "19 DEFAULT AND TERMINATION > 19.B DEFAULT AND RIGHT TO CURE" in paths
    assert not any("20.C" in p for p in paths)  # a lone label starts no run


def test_a_paragraph_set_in_capitals_is_not_a_heading(tmp_path):
    text = ("23. WAIVER OF PUNITIVE DAMAGES.\n\nEXCEPT WITH RESPECT TO FRANCHISEE'S OBLIGATION TO INDEMNIFY PRETZEL\n"
            "TIME, THE PARTIES WAIVE TO THE FULLEST EXTENT PERMITTED BY LAW ANY RIGHT TO PUNITIVE DAMAGES.\n\n"
            "LIMITATION OF LIABILITY\n\nNeither party is liable for indirect loss under this Agreement.\n")
    paths = sections_of(tmp_path, text)
    assert not any("EXCEPT" in p for p in paths)
    assert "LIMITATION OF LIABILITY" in paths


def test_letters_used_as_a_level_in_a_pdf(tmp_path):
    path = tmp_path / "supply.pdf"
    _styled_pdf(path, [("SUPPLY AGREEMENT", "B", 14), ("9. Limitations on Liability.", "", 10),
                       ("a. Disclaimer of Warranties. Each Party disclaims all warranties not stated in this Agreement.", "", 10),
                       ("b. Force Majeure. A Party is not liable for a failure caused by events beyond its control.", "", 10),
                       ("The Buyer shall pay the price stated in Exhibit a. The Seller shall invoice it monthly.", "", 10)])
    document = load_document(path)
    lettered = [(s.number, s.title) for s in detect_sections(document) if "(" in s.number]
    assert lettered == [("9(a)", "(a) Disclaimer of Warranties"), ("9(b)", "(b) Force Majeure")]
    assert all(document.text[s.start : s.start + 3] in ("a. ", "b. ") for s in detect_sections(document) if "(" in s.number)


PROSE = "The Supplier shall provide the services described in this Agreement with due care and skill at all times.\n"


def test_a_run_in_title_listing_topics_with_commas_is_a_heading_and_a_company_name_is_not(tmp_path):
    text = ("ARTICLE X\nMISCELLANEOUS\n"
            "Binding Nature, Assignment, and Subcontracting. This Agreement shall bind the parties and their successors.\n"
            "Defective Products; Warranty; Support. The Supplier shall replace defective products.\n"
            "CCA INDUSTRIES, INC. (\u201cCompany\u201d) shall pay the fees.\n")
    paths = sections_of(tmp_path, text)
    assert "ARTICLE X MISCELLANEOUS > Binding Nature, Assignment, and Subcontracting" in paths
    assert "ARTICLE X MISCELLANEOUS > Defective Products; Warranty; Support" in paths
    assert not any("INDUSTRIES" in p for p in paths)


def test_a_title_with_a_full_stop_alone_on_its_line_over_a_paragraph(tmp_path):
    text = (f"1. Termination\n{PROSE}Reimbursement for Termination Assistance.\n"
            "Except as provided in this Section, the Supplier shall perform the assistance at no additional cost.\n"
            "Thank you.\nSigned for the Customer.\n")
    paths = sections_of(tmp_path, text)
    assert "1 Termination > Reimbursement for Termination Assistance" in paths
    assert not any("Thank" in p or "Signed" in p for p in paths)  # not title case, or not over prose


def test_a_contents_list_run_into_one_line_and_the_title_restated_after_it(tmp_path):
    entries = " ".join(f"{n}. {title}{'.' * 40} {n + 1}" for n, title in enumerate(["Term", "Goals And Objectives", "Confidentiality",
                                                                                    "Closing", "Notices", "Entire Agreement"], 1))
    text = ("COOPERATION AGREEMENT     made by and between     HPIL Inc.   and   GINARES AG\n\n    Table of Contents\n"
            f"{entries}\n1\n\n    COOPERATION AGREEMENT\nTHIS COOPERATION AGREEMENT is signed this 5th day of January, 2015 by the parties.\n"
            f"1. Term. {PROSE}2. Goals And Objectives. {PROSE}")
    paths = sections_of(tmp_path, text)
    assert paths == ["1 Term", "2 Goals And Objectives"]


def test_an_exhibit_line_after_a_signature_block_takes_its_title_from_the_next_line(tmp_path):
    text = (f"1. Services\n{PROSE}By: /s/ Jane Doe  Title: CEO\nDate: 3-14-18\n\n  EXHIBIT A SERVICES AND FEES\n{PROSE}"
            f"\n  EXHIBIT B\nACCEPTANCE CRITERIA\n{PROSE}")
    paths = sections_of(tmp_path, text)
    assert paths[-2:] == ["EXHIBIT A SERVICES AND FEES", "EXHIBIT B ACCEPTANCE CRITERIA"]


def test_a_clause_number_run_into_a_title_in_capitals(tmp_path):
    text = f"3. Equipment\n3.1 Tooling. {PROSE}\n3.2ESTABLISHMENT Representations. {PROSE}"
    assert "3 Equipment > 3.2 ESTABLISHMENT Representations" in sections_of(tmp_path, text)


def test_roman_and_article_numbering_variants(tmp_path):
    variants = {
        "dot.txt": f"ARTICLE I.\nDEFINITIONS\n{PROSE}ARTICLE II.\nSERVICES\n{PROSE}",
        "colon.txt": f"ARTICLE 1: DEFINITIONS\n{PROSE}ARTICLE 2: SERVICES\n{PROSE}",
        "alone.txt": f"I.\nDEFINITIONS\n{PROSE}II.\nSERVICES\n{PROSE}",
        "inline.txt": f"Opening words of the contract. I. DEFINITIONS. {PROSE.strip()} II. SERVICES. {PROSE}",
        "section.txt": f"Section I. Definitions\n{PROSE}Section II. Services\n{PROSE}",
    }
    found = {name: sections_of(tmp_path, text, name) for name, text in variants.items()}
    assert found["dot.txt"] == ["ARTICLE I DEFINITIONS", "ARTICLE II SERVICES"]
    assert found["colon.txt"] == ["ARTICLE 1 DEFINITIONS", "ARTICLE 2 SERVICES"]
    assert found["alone.txt"] == ["I. DEFINITIONS", "II. SERVICES"]
    assert found["inline.txt"] == ["I. DEFINITIONS", "II. SERVICES"]
    assert found["section.txt"] == ["I Definitions", "II Services"]


def test_a_roman_numeral_inside_a_line_out_of_order_is_not_a_part(tmp_path):
    text = f"Opening words of the contract. II. SERVICES. {PROSE}"
    assert not any(p.startswith("II") for p in sections_of(tmp_path, text))


def test_lines_in_capitals_that_are_not_headings(tmp_path):
    text = ("EXECUTION COPY\n\nRESELLER AGREEMENT\n\nBETWEEN\n\nACME LIMITED and BETA PLC\n\n"
            f"1. Services\n{PROSE}Merchant approval is described in this guide.\n"
            "ALL QUESTIONS REGARDING MERCHANT COMMUNICATION APPROVAL SHOULD BE\ndirected to the Reseller's account manager.\n"
            f"2. Signatures\n{PROSE}In witness whereof the parties have signed.\nQIWI PLC )\n{PROSE}\n"
            "LIMITATION OF LIABILITY AND\nINDEMNIFICATION\n" + PROSE)
    paths = sections_of(tmp_path, text)
    assert not any(p.startswith(("EXECUTION", "BETWEEN", "ALL QUESTIONS", "QIWI")) or "SHOULD BE" in p for p in paths)
    assert paths == ["1 Services", "2 Signatures", "LIMITATION OF LIABILITY AND INDEMNIFICATION"]  # a heading wrapped on "AND"


def test_the_title_of_a_filing_marked_execution_copy(tmp_path):
    path = tmp_path / "exec.txt"
    path.write_text(f"EXECUTION COPY\n\nMASTER SERVICES AGREEMENT\n\n{PROSE}", encoding="utf-8")
    assert load_document(path).title == "MASTER SERVICES AGREEMENT"


def test_a_schedule_reference_wrapped_onto_a_line_and_a_lead_in_defining_a_term_are_not_headings(tmp_path):
    text = (f"1. Services\n{PROSE}The Supplier shall perform the statement of work attached hereto as\n"
            "Exhibit C and incorporated herein by reference.\n\n"
            "Each Party (the \u201cReceiving Party\u201d) undertakes:\n\n(i) to keep the other Party's information secret and confidential.\n\n"
            f"Exhibit C\n{PROSE}")
    paths = sections_of(tmp_path, text)
    assert not any("incorporated" in p or "Receiving" in p for p in paths)
    assert paths[-1] == "Exhibit C"


def test_a_line_in_capitals_that_comes_back_again_and_again_is_a_marking_not_a_heading():
    from assistant.core.documents import Document

    # not at page edges, so page furniture keeps it: "CONFIDENTIAL" over each exhibit of a filing
    text = PROSE * 3 + "".join(f"{PROSE}\nCONFIDENTIAL\n\nEXHIBIT {letter}\n\n{title}\n\n{PROSE}"
                   for letter, title in (("A", "PATENTS"), ("B", "TRADEMARKS"), ("C", "DOMAIN NAMES")))
    titles = [s.title for s in detect_sections(Document(id="d", source="d.txt", file_name="d.txt", kind="text", text=text))]
    assert titles == ["EXHIBIT A PATENTS", "EXHIBIT B TRADEMARKS", "EXHIBIT C DOMAIN NAMES"]


def test_spelled_section_numbers_and_a_roman_list_entry(tmp_path):
    text = (f"SECTION ONE. DEFINITIONS\n{PROSE}SECTION TWO. REMUNERATION\n{PROSE}"
            f"The review covers:\nH. Data conversion;\nI. System implications; and\nJ. Training.\n")
    paths = sections_of(tmp_path, text)
    assert paths[:2] == ["1 DEFINITIONS", "2 REMUNERATION"]
    assert not any("System implications" in p for p in paths)


def test_a_sentence_opening_with_a_schedule_name_is_not_a_schedule(tmp_path):
    """"APPENDIX C shall be updated accordingly." at the start of a line (a real outsourcing filing) is the subject of
    a sentence: taken as a schedule heading, every later clause sat under it."""
    text = ("2. Purchasing\n\n     2.1. Contractor shall purchase the components from the approved suppliers.\n"
            "          APPENDIX C shall be updated accordingly. At the Customer's request,\n"
            "          Contractor shall notify any relevant supplier.\n"
            "     Appendix D will list the approved suppliers.\n\n"
            "3. Term and Termination\n\n     3.1. The initial term of this Agreement is three (3) years.\n\n"
            "APPENDIX C to the Outsourcing Agreement\n\nPrices of components.\n")
    paths = sections_of(tmp_path, text)
    assert not any("updated" in p or "will list" in p for p in paths)
    assert "3 Term and Termination > 3.1 The initial term of this Agreement..." in paths
    assert paths[-1].startswith("APPENDIX C to the Outsourcing Agreement")


def test_a_placeholder_title_and_a_number_wrapped_inside_its_own_clause(tmp_path):
    """"7. [DELETED]" is clause 7 with its placeholder title (not "[DELETED] 8. PAYMENTS ..."), and "... a delay of
    3 to" / "5 Days." inside clause 5 is a wrapped sentence, not clause 5 again."""
    text = ("5. DUE DATE\n\n     5.1. Contractor shall pay liquidated damages as follows:\n"
            "          5.1.1. One percent (1%) of the Product Price for a delay of 3 to\n"
            "               5 Days.\n"
            "          5.1.2. Three percent (3%) of the Product Price for a longer delay.\n"
            "6. SHIPMENT\n\n     6.1. Contractor shall ship the Products.\n"
            "7.   [DELETED]\n8.   PAYMENTS\n     8.1. Initial prices are set out in the Proposal.\n")
    paths = sections_of(tmp_path, text)
    assert not any(p.startswith("5 Days") for p in paths)
    assert "5 DUE DATE > 5.1 Contractor shall pay liquidated damages as... > 5.1.2 Three percent (3%) of the Product..." in paths
    assert "7 [DELETED]" in paths and "8 PAYMENTS" in paths
