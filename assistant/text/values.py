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
# "ninety (90)", "30 (thirty)", "30", "thirty"
NUMBER = rf"(?:{NUM_WORDS}\s*\(\d[\d,.]*\)|\d[\d,.]*\s*\(\s*{NUM_WORDS}\s*\)|\d[\d,.]*|{NUM_WORDS}|\b(?:an?|one)(?=\s+(?:calendar\s+)?(?:month|year|week|day)\b))"
UNIT = r"(?:(?:calendar|business|working|clear|consecutive)\s+)?(?:business\s+days?|days?|weeks?|months?|years?|hours?|minutes?|seconds?|contract\s+years?)"
QUALIFIER = (r"(?:(?:not|no)\s+(?:less|more|later|fewer)\s+than|at\s+least|up\s+to|within|a\s+(?:maximum|minimum)\s+of|at\s+most|more\s+than"
             r"|in\s+any\s+event\s+within)\s+")
# "six (6) months' notice", "one month's notice", "30 (thirty) days prior written notice", "ninety (90) day period"
PERIOD_RE = re.compile(rf"(?:{QUALIFIER})?\b{NUMBER}\s*-?\s*{UNIT}\b(?:['’]s?)?(?:\s+(?:prior\s+)?(?:advance\s+)?(?:written\s+)?notice)?"
                       r"|\bwith\s+immediate\s+effect\b|\bforthwith\b", re.IGNORECASE)
# A term with no end: "perpetual", "in perpetuity", "indefinitely", "until terminated by either party".
PERPETUAL_RE = re.compile(r"\bperpetu(?:al(?:ly)?|ity)\b|\bindefinitely\b|\bindefinite\s+(?:term|period|duration)\b|\buntil\s+(?:it\s+is\s+)?terminated\b(?:\s+by\s+(?:either|one|both)\s+part(?:y|ies))?"
                          r"|\bfrom\s+year\s+to\s+year\b|\bmonth[- ]to[- ]month\b|\byear[- ]to[- ]year\b", re.IGNORECASE)

MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_ABBREVIATIONS = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?![a-z])"
ANY_MONTH = rf"(?:{MONTHS}|{MONTH_ABBREVIATIONS})"
# "1 March 2025", "the 1st day of March, 2003", "this first day of July, 2017", "1st of March 2003", "March 1st, 2003", "22 Dec. 2017", "2025-03-01",
# "10/1/2019" (month first, as US filings write it, unless the first figure cannot be a month)
ORDINAL_DAYS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
                "sixteenth seventeenth eighteenth nineteenth twentieth twenty-first twenty-second twenty-third twenty-fourth twenty-fifth "
                "twenty-sixth twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first").split()
ORDINAL_DAY = "(?:" + "|".join(sorted((w.replace("-", "[- ]") for w in ORDINAL_DAYS), key=len, reverse=True)) + ")"
# An ordinal's suffix as PDF text can break it ("18t h day of August"), and a weekday a filing wrote into the date
# ("20th day of Friday, March 2020").
DAY_SUFFIX = r"(?:st|nd|rd|th|t\s?h|s\s?t|n\s?d|r\s?d)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
DATE = (rf"(?:\d{{1,2}}{DAY_SUFFIX}?\s+(?:day\s+)?(?:of\s+)?(?:{WEEKDAY})?{ANY_MONTH}\s?,?\s+\d{{4}}|\b{ORDINAL_DAY}\s+day\s+of\s+{ANY_MONTH}\s?,?\s+\d{{4}}|{ANY_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s?,?\s+\d{{4}}"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}|(?<![\d/.])\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?![\d/]))")
DAY_MONTH = rf"(?<![\w/.-])\d{{1,2}}\s+{MONTHS}(?:\s+\d{{4}})?"  # not the end of a reference number ("A29889 May 3, 2016")
RELATIVE_DATE = r"\b(?:from|after|before|until|on)\s+the\s+(?:start|end|expiry|beginning|first\s+day|last\s+day|anniversary)\s+of\s+(?:the\s+)?\w+(?:\s+\w+){0,2}"
ABSOLUTE_DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}", re.IGNORECASE)
RELATIVE_RE = re.compile(RELATIVE_DATE, re.IGNORECASE)
DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}|{RELATIVE_DATE}", re.IGNORECASE)
# The date a contract takes effect, where it says so: "effective as of", "'Effective Date' means", "shall commence on".
EFFECTIVE_DATE_RE = re.compile(
    rf"(?:effective\s+(?:for\s+all\s+purposes\s+(?:and\s+in\s+all\s+respects\s+)?)?(?:as\s+of|from|on|this)|\bmade\s+effective|commenc\w+\s+(?:on|as\s+of)|\bbecome\s+effective\s+(?:on|as\s+of)"
    rf"|\bterm\b[^.;]{{0,60}}?\b(?:begin|start)s?\s+(?:on|as\s+of)"  # "The term of this Agreement (the "Term") will begin on"
    rf"|\b(?:commencement|effective|start)\s+date\b[^.;:]{{0,60}}?(?:\b(?:is|will\s+be|shall\s+be)\s*:?|:)"  # "The commencement date for this contract will be", "THE EFFECTIVE DATE OF THIS AGREEMENT SHALL BE: Sept 29, 2004"
    rf"|[\"“]?Effective\s+Date[\"”]?\)?\s+(?:means|is|shall\s+(?:be|mean))|[\"“]Effective\s+Date[\"”]\)?\s*(?:[:,]|[-–—]+(?=\s))?)\s+(?:the\s+|this\s+)?(?:date\s+of\s+)?({DATE})", re.IGNORECASE)
# "made this first day of July, 2017 (the "Effective Date")": the date the contract names its Effective Date.
EFFECTIVE_DEFINED_RE = re.compile(rf"({DATE})\s*,?\s*\(\s*(?:the\s+|hereinafter\s+|herein\s+)?[\"“]Effective\s+Date[\"”]\s*\)", re.IGNORECASE)
# A contract that defines an "Effective Date" without a date where it defines it ("... as of the Effective Date",
# '"Effective Date" means the date first written above') takes effect on the date it is made. One only made "as of" a
# date ("entered into as of March 1, 2003") names no effective date of its own: CUAD's annotators mostly leave it out.
# So does one saying it takes effect or its term begins on the date it is made, by reference: "shall become effective as
# of the day and year first above written", "commencing on the date first above written", "will begin on the date hereof".
EFFECTIVE_TERM_RE = re.compile(r"[\"“]Effective\s+Date[\"”]"
                               r"|\b(?i:effective|commenc\w*|begin\w*|start\w*)\b[^.;]{0,30}?\b(?i:(?:date|day\s+and\s+year)\s+(?:first\s+)?"
                               r"(?:above\s+written|written\s+above|set\s+forth\s+above|hereinabove\s+\w+)|date\s+hereof)")
# The date a contract is made, as its opening gives it: "dated as of", "made and entered into this 3rd day of",
# "entered into on", "is made on", "as of", "effective", with a few words between ("made as of this ...").
# The words that make a contract, which name its own date before "effective" or "as of" do: "is entered on this 9th day of
# October, 2001 and is deemed effective as of October 1, 2001", "shall be effective as of May 1, 2020 ... and is made and
# entered into this 10th day of January, 2020".
MADE_DATE_RE = re.compile(rf"(?:\bdated\b|\bmade\b|\bentered\s+(?:into\b|on\b)|\bexecuted\b|\bsigned\b)[^.;]{{0,40}}?\b(?:the\s+)?({DATE})", re.IGNORECASE)
AGREEMENT_DATE_RE = re.compile(
    rf"(?:\bdated\b|\bmade\b|\bentered\s+into\b|\bexecuted\b|\bsigned\b|\bas\s+of\b|\beffective\b|\bdate\b)[^.;]{{0,40}}?\b(?:the\s+)?({DATE})",
    re.IGNORECASE)

# The sentence that makes the contract, wherever its opening is (after a cover page or a table of contents): "This
# Network Build and Maintenance Agreement is entered into as of the 31 day of July, 2019".
MADE_SENTENCE_RE = re.compile(
    rf"\bThis\s+(?:[\w&,.'’-]+\s+){{0,8}}?(?i:agreement|contract)\b[^.;]{{0,80}}?\b(?i:made|entered\s+into|dated|executed)\b[^.;]{{0,40}}?\b(?:the\s+)?({DATE})",
    re.IGNORECASE)
# A date the closing gives where the parties sign: "Signed and effective this 25th day of May, 1999", "IN WITNESS
# WHEREOF, the parties have executed this Agreement on 3 March 2004", "Dated: June 1, 2010".
SIGNED_DATE_RE = re.compile(
    rf"\bIN\s+WITNESS\s+WHEREOF\b[^.]{{0,200}}?\b(?:the\s+)?({DATE})"
    rf"|(?:^|\n)[ \t]*(?:Signed|Executed|Dated|Date|SIGNED|EXECUTED|DATED|DATE)\b[^.;\n]{{0,40}}?(?:the\s+)?({DATE})", re.IGNORECASE)

# "(pounds)": how EDGAR filings' text writes the pound sign ("the sum of (pounds)500,000")
CURRENCY = r"(?:GBP|USD|EUR|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR|CNY|RMB|US\$|C\$|A\$|\$|£|€|¥|\(pounds\))"
CURRENCY_AFTER = r"(?:GBP|USD|EUR|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR|CNY|RMB|pounds|dollars|euros|francs)"
# 1,000 / 1'000 (Swiss) / 1.5 / 151'440.-- (Swiss whole francs)
AMOUNT = r"\d{1,3}(?:[,'\u2019]\d{3})+(?:\.\d+|\.-{1,2})?|\d+(?:\.\d+|\.-{1,2})?"
MONEY_RE = re.compile(rf"{CURRENCY}\s?(?:{AMOUNT})(?:\s*(?:million|m|bn|billion))?(?:\s+(?:per|for each|in the aggregate|each)\b[^.;,]{{0,40}})?"
                      rf"|(?:{AMOUNT})\s*{CURRENCY_AFTER}\b", re.IGNORECASE)
# A cap or fee written as a formula: "the total amount actually paid ... during the twelve (12) months immediately prior",
# "two times the fees paid", "one month's fees", "the fees payable in the preceding year", "the purchase price".
FORMULA_RE = re.compile(
    rf"(?:\b(?:{NUM_WORDS}|\d+(?:\.\d+)?)\s*(?:\(\d+(?:\.\d+)?\)\s*)?(?:times|x)\s+)?\b(?:the\s+)?(?:total\s+|aggregate\s+|cumulative\s+|net\s+)?"
    rf"(?:amounts?|fees|charges|sums?|consideration|compensation|remuneration|prices?|purchase\s+prices?|payments?|royalties|revenues?)\b"
    rf"(?:\s+of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){{0,2}}?(?:fees|prices?|charges|amounts|payments|royalties|compensation|revenues?))?"
    rf"(?:\s+(?:it|they|such\s+party))?(?:,[^,.;]{{1,60}},)?(?:\s+(?:actually\s+|to\s+be\s+)?(?:paid|payable|received|receives|owed|due|invoiced|earned)\b)[^.;]{{0,160}}"
    rf"|\b{NUMBER}\s*{UNIT}['’]s?\s+(?:of\s+(?:the\s+)?)?(?:fees|charges|payments?)\b", re.IGNORECASE)
PERCENT_RE = re.compile(rf"(?:{NUM_WORDS}\s+)?per\s?cent\s*\(\d+(?:\.\d+)?%\)|\d+(?:\.\d+)?\s*%", re.IGNORECASE)
VALUE_END = r"(?=,|;|\.\s|\.$|$|\s+or,|\s+or\s+the\b|\s+whichever\b|\s+from\s+the\s+due\b|\s+during\b|\s+\((?=[a-z\"“])|\s+and\s+(?:\w+[\s-])?(?:\w+\s+)?(?:per\s?cent|percent|\d))"
OF_TAIL = re.compile(rf"\s+(?:of\s+(?:the\s+)?[^.;]{{3,120}}?|per\s+(?:annum|month|year)(?:\s+above\s+the\s+[^.;,]{{3,60}}?)?){VALUE_END}", re.IGNORECASE)
COUNT_RE = re.compile(rf"\b{NUM_WORDS}\s*\(\d+\)|(?<![\d.])\b\d{{1,4}}\b(?![.)]?\d)(?!\))", re.IGNORECASE)
FREQUENCY_RE = re.compile(r"\b(?:(?:at\s+least\s+)?(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly)|(?:at\s+least\s+)?(?:once|twice)\s+(?:a|in|per|each|every)(?:\s+(?:each|any|every))?\s+\w+(?:\s+\w+)?"
                          r"|every\s+(?:\w+\s+)?(?:day|week|month|quarter|year|contract\s+year))\b", re.IGNORECASE)

# A limit on liability and the amount it is set at.
CAP_LEAD = re.compile(r"\b(?:shall\s+not\s+exceed|(?:not|never)\s+exceed|exceed|in\s+excess\s+of|limited\s+to|capped\s+at|maximum\s+of|greater\s+than)\s+(?:(?:the\s+)?(?:lesser|greater)\s+of\s*:?\s*(?:\(\w\)\s*)?)?", re.IGNORECASE)
CAP_CLAUSE = re.compile(r"(?:shall\s+not\s+exceed|limited\s+to|in\s+no\s+event[^.]{0,120}?exceed|aggregate\s+liability[^.]{0,160}?(?:exceed|limited\s+to)"
                        r"|\bliab\w*[^.;]{0,200}?\b(?:exceeds?|in\s+excess\s+of)\b"
                        r"|capped\s+at|maximum\s+(?:aggregate\s+)?liability)", re.IGNORECASE)
CAP_AMOUNT = re.compile(rf"(?:\d{{1,3}}\s*(?:%|per\s*cent|percent)|{CURRENCY}\s?[\d,.']+(?:\s*(?:million|m))?|[\d,.']+\s*{CURRENCY_AFTER}"
                        rf"|{FORMULA_RE.pattern}|(?:{CURRENCY}\s?)?\[\s*(?:\*\s*)+\])", re.IGNORECASE)  # "[***]", "$[* * *]": an amount the filing redacts

# A limitation that sets no amount but excludes kinds of damages: "IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY
# SPECIAL, INDIRECT OR CONSEQUENTIAL DAMAGES", "Neither party shall be entitled to recover ... any punitive damages".
DAMAGE_KINDS = r"(?:indirect|consequential|incidental|special|punitive|exemplary|lost\s+profits?|loss\s+of\s+(?:profits?|goodwill|business))"
DAMAGES_EXCLUSION = re.compile(
    rf"\b(?:not|no\s+event|neither|in\s+no\s+(?:case|circumstances?))\b[^.;]{{0,200}}?\b(?:liab\w*|recover\w*|responsib\w*)\b[^.;]{{0,120}}?"
    rf"\b{DAMAGE_KINDS}\b(?:[^.;]{{0,120}}?\b(?:damages?|loss(?:es)?)\b)?", re.IGNORECASE)

# "governed by the laws of the State of New York", "construed in accordance with the internal laws of the Commonwealth
# of Massachusetts", "the laws and judicial decisions of the State of Florida", "the laws of the Federal Republic of
# Germany", "subject to Swiss law", "governed by New York law"; the place keeps its capitals (case decides where it ends).
PLACE = (r"(?:(?i:State|Commonwealth|Province|Republic|Kingdom|Federal\s+Republic|People['’]s\s+Republic|Hong\s+Kong\s+Special\s+Administrative\s+Region)"
         r"\s+(?i:of)\s+(?:(?i:the)\s+)?[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?|[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+|\s+[A-Z][A-Za-z]+){0,3})")
LAW_VERB = r"(?:governed|construed|interpreted|enforced|determined|subject|governs|govern|apply|applies|applicable)"
GOVERNING_RE = re.compile(
    rf"(?i:{LAW_VERB})\b[^.;]{{0,80}}?\b(?i:laws?)(?:\s+(?i:and|or)\s+(?:[a-z]+\s+){{0,2}}[a-z]+)?(?:,\s*(?:[a-z]+\s+){{0,3}}[a-z]+,)?\s+(?i:of|in)\s+(?:(?i:the)\s+)?({PLACE})"
    rf"|(?i:{LAW_VERB})\b[^.;]{{0,60}}?\b(?:the\s+)?((?!This\b|The\b|Such\b)[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s+(?i:law)\b(?!\s+(?:firm|enforcement))"
    rf"|(?i:laws?\s+of\s+)(?:(?i:the)\s+)?({PLACE})\s+(?i:shall\s+(?:govern|apply))")
COURT_RE = re.compile(r"\b(?:the\s+)?courts?\s+(?:of|in|located\s+in)\s+(?:the\s+)?((?:State\s+of\s+)?[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+)?(?:\s+County)?)")
NEGATION_RE = re.compile(r"\b(?:no|not|never|without|neither|nor|none|excluded|excludes?)\b", re.IGNORECASE)
NUMBER_TERM = re.compile(r"\b(?:[A-Z]{1,4}\s?)?\d+(?:\.\d+)*%?")


def clean_value(value: str) -> str:
    """A value on one line, trimmed of punctuation and cut to a readable length."""
    value = " ".join(value.split()).strip(" ,;:")
    return value[:157].rsplit(" ", 1)[0] + "..." if len(value) > 160 else value


# Places whose law a contract chooses: the US states, Canadian provinces and the countries and territories contracts
# name (a gazetteer, not phrasings: a defined term such as "the Territory" or "Section 12" is not a place).
US_STATES = ("Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois Indiana Iowa "
             "Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada "
             "Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island", "South Carolina",
    "South Dakota", "West Virginia", "District of Columbia"]
PROVINCES = ["British Columbia", "Ontario", "Quebec", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia", "New Brunswick",
             "New South Wales", "Victoria", "Queensland"]
COUNTRIES = ["England and Wales", "England", "Scotland", "Northern Ireland", "Ireland", "United Kingdom", "Germany", "France", "Switzerland",
             "Netherlands", "Belgium", "Luxembourg", "Austria", "Italy", "Spain", "Portugal", "Sweden", "Norway", "Denmark", "Finland",
             "Israel", "People's Republic of China", "China", "PRC", "Hong Kong", "Singapore", "Japan", "Korea", "Taiwan", "India",
             "Australia", "New Zealand", "Canada", "Mexico", "Brazil", "Argentina", "Russia", "Cayman Islands", "Bermuda",
             "British Virgin Islands", "Malaysia", "Thailand", "South Africa", "United Arab Emirates", "Cyprus", "Malta", "United States"]
PLACE_PREFIX = r"(?:(?:the\s+)?(?:State|Commonwealth|Province|Republic|Kingdom|Federal\s+Republic|Grand\s+Duchy|Hong\s+Kong\s+Special\s+Administrative\s+Region)\s+of\s+(?:the\s+)?)"
_PLACE_NAMES = "|".join(re.escape(p).replace("'", "['’]") for p in sorted(US_STATES + PROVINCES + COUNTRIES, key=len, reverse=True))
KNOWN_PLACE = re.compile(rf"\b{PLACE_PREFIX}?(?P<place>{_PLACE_NAMES})\b(?!\s+(?:corporation|company|limited|inc\b|llc\b|ltd\b))", re.IGNORECASE)
LAW_WORD = re.compile(r"\blaws?\b", re.IGNORECASE)
LAW_CHOICE = re.compile(r"\b(?:governed|construed|interpreted|enforced|governs?|governing|construction|interpretation|in\s+accordance\s+with"
                        r"|applied|applicable\s+law\s+(?:shall\s+be|is))\b", re.IGNORECASE)
CONTRACT_GOVERNED = re.compile(r"\b(?:this|the)\s+(?:agreement|contract)\b[^.;]{0,120}?\b(?:governed|construed|interpreted|governs?)\b"
                               r"|\b(?:governed|construed|interpreted)\b[^.;]{0,40}?\b(?:this|the)\s+(?:agreement|contract)\b", re.IGNORECASE)
WEAK_LAW = re.compile(r"\b(?:export|import|sanction|anti-?corruption|bribery|securities|tax|immigration|privacy|data\s+protection|antitrust|"
                      r"comply|compliance|complies|violat\w+|permitted\s+by)\b", re.IGNORECASE)


def law_choice(sentence: str) -> tuple[str, int, int] | None:
    """(place as written, its offset, strength) when the sentence chooses a governing law: a sentence with "law(s)" and
    a word that chooses it (governed, construed, in accordance with), naming a known place ("the laws and judicial
    decisions of the State of Florida", "the laws in force in the Province of Ontario", "made in the State of
    California and governed by the laws thereof", "New York law"). Strength 3 when the sentence says the contract
    itself is governed or construed so ("This Agreement shall be construed in accordance with the laws of the State of
    New York"), 2 for another clean choice ("conducted in accordance with the applicable laws of Tennessee"), 1 when
    the sentence is about compliance, export control or the like (a contract's governing law is rarely stated there)."""
    if not LAW_WORD.search(sentence) or not LAW_CHOICE.search(sentence):
        return None
    law_at = LAW_WORD.search(sentence).start()
    places = [m for m in KNOWN_PLACE.finditer(sentence)]
    if not places:
        return None
    after = [m for m in places if m.start() > law_at] or places
    best = next((m for m in after if m.group("place").lower() != "united states"), after[0])
    strength = 1 if WEAK_LAW.search(sentence) else 3 if CONTRACT_GOVERNED.search(sentence) else 2
    return best.group(0), best.start(), strength


def governing_place(match: re.Match) -> str:
    """The place a ``GOVERNING_RE`` match names, whichever of its phrasings matched."""
    return next(g for g in match.groups() if g).strip()


def governing_law(text: str) -> str:
    """"the law of England and Wales" / "the law of the State of New York", or "" when the text chooses none."""
    # sentences with PDF-wrapped lines joined, as the key terms read them
    from .sentences import sentence_units

    choices = [c for a, b in sentence_units(text) if (c := law_choice(text[a:b]))]
    if choices:
        place = max(choices, key=lambda c: c[2])[0]
        place = re.sub(r"^the\s+", "", place, flags=re.IGNORECASE)
        return f"the law of the {place}" if re.match(r"(?i:State|Commonwealth|Province|Republic|Kingdom|Federal|Grand|People|United|Netherlands|Cayman|British)\b", place) else f"the law of {place}"
    match = GOVERNING_RE.search(text)
    if not match:
        return ""
    place = re.sub(r"\s+(?:without|excluding|applicable|and|as|in|to)$", "", governing_place(match))
    if match.group(2):  # "governed by New York law"
        return f"{place} law"
    return f"the law of the {place}" if re.match(r"(?i:State|Commonwealth|Province|Republic|Kingdom|Federal|People)\b", place) else f"the law of {place}"


def court(text: str) -> str:
    """"the courts of England (exclusive jurisdiction)", or "" when the text names no court."""
    match = COURT_RE.search(text)
    if not match:
        return ""
    exclusive = " (exclusive jurisdiction)" if re.search(r"\bexclusive\s+jurisdiction\b", text, re.I) else ""
    return f"the courts of {match.group(1)}{exclusive}"
