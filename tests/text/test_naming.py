"""How parties and documents are named in contracts and in questions."""

from assistant.text.naming import (
    BETWEEN,
    PARTY_NAME,
    capitalised_words,
    company_word,
    file_name_acronyms,
    file_name_words,
    naming_phrases,
    parties_in,
    preamble,
    same_party,
    signatories,
)


def test_company_names_with_their_legal_form_and_the_word_that_names_them():
    opening = 'This Agreement is dated 14 February 2025 between Harbourline Logistics plc ("Customer") and Veridian Systems Limited'
    assert PARTY_NAME.findall(opening)[-1] == "Veridian Systems Limited"
    assert company_word("dated 14 February 2025 between Harbourline Logistics plc") == "harbourline"
    assert BETWEEN.search(opening)


def test_file_names_read_as_words_and_acronyms():
    assert "Res Connect" in file_name_words("ResConnect_MSA_v2.pdf") and "ResConnect" in file_name_words("ResConnect_MSA_v2.pdf")
    assert file_name_acronyms("harbourline_msa_sla-2.docx") == ["msa", "sla"]


def test_capitalised_words_skip_the_first_word_of_each_sentence():
    assert capitalised_words("The QuickFix agreement. Under NimbusGrid terms") == ["QuickFix", "NimbusGrid"]


def test_phrases_that_name_a_document_and_those_that_do_not():
    assert naming_phrases("What is the cap under the QuickFix agreement?") == ["QuickFix agreement"]
    assert naming_phrases("Does the NDA allow disclosure?") == ["NDA"]
    assert naming_phrases("What does the agreement say?") == []  # generic: names no document
    assert naming_phrases("What is charged under SOW 2?") == ["SOW 2"]
    assert naming_phrases("What happens if only SOW 1 is terminated?") == []  # about SOW 1, not where to look


def test_a_party_without_a_legal_form_is_found_by_its_alias_across_its_address():
    opening = ('This Reseller Agreement is entered into by and between Quillon Software Corporation, a Nevada corporation, having '
               'its principal place of business at 400 Harbour Road, Reno, Nevada 89501 ("Quillon") and Marrow Analytics, an Oregon '
               'corporation, having its principal place of business at 12 Pine Street, Suite 5, Portland, Oregon 97204 ("Marrow").')
    assert [(name, role) for name, role, _ in parties_in(opening)] == [("Quillon Software Corporation", "Quillon"), ("Marrow Analytics", "Marrow")]
    titled = ('SERVICE AGREEMENT FOR REGISTRAR AGENT SERVICES THIS AGREEMENT is between Kestrel Income Fund, a Delaware statutory trust '
              '("Client") and Larch Registry Services LLC (operating as Larch Shareholder Services), a New Jersey limited liability company ("Agent").')
    assert ("Larch Registry Services LLC", "Agent") in [(name, role) for name, role, _ in parties_in(titled)]  # not the title's "AGENT"


def test_two_companies_sharing_their_first_words_are_two_parties():
    opening = ('This Services Agreement is made as of May 1, 2010 by and between Tamberly, Inc., a Delaware corporation ("Tamberly"), '
               'and Tamberly Fulfilment Services LLC, a New York limited liability company ("Fulfilment").')
    assert [name for name, _, _ in parties_in(opening)] == ["Tamberly, Inc.", "Tamberly Fulfilment Services LLC"]
    assert same_party("Tamberly", "Tamberly, Inc.") and same_party("CORVEN HOLDINGS CORPORATION", "Corven Holdings Corp.")
    assert not same_party("Corven Holdings Corporation", "Corven Holdings Capital LLC")


def test_a_party_named_after_a_connector_keeps_only_its_name():
    opening = ('KNOW ALL MEN BY THESE PRESENTS, that ASHGROVE ASSET MANAGEMENT COMPANY ("AAMC") hereby appoints ASHGROVE '
               'ADVISORY SERVICES COMPANY ("AASC") as its attorney-in-fact.')
    assert [name for name, _, _ in parties_in(opening)] == ["ASHGROVE ASSET MANAGEMENT COMPANY", "ASHGROVE ADVISORY SERVICES COMPANY"]


def test_a_heading_that_opens_the_preamble_does_not_end_it():
    opening = ('Consulting and Product Development Agreement\n\nARTICLE 1 -- PREAMBLE This Consulting Agreement ("Agreement") is entered into this 1st day of '
               'May 2016 by and between Corrie Botanicals Inc. ("CBI") and Halvard Nutrition Inc. ("HNI").\n\nRECITALS\nA. CBI sells supplements.')
    assert "Halvard Nutrition" in preamble(opening) and "supplements" not in preamble(opening)
    assert [name for name, _, _ in parties_in(preamble(opening))] == ["Corrie Botanicals Inc.", "Halvard Nutrition Inc."]


def test_a_company_whose_legal_form_is_written_in_lower_case():
    opening = 'BETWEEN: LendQuick.com, inc of 12 Bay Drive, Miami FL 33101, and Pellow Health, LLC (individually the "Member").'
    assert [name for name, _, _ in parties_in(opening)] == ["LendQuick.com, inc", "Pellow Health, LLC"]


def test_a_company_name_with_figures_in_it_is_kept_whole_while_an_address_before_it_is_cut():
    opening = ('This Consulting Agreement is made between GROUPE TALBRECK CORP ("Consultant"), 1200 Harbour Street, Suite 40, '
               'Kingsford, Ontario, and Quadra 3D Corp. ("Company").')
    assert [name for name, _, _ in parties_in(opening)] == ["GROUPE TALBRECK CORP", "Quadra 3D Corp."]


def test_names_in_any_script_and_what_only_refers_to_a_party_or_a_statute():
    opening = ('License Agreement between Orlen Pharma AG Hauptgasse 4 Zug Switzerland "Licensor" and Farmácia Três Irmãos S.A. '
               'Rua Direita 12 Porto Portugal "Licensee"')
    assert [name for name, _, _ in parties_in(opening)] == ["Orlen Pharma AG", "Farmácia Três Irmãos S.A."]
    header = ("Tolvan Energy, Inc. 8-K THE OMITTED TERMS WOULD LIKELY CAUSE HARM TO THE COMPANY IF DISCLOSED. Pursuant to the "
              'Securities Exchange Act of 1934 (the "Exchange Act")')
    assert [name for name, _, _ in parties_in(header)] == ["Tolvan Energy, Inc."]


def test_a_role_word_after_by_is_the_defined_term_not_a_name():
    opening = ('By Client: /s/ Rina Holt\nThis Agreement is entered into by and between Rina Holt, director of Brisklane '
               '(hereinafter referred to as "Client") and Orvo Web Studio, PLC (hereinafter referred to as "Company").')
    assert [name for name, _, _ in parties_in(opening)][:1] == ["Brisklane"]


def test_the_parties_a_signature_block_names_not_who_signs_for_them():
    block = ("IN WITNESS WHEREOF, the Parties have executed this Agreement. Acceptance by Developer HALLORAN CODEWORKS, Inc. By: /s/ "
             "Julia Vance Julia Vance, VP\n\nAcceptance by Client: PIER ROUTE INC. By: /s/ Dan Cole Dan Cole, Shareholder\n"
             "BRANT ACQUIROR LP By: BRANT HOLDINGS MANAGER L.L.C., its general partner\nWITNESSES: By:")
    assert [name for name, _ in signatories(block)] == ["HALLORAN CODEWORKS, Inc.", "PIER ROUTE INC.", "BRANT ACQUIROR LP"]


def test_a_party_the_opening_says_is_named_on_another_page():
    opening = ('This Franchise Agreement is entered into between Tallow Grill Holding, Inc., a Florida corporation, and the individual '
               'or legal entity identified on the cover page ("Franchisee").')
    assert parties_in(opening)[-1][:2] == ("individual or legal entity identified on the cover page", "Franchisee")
