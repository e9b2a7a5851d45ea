"""The one vocabulary of contract values: numbers written in words and figures, periods, dates, amounts,
percentages, frequencies, governing law and courts.

Key terms (``audit.keyterms``) and answers (``answer.key_values``) read values with these patterns, so a
notice period or a cap is recognised the same way in an audit report and in a chat answer.
"""

from __future__ import annotations

import re

NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)")
NUM_WORDS = rf"{NUM_WORD}(?:[\s-]+(?:hundred|and|{NUM_WORD}))*"
NUMBER = rf"(?:{NUM_WORDS}\s*\(\d[\d,.]*\)|\d[\d,.]*|{NUM_WORDS})"
UNIT = r"(?:(?:calendar|business|working|clear|consecutive)\s+)?(?:business\s+days?|days?|weeks?|months?|years?|hours?|minutes?|seconds?|contract\s+years?)"
QUALIFIER = r"(?:(?:not|no)\s+(?:less|more|later)\s+than|at\s+least|up\s+to|within|a\s+(?:maximum|minimum)\s+of|at\s+most|more\s+than|in\s+any\s+event\s+within)\s+"
PERIOD_RE = re.compile(rf"(?:{QUALIFIER})?\b{NUMBER}\s*{UNIT}\b(?:'|’)?(?:\s+(?:prior\s+)?(?:written\s+)?notice)?|\bwith\s+immediate\s+effect\b|\bforthwith\b", re.IGNORECASE)

MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{MONTHS},?\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
DAY_MONTH = rf"\d{{1,2}}\s+{MONTHS}(?:\s+\d{{4}})?"
RELATIVE_DATE = r"\b(?:from|after|before|until|on)\s+the\s+(?:start|end|expiry|beginning|first\s+day|last\s+day|anniversary)\s+of\s+(?:the\s+)?\w+(?:\s+\w+){0,2}"
ABSOLUTE_DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}", re.IGNORECASE)
RELATIVE_RE = re.compile(RELATIVE_DATE, re.IGNORECASE)
DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}|{RELATIVE_DATE}", re.IGNORECASE)
EFFECTIVE_DATE_RE = re.compile(
    rf"(?:effective\s+(?:as\s+of|from|on)|dated(?:\s+as\s+of)?|made\s+(?:on|as\s+of)|entered\s+into\s+(?:on|as\s+of)|commenc\w+\s+on"
    rf"|\"?Effective Date\"?\s+(?:means|is|shall\s+be))\s+(?:the\s+)?({DATE})", re.IGNORECASE)

CURRENCY = r"(?:GBP|USD|EUR|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR|CNY|RMB|US\$|C\$|A\$|\$|£|€|¥)"
CURRENCY_AFTER = r"(?:GBP|USD|EUR|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR|CNY|RMB|pounds|dollars|euros|francs)"
# 1,000 / 1'000 (Swiss) / 1.5 / 151'440.-- (Swiss whole francs)
AMOUNT = r"\d{1,3}(?:[,'\u2019]\d{3})+(?:\.\d+|\.-{1,2})?|\d+(?:\.\d+|\.-{1,2})?"
MONEY_RE = re.compile(rf"{CURRENCY}\s?(?:{AMOUNT})(?:\s*(?:million|m|bn|billion))?(?:\s+(?:per|for each|in the aggregate|each)\b[^.;,]{{0,40}})?"
                      rf"|(?:{AMOUNT})\s*{CURRENCY_AFTER}\b", re.IGNORECASE)
PERCENT_RE = re.compile(rf"(?:{NUM_WORDS}\s+)?per\s?cent\s*\(\d+(?:\.\d+)?%\)|\d+(?:\.\d+)?\s*%", re.IGNORECASE)
VALUE_END = r"(?=,|;|\.\s|\.$|$|\s+or,|\s+or\s+the\b|\s+whichever\b|\s+from\s+the\s+due\b|\s+during\b|\s+\((?=[a-z\"“])|\s+and\s+(?:\w+[\s-])?(?:\w+\s+)?(?:per\s?cent|percent|\d))"
OF_TAIL = re.compile(rf"\s+(?:of\s+(?:the\s+)?[^.;]{{3,120}}?|per\s+(?:annum|month|year)(?:\s+above\s+the\s+[^.;,]{{3,60}}?)?){VALUE_END}", re.IGNORECASE)
COUNT_RE = re.compile(rf"\b{NUM_WORDS}\s*\(\d+\)|(?<![\d.])\b\d{{1,4}}\b(?![.)]?\d)(?!\))", re.IGNORECASE)
FREQUENCY_RE = re.compile(r"\b(?:(?:at\s+least\s+)?(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly)|(?:at\s+least\s+)?(?:once|twice)\s+(?:a|in|per|each|every)(?:\s+(?:each|any|every))?\s+\w+(?:\s+\w+)?"
                          r"|every\s+(?:\w+\s+)?(?:day|week|month|quarter|year|contract\s+year))\b", re.IGNORECASE)

# A limit on liability and the amount it is set at.
CAP_LEAD = re.compile(r"\b(?:shall\s+not\s+exceed|not\s+exceed|limited\s+to|capped\s+at|maximum\s+of)\s+", re.IGNORECASE)
CAP_CLAUSE = re.compile(r"(?:shall\s+not\s+exceed|limited\s+to|in\s+no\s+event[^.]{0,120}?exceed|aggregate\s+liability[^.]{0,160}?(?:exceed|limited\s+to)"
                        r"|capped\s+at|maximum\s+(?:aggregate\s+)?liability)", re.IGNORECASE)
CAP_AMOUNT = re.compile(rf"(?:\d{{1,3}}\s*(?:%|per\s*cent|percent)|{CURRENCY}\s?[\d,.']+(?:\s*(?:million|m))?|[\d,.']+\s*{CURRENCY_AFTER}"
                        r"|(?:the\s+)?(?:total\s+|aggregate\s+)?(?:fees|charges|amounts)\s+(?:paid|payable)[^.;]{0,120})", re.IGNORECASE)

GOVERNING_RE = re.compile(r"governed\s+by[^.;]{0,60}?\blaws?\s+of\s+(?:the\s+)?((?:State|Commonwealth|Province|Republic)\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?"
                          r"|[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+|\s+[A-Z][A-Za-z]+){0,3})")
COURT_RE = re.compile(r"\b(?:the\s+)?courts?\s+(?:of|in|located\s+in)\s+(?:the\s+)?((?:State\s+of\s+)?[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+)?(?:\s+County)?)")
NEGATION_RE = re.compile(r"\b(?:no|not|never|without|neither|nor|none|excluded|excludes?)\b", re.IGNORECASE)
NUMBER_TERM = re.compile(r"\b(?:[A-Z]{1,4}\s?)?\d+(?:\.\d+)*%?")


def clean_value(value: str) -> str:
    """A value on one line, trimmed of punctuation and cut to a readable length."""
    value = " ".join(value.split()).strip(" ,;:")
    return value[:157].rsplit(" ", 1)[0] + "..." if len(value) > 160 else value


def governing_law(text: str) -> str:
    """"the law of England and Wales" / "the law of the State of New York", or "" when the text chooses none."""
    match = GOVERNING_RE.search(text)
    if not match:
        return ""
    place = match.group(1).strip()
    return f"the law of the {place}" if re.match(r"(?:State|Commonwealth|Province|Republic)\b", place) else f"the law of {place}"


def court(text: str) -> str:
    """"the courts of England (exclusive jurisdiction)", or "" when the text names no court."""
    match = COURT_RE.search(text)
    if not match:
        return ""
    exclusive = " (exclusive jurisdiction)" if re.search(r"\bexclusive\s+jurisdiction\b", text, re.I) else ""
    return f"the courts of {match.group(1)}{exclusive}"
