"""Comparing a value the assistant states with CUAD's normalised answer, the same way in every eval.

CUAD writes its answers one way per category: dates as ``m/d/yyyy`` ("[]/[]/2004" when the contract leaves the day
blank), periods as "30 days" / "successive 1 year" / "perpetual" (several alternatives joined by ";" or "/"),
governing law as the place ("New York", "England"), parties as "Name ("Alias"); Name ("Alias")". Our values are
as the contract writes them ("the 1st day of March, 2003", "ninety (90) days' prior written notice", "the law of
the State of New York"), so both sides are read into one form first:

- date: the same calendar day; a gold date with a blank day or month is not compared (``None``);
- period / renewal: the same length (days, weeks, months, years; 12 months = 1 year, 4 weeks are not a month);
  "perpetual" matches a value that says perpetual, indefinite or until terminated; "successive" is ignored;
- law: the gold place is in the value (case, "State of" and punctuation ignored; US state abbreviations and
  "UK"/"United Kingdom"/"England" read as one);
- parties: at least two of the gold parties (all, when it lists one) are named in the value, a party counting
  when a distinctive word of its name (not "Inc", "Corporation", "the", ...) is there.

Each function returns True / False, or None when the gold answer cannot be compared (blank, or not a value).
"""

from __future__ import annotations

import re

from assistant.text.dates import Period, parse_date, parse_period

US_STATES = {"ny": "new york", "ca": "california", "de": "delaware", "tx": "texas", "nj": "new jersey", "fl": "florida",
             "ma": "massachusetts", "il": "illinois", "pa": "pennsylvania", "wa": "washington", "ga": "georgia", "nv": "nevada"}
SAME_PLACE = {"uk": "england", "united kingdom": "england", "england and wales": "england", "hong kong sar": "hong kong",
              "prc": "china", "people's republic of china": "china", "peoples republic of china": "china", "usa": "united states",
              "u.s.": "united states"}
NAME_NOISE = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "lp", "llp", "plc", "sa",
              "ag", "gmbh", "bv", "nv", "the", "and", "of", "group", "holdings", "international", "technologies", "technology",
              "systems", "a", "an", "de", "pte", "s", "l", "p", "c", "b", "v", "inc.", "each", "party", "parties"}
PERPETUAL = re.compile(r"\bperpetu|\bindefinite|\buntil\s+(?:terminated|either\s+party\s+terminates)|\bevergreen\b", re.IGNORECASE)
MONTHS_OF = {"days": None, "weeks": None, "months": 1, "years": 12}


def compare_date(gold: str, value: str) -> bool | None:
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", gold or "")
    if not match:
        return None
    month, day, year = (int(x) for x in match.groups())
    if month > 12:  # CUAD writes a few dates day first ("31/01/2025")
        month, day = day, month
    ours = parse_date(value or "")
    return ours is not None and (ours.year, ours.month, ours.day) == (year, month, day)


def _days(period: Period) -> float:
    return period.amount * {"days": 1, "weeks": 7, "months": 30.4, "years": 365}[period.unit]


def same_length(a: Period, b: Period) -> bool:
    """Equal lengths: in months when both are months or years, in days when both are days or weeks, and a month
    counted as 30 or 31 days otherwise (CUAD writes "180 days / 6 months" for one notice)."""
    if MONTHS_OF[a.unit] and MONTHS_OF[b.unit]:
        return a.amount * MONTHS_OF[a.unit] == b.amount * MONTHS_OF[b.unit]
    if not MONTHS_OF[a.unit] and not MONTHS_OF[b.unit]:
        return _days(a) == _days(b)
    return abs(_days(a) - _days(b)) <= max(1.0, 0.02 * _days(a))


def compare_period(gold: str, value: str) -> bool | None:
    alternatives = [g.strip() for g in re.split(r"[;/]", gold or "") if g.strip() and g.strip() not in ("[]",)]
    if not alternatives:
        return None
    ours = parse_period(_figures(value or ""))
    for alternative in alternatives:
        if PERPETUAL.search(alternative):
            if PERPETUAL.search(value or ""):
                return True
            continue
        wanted = parse_period(_figures(alternative.replace("successive", "").replace("succesive", "")))
        if wanted is not None and ours is not None and same_length(wanted, ours):
            return True
    return False if any(PERPETUAL.search(a) or parse_period(_figures(a)) for a in alternatives) else None


def _figures(text: str) -> str:
    """ "0.5 year" -> "6 months" (CUAD writes half years so); anything else as it is."""
    return re.sub(r"\b0\.5\s+years?\b", "6 months", text, flags=re.IGNORECASE)


def _place(text: str) -> str:
    text = text.lower().replace("’", "'")
    for phrase, same in SAME_PLACE.items():
        text = re.sub(rf"\b{re.escape(phrase)}(?!\w)", same, text)
    text = re.sub(r"[^\w\s']", " ", text)
    text = re.sub(r"\b(?:the|state|commonwealth|province|republic|federal|laws?|of)\b", " ", text)
    text = " ".join(text.split())
    text = US_STATES.get(text, text)
    return SAME_PLACE.get(text, text)


def compare_law(gold: str, value: str) -> bool | None:
    if not gold or not gold.strip():
        return None
    places = [p for p in (_place(g) for g in re.split(r";|/|,", gold)) if p]  # "British Columbia, Canada": either
    if not places:
        return None
    ours = _place(value or "")
    ours = " ".join(SAME_PLACE.get(w, w) for w in [ours]) if ours else ""
    return any(p and (p in ours or (p == "england" and "wales" in ours)) for p in places)


def gold_parties(gold: str) -> list[str]:
    """The party names of CUAD's Parties answer, without aliases and the "referred to as" sentences."""
    names = []
    for piece in (gold or "").split(";"):
        piece = re.sub(r"\([^)]*\)|\"[^\"]*\"|“[^”]*”", " ", piece)
        piece = " ".join(piece.split()).strip(" ,.")
        if not piece or re.search(r"\breferred\s+to\b|\bcollectively\b|\bforegoing\b", piece, re.IGNORECASE) or not re.search(r"[A-Za-z]", piece):
            continue
        names.append(piece)
    return list(dict.fromkeys(names))


def _distinctive(name: str) -> set[str]:
    words = {w for w in re.findall(r"[a-z0-9&]+", name.lower()) if w not in NAME_NOISE and len(w) > 1}
    return words


def compare_parties(gold: str, value: str) -> bool | None:
    names = [n for n in gold_parties(gold) if _distinctive(n)]
    if not names:
        return None
    ours = set(re.findall(r"[a-z0-9&]+", (value or "").lower()))
    found = sum(1 for n in names if _distinctive(n) & ours)
    return found >= min(2, len(names))


COMPARERS = {"date": compare_date, "period": compare_period, "renewal": compare_period, "law": compare_law,
             "parties": compare_parties}


def compare(kind: str, gold: str, value: str) -> bool | None:
    """Whether ``value`` states CUAD's normalised answer ``gold`` (None: not comparable, or ``kind`` is none)."""
    comparer = COMPARERS.get(kind)
    return comparer(gold, value) if comparer else None
