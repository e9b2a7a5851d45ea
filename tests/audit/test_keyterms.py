"""Key terms read from contract text (no model): drafting written for this project in the forms real filings use."""

from types import SimpleNamespace

from assistant import load_playbook
from assistant.audit.keyterms import extract_key_terms
from assistant.core.documents import Chunk

SOURCES = dict(load_playbook().key_terms)  # where the default playbook reads each term; no clause found here


def chunks_of(*texts: str) -> list[Chunk]:
    """One document cut into the given passages, each starting where the previous ended."""
    out, at = [], 0
    for number, text in enumerate(texts):
        out.append(Chunk(f"c{number}", "doc", "contract.txt", number, at, at + len(text), 1, 1, "", "", text, text))
        at += len(text) + 2
    return out


def terms_of(*texts: str, term_clause: int | None = None, cap_clause: int | None = None) -> dict[str, str]:
    """The key terms of the passages; ``term_clause`` / ``cap_clause``: the passage the audit found the term and
    renewal clause / the limitation of liability clause in."""
    chunks = chunks_of(*texts)
    findings = []
    for clause_id, at in (("term_and_renewal", term_clause), ("limitation_of_liability", cap_clause)):
        if at is not None:
            evidence = SimpleNamespace(span=SimpleNamespace(doc_id="doc", start=chunks[at].start))
            findings.append(SimpleNamespace(clause_id=clause_id, evidence=[evidence]))
    return {t.id: t.value for t in extract_key_terms(chunks, findings, SOURCES)}


OPENING = ('MASTER HOSTING AGREEMENT\n\nThis Master Hosting Agreement (the "Agreement") is entered into as of March 3, 2011 by and '
           'between Quillfeather Analytics, Inc. ("Customer") and Bramblecote Data Services LLC ("Provider").')


def test_a_perpetual_licence_is_not_the_contract_running_without_end():
    terms = terms_of(OPENING, "During the Term, Provider grants Customer a perpetual, irrevocable, royalty-free licence to use the Reports.",
                     "3.1 This Agreement shall remain in force for an initial term of three (3) years, unless terminated earlier.")
    assert terms["expiration_date"].startswith("March 3, 2014 (three (3) years from March 3, 2011)")


def test_an_end_date_of_some_other_right_is_not_the_contract_s_end():
    terms = terms_of(OPENING, "(c) Provider shall allow Customer to use the staging servers at no cost until June 30, 2013.")
    assert terms["expiration_date"] == ""


def test_a_term_that_runs_until_a_party_gives_notice_is_perpetual():
    assert terms_of(OPENING, "Your engagement shall commence on 4 April 2011 and shall continue unless and until either party gives "
                             "notice to the other under clause 14.")["expiration_date"] == "perpetual"
    assert terms_of(OPENING, "This Agreement shall begin on the Effective Date and shall continue until the termination of the "
                             "Framework Agreement.")["expiration_date"] == "perpetual"


def test_an_end_on_an_anniversary_is_counted_from_the_date_it_names():
    terms = terms_of(OPENING, 'The term of this Agreement (the "Term") will begin on April 1, 2011 and end on the second anniversary '
                              "of the date of this Agreement.")
    assert terms["agreement_date"] == "March 3, 2011"
    assert terms["effective_date"] == "April 1, 2011"  # the term's start, not the date it is made
    assert terms["expiration_date"].startswith("March 3, 2013 (second anniversary of March 3, 2011)")


def test_a_term_of_years_from_the_date_of_the_document_is_counted_from_the_agreement_date():
    terms = terms_of("This Agreement is made on this 9th day of June 2004 by and between Larkspur Media, Inc. (\"Owner\") and "
                     "Tolland Web Works, Inc. (\"Developer\").", "This agreement shall be for a term of three years from the date of "
                     "this document.")
    assert terms["expiration_date"].startswith("June 9, 2007 (three years from 9th day of June 2004)")


def test_deadlines_and_periods_after_the_end_are_not_the_initial_term():
    terms = terms_of(OPENING, "Provider shall deliver the migration plan within thirty (30) days from March 3, 2011.",
                     "During the Term and for a period of six (6) months following the termination of this Agreement, neither party "
                     "shall solicit the other's employees.")
    assert terms["initial_term"] == "" and terms["expiration_date"] == ""


def test_dates_that_pdf_text_garbles_are_still_read():
    terms = terms_of('THIS SUPPLY AGREEMENT ("Agreement") is made as of this 18t h day of August 2014 (the "Effective Date"), by and '
                     'between Harrowgate Foods LLC ("Buyer") and Pellmore Ingredients, Inc. ("Seller").')
    assert terms["agreement_date"] == "18t h day of August 2014" and terms["effective_date"] == "18t h day of August 2014"
    weekday = terms_of('THIS JOINT VENTURE AGREEMENT made and entered into this 12th day of Tuesday, May 2020 (the "Execution Date"), '
                       "BETWEEN: Corvane Health, Inc. and Westby Labs, LLC.")
    assert weekday["agreement_date"] == "12th day of Tuesday, May 2020"


def test_the_date_a_contract_is_made_after_a_table_of_contents():
    contents = "TABLE OF CONTENTS\n" + "\n".join(f"{n}.1 Heading number {n} {n}" for n in range(1, 120))
    terms = terms_of("Execution Version\nNetwork Services Agreement\n" + contents,
                     'This Network Services Agreement is entered into as of the 14 day of October, 2018 (the "Effective Date") by '
                     "and between Halden Wireless, LLC and Marrow Telecom LLC.")
    assert terms["agreement_date"] == "14 day of October, 2018" and terms["effective_date"] == "14 day of October, 2018"


def test_the_date_the_parties_sign_when_the_opening_gives_none():
    body = "The Agency shall solicit proposals for insurance within the State of Oregon. " * 60
    terms = terms_of('Northgate Mutual Insurance Company (Northgate) and Pell & Orr Brokers, Inc. ("Agency") agree as follows:', body,
                     "Signed and effective this 14th day of June, 2001.\n\nAGENCY\n\nBy: ____________")
    assert terms["agreement_date"] == "14th day of June, 2001" and terms["effective_date"] == "14th day of June, 2001"


def test_a_cap_stated_outside_the_limitation_clause_is_read_only_from_a_sentence_about_liability():
    cap = terms_of(OPENING, "Customer shall not order more than the quantities limited to those in Exhibit B.",
                   "It is agreed that Provider shall not be liable for any loss or expense which in the aggregate exceeds the amount "
                   "paid to Provider under this Agreement.")
    assert cap["liability_cap"] == "the amount paid to Provider under this Agreement"
    assert terms_of(OPENING, "Price increases are limited to the amounts paid by Customer for comparable services.")["liability_cap"] == ""


def test_a_cap_written_as_the_revenues_a_party_receives():
    text = ("the total liability of one Party to the other Party arising out of this Agreement shall be limited to the amount of "
            "revenues it receives under this Agreement.")
    assert terms_of(OPENING, text)["liability_cap"] == "the amount of revenues it receives under this Agreement"


def test_a_limitation_that_only_excludes_kinds_of_damages_says_it_sets_no_amount():
    text = ("11. LIMITATION OF LIABILITY. IN NO EVENT SHALL EITHER PARTY BE LIABLE TO THE OTHER FOR ANY SPECIAL, INDIRECT OR "
            "CONSEQUENTIAL DAMAGES ARISING OUT OF THIS AGREEMENT, HOWEVER CAUSED.")
    assert terms_of(OPENING, text, cap_clause=1)["liability_cap"] == "no amount (excludes special, indirect, consequential damages)"
    # an amount the clause states comes first; outside the limitation clause an exclusion is not read
    capped = text + " Provider's total liability shall not exceed the fees paid by Customer in the twelve (12) months preceding the claim."
    assert terms_of(OPENING, capped, cap_clause=1)["liability_cap"].startswith("the fees paid by Customer in the twelve (12) months")
    assert terms_of(OPENING, text)["liability_cap"] == ""
    assert terms_of(OPENING, "Neither party shall be liable for delays caused by events beyond its control.", cap_clause=1)["liability_cap"] == ""


def test_a_cap_in_pounds_as_filings_write_them_and_one_of_amounts_to_be_paid():
    pounds = "NCC's total liability in respect of all claims shall not (except for personal injury) exceed the sum of (pounds)500,000."
    assert terms_of(OPENING, pounds, cap_clause=1)["liability_cap"] == "(pounds)500,000"
    due = "THE LIABILITY OF EITHER PARTY FOR DAMAGES HEREUNDER IS LIMITED TO, AND WILL NOT EXCEED, THE AMOUNTS TO BE PAID BY CLIENT TO PROVIDER HEREUNDER."
    assert terms_of(OPENING, due, cap_clause=1)["liability_cap"] == "THE AMOUNTS TO BE PAID BY CLIENT TO PROVIDER HEREUNDER"


TERM = "This Agreement shall be for a period of three (3) years commencing upon the Effective Date (the \"Initial Term\")."


def test_a_renewal_of_the_same_duration_is_the_initial_term_s_length_and_the_notice_is_not_the_renewal():
    terms = terms_of(OPENING, TERM + " Upon the expiry of the Initial Term this Agreement shall automatically renew for successive terms "
                     "of the same duration, unless either party gives notice of its desire not to renew not less than sixty (60) days "
                     "prior to the date of the expiration of the Initial Term.", term_clause=1)
    assert terms["renewal"].startswith("three (3) years") and terms["notice_to_prevent_renewal"] == "not less than sixty (60) days"


def test_a_renewal_each_year_is_one_year_and_one_by_mutual_agreement_is_none():
    assert terms_of(OPENING, "This agreement shall renew automatically each year thereafter, unless either party serves notice of its "
                             "intention not to renew at least 90 days prior to the expiration of the then current term.", term_clause=1)["renewal"] == \
        "successive one year periods (each year)"
    assert terms_of(OPENING, TERM + " Thereafter, this Agreement may be renewed by mutual written agreement of the parties for "
                                    "successive one (1) year periods.", term_clause=1)["renewal"] == ""


def test_cure_periods_and_an_insurer_s_non_renewal_notice_are_not_notice_to_prevent_renewal():
    terms = terms_of(OPENING, "Provider shall procure that its insurer gives at least thirty (30) days' advance written notice of "
                              "cancellation or non-renewal of coverage. "
                              "Either party may terminate this Agreement before the end of the Term if the other party has not cured a material "
                     "breach within sixty (60) days after notice.", term_clause=1)
    assert terms["notice_to_prevent_renewal"] == ""


def test_the_law_that_governs_the_contract_before_a_law_some_step_follows():
    terms = terms_of(OPENING, "At Closing, the Company shall have completed the Conversion in accordance with the applicable laws of "
                              "Tennessee.", "Inventorship will be determined in accordance with United States patent laws.",
                     "This Agreement shall be construed in accordance with the laws of the State of New York without regard to "
                     "principles of conflicts of law.")
    assert terms["governing_law"] == "State of New York"


def test_parties_named_before_a_blank_address_or_after_and_with_a_bare_alias():
    terms = terms_of("THIS AGREEMENT is made on 2 May 2019\nBETWEEN:\n(1) HOLLOWAY ROBOTICS LIMITED a company incorporated in England "
                     "and Wales (Company Number 09912345) whose registered office is at 4 Mill Lane, Leeds, LS1 4AB, United Kingdom "
                     "(the \"Company\"); and\n(2) MARTHA QUELLING of (the ''Executive\").\nIT IS AGREED as follows:")
    assert terms["parties"] == 'HOLLOWAY ROBOTICS LIMITED ("Company"); MARTHA QUELLING ("Executive")'
    schedule = terms_of('This Order Form is issued under the Services Agreement (the "Agreement") executed by and between First Harbor '
                        'Bank, N.A. ("First Harbor") and Tessellate, ("Supplier") and incorporates its terms.')
    assert "Tessellate" in schedule["parties"] and "First Harbor Bank" in schedule["parties"]


def test_an_end_date_or_anniversary_given_as_the_earlier_of_several_events():
    assert terms_of(OPENING, 'The term of this Agreement (the "Term") will continue until the earlier of (i) December 31, 2016, (ii) the '
                             "expiry of the Site Lease or (iii) a termination under Section 8.")["expiration_date"] == "December 31, 2016"
    assert terms_of(OPENING, "This Agreement shall expire upon the earlier of (i) the first anniversary of the date of this Agreement and "
                             "(ii) the date all Units have been sold.")["expiration_date"].startswith("March 3, 2012")


def test_an_indefinite_provision_in_a_severability_clause_is_not_a_term_without_end():
    assert terms_of(OPENING, "If any provision of this Agreement is held to be indefinite, invalid or unenforceable, the rest of this "
                             "Agreement shall continue in full force and effect.")["expiration_date"] == ""


def test_the_commencement_date_a_contract_names():
    terms = terms_of(OPENING, "The commencement date for this contract will be 16th June 2011.",
                     "The initial term of the contracted agreement is 3 years from the commencement date.")
    assert terms["effective_date"] == "16th June 2011" and terms["expiration_date"].startswith("June 16, 2014")


def test_a_contract_that_runs_on_until_terminated_after_its_first_year_renews_without_end_on_its_notice():
    terms = terms_of(OPENING, "This contract shall be for a term of one year commencing on the date first above written; thereafter, it "
                              "shall automatically continue until terminated by either party upon not less than thirty (30) days prior "
                              "written notice to the other party.", term_clause=1)
    assert terms["renewal"].startswith("perpetual") and terms["notice_to_prevent_renewal"] == "not less than thirty (30) days prior written notice"
    assert terms["expiration_date"].startswith("March 3, 2012 (one year from")


def test_a_signing_date_with_the_month_in_capitals_and_a_space_before_the_comma():
    body = "The Supplier shall manufacture the Products to the Specifications. " * 60
    terms = terms_of('Wuhan Lotus Pharma Co. ("Supplier") and Redmere Health, Inc. ("Buyer") agree as follows:', body,
                     "IN WITNESS WHEREOF the parties hereto have executed this Agreement on the 1st day of JUNE , 2009, but effective "
                     "as of the Date of Commencement.")
    assert terms["agreement_date"] == "1st day of JUNE , 2009"


def test_a_party_named_after_and_and_described_before_its_role():
    terms = terms_of('This agreement ("Agreement") is entered into as of May 1, 2001 by and between Zephyr Portal, Inc., a California '
                     'corporation, located at 10 Market Street, San Jose, California 95113 ("Zephyr"), and ShopLark, a Delaware '
                     'corporation, located at 40 Madison Avenue, New York, New York 10016 ("Client").')
    assert terms["parties"] == 'Zephyr Portal, Inc.; ShopLark ("Client")'  # a role that repeats the name is not shown again


def test_a_contract_made_as_of_a_date_has_no_effective_date_unless_it_defines_one():
    assert terms_of(OPENING, "Provider shall host the Customer's reports.")["effective_date"] == ""  # "entered into as of" only
    defined = terms_of(OPENING, '"Effective Date" means the date first written above.',
                       "Provider shall host the Customer's reports from the Effective Date.")
    assert defined["agreement_date"] == "March 3, 2011" and defined["effective_date"] == "March 3, 2011"
    assert terms_of(OPENING, "THE EFFECTIVE DATE OF THIS HOSTING AGREEMENT SHALL BE: April 4, 2011")["effective_date"] == "April 4, 2011"
    by_reference = terms_of(OPENING, "This Agreement shall become effective as of the day and year first above written and shall "
                                     "continue for two years.")
    assert by_reference["effective_date"] == "March 3, 2011"


def test_a_renewal_is_read_next_to_the_initial_term_when_the_audit_found_no_renewal_clause():
    runs_on = ("This contract shall be for a term of one year commencing on the date first above written; thereafter, it shall "
               "automatically continue until terminated by either party upon not less than thirty (30) days prior written notice.")
    assert terms_of(OPENING, runs_on)["renewal"].startswith("perpetual")  # no term clause found: read beside the initial term
    elsewhere = terms_of(OPENING, "This Agreement shall remain in force for a term of two (2) years.",
                         "Provider's insurance policies shall renew automatically for successive one (1) year periods.")
    assert elsewhere["renewal"] == ""


def test_a_term_that_runs_on_indefinitely_after_its_initial_term_expires_at_the_initial_term_s_end():
    terms = terms_of(OPENING, "This agreement begins on the Commencement Date and shall continue for an initial term of one (1) years "
                              "(Initial Term) and indefinitely after that until terminated by either party giving at least twelve (12) "
                              "months' prior written notice.", term_clause=1)
    assert terms["expiration_date"].startswith("March 3, 2012") and terms["renewal"].startswith("perpetual")


def test_a_period_that_runs_after_the_term_is_not_the_initial_term():
    terms = terms_of(OPENING, "Consultant will not, during the Term, and for a period of one (1) year thereafter, solicit any "
                              "employee of Customer.")
    assert terms["initial_term"] == "" and terms["expiration_date"] == ""


def test_the_initial_term_is_the_period_its_sentence_gives_as_the_term_not_the_renewal_or_a_reply_period():
    renews = terms_of(OPENING, "2.1 Term. The initial term of this Agreement shall commence on the Effective Date, and shall continue "
                               "thereafter for a period of twelve (12) months (the \"Initial Term\"). The Initial Term shall automatically "
                               "renew for one-month periods thereafter.", term_clause=1)
    assert renews["initial_term"] == "twelve (12) months" and renews["expiration_date"].startswith("March 3, 2012")
    reply = terms_of(OPENING, "The other Party will then have a period of fourteen (14) days from the date of the notice to indicate "
                              "whether it also desires to extend the Term.",
                     "2. Term of Agreement. The initial term of this Agreement shall be for a period of four (4) years, commencing "
                     "on the Effective Date.")
    assert reply["initial_term"] == "four (4) years"  # not the first period of the passages, the one stated as the term
    counted = terms_of(OPENING, "Unless terminated earlier, this Agreement shall terminate on the date three (3) years from the "
                                "Effective Date. This Agreement shall be automatically renewed for additional successive one (1) year "
                                "periods.", term_clause=1)
    assert counted["initial_term"] == "three (3) years"
    thereafter = terms_of(OPENING, "The initial term of this Agreement shall commence on the Effective Date and extend for three (3) years "
                                   "thereafter, unless terminated earlier upon not less than forty-five (45) days notice.", term_clause=1)
    assert thereafter["initial_term"] == "three (3) years"


def test_a_term_concluding_on_a_date_or_ending_on_the_later_of_dates_expires_then():
    concluding = terms_of(OPENING, '"Contract Period" shall mean that period of time commencing on January 1, 2000 and concluding '
                                   "December 31, 2003, unless terminated sooner.", term_clause=1)
    assert concluding["expiration_date"] == "December 31, 2003"
    later = terms_of(OPENING, "The term of this Agreement will begin on December 15, 1997 and will end the later of (i) December 15, 1999 "
                              "or (ii) the delivery of all guaranteed click-throughs.", term_clause=1)
    assert later["expiration_date"] == "December 15, 1999"


def test_a_term_until_a_party_informs_the_other_runs_without_end_and_anniversaries_count_from_the_agreement():
    informs = terms_of(OPENING, "This Agreement shall become effective on the Effective Date and shall continue in effect until either "
                                "Party informs the other Party with thirty (30) day prior written notice of termination.", term_clause=1)
    assert informs["expiration_date"] == "perpetual"
    events = terms_of(OPENING, "This Agreement shall remain in effect until the earlier of the below events occur: (a) The fifth (5t h) "
                               "anniversary of this Agreement; and (b) Customer ceasing to own any shares.", term_clause=1)
    assert events["expiration_date"].startswith("March 3, 2016")
    period = terms_of(OPENING, '"Contract Period" shall mean that period of time from February 21, 2011 through December 31, 2012.',
                      term_clause=1)
    assert period["expiration_date"] == "December 31, 2012"


def test_the_agreement_date_is_not_a_recited_agreement_s_nor_a_service_s_commencement_date():
    recital = terms_of("PRODUCT MANUFACTURING AGREEMENT\n\nThis Product Manufacturing Agreement is made as of the Effective Date by and "
                       "between Dexwood Ltd. (\"Dexwood\") and Kestrel Pharma Ltd. (\"Kestrel\").",
                       "WHEREAS: Kestrel and Dexwood entered into a Development Services Agreement on April 1, 2014, pursuant to which "
                       "Dexwood performed certain development services.")
    assert recital["agreement_date"] == ""
    previously = terms_of("STRATEGIC ALLIANCE AGREEMENT\n\nThis agreement is entered into by and among Quillfeather Analytics, Inc. "
                          "(\"Customer\") and Bramblecote Data Services LLC (\"Provider\").",
                          "D. The parties have previously entered into a Selling Agreement, effective as of December 1, 2002.")
    assert previously["agreement_date"] == ""
    service = terms_of("MAINTENANCE AGREEMENT\n\nThis Agreement provides for continued service by Bramblecote Data Services LLC.",
                       "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM: MARCH 1, 2001")
    assert service["agreement_date"] == ""
    assert terms_of(OPENING)["agreement_date"] == "March 3, 2011"


def test_an_effective_date_made_effective_or_effective_for_all_purposes_or_on_this_day():
    for opening, day in (("This Co-Branding Agreement is made effective December 9, 1996 by and between", "December 9, 1996"),
                         ("This Agreement is entered into, effective for all purposes and in all respects as of the 23rd day of "
                          "February, 1998, by and between", "23rd day of February, 1998"),
                         ("This Endorsement Agreement is effective on this 21st day of February 2011, by and between", "21st day of February 2011")):
        terms = terms_of(f"{opening} Quillfeather Analytics, Inc. (\"Customer\") and Bramblecote Data Services LLC (\"Provider\").")
        assert terms["effective_date"] == day


def test_the_renewal_is_the_period_renewal_words_lead_to_not_the_initial_term_nor_a_deadline():
    term = ("2.1 Term. The initial term of this Agreement shall commence on the Effective Date, and shall continue thereafter for a "
            "period of twelve (12) months (the \"Initial Term\"). The Initial Term shall automatically renew for one-month periods "
            "thereafter unless either party provides 30- days advance notice of termination.")
    assert terms_of(OPENING, term, term_clause=1)["renewal"] == "one-month"
    noticed = ("15.1 Term. This Agreement shall be automatically renewed for additional successive one (1) year periods, unless "
               "written notice of non-renewal is received no later than ninety (90) days prior to the end of the term.")
    assert terms_of(OPENING, noticed, term_clause=1)["renewal"] == "one (1) year"
    deadline = ("This Agreement shall renew unless the Consultant objects within 5 days of the end of the term.")
    assert terms_of(OPENING, deadline, term_clause=1)["renewal"] == ""


def test_a_cap_stated_far_after_its_first_limiting_words_or_as_remuneration_paid_is_read():
    far = ("Notwithstanding any other provision contained in this Agreement, each party's maximum aggregate liability to the other "
           "party for any and all causes whatsoever, and each party's remedy, regardless of the form of action, whether in contract "
           "or tort, including negligence, and whether or not pursuant to the indemnification provisions contained in Section 12 and "
           "whether or not such party is notified of the possibility of damage to the other party, shall be limited to $[* * *].")
    assert terms_of(OPENING, far, cap_clause=1)["liability_cap"] == "$[* * *]"
    paid = ("Licensor's liability to Company shall not exceed the remuneration, excluding reimbursement of expenses, actually paid "
            "to Licensor by Company. In no event will Licensor be liable for any indirect or consequential damages.")
    assert terms_of(OPENING, paid, cap_clause=1)["liability_cap"].startswith("the remuneration, excluding reimbursement of expenses, actually paid")


def test_the_notice_that_a_renewal_runs_unless_given_is_the_notice_to_prevent_renewal():
    term = ("2.1 Term. The initial term of this Agreement shall be twelve (12) months. The Initial Term shall automatically renew for "
            "one-month periods thereafter unless either party provides 30- days advance notice of termination.")
    terms = terms_of(OPENING, term, term_clause=1)
    assert terms["notice_to_prevent_renewal"] == "30- days advance notice" and terms["renewal"] == "one-month"
    paid = terms_of(OPENING, "This Agreement shall renew each year unless terminated. Invoices are payable within 30 days of receipt.",
                    term_clause=1)
    assert paid["notice_to_prevent_renewal"] == ""


def test_the_agreement_date_is_the_day_it_is_entered_into_when_its_sentence_also_gives_an_effective_day():
    entered = terms_of('MAINTENANCE AGREEMENT\n\nThis Maintenance Agreement (this "Agreement") is entered on this 9th day of October, 2001 '
                       'and is deemed effective as of October 1, 2001 (the "Effective Date"), by and between Quillfeather Analytics, '
                       'Inc. ("Customer") and Bramblecote Data Services LLC ("Provider").')
    assert entered["agreement_date"] == "9th day of October, 2001" and entered["effective_date"] == "October 1, 2001"
    later = terms_of('SUPPLY AGREEMENT\n\nThis Supply Agreement shall be effective as of May 1, 2020 "the Commencement Date" and is made '
                     'and entered into this 10t h day of January, 2020 between Quillfeather Analytics, Inc. ("Customer") and '
                     'Bramblecote Data Services LLC ("Provider").')
    assert later["agreement_date"] == "10t h day of January, 2020"
    title = terms_of("LICENSE AGREEMENT BETWEEN QUILLFEATHER ANALYTICS, INC. AND BRAMBLECOTE DATA SERVICES LLC\nReference: A29889 May 3, 2016\n")
    assert title["agreement_date"] == "May 3, 2016"


def test_a_term_ending_at_a_date_or_running_for_contract_years_expires_then():
    ends_at = terms_of(OPENING, 'The term of this Agreement shall commence on May 1, 2020 (the "Commencement Date") and ends at April 30, '
                                '2029 (the "Term").', term_clause=1)
    assert ends_at["expiration_date"] == "April 30, 2029"
    years = terms_of(OPENING, 'This Agreement shall commence on the Effective Date and shall continue for ten (10) Contract Years.',
                     term_clause=1)
    assert years["expiration_date"].startswith("March 3, 2021")


def test_parties_named_only_where_they_sign():
    filing = terms_of("JOINT FILING AGREEMENT The undersigned hereby agree that the Schedule 13G with respect to the Common Stock of "
                      "Norvell Brands Inc. is filed on behalf of each of them.",
                      "Dated: March 2, 2020 CALDER PEAK TRUST /s/ Ines Moreau (Signature) Ines Moreau, Trustee (Name/Title) "
                      "WENDELL ASHBY /s/ Wendell Ashby (Signature)")
    assert filing["parties"] == "CALDER PEAK TRUST; WENDELL ASHBY"  # not the issuer the opening names
    body = "The Investors shall vote their shares in favour of the New Directors. " * 40
    cooperation = terms_of('This AGREEMENT, dated as of June 1, 2017, is made by Larkspur Media, Inc., a Delaware corporation (the '
                           '"Company"), and each of the persons set forth on the signature page hereto (each, an "Investor").', body,
                           "IN WITNESS WHEREOF the parties have executed this Agreement.\nLARKSPUR MEDIA, INC.\nBy: /s/ Jo Reyes  Name: "
                           "Jo Reyes Title: General Counsel\nOSPREY VALUE PARTNERS MASTER, LTD.",
                           "By: Osprey Capital LLC Investment Manager\nBy: /s/ Al Roth  Name: Al Roth Title: Managing Director\n"
                           "OSPREY VALUE PARTNERS, L.P. By: Osprey Capital LLC\nBy: /s/ Al Roth")
    assert cooperation["parties"] == ('Larkspur Media, Inc. ("Company"); OSPREY VALUE PARTNERS MASTER, LTD.; OSPREY VALUE PARTNERS, L.P.')


def test_an_opening_that_names_one_party_then_goes_on_in_the_next_passage():
    terms = terms_of('SPONSORSHIP AGREEMENT for Boxing Event in Macau\n\nRedline Promotions, Inc. ("RLP"), a Delaware company, is the '
                     'host of a boxing event to take place in Macau (the "Event").',
                     'This Sponsorship Agreement is made by and between Jade Harbour Trading Ltd ("JHT") a Macau company (the '
                     '"Sponsor") and RLP.')
    assert terms["parties"] == 'Redline Promotions, Inc. ("RLP"); Jade Harbour Trading Ltd ("Sponsor")'


def test_a_contract_effective_when_the_last_party_signs_takes_the_latest_signature_date():
    body = "Licensee shall pay the royalties set forth in Exhibit A within thirty (30) days of each Quarter. " * 40
    terms = terms_of("LICENSE AGREEMENT between Calvert Institute and Moss Robotics, Inc.",
                     '2. DEFINITIONS 2.1 "EFFECTIVE DATE" of this Agreement shall mean the date the last party hereto has executed '
                     "this Agreement.", body,
                     "IN WITNESS WHEREOF the parties have executed this Agreement on the date appearing below their signatures. "
                     "CALVERT INSTITUTE MOSS ROBOTICS, INC. By: /s/ Ann Lee By: /s/ Tom Ruiz Date:5/11/2016 Date:: 5/4/2016")
    assert terms["effective_date"] == "5/11/2016" and terms["agreement_date"] == "5/11/2016"
    dated = terms_of('This Agreement is entered into on 2 March 2016 between Calvert Institute ("Calvert") and Moss Robotics, Inc. '
                     '("Moss") and shall become effective upon its execution by both parties.', body,
                     "IN WITNESS WHEREOF the parties have executed this Agreement. Date: 5/11/2016")
    assert dated["agreement_date"] == "2 March 2016" and dated["effective_date"] == "5/11/2016"
