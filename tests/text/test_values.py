"""The value vocabulary on drafting as contracts write it (written for this project, EDGAR-style)."""

import datetime as dt

import pytest

from assistant.text.dates import parse_date
from assistant.text.values import (
    CAP_AMOUNT,
    CAP_CLAUSE,
    DATE_RE,
    EFFECTIVE_DATE_RE,
    EFFECTIVE_TERM_RE,
    FORMULA_RE,
    MONEY_RE,
    PERCENT_RE,
    PERIOD_RE,
    PERPETUAL_RE,
    clean_value,
    court,
    governing_law,
)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("on not less than ninety (90) days' prior written notice", "not less than ninety (90) days' prior written notice"),
        ("within thirty (30) calendar days of receipt", "within thirty (30) calendar days"),
        ("for a period of twelve (12) months", "twelve (12) months"),
        ("at least 30 business days before", "at least 30 business days"),
        ("on six months' notice", "six months' notice"),
        ("terminate with immediate effect", "with immediate effect"),
        ("unless either party provides 30- days advance notice", "30- days advance notice"),
    ],
)
def test_periods(text, period):
    assert PERIOD_RE.search(text).group(0) == period


@pytest.mark.parametrize(
    ("text", "date"),
    [("made on the 14th day of February, 2025 between", "14th day of February, 2025"),
     ("dated as of March 1, 2025", "March 1, 2025"), ("effective 2025-03-01", "2025-03-01")],
)
def test_dates(text, date):
    assert DATE_RE.search(text).group(0) == date


def test_effective_date_is_the_date_after_the_words_that_set_it():
    assert EFFECTIVE_DATE_RE.search("This Agreement is entered into as of June 1, 2024 by") is None  # made as of: no effective date
    assert EFFECTIVE_DATE_RE.search("THE EFFECTIVE DATE OF THIS RESELLER AGREEMENT SHALL BE: Sept 29, 2004").group(1) == "Sept 29, 2004"
    assert EFFECTIVE_DATE_RE.search("COMMENCEMENT DATE FOR SUPPORT UNDER THIS ADDENDUM: MARCH 1, 2001").group(1) == "MARCH 1, 2001"
    assert EFFECTIVE_DATE_RE.search("(xxix) \"EFFECTIVE DATE\" - January 21st, 2002").group(1) == "January 21st, 2002"  # a definitions list
    assert EFFECTIVE_TERM_RE.search('"Effective Date" means the date first written above.')
    assert EFFECTIVE_TERM_RE.search("This Agreement shall take effect on the effective date of the merger.") is None
    assert EFFECTIVE_DATE_RE.search("This Agreement shall become effective on 1 July 2019 and").group(1) == "1 July 2019"
    assert EFFECTIVE_DATE_RE.search('(the "Effective Date") means January 15, 2010').group(1) == "January 15, 2010"
    assert EFFECTIVE_DATE_RE.search("The term shall commence on the 1st of March, 2003 and").group(1) == "1st of March, 2003"
    assert EFFECTIVE_DATE_RE.search('"Effective Date" means 1 March 2025.').group(1) == "1 March 2025"
    assert EFFECTIVE_DATE_RE.search("payable within 30 days of 1 March 2025") is None


def test_amounts_and_percentages():
    assert MONEY_RE.search("shall not exceed GBP 2,000,000 in any Contract Year").group(0) == "GBP 2,000,000"
    assert MONEY_RE.search("a credit of USD 5,000 per incident").group(0) == "USD 5,000 per incident"
    assert MONEY_RE.search("a fee of US$ 12.5 million").group(0) == "US$ 12.5 million"
    assert PERCENT_RE.search("one hundred and fifty per cent (150%) of the Charges").group(0) == "one hundred and fifty per cent (150%)"


def test_governing_law_and_courts_in_their_common_phrasings():
    assert governing_law("This Agreement shall be governed by and construed in accordance with the laws of the State of New York") == \
        "the law of the State of New York"
    assert governing_law("governed by the laws of England and Wales") == "the law of England and Wales"
    assert governing_law("The parties agree to negotiate in good faith.") == ""
    # a choice of law wrapped over lines by a PDF, the verb after a parenthesis (written for the project)
    wrapped = ("The laws of the State of New York (excluding any laws that direct the application of\nanother jurisdiction's "
               "law) govern all matters arising out of or relating to\nthis Agreement.")
    assert governing_law(wrapped) == "the law of the State of New York"
    assert court("the courts of England shall have exclusive jurisdiction") == "the courts of England (exclusive jurisdiction)"


def test_clean_value_keeps_one_line_and_a_readable_length():
    assert clean_value("  six (6)\n months' ,") == "six (6) months'"
    assert len(clean_value("word " * 100)) <= 160 and clean_value("word " * 100).endswith("...")


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("may terminate on 30 (thirty) days written notice to the other", "30 (thirty) days written notice"),
        ("upon one month's notice in writing", "one month's notice"),
        ("not less than fifteen (15) days prior written notice", "not less than fifteen (15) days prior written notice"),
        ("during the sixty-day period after delivery", "sixty-day"),
        ("for successive one (1) year periods", "one (1) year"),
    ],
)
def test_periods_as_real_drafting_writes_them(text, period):
    assert PERIOD_RE.search(text).group(0) == period


@pytest.mark.parametrize(
    ("text", "day"),
    [("commence on the 1st of March, 2003, and", dt.date(2003, 3, 1)), ("signed on 22 Dec. 2017 in Shanghai", dt.date(2017, 12, 22)),
     ("EFFECTIVE AS OF FEBRUARY 4, 2020", dt.date(2020, 2, 4)), ("made this 15th day of June, 2020", dt.date(2020, 6, 15)),
     ("dated March 1st, 2003", dt.date(2003, 3, 1)), ("Date: 10/1/2019", dt.date(2019, 10, 1)), ("Date: 25/12/2019", dt.date(2019, 12, 25))],
)
def test_dates_in_their_common_forms(text, day):
    assert parse_date(text) == day


def test_a_term_without_end_is_perpetual():
    assert PERPETUAL_RE.search("the licence granted hereunder is perpetual and irrevocable")
    assert PERPETUAL_RE.search("and shall continue in force until terminated by either party")
    assert PERPETUAL_RE.search("shall renew from year to year unless")
    assert not PERPETUAL_RE.search("for an initial term of three (3) years")


@pytest.mark.parametrize(
    ("text", "law"),
    [
        ("This Agreement shall be governed by the laws and judicial decisions of the State of Florida.", "the law of the State of Florida"),
        ("shall be governed by, and construed in accordance with, the laws of the Federal Republic of Germany, without regard to",
         "the law of the Federal Republic of Germany"),
        ("shall be construed and enforced in accordance with the internal laws of the Commonwealth of Massachusetts, excluding",
         "the law of the Commonwealth of Massachusetts"),
        ("This Agreement is governed by New York law.", "the law of New York"),
        ("The validity of this Agreement shall be governed by the laws of Israel.", "the law of Israel"),
    ],
)
def test_governing_law_in_real_phrasings(text, law):
    assert governing_law(text) == law


def test_caps_written_as_formulas_and_multiples_of_fees():
    formula = ("IN NO EVENT SHALL EITHER PARTY'S LIABILITY HEREUNDER EXCEED the total amount actually paid by Customer "
               "under this Agreement during the twelve (12) months immediately prior to the claim.")
    assert FORMULA_RE.search(formula).group(0).startswith("the total amount actually paid by Customer")
    assert FORMULA_RE.search("shall not exceed two (2) times the fees paid in the preceding year").group(0).startswith("two (2) times the fees paid")
    assert FORMULA_RE.search("limited to one month's fees for the affected Service").group(0) == "one month's fees"
    assert CAP_AMOUNT.search("liability is limited to an amount equal to the fees payable hereunder")
    assert not FORMULA_RE.search("The fees are set out in Exhibit B.")


def test_caps_that_real_drafting_writes_without_a_figure():
    def cap(text):
        clause = CAP_CLAUSE.search(text)
        amount = clause and CAP_AMOUNT.search(text, clause.end(), clause.end() + 300)
        return amount.group(0) if amount else ""

    assert cap("Liability for any Claim shall be limited to the aggregate amount of the purchase prices paid by Reseller in the prior "
               "year.").startswith("the aggregate amount of the purchase prices paid by Reseller")
    assert cap("The Agent shall not be liable for any loss which in the aggregate exceeds the fees paid to the Agent under this "
               "Agreement.").startswith("the fees paid to the Agent")
    assert cap("NEITHER PARTY'S AGGREGATE LIABILITY UNDER THIS AGREEMENT SHALL EXCEED [***].") == "[***]"  # redacted in the filing
    assert cap("The Supplier shall deliver not less than 500 units.") == ""


def test_the_notice_period_is_the_one_notice_governs_not_the_renewal_length():
    from assistant.answer.key_values import key_value

    sentence = ("Thereafter it renews automatically for successive one (1) year periods unless either party gives notice of "
                "non-renewal at least ninety (90) days before the end of the then-current term.")
    assert key_value("period", sentence, "How much notice must be given to stop the agreement from renewing?") == "at least ninety (90) days"
    assert key_value("period", sentence, "How long is each renewal period?") == "one (1) year"


def test_questions_about_the_law_in_a_lawyer_s_words():
    from assistant.answer.questions import question_kind

    assert question_kind("Under the laws of which state or country is this agreement to be construed?") == "law"
    assert question_kind("Which jurisdiction's law applies to disputes under this contract?") == "law"
    assert question_kind("Which courts have jurisdiction?") == "court"


def test_dates_with_the_day_in_words_and_the_effective_date_a_contract_defines():
    from assistant.text.values import EFFECTIVE_DEFINED_RE

    assert parse_date("made this first day of July, 2017 between") == dt.date(2017, 7, 1)
    assert parse_date("as of the twenty-first day of March, 2003") == dt.date(2003, 3, 21)
    opening = 'THIS SUPPLY AGREEMENT (the "Agreement") is made this first day of July, 2017 (the "Effective Date") between'
    assert EFFECTIVE_DEFINED_RE.search(opening).group(1) == "first day of July, 2017"
    assert EFFECTIVE_DEFINED_RE.search('is entered into effect the 7th day of April, 2017 ("Effective Date"), by').group(1) == "7th day of April, 2017"


def test_dates_as_pdf_text_and_filings_garble_them():
    assert parse_date("made as of this 18t h day of August 2014 (the") == dt.date(2014, 8, 18)
    assert parse_date("entered into this 20th day of Friday, March 2020 (the") == dt.date(2020, 3, 20)
    assert parse_date("entered into as of the 31  day of July, 2019") == dt.date(2019, 7, 31)


def test_the_sentence_that_makes_a_contract_and_the_date_it_is_signed():
    from assistant.text.values import MADE_SENTENCE_RE, SIGNED_DATE_RE

    made = MADE_SENTENCE_RE.search("This Network Build and Maintenance Agreement is entered into as of the 9 day of May, 2018 by and")
    assert made.group(1) == "9 day of May, 2018"
    assert not MADE_SENTENCE_RE.search("This Agreement supersedes the letter of intent signed by the parties. On March 1, 2018 the")
    closing = "year field.\n\nSigned and effective this 25th day of May, 1999.\n\nAGENCY"
    assert next(g for g in SIGNED_DATE_RE.search(closing).groups() if g) == "25th day of May, 1999"
    assert not SIGNED_DATE_RE.search("the shipment signed for by the Carrier on 3 June 2010")


def test_a_term_that_starts_on_a_date_is_the_date_the_contract_takes_effect():
    text = 'The term of this Agreement (the "Term") will begin on February 1, 1998 and end on the first anniversary of'
    assert EFFECTIVE_DATE_RE.search(text).group(1) == "February 1, 1998"
    assert EFFECTIVE_DATE_RE.search("Signed and effective this 25th day of May, 1999.").group(1) == "25th day of May, 1999"
