"""Periods and dates as calendar values (``text.dates``), on drafting written for this project."""

import pytest

from assistant.text.dates import Period, parse_period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("shall renew for an additional two-year term", Period(2, "years")),
        ("upon 30-day written notice", Period(30, "days")),
        ("during each twelve-month period", Period(12, "months")),
        ("for a two (2)-year term", Period(2, "years")),
        ("a thirty-six month commitment", Period(36, "months")),
        ("not less than six (6) months' notice", Period(6, "months")),
        ("within 10 business days", Period(10, "days", business=True)),
    ],
)
def test_a_period_whose_number_a_hyphen_joins_to_its_unit(text, period):
    assert parse_period(text) == period


def test_text_without_a_length_has_no_period():
    assert parse_period("the year-end accounts and the day-to-day running") is None


@pytest.mark.parametrize(("text", "period"), [("shall automatically renew for a year", Period(1, "years")),
                                              ("upon one month's notice or a month's fees", Period(1, "months")),
                                              ("provides 30- days advance notice", Period(30, "days"))])
def test_a_period_of_a_single_unit_written_with_an_article_or_a_loose_hyphen(text, period):
    assert parse_period(text) == period
