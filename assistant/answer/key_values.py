"""Reading the key value a question asks for from the sentence that answers it: a notice period, a date,
an amount or a cap, a count, a frequency, a party, a governing law, a court, or yes/no.

The patterns are the shared value vocabulary (``text.values``); what this module adds is choosing, when a
sentence states several values, the one the question is about.
"""

from __future__ import annotations

import re

from ..text.naming import PARTY_NAME, company_word, party_role_words
from ..text.normalise import plain
from ..text.tokenization import tokenize
from ..text.values import (
    ABSOLUTE_DATE_RE,
    CAP_AMOUNT,
    CAP_LEAD,
    COUNT_RE,
    DATE_RE,
    FREQUENCY_RE,
    MONEY_RE,
    NEGATION_RE,
    OF_TAIL,
    PERCENT_RE,
    PERIOD_RE,
    RELATIVE_RE,
    UNIT,
    clean_value,
    court,
    governing_law,
)
from .questions import RELATED, content_terms, strip_naming

CAP_QUESTION = re.compile(r"\b(?:cap|caps|capped|limit|limits|maximum|exceed)\b", re.IGNORECASE)
PERSON_RE = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
ROLE_BY_RE = re.compile(r"\b(?:signed|approved|appointed|chaired|nominated|given|made)\s+by\s+((?:an?|the)\s+[a-z][a-z ]{2,40}?\s+of\s+the\s+[A-Z][a-z]+|(?:an?|the)\s+[A-Z]?[a-z]+(?:\s+[a-z]+){0,4})\b")
PARTY_RE = re.compile(r"\b(?:(?:Either|Each|Neither|Both)\s+(?:P|p)art(?:y|ies)|(?:the\s+)?(?:Customer|Supplier|Client|Provider|Vendor|Contractor|Licensor|Licensee|Recipient|Disclosing\s+Party|Discloser|Processor|Controller|Indemnifier))\b")
BY_PERSON_RE = re.compile(r"\bby\s+([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


TERM_QUESTION = re.compile(r"\bterm\b|\bhow\s+long\s+(?:does|will|is)\s+(?:the|this)\s+(?:agreement|contract)\b", re.IGNORECASE)
# a term given by its first and last days: "will commence on <date> ... and will end on <date>"
TERM_DATES = re.compile(rf"\b(?:commenc\w*|begin\w*|start\w*)\s+(?:on|as\s+of)\s+({ABSOLUTE_DATE_RE.pattern})[^.;]{{0,80}}?"
                        rf"\b(?:end\w*|expir\w*|terminat\w*|continu\w*\s+(?:until|through))\s+(?:on\s+)?({ABSOLUTE_DATE_RE.pattern})", re.IGNORECASE)


def _is_notice(sentence: str, match: re.Match) -> bool:
    """Whether a period is a notice period ("ninety days' prior written notice")."""
    return "notice" in sentence[match.end() : match.end() + 30].lower() or "notice" in match.group(0).lower()


def _nearest(matches: list[re.Match], sentence: str, terms: list[str], question: str = "") -> re.Match | None:
    """The value the question is about when a sentence states several: the one in the clause (the
    part between semicolons) holding most question words, then the one closest to them; for "how
    long" questions one introduced as a duration ("for a period of", "up to"), and a notice period
    only when the question asks about notice."""
    if not matches:
        return None
    if len(matches) == 1 or not terms:
        return matches[0]
    wanted = set(terms) | {r for t in terms for r in RELATED.get(t, ())}  # "resolve" finds the "Resolution time" column
    bounds = [0] + [m.end() for m in re.finditer(r";|\s\([a-z]{1,4}\)\s", sentence)] + [len(sentence) + 1]
    asks_notice = bool(re.search(r"\bnotice\b", question, re.I))
    asks_duration = bool(re.search(r"\bhow\s+long\b|\blast\b", question, re.I))

    def clause(m: re.Match) -> str:
        for a, b in zip(bounds, bounds[1:]):
            if a <= m.start() < b:
                return sentence[a:b]
        return sentence

    def closeness(m: re.Match) -> float:
        words = [(w.group(0), w.start()) for w in re.finditer(r"[A-Za-z][A-Za-z'-]+", sentence)]
        total = 0.0
        for word, at in words:
            stems = tokenize([word])[0]
            if stems and stems[0] in wanted:
                gap = len(re.findall(r"\s+", sentence[min(at, m.start()) : max(at, m.end())]))
                total += (1.0 if at < m.start() else 0.5) / (1.0 + gap / 4.0)  # "cap shall be at least 100%": the subject comes first
        return total

    def rank(m: re.Match) -> tuple:
        in_clause = len(wanted & set(tokenize([clause(m)])[0]))
        cue = bool(re.search(r"(?:period\s+of|for\s+a\s+period|term\s+of|continues?\s+for|up\s+to)\s*$", sentence[max(0, m.start() - 25) : m.start()], re.I))
        opens = max((a for a in bounds if a <= m.start()), default=0)
        before = sentence[max(opens, m.start() - 60) : m.start()].lower()  # "gives notice of non-renewal at least ninety (90) days"
        notice = "notice" in m.group(0).lower() or "notice" in sentence[m.end() : m.end() + 25].lower() or "notice" in before
        return (in_clause, asks_duration and cue, notice == asks_notice, closeness(m), -m.start())

    return max(matches, key=rank)


def _amount(sentence: str, question: str, terms: list[str]) -> str:
    if CAP_QUESTION.search(question):
        lead = CAP_LEAD.search(sentence)
        if lead:
            tail = re.split(r",\s*or\b|;|\.\s|\.$|\s+or,\s|\s+\((?=[a-z\"“])", sentence[lead.end() :], maxsplit=1)[0]
            if re.search(r"\d|per\s?cent|charges|fees", tail, re.I) or CAP_AMOUNT.search(tail):
                return clean_value(tail)  # CAP_AMOUNT: the shared vocabulary ("the price paid for the Services ...")
    money = _nearest(list(MONEY_RE.finditer(sentence)), sentence, terms, question)
    if money:
        return clean_value(money.group(0))
    percent = _nearest(list(PERCENT_RE.finditer(sentence)), sentence, terms, question)
    if percent:
        tail = OF_TAIL.match(sentence, percent.end())
        return clean_value(percent.group(0) + (tail.group(0) if tail else ""))
    return ""


def _count(sentence: str, question: str) -> str:
    """"How many X": the number written just before X ("two (2) Extension Periods")."""
    asked = re.search(r"\bhow\s+many\s+((?:[\w-]+\s*){1,3})", question, re.IGNORECASE)
    nouns = set(tokenize([asked.group(1)])[0]) if asked else set()
    for m in COUNT_RE.finditer(sentence):
        if re.match(rf"\s*{UNIT}\b", sentence[m.end() :], re.IGNORECASE):
            continue  # "twelve (12) months" is a period, not a count
        following = tokenize([sentence[m.end() : m.end() + 60]])[0][:3]
        if nouns & set(following):
            words = re.match(r"(?:\s+[\w-]+){1,3}", sentence[m.end() :])
            return clean_value(m.group(0) + (words.group(0) if words else ""))
    return ""


def _party(sentence: str, question: str) -> str:
    """"Who ...": the person after "signed by" (for a signing question), the cell next to the asked
    role in a table row, else the first party (defined role, company or person) the question does not name."""
    asked = question.lower()
    verb = re.search(r"\b(sign|approv|appoint|chair|nominat)\w*", question, re.I)
    if verb:
        by = ROLE_BY_RE.search(sentence) or BY_PERSON_RE.search(sentence)
        if by and (by.re is BY_PERSON_RE or verb.group(1).lower() in by.group(0).lower()):
            return clean_value(by.group(1))
        who = re.search(rf"((?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){{0,5}})\s*\(who\s+{verb.group(1)}", sentence)
        if who:  # "the Customer's Chief Information Officer (who chairs it)"
            return clean_value(who.group(1))
    if "|" in sentence:  # "Service Delivery Manager | Priya Raman | 100% from 1 May 2025"
        cells = [c.strip() for c in sentence.split("|") if c.strip()]
        wanted = set(content_terms(question))
        asked_cell = max(range(len(cells)), key=lambda i: len(wanted & set(tokenize([cells[i]])[0])))
        for cell in cells[asked_cell + 1 :]:
            if PERSON_RE.fullmatch(cell) or PARTY_NAME.search(cell):
                return cell
    roles = [m.group(0) for m in PARTY_RE.finditer(sentence) if m.group(0).lower().replace("the ", "") not in asked.replace("the ", "")]
    if roles:
        return clean_value(roles[0])
    companies = [c.strip(" ,") for c in PARTY_NAME.findall(sentence) if company_word(c) not in asked]
    return clean_value(companies[0]) if companies else ""  # a capitalised phrase alone is too often not a party


NEGATION_SCOPE = 5  # words after a negation that it governs ("not ... assign this Agreement")
SUBJECT_STEMS = frozenset(tokenize(["party parties"])[0])  # who a clause binds, not what it lets them do
CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|but|provided|except|save)\b", re.IGNORECASE)


def _negations(text: str, terms: set[str]) -> int:
    """How many negations govern ``terms`` (a negation followed within a few words by one of them) in the part of
    the text that holds most of them (its clauses split at ";", ", and", ", provided" ...): "may not assign ...
    without ... consent" holds two, which cancel (assigning needs consent); "; no audit shall disrupt" after
    "the Customer may audit" is another clause."""
    clauses = CLAUSE_BREAK.split(text)
    clause = max(clauses, key=lambda c: len(terms & set(tokenize([c])[0])))
    words = re.findall(r"[A-Za-z]+", clause)
    count = 0
    for i, word in enumerate(words):
        if NEGATION_RE.fullmatch(word):
            following = [w for w in words[i + 1 : i + 1 + NEGATION_SCOPE] if not NEGATION_RE.fullmatch(w)]
            count += bool(terms & set(tokenize([" ".join(following)])[0]))
    return count


def _asked_act(terms: list[str], question: str) -> set[str]:
    """The question's words that say what is done, without the ones that only say who does it ("party", "customer",
    "we"): in "Neither party shall have any liability ... resulting from the termination for convenience" the
    negation governs the party and the liability, not the termination a question "can either party terminate for
    convenience?" asks about. A question with nothing but such words keeps them."""
    who = SUBJECT_STEMS | set(tokenize([" ".join(party_role_words(question))])[0])
    act = {w for w in terms if w not in who and not NEGATION_RE.fullmatch(w)}
    return act or {w for w in terms if not NEGATION_RE.fullmatch(w)}


def _yes_no(sentence: str, question: str, terms: list[str]) -> str:
    """Yes unless the sentence negates what is asked: an odd number of negations over the question's words for the
    act asked about (two cancel: "shall not assign without consent" says consent is needed), or two when the
    question asks about the negated case itself ("can it assign without consent?")."""
    if not tokenize([sentence])[0]:
        return ""
    wanted = _asked_act(terms, question)
    negations = _negations(sentence, wanted)
    if negations % 2 or (negations and _negations(question, wanted)):
        return "No"
    return "Yes"


def key_value(kind: str, sentence: str, question: str) -> str:
    """The key fact a question of this kind asks for, read from an evidence sentence ("" when absent)."""
    text = plain(sentence)
    terms = content_terms(strip_naming(question))
    if kind == "frequency":
        match = _nearest(list(FREQUENCY_RE.finditer(text)), text, terms, question)
        return clean_value(match.group(0)) if match else ""
    if kind == "period":
        match = _nearest(list(PERIOD_RE.finditer(text)), text, terms, question)
        dates = TERM_DATES.search(text) if TERM_QUESTION.search(question) else None
        if dates and (match is None or _is_notice(text, match)):  # "will commence on January 1, 1998 ... and will end on
            return f"{clean_value(dates.group(1))} to {clean_value(dates.group(2))}"  # December 31, 1998": the term, not its notice
        return clean_value(match.group(0)) if match else ""
    if kind == "date":
        relative_first = bool(re.search(r"\b(?:from|since)\s+when\b", question, re.I))
        for pattern in ((RELATIVE_RE, DATE_RE, PERIOD_RE) if relative_first else (ABSOLUTE_DATE_RE, PERIOD_RE, RELATIVE_RE)):
            match = _nearest(list(pattern.finditer(text)), text, terms, question)
            if match:
                return clean_value(match.group(0))
        return ""
    if kind == "count":
        return _count(text, question)
    if kind == "amount":
        return _amount(text, question, terms)
    if kind == "law":
        return governing_law(text)
    if kind == "court":
        return court(text)
    if kind == "party":
        return _party(text, question)
    if kind == "yesno":
        return _yes_no(text, strip_naming(question), terms)
    return ""


def value_strength(kind: str, sentence: str, question: str) -> float:
    """1 when the sentence states the kind of value asked for (a cap question wants "shall not exceed ...",
    not any amount: an amount alone counts half); 0 when it states none."""
    if not kind or kind == "yesno" or not key_value(kind, sentence, question):
        return 0.0
    if kind == "amount" and CAP_QUESTION.search(question) and not CAP_LEAD.search(plain(sentence)):
        return 0.5
    return 1.0
