"""Dates and periods as contracts write them, turned into calendar arithmetic: "1 March 2025", "June 1, 2024",
"six (6) months", "ninety (90) days", "12 Business Days". Patterns come from ``text.values`` (the one vocabulary);
parsing dates is python-dateutil's, and month arithmetic is its ``relativedelta`` (28 February + 6 months = 28
August, 31 August + 6 months = 28 February). Business days skip weekends only: no holiday calendar is assumed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from .values import DATE, DAY_SUFFIX, ORDINAL_DAYS, WEEKDAY

DATE_RE = re.compile(DATE, re.IGNORECASE)
UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
         "year": "years", "years": "years"}
WORD_NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                             "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORDS = (rf"(?:(?:{'|'.join(TENS)})(?:[\s-](?:{'|'.join(list(WORD_NUMBERS)[1:10])}))?|{'|'.join(sorted(WORD_NUMBERS, key=len, reverse=True))})")
# "six (6) months", "two-year", "30-day", "two (2)-year": a hyphen may join the number to its unit
PERIOD = re.compile(rf"(?:(\d{{1,4}})|\(\s*(\d{{1,4}})\s*\)|\b({_WORDS}|an?(?=\s+(?:calendar\s+)?(?:day|week|month|year)\b)))[\s-]*(?:\(\s*(\d{{1,4}})\s*\)[\s-]*)?"
                    r"(?:calendar\s+|consecutive\s+|clear\s+|contract\s+)?(business\s+|working\s+)?(days?|weeks?|months?|years?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # days | weeks | months | years
    business: bool = False

    def label(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {'business ' if self.business else ''}{unit}"


def word_number(text: str) -> int | None:
    """"six" -> 6, "thirty-six" -> 36, "twelve" -> 12; None for anything else."""
    words = re.split(r"[\s-]+", text.lower().strip())
    total = 0
    for word in words:
        if word in TENS:
            total += TENS[word]
        elif word in WORD_NUMBERS:
            total += WORD_NUMBERS[word]
        else:
            return None
    return total


def parse_period(text: str) -> Period | None:
    """The first period in ``text`` ("not less than six (6) months' notice" -> 6 months), or None."""
    for match in PERIOD.finditer(text):
        figure, bracketed, words, after, business, unit = match.groups()
        written = (words or "").lower()
        amount = int(after or figure or bracketed) if (after or figure or bracketed) else 1 if written in ("a", "an") else word_number(written)
        if amount:
            return Period(amount, UNITS[unit.lower()], bool(business))
    return None


def parse_date(text: str) -> dt.date | None:
    """The first date written out in ``text`` ("1 March 2025", "June 1, 2024", "2025-03-01"), or None."""
    match = DATE_RE.search(text)
    if not match:
        return None
    written = match.group(0)
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", written)
    if numeric:  # month first, as US filings write it, unless the first figure cannot be a month
        first, second, year = (int(x) for x in numeric.groups())
        month, day = (first, second) if first <= 12 else (second, first)
        year += 2000 if year < 50 else 1900 if year < 100 else 0
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    written = re.sub(rf"\b(\d{{1,2}}){DAY_SUFFIX}(?=\s)", r"\1", re.sub(WEEKDAY, "", written, flags=re.IGNORECASE))  # "18t h", "Friday,"
    for number, ordinal in sorted(enumerate(ORDINAL_DAYS, 1), key=lambda t: -len(t[1])):  # "the twenty-first day of July, 2017"
        written = re.sub(rf"\b{ordinal.replace('-', '[- ]')}\b", str(number), written, flags=re.IGNORECASE)
    try:
        return date_parser.parse(re.sub(r"\b(?:day\s+)?of\b", " ", written), dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def shift(day: dt.date, period: Period, sign: int = 1) -> dt.date:
    """``day`` plus (or minus, ``sign=-1``) the period; business days skip Saturdays and Sundays."""
    if period.business:
        left, current = period.amount, day
        while left:
            current += dt.timedelta(days=sign)
            if current.weekday() < 5:
                left -= 1
        return current
    return day + relativedelta(**{period.unit: sign * period.amount})
