"""The value vocabulary on drafting as contracts write it (written for this project, EDGAR-style)."""

import pytest

from assistant.text.values import (
    DATE_RE,
    EFFECTIVE_DATE_RE,
    MONEY_RE,
    PERCENT_RE,
    PERIOD_RE,
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
    assert EFFECTIVE_DATE_RE.search("This Agreement is entered into as of June 1, 2024 by").group(1) == "June 1, 2024"
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
    assert court("the courts of England shall have exclusive jurisdiction") == "the courts of England (exclusive jurisdiction)"


def test_clean_value_keeps_one_line_and_a_readable_length():
    assert clean_value("  six (6)\n months' ,") == "six (6) months'"
    assert len(clean_value("word " * 100)) <= 160 and clean_value("word " * 100).endswith("...")
