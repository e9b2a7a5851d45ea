"""Grounded answers with verified citations.

    answer = make_answerer(workspace, settings).run("How much notice to terminate the MSA for convenience?")
    answer.key_value   -> "not less than six (6) months' written notice"
    answer.citations   -> (Citation(number=1, file_name="msa.pdf", page=9, section_path="12 TERMINATION > 12.3 ...", start=..., end=..., quote=...),)

Two answerers share one pipeline (follow-up rewriting, document scoping, retrieval, verification):
- ``ExtractiveAnswerer`` (the default, no model): splits the retrieved passages into sentences, scores
  them against the question (stemmed word overlap weighted by rarity, embedding similarity, passage
  rank), quotes the best one to three verbatim and states the key value the question asks for
  (a period, date, amount, party, law, court or yes/no). Below a calibrated evidence threshold it
  says plainly that the documents do not answer and shows the closest passages.
- ``LLMAnswerer``: gives a chat model the numbered passages as untrusted data and keeps only the
  statements of its draft that survive ``verification.check_draft``; when nothing survives it falls
  back to the extractive answer and says so.
Questions across documents ("which contracts lack an exit plan?", "compare the liability caps") are
answered as a table from the clause audit and key terms; "does the NDA have a termination
assistance clause?" is answered from the audit of that document. Every citation is checked against
the catalog (``document.text[start:end] == quote``) before an Answer is returned.
"""

from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Callable, Iterator, Sequence

import numpy as np

from .chunking import sentence_spans
from .keyterms import DATE, GOVERNING, PARTY_NAME
from .lexical import tokenize
from .models import Chunk, Passage
from .verification import Source, check_citations, check_draft, is_refusal, looks_like_instruction, plain

# ------------------------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class Citation:
    number: int  # the [n] marker in Answer.text
    doc_id: str
    file_name: str
    page: int
    section_path: str
    start: int  # offsets into Workspace.index.document(doc_id).text
    end: int
    quote: str  # == document.text[start:end], verified before it is shown


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # Markdown answer with [n] citation markers
    citations: tuple[Citation, ...]
    answered: bool  # False = the documents do not answer; text says so plainly
    key_value: str = ""
    table: tuple[dict, ...] = ()
    answerer: str = "extractive"
    passages: tuple = ()
    seconds: float = 0.0
    rewritten_question: str = ""


REFUSAL_TEXT = "The documents do not answer this."
K = 8
SHORTLIST = 10
MAX_QUOTES = 3
# Evidence thresholds, calibrated on eval/answer_questions.yaml (answerable vs unanswerable questions).
ANSWER_MIN_SCORE = 0.52
ANSWER_MIN_COVERAGE = 0.44
SECOND_QUOTE_SHARE = 0.97
LEAD_IN_QUOTE = 600
PARTY_WEIGHT = 0.5  # a party named in the question, matched by the role the document gives it
OTHER_PARTIES_PENALTY = 0.2  # a question about Veridian is not answered from the NimbusGrid contract
STRICT_KINDS = ("count", "frequency", "period", "date", "amount", "law", "court")
WEIGHTS = {"lexical": 0.5, "semantic": 0.35, "rank": 0.1, "value": 0.08, "operative": 0.04, "definition": 0.1, "phrase": 0.08}
RELATED_WEIGHT = 0.6  # a related contract word in the sentence ("cap" -> "shall not exceed")
INHERITED_WEIGHT = 0.8  # the word is in the lead-in, inline heading or table header the sentence belongs to
SECTION_WEIGHT, SECTION_COVERAGE = 0.5, 0.8  # the word is in the section heading path
AROUND_WEIGHT = 0.25  # the word is elsewhere in the passage
OPERATIVE = re.compile(r"\b(?:shall|must|will|may|agrees?|is\s+entitled)\b", re.IGNORECASE)

# ------------------------------------------------------------------------------------ question analysis

NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)")
NUM_WORDS = rf"{NUM_WORD}(?:[\s-]+(?:hundred|and|{NUM_WORD}))*"
NUMBER = rf"(?:{NUM_WORDS}\s*\(\d[\d,.]*\)|\d[\d,.]*|{NUM_WORDS})"
UNIT = r"(?:(?:calendar|business|working|clear|consecutive)\s+)?(?:business\s+days?|days?|weeks?|months?|years?|hours?|minutes?|seconds?|contract\s+years?)"
QUALIFIER = r"(?:(?:not|no)\s+(?:less|more|later)\s+than|at\s+least|up\s+to|within|a\s+(?:maximum|minimum)\s+of|at\s+most|more\s+than|in\s+any\s+event\s+within)\s+"
PERIOD_RE = re.compile(rf"(?:{QUALIFIER})?\b{NUMBER}\s*{UNIT}\b(?:'|’)?(?:\s+(?:prior\s+)?(?:written\s+)?notice)?|\bwith\s+immediate\s+effect\b|\bforthwith\b", re.IGNORECASE)
MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY_MONTH = rf"\d{{1,2}}\s+{MONTH_NAMES}(?:\s+\d{{4}})?"
RELATIVE_DATE = r"\b(?:from|after|before|until|on)\s+the\s+(?:start|end|expiry|beginning|first\s+day|last\s+day|anniversary)\s+of\s+(?:the\s+)?\w+(?:\s+\w+){0,2}"
ABSOLUTE_DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}", re.IGNORECASE)
RELATIVE_RE = re.compile(RELATIVE_DATE, re.IGNORECASE)
DATE_RE = re.compile(rf"\bbetween\s+{DAY_MONTH}\s+and\s+{DAY_MONTH}|{DATE}|{DAY_MONTH}|{RELATIVE_DATE}", re.IGNORECASE)
MONEY_RE = re.compile(r"(?:GBP|USD|EUR|US\$|\$|£|€)\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|m|bn|billion))?(?:\s+(?:per|for each|in the aggregate|each)\b[^.;,]{0,40})?|\d[\d,]*(?:\.\d+)?\s*(?:GBP|USD|EUR|pounds|dollars)", re.IGNORECASE)
PERCENT_RE = re.compile(rf"(?:{NUM_WORDS}\s+)?per\s?cent\s*\(\d+(?:\.\d+)?%\)|\d+(?:\.\d+)?\s*%", re.IGNORECASE)
VALUE_END = r"(?=,|;|\.\s|\.$|$|\s+or,|\s+or\s+the\b|\s+whichever\b|\s+from\s+the\s+due\b|\s+during\b|\s+\((?=[a-z\"“])|\s+and\s+(?:\w+[\s-])?(?:\w+\s+)?(?:per\s?cent|percent|\d))"
OF_TAIL = re.compile(rf"\s+(?:of\s+(?:the\s+)?[^.;]{{3,120}}?|per\s+(?:annum|month|year)(?:\s+above\s+the\s+[^.;,]{{3,60}}?)?){VALUE_END}", re.IGNORECASE)
COUNT_RE = re.compile(rf"\b{NUM_WORDS}\s*\(\d+\)|(?<![\d.])\b\d{{1,4}}\b(?![.)]?\d)(?!\))", re.IGNORECASE)
CAP_QUESTION = re.compile(r"\b(?:cap|caps|capped|limit|limits|maximum|exceed)\b", re.IGNORECASE)
CAP_LEAD = re.compile(r"\b(?:shall\s+not\s+exceed|not\s+exceed|limited\s+to|capped\s+at|maximum\s+of)\s+", re.IGNORECASE)
COURT_RE = re.compile(r"\b(?:the\s+)?courts?\s+(?:of|in|located\s+in)\s+(?:the\s+)?((?:State\s+of\s+)?[A-Z][A-Za-z]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z]+)?(?:\s+County)?)")
GOVERNING_RE = re.compile(GOVERNING.pattern)
PERSON_RE = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
ROLE_BY_RE = re.compile(r"\b(?:signed|approved|appointed|chaired|nominated|given|made)\s+by\s+((?:an?|the)\s+[a-z][a-z ]{2,40}?\s+of\s+the\s+[A-Z][a-z]+|(?:an?|the)\s+[A-Z]?[a-z]+(?:\s+[a-z]+){0,4})\b")
PARTY_RE = re.compile(r"\b(?:(?:Either|Each|Neither|Both)\s+(?:P|p)art(?:y|ies)|(?:the\s+)?(?:Customer|Supplier|Client|Provider|Vendor|Contractor|Licensor|Licensee|Recipient|Disclosing\s+Party|Discloser|Processor|Controller|Indemnifier))\b")
BY_PERSON_RE = re.compile(r"\bby\s+([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
NEGATION_RE = re.compile(r"\b(?:no|not|never|without|neither|nor|none|excluded|excludes?)\b", re.IGNORECASE)

KINDS = ("count", "frequency", "period", "date", "amount", "party", "law", "court", "yesno", "")
FREQUENCY_RE = re.compile(r"\b(?:(?:at\s+least\s+)?(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly)|(?:at\s+least\s+)?(?:once|twice)\s+(?:a|in|per|each|every)(?:\s+(?:each|any|every))?\s+\w+(?:\s+\w+)?|every\s+(?:\w+\s+)?(?:day|week|month|quarter|year|contract\s+year))\b", re.IGNORECASE)
KIND_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("count", re.compile(r"\bhow\s+many\s+(?!days|months|years|weeks|hours|business\s+days|times)\w+", re.I)),
    ("frequency", re.compile(r"\bhow\s+often\b|\bhow\s+frequently\b|\bhow\s+many\s+times\b|\bwhat\s+frequency\b", re.I)),
    ("law", re.compile(r"\b(?:which|what)\s+(?:country'?s?\s+)?laws?\b|\bgoverning\s+law\b|\blaws?\s+govern|\bgoverns?\b", re.I)),
    ("court", re.compile(r"\b(?:which|what)\s+courts?\b|\bjurisdiction\b", re.I)),
    ("party", re.compile(r"^\s*(?:and\s+)?who(?:m|se)?\b|\bwhich\s+party\b|\bwhich\s+(?:individual|person|company|supplier)\b", re.I)),
    ("period", re.compile(r"\bhow\s+long\b|\bhow\s+(?:much|many)\s+(?:notice|time|days|months|years|weeks|hours|business\s+days)\b|\bwithin\s+what\b|\bhow\s+(?:quickly|soon)\b|\bnotice\s+period\b|\bwhat\s+(?:notice|period)\b|\bcure\s+period\b|\bwhat\s+(?:is|are)\s+the\s+(?:\w+\s+){0,3}(?:period|term|notice|deadline|duration|rto|rpo|objective)\b|\bafter\s+how\s+long\b|\bhow\s+much\s+time\b|\bwhat\s+time\b|\bpayment\s+terms?\b|\brecovery\s+(?:time|point)\s+objectives?\b|\brto\b|\brpo\b", re.I)),
    ("date", re.compile(r"^\s*(?:and\s+)?(?:by\s+)?when\b|\bwhat\s+date\b|\bwhich\s+date\b|\bfrom\s+when\b|\bon\s+what\s+date\b|\bwhat\s+(?:is|was)\s+the\s+(?:\w+\s+){0,3}date\b", re.I)),
    ("amount", re.compile(r"\bhow\s+much\b|\bwhat\s+(?:is|are)\s+(?:the\s+)?(?:\S+\s+){0,4}(?:cap|caps|limit|limits|fee|fees|charge|charges|price|amount|cost|costs|rate|rates|credit|credits|salary|sum|value|level|share|percentage|uptime|availability)\b|\bwhat\s+(?:\w+\s+){0,2}(?:level|share|percentage|proportion|amount|fee|rate|uptime|cap|interest)\b|\bwhat\s+(?:\w+\s+){0,2}(?:insurance|cover)\b", re.I)),
    ("yesno", re.compile(r"^\s*(?:and\s+)?(?:does|do|is|are|can|could|must|may|will|shall|has|have|did|was|were|should|need)\b", re.I)),
)
QUESTION_STEMS = {"what", "how", "long", "much", "mani", "when", "who", "whom", "whose", "which", "whi", "where", "doe", "do", "must",
                  "can", "may", "shall", "need", "give", "under", "agreement", "contract", "document", "pleas", "tell", "say", "state",
                  "quick", "quickli", "soon", "time", "happen", "have", "has", "had", "befor", "each", "ani", "also", "would", "could",
                  "should", "get", "level", "kind", "type", "exist", "appli", "requir", "provid", "last", "take"}
QUESTION_PHRASES = ((re.compile(r"\bpayment\s+terms?\b", re.I), "payment"), (re.compile(r"\bwhat\s+counts\s+as\b|\bwhat\s+is\s+meant\s+by\b", re.I), "what is"), (re.compile(r"\bfor\s+any\s+reason\b", re.I), "for convenience"))
NUMBER_TERM = re.compile(r"\b(?:[A-Z]{1,4}\s?)?\d+(?:\.\d+)*%?")
# Contract vocabulary for the same idea (word stems are compared, so inflections need no entry).
RELATED_WORDS = {
    "cap": "exceed limit maximum aggregate", "limit": "exceed cap maximum", "maximum": "exceed cap limit",
    "uptime": "availability available", "availability": "uptime available",
    "fee": "charge charges payable sum", "cost": "charge fee price expense", "price": "charge fee", "charge": "fee",
    "payment": "pay payable invoice", "payable": "pay payment", "pay": "payment payable invoice", "hire": "employ solicit entice", "employ": "solicit entice hire",
    "end": "expiry termination expire", "ends": "expiry termination expire", "survive": "continue survival",
    "notify": "notice notification", "remediable": "remedy capable", "remediate": "remedy", "cure": "remedy", "remedy": "cure",
    "often": "quarterly monthly weekly daily annually yearly", "frequency": "quarterly monthly weekly daily annually yearly",
    "subcontract": "delegate subcontractor", "consent": "approval authorisation", "approve": "consent approval",
    "renew": "renewal extension", "extend": "extension renew", "breach": "default", "owns": "property vest belong",
    "own": "property vest belong", "host": "data centre hosting", "hosted": "data centre hosting", "sign": "signed",
    "liability": "liable", "incident": "breach", "interest": "rate", "late": "overdue", "overdue": "late",
    "after": "following", "convenience": "reason", "staff": "employees personnel", "employees": "staff personnel", "supplier": "provider", "backup": "backups back-up",
}


def question_kind(question: str) -> str:
    """What sort of key value the question asks for ("" when it asks for none in particular)."""
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(question):
            if kind == "date" and re.search(r"\bwhen\s+(?:can|may|must|does|do|is|are)\b.*\b(?:terminat|renew|notify|notice)", question, re.I):
                return "period"
            return kind
    return ""


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a question (no stop words, no question words), then its numbers ("#2", "#p1")."""
    for pattern, replacement in QUESTION_PHRASES:
        text = pattern.sub(replacement, text)
    words = [t for t in dict.fromkeys(tokenize([plain(text)])[0]) if t not in QUESTION_STEMS]
    return words + [n for n in number_terms(text) if n not in words]


def number_terms(text: str) -> list[str]:
    """Numbers and numbered identifiers ("Contract Year 2", "P1", "SOW 1", "99.9%") as terms the tokenizer would drop."""
    return list(dict.fromkeys("#" + m.group(0).lower().replace(" ", "") for m in NUMBER_TERM.finditer(text)))


def _related() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for word, others in RELATED_WORDS.items():
        stems = tokenize([word])[0]
        if stems:
            related.setdefault(stems[0], set()).update(tokenize([others])[0])
    return {k: frozenset(v - {k}) for k, v in related.items()}


RELATED = _related()


# ------------------------------------------------------------------------------------------ sentences

LIST_ITEM = re.compile(r"^(?:\(?[a-zA-Z]{1,4}\)|\(?\d{1,3}(?:\.\d+)*\)?\.?|[A-Z]\.|[•*-])\s")
PAGE_LINE = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,4})$", re.IGNORECASE)
PAGE_FURNITURE = re.compile(r"(?im)^[ \t]*page\s+\d+(?:\s+of\s+\d+)?[ \t]*$")
WRAPPED_LINE = 50
ROW_START = re.compile(r"^[A-Z]{1,3}-?[A-Z]?\d+(?:\.\d+)?\s")
OPEN_ENDED = {"of", "to", "in", "within", "by", "for", "on", "at", "the", "a", "an", "and", "or", "than", "with", "from", "after",
              "before", "under", "least", "not", "per", "each", "any", "its", "their", "is", "are", "be", "shall", "may"}


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage, with PDF-wrapped lines joined back and page furniture dropped.

    ``sentence_spans`` treats every line break as a boundary (right for list items, table rows and
    headings); a line that stops mid-sentence (no closing punctuation, near full width) continues
    on the next line unless that line starts a list item or is a table row.
    """
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        piece = text[a:b]
        if PAGE_LINE.match(piece):
            continue
        if units:
            pa, pb = units[-1]
            gap = text[pb:a]
            furniture = PAGE_FURNITURE.search(gap)
            last_line = text[text.rfind("\n", 0, pb) + 1 : pb]
            if (
                (gap.count("\n") == 1 or furniture)
                and not PAGE_FURNITURE.sub("", gap).strip()
                and last_line.rstrip()[-1:] not in ".;:!?"
                and "|" not in last_line
                and "|" not in piece
                and not last_line.isupper()
                and _continues(last_line, piece)
            ):
                units[-1] = (pa, b)
                continue
        units.append((a, b))
    return units


def _continues(line: str, piece: str) -> bool:
    """Whether ``piece`` carries on the sentence that ``line`` (a wrapped line) left unfinished."""
    last_word = (re.findall(r"[A-Za-z]+$", line.rstrip()) or [""])[0].lower()
    if re.match(r"\(\d+\)", piece) and re.fullmatch(NUM_WORD, last_word or "-"):
        return True  # "twelve\n(12) months"
    if ROW_START.match(piece):
        return False  # "SL5 P2 Incident resolution ..." starts the next table row
    if last_word in OPEN_ENDED and not re.match(r"\([A-Za-z]{1,4}\)", piece):
        return True  # "within\n30 seconds"
    if LIST_ITEM.match(piece):
        return False
    return piece[:1].islower() or len(line) >= WRAPPED_LINE


DEFINITION = re.compile(r"^\W*(?:\d+(?:\.\d+)*\s+)?[\"“']([^\"”']{2,60})[\"”']\s+(?:means|has\s+the\s+meaning|shall\s+mean|includes)\b")
LABEL = re.compile(r"^(?:Section|Clause|Article|Paragraph)?\s*[A-Z]?\d+(?:\.\d+)*\.?\s+[A-Z][^.;:]{0,60}\.$")


def is_label(sentence: str) -> bool:
    """An inline heading such as "Section 14.2 Cap." or "5.2 Termination for Convenience."."""
    return bool(LABEL.match(sentence.strip())) and len(sentence.split()) <= 8


def defines(sentence: str, terms: list[str]) -> bool:
    """The sentence defines a term made of the question's words ('"Effective Date" means ...')."""
    match = DEFINITION.match(sentence)
    if not match:
        return False
    defined = set(tokenize([match.group(1)])[0])
    return bool(defined) and defined <= set(terms)


def value_strength(kind: str, sentence: str, question: str) -> float:
    """1 when the sentence states the kind of value asked for (a cap question wants "shall not exceed ...",
    not any amount: an amount alone counts half); 0 when it states none."""
    if not kind or kind == "yesno" or not key_value(kind, sentence, question):
        return 0.0
    if kind == "amount" and CAP_QUESTION.search(question) and not CAP_LEAD.search(plain(sentence)):
        return 0.5
    return 1.0


def is_heading(sentence: str) -> bool:
    """A heading, label or page furniture rather than a statement (never quoted as an answer)."""
    if "|" in sentence:
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)
    if len(words) < 2:
        return True
    letters = "".join(words)
    if letters.isupper() and len(words) <= 14 and not sentence.rstrip().endswith("."):
        return True
    return len(words) <= 4 and not re.search(r"[.;:]$", sentence.strip()) and not re.search(r"\d", sentence)


def display(quote: str) -> str:
    """A quote on one line for Markdown, without page footers (the citation keeps the exact text)."""
    return " ".join(PAGE_FURNITURE.sub(" ", quote).split())


# ----------------------------------------------------------------------------------------- key values


def _nearest(matches: list[re.Match], sentence: str, terms: list[str], question: str = "") -> re.Match | None:
    """The value the question is about when a sentence states several: the one in the clause (the
    part between semicolons) holding most question words, then the one closest to them; for "how
    long" questions one introduced as a duration ("for a period of", "up to"), and a notice period
    only when the question asks about notice."""
    if not matches:
        return None
    if len(matches) == 1 or not terms:
        return matches[0]
    wanted = set(terms)
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
        notice = "notice" in m.group(0).lower() or "notice" in sentence[m.end() : m.end() + 25].lower()
        return (in_clause, asks_duration and cue, notice == asks_notice, closeness(m), -m.start())

    return max(matches, key=rank)


def _clean_value(value: str) -> str:
    value = " ".join(value.split()).strip(" ,;:")
    return value[:157].rsplit(" ", 1)[0] + "..." if len(value) > 160 else value


def _amount(sentence: str, question: str, terms: list[str]) -> str:
    if CAP_QUESTION.search(question):
        lead = CAP_LEAD.search(sentence)
        if lead:
            tail = re.split(r",\s*or\b|;|\.\s|\.$|\s+or,\s|\s+\((?=[a-z\"“])", sentence[lead.end() :], maxsplit=1)[0]
            if re.search(r"\d|per\s?cent|charges|fees", tail, re.I):
                return _clean_value(tail)
    money = _nearest(list(MONEY_RE.finditer(sentence)), sentence, terms, question)
    if money:
        return _clean_value(money.group(0))
    percent = _nearest(list(PERCENT_RE.finditer(sentence)), sentence, terms, question)
    if percent:
        tail = OF_TAIL.match(sentence, percent.end())
        return _clean_value(percent.group(0) + (tail.group(0) if tail else ""))
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
            return _clean_value(m.group(0) + (words.group(0) if words else ""))
    return ""


def _party(sentence: str, question: str) -> str:
    """"Who ...": the person after "signed by" (for a signing question), the cell next to the asked
    role in a table row, else the first party (defined role, company or person) the question does not name."""
    asked = question.lower()
    verb = re.search(r"\b(sign|approv|appoint|chair|nominat)\w*", question, re.I)
    if verb:
        by = ROLE_BY_RE.search(sentence) or BY_PERSON_RE.search(sentence)
        if by and (by.re is BY_PERSON_RE or verb.group(1).lower() in by.group(0).lower()):
            return _clean_value(by.group(1))
        who = re.search(rf"((?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){{0,5}})\s*\(who\s+{verb.group(1)}", sentence)
        if who:  # "the Customer's Chief Information Officer (who chairs it)"
            return _clean_value(who.group(1))
    if "|" in sentence:  # "Service Delivery Manager | Priya Raman | 100% from 1 May 2025"
        cells = [c.strip() for c in sentence.split("|") if c.strip()]
        wanted = set(content_terms(question))
        asked_cell = max(range(len(cells)), key=lambda i: len(wanted & set(tokenize([cells[i]])[0])))
        for cell in cells[asked_cell + 1 :]:
            if PERSON_RE.fullmatch(cell) or PARTY_NAME.search(cell):
                return cell
    roles = [m.group(0) for m in PARTY_RE.finditer(sentence) if m.group(0).lower().replace("the ", "") not in asked.replace("the ", "")]
    if roles:
        return _clean_value(roles[0])
    companies = [c.strip(" ,") for c in PARTY_NAME.findall(sentence) if company_word(c) not in asked]
    return _clean_value(companies[0]) if companies else ""  # a capitalised phrase alone is too often not a party


def _yes_no(sentence: str, terms: list[str]) -> str:
    """Yes unless a negation governs one of the question's words within a few words."""
    words = [(m.group(0), m.start()) for m in re.finditer(r"[A-Za-z]+", sentence)]
    stems = tokenize([" ".join(w for w, _ in words)])[0] if words else []
    wanted = set(terms)
    for i, (word, _) in enumerate(words):
        if NEGATION_RE.fullmatch(word):
            following = " ".join(w for w, _ in words[i + 1 : i + 6])
            if wanted & set(tokenize([following])[0]):
                return "No"
    return "Yes" if stems else ""


def key_value(kind: str, sentence: str, question: str) -> str:
    """The key fact a question of this kind asks for, read from an evidence sentence ("" when absent)."""
    text = plain(sentence)
    terms = content_terms(strip_naming(question))
    if kind == "frequency":
        match = _nearest(list(FREQUENCY_RE.finditer(text)), text, terms, question)
        return _clean_value(match.group(0)) if match else ""
    if kind == "period":
        match = _nearest(list(PERIOD_RE.finditer(text)), text, terms, question)
        return _clean_value(match.group(0)) if match else ""
    if kind == "date":
        relative_first = bool(re.search(r"\b(?:from|since)\s+when\b", question, re.I))
        for pattern in ((RELATIVE_RE, DATE_RE, PERIOD_RE) if relative_first else (ABSOLUTE_DATE_RE, PERIOD_RE, RELATIVE_RE)):
            match = _nearest(list(pattern.finditer(text)), text, terms, question)
            if match:
                return _clean_value(match.group(0))
        return ""
    if kind == "count":
        return _count(text, question)
    if kind == "amount":
        return _amount(text, question, terms)
    if kind == "law":
        match = GOVERNING_RE.search(text)
        if not match:
            return ""
        place = match.group(1).strip()
        return f"the law of the {place}" if re.match(r"(?:State|Commonwealth|Province|Republic)\b", place) else f"the law of {place}"
    if kind == "court":
        match = COURT_RE.search(text)
        if not match:
            return ""
        exclusive = " (exclusive jurisdiction)" if re.search(r"\bexclusive\s+jurisdiction\b", text, re.I) else ""
        return f"the courts of {match.group(1)}{exclusive}"
    if kind == "party":
        return _party(text, question)
    if kind == "yesno":
        return _yes_no(text, terms)
    return ""


# ------------------------------------------------------------------------------------------ follow-ups

ELLIPTICAL = re.compile(r"^\s*(?:and\s+(?:what|how)\s+about|what\s+about|how\s+about|what\s+of|and\s+also|and|also|same\s+for|likewise\s+for)\b[\s,:]*(?P<topic>.*?)[\s?.!]*$", re.IGNORECASE)
WH_START = re.compile(r"^\s*(?:what|which|who|whom|whose|when|where|why|how|does|do|is|are|can|could|must|may|will|shall|has|have|did|was|were|should|compare|list|show|give|explain|summari[sz]e|describe)\b", re.I)
PREPOSITION = re.compile(r"^(for|in|under|on|of|with|by|to|from|at|within|after|before|during)\s+(.+)$", re.IGNORECASE)
STOP_PHRASE = r"(?=\s+(?:for|in|under|on|of|with|by|to|from|at|within|after|before|during|and|or)\b|[,;?.!]|$)"
DOC_PHRASE = re.compile(  # capitalised name words (case matters), then a document word (any case)
    r"(?P<pre>\b(?i:under|in|of|for|from|within|according\s+to)\s+)?(?P<doc>(?:[Tt]he|[A-Z][\w&-]+(?:'s|’s))\s+(?:[a-z][\w-]*\s+){1,2}(?i:policy|schedule|agreement|contract)\b"
    r"|(?:[Tt]he\s+)?(?:[A-Z][\w&.-]*\s+){0,3}"
    r"(?i:agreement|contract|terms|policy|nda|msa|dpa|sow\s*\d+|schedule\s*\d+|statement\s+of\s+work\s*\d*)\b)"
)
POSSESSIVE = re.compile(r"\b([A-Z][\w&-]+)(?:'s|’s)\b")
ANAPHORA = re.compile(r"\b(?:it|its|this|that|these|those|the\s+same)\s*(?:agreement|contract|document)?\b", re.IGNORECASE)


MAX_HISTORY = 6  # earlier turns replayed to resolve a follow-up
NUMBERED_PART = re.compile(r"(?i)(?:sow|schedule|statement\s+of\s+work)\s*\d+")
GENERIC_DOC_WORDS = {"the", "this", "that", "agreement", "contract", "terms", "document", "its", "our", "their"}
DOCUMENT_ACRONYMS = {"msa", "nda", "dpa", "sow", "sla"}
NAME_CHARS = 600  # a document's opening, where its parties are named
ROLE_CHARS = 2500  # ... and defined ('Veridian Systems Limited (the "Supplier")')
ROLE = re.compile(r"\((?:the\s+)?[\"“]([A-Z][\w ]{1,30}?)[\"”]\)")


@dataclass(frozen=True)
class Rewrite:
    question: str  # standalone
    doc_ids: tuple[str, ...] = ()  # documents the conversation is about (named now or earlier)


class FollowUps:
    """Deterministic rewriting of follow-up questions into standalone ones, using the document resolver."""

    def __init__(self, resolver):
        self.resolver = resolver
        self._names: tuple[int, dict] | None = None
        self._roles: tuple[int, dict] | None = None

    def documents(self, text: str) -> tuple[str, ...]:
        """Documents a question names: by file name, "In the X, ...", a document phrase ("the QuickFix
        agreement", "the NDA", "the outsourcing policy") or a party name found in one document only."""
        resolution = self.resolver.run(text)
        if resolution.doc_ids:
            return tuple(resolution.doc_ids)
        found: list[str] = []
        for phrase in naming_phrases(text):
            named = self.resolver.run(f"In the {phrase}, which?").doc_ids or self.resolver.run(f"about {phrase}").preferred
            found.extend(self._same_number(phrase, named))
        names = self.names()
        for word in re.findall(r"\b[A-Z][\w&-]+", text):
            if len(names.get(word.lower(), ())) == 1:
                found.extend(names[word.lower()])
        return tuple(dict.fromkeys(found))

    def _same_number(self, phrase: str, doc_ids) -> list[str]:
        """For "SOW 2" or "Schedule 4", keep the documents whose title or file name carries that number."""
        number = re.search(r"(?i)\b(?:sow|schedule|statement\s+of\s+work)\s*0*(\d+)\b", phrase)
        if not number:
            return list(doc_ids)
        pattern = re.compile(rf"(?i)\b(?:sow|schedule|statement\s+of\s+work)[\s_-]*0*{number.group(1)}(?!\d)")
        same = []
        for doc_id in doc_ids:
            document = self.resolver.catalog.document(doc_id)
            if pattern.search(document.file_name.replace("_", " ")) or pattern.search(document.title):
                same.append(doc_id)
        return same or list(doc_ids)

    def names(self) -> dict[str, frozenset[str]]:
        """Words that name a party or document -> the documents they name: the first word of each
        company named in a document's opening (QuickFix, NimbusGrid, Veridian) and file-name acronyms (MSA, NDA)."""
        generation = self.resolver.catalog.generation
        if self._names is None or self._names[0] != generation:
            words: dict[str, set[str]] = {}
            for info in self.resolver.catalog.documents():
                opening = self.resolver.catalog.document_text(info.doc_id)[:NAME_CHARS]
                for company in PARTY_NAME.findall(opening):
                    words.setdefault(company_word(company), set()).add(info.doc_id)
                for word in re.split(r"[_\-. ]+", re.sub(r"\.[A-Za-z0-9]{1,5}$", "", info.file_name)):
                    if word.lower() in DOCUMENT_ACRONYMS:
                        words.setdefault(word.lower(), set()).add(info.doc_id)
            self._names = (generation, {w: frozenset(d) for w, d in words.items()})
        return self._names[1]

    def roles(self) -> dict[tuple[str, str], str]:
        """(party word, doc id) -> the stem of the role the document defines for that party
        ('Veridian Systems Limited (the "Supplier")' -> ("veridian", doc) -> "supplier")."""
        generation = self.resolver.catalog.generation
        if self._roles is None or self._roles[0] != generation:
            roles: dict[tuple[str, str], str] = {}
            for info in self.resolver.catalog.documents():
                opening = self.resolver.catalog.document_text(info.doc_id)[:ROLE_CHARS]
                for match in PARTY_NAME.finditer(opening):
                    role = ROLE.search(opening, match.end(), match.end() + 400)
                    stems = tokenize([role.group(1)])[0] if role else []
                    word = company_word(match.group(1))
                    if stems and stems[0] != word:
                        roles[(word, info.doc_id)] = stems[0]
            self._roles = (generation, roles)
        return self._roles[1]

    def parties(self, text: str) -> frozenset[str]:
        """Documents whose parties include every company the text names (empty when it names none)."""
        names = self.names()
        sets = [names[w.lower()] for w in re.findall(r"\b[A-Z][\w&-]+", text) if w.lower() in names and w.lower() not in DOCUMENT_ACRONYMS]
        if not sets:
            return frozenset()
        return frozenset.intersection(*sets) or frozenset.union(*sets)

    def names_document(self, topic: str) -> bool:
        """Whether a follow-up's topic ("QuickFix", "the NDA") is a document rather than a subject ("for cause")."""
        return bool(self.documents(topic if re.search(r"[A-Z]", topic) else f"the {topic}")) and bool(re.search(r"[A-Z]", topic) or DOC_PHRASE.search(topic))

    def run(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Rewrite:
        """The standalone form of ``question`` given the earlier (question, answer) pairs, oldest first."""
        question = question.strip()
        history = tuple(history)[-MAX_HISTORY:]
        if not history or CROSS.search(question):  # a question across the contracts stands alone
            return Rewrite(question, self.documents(question))
        previous = self.run(history[-1][0], history[:-1])
        elliptical = ELLIPTICAL.match(question)
        topic = elliptical.group("topic").strip() if elliptical else ""
        if not elliptical and not WH_START.match(question) and len(content_terms(question)) <= 4:
            topic = question.strip(" ?.!")
        if topic:
            standalone = self._merge(previous.question, topic)
        elif len(content_terms(question)) <= 2 and not self.documents(question):
            # "Is there a fee?" after a question about termination: the same subject, a new angle
            standalone = f"{question.rstrip(' ?')} (following up: {previous.question.rstrip(' ?')})?"
        else:
            standalone = question
        named = self.documents(standalone)
        if named:
            return Rewrite(standalone, named)
        if previous.doc_ids and (topic or ANAPHORA.search(question) or not self.documents(question)):
            names = [self.resolver.catalog.document(d).file_name for d in previous.doc_ids[:1]]
            if names and names[0].lower() not in standalone.lower():
                standalone = f"{standalone.rstrip(' ?')} (in {names[0]})?"
            return Rewrite(standalone, previous.doc_ids)
        return Rewrite(standalone, ())

    def _merge(self, previous: str, topic: str) -> str:
        """The previous question with the follow-up's topic substituted for the part it replaces."""
        topic = re.sub(r"^(?:the\s+same\s+for|for\s+the\s+same\s+in)\s+", "", topic, flags=re.I)
        if self.names_document(topic):
            return _replace_document(previous, topic)
        prep = PREPOSITION.match(topic)
        if prep:
            pattern = re.compile(rf"\b{prep.group(1)}\s+(?!the\s+(?:[A-Z]\w*\s+)*(?:agreement|contract|MSA|NDA)\b).+?{STOP_PHRASE}", re.IGNORECASE)
            matches = [m for m in pattern.finditer(previous) if not DOC_PHRASE.fullmatch(m.group(0).split(None, 1)[1])]
            if matches:
                m = matches[-1]
                return previous[: m.start()] + topic + previous[m.end() :]
        words = topic.split()
        if len(words) >= 2:
            lead = re.escape(" ".join(words[:-1]))
            m = re.search(rf"\b{lead}\s+\S+?{STOP_PHRASE}", previous, re.IGNORECASE)
            if m:
                return previous[: m.start()] + topic + previous[m.end() :]
        shape = re.sub(r"\d+", r"\\d+", re.escape(words[-1])) if words and re.search(r"\d", words[-1]) else ""
        if shape:
            m = re.search(rf"\b{shape}\b", previous)
            if m:
                return previous[: m.start()] + words[-1] + previous[m.end() :]
        core = previous.rstrip(" ?")
        return f"{core}, regarding {topic}?"


def strip_naming(question: str) -> str:
    """The question without the words that name its document ("under the NimbusGrid agreement",
    "QuickFix's"): once the search is limited to that document they only blur the query."""
    stripped = question
    for m in _naming_matches(question):
        stripped = stripped.replace(m.group(0), " ")
    stripped = POSSESSIVE.sub(" ", stripped)
    stripped = " ".join(stripped.split())
    return stripped if len(content_terms(stripped)) >= 1 else question


def company_word(company: str) -> str:
    """The distinctive first word of a company name matched in running text
    ("... dated 14 February 2025 between Harbourline Logistics plc" -> "harbourline")."""
    words = company.split()
    name: list[str] = []
    for word in reversed(words[:-1]):
        if not word[:1].isupper():
            break
        name.insert(0, word)
    return (name[0] if name else words[0]).strip(",.()").lower()


def naming_phrases(text: str) -> list[str]:
    """Phrases that name a document ("the QuickFix agreement", "the NDA", "Schedule 2"), not generic ones ("the agreement")."""
    phrases = []
    for m in _naming_matches(text):
        phrases.append(re.sub(r"^the\s+", "", m.group("doc").strip(), flags=re.I))
    return phrases


def _naming_matches(text: str) -> list[re.Match]:
    """Document phrases that name where to look. A numbered part ("SOW 1", "Schedule 3") names a
    document only after a preposition ("under SOW 2"); "if only SOW 1 is terminated" is about it."""
    found = []
    for m in DOC_PHRASE.finditer(text):
        phrase = re.sub(r"^the\s+", "", m.group("doc").strip(), flags=re.I)
        if not any(w.lower() not in GENERIC_DOC_WORDS for w in phrase.split()):
            continue
        if NUMBERED_PART.fullmatch(phrase) and not m.group("pre"):
            continue
        found.append(m)
    return found


def _replace_document(previous: str, topic: str) -> str:
    """``previous`` about the document ``topic`` names instead of the one it named (or about it, if it named none)."""
    bare = re.sub(r"^(?:the\s+)", "", topic.strip(), flags=re.I)
    possessive = POSSESSIVE.search(previous)
    doc = None
    for m in DOC_PHRASE.finditer(previous):
        if re.search(r"[A-Z]{2,}|[A-Z][a-z]+[A-Z]|\b(?:the\s+)?[A-Z]", m.group("doc")):
            doc = m
    if doc is not None:
        article = "" if re.match(r"^the\s", topic, re.I) else "the "
        replacement = f"{article}{topic}" if not re.search(r"\b(?:agreement|contract|terms|policy|nda|msa|dpa|sow|schedule)\b", topic, re.I) else topic
        return previous[: doc.start("doc")] + replacement + previous[doc.end("doc") :]
    if possessive:
        return previous[: possessive.start()] + f"{bare}'s" + previous[possessive.end() :]
    return f"{previous.rstrip(' ?')} under {topic}?"


# ---------------------------------------------------------------------------------- cross-document

CROSS = re.compile(
    r"\b(?:which|what)\s+(?:of\s+(?:these|the|our|my|all)\s+)?(?:contracts|agreements|documents|deals)\b"
    r"|\bwhich\s+(?:contract|agreement|document|deal)\s+(?:has|have|lacks?|contains?|includes?|is|does|provides?)\b|\bcompare\b|\bcomparison\b"
    r"|\bacross\s+(?:all\s+)?(?:the\s+|these\s+|our\s+)?(?:contracts|agreements|documents|deals)\b|\b(?:each|every|all)\s+(?:of\s+the\s+|the\s+)?(?:contracts?|agreements?|documents?)\b",
    re.IGNORECASE,
)
LACK = re.compile(r"\b(?:lack|lacks|lacking|missing|miss|without|(?:do|does)\s+not\s+(?:have|contain|include|provide)|(?:don't|doesn't)\s+(?:have|contain|include|provide)|(?:has|have)\s+no)\b", re.I)
HAVE = re.compile(r"\b(?:have|has|contain|contains|include|includes|provide|provides)\b", re.I)
AUDIT_YESNO = re.compile(r"^\s*(?:and\s+)?(?:does|do|is\s+there|are\s+there|has|have)\b[^?]*\b(?:have|has|contain|include|provide|there|any)\b", re.I)
KEY_TERM_TOPICS: tuple[tuple[str, re.Pattern], ...] = (
    ("Liability cap", re.compile(r"\bliability\s+caps?\b|\bcaps?\s+on\s+(?:\w+\s+)?liability\b|\blimitation\s+of\s+liability\b|\bliability\s+limits?\b", re.I)),
    ("Governing law", re.compile(r"\bgoverning\s+laws?\b|\bchoice\s+of\s+law\b|\b(?:which|what)\s+laws?\b", re.I)),
    ("Effective date", re.compile(r"\beffective\s+dates?\b|\bstart\s+dates?\b", re.I)),
    ("Notice to terminate for convenience", re.compile(r"\b(?:termination\s+for\s+convenience|terminate\s+for\s+convenience|convenience\s+termination)\b", re.I)),
    ("Termination assistance period", re.compile(r"\b(?:termination|transition)\s+assistance\s+periods?\b", re.I)),
)


KEY_TERM_KINDS = {  # how to read each key term's value from its sentence: (kind, the question it answers)
    "Liability cap": ("amount", "What is the liability cap?"),
    "Governing law": ("law", "Which law governs?"),
    "Effective date": ("date", "What is the effective date?"),
    "Notice to terminate for convenience": ("period", "How much notice to terminate for convenience?"),
    "Termination assistance period": ("period", "How long is the termination assistance period?"),
}


@dataclass(frozen=True)
class ClauseMatch:
    clause: object  # playbook.ClauseType
    element: object | None  # playbook.Element
    phrase: str

    @property
    def label(self) -> str:
        return self.element.name if self.element is not None else self.clause.name


def match_clause(question: str, playbook) -> ClauseMatch | None:
    """The playbook clause (or element) a question is about: the longest heading, name or element name it contains."""
    words = " ".join(tokenize([plain(question)])[0])
    raw = " ".join(re.findall(r"[a-z0-9]+", plain(question).lower()))
    best: tuple[int, int, int, ClauseMatch] | None = None

    def consider(phrase: str, element, clause, minimum: int) -> None:
        nonlocal best
        stems = tokenize([phrase])[0]
        if len(stems) >= minimum and f" {' '.join(stems)} " in f" {words} ":
            verbatim = int(f" {' '.join(re.findall(r'[a-z0-9]+', phrase.lower()))} " in f" {raw} ")  # "change of control" is not "change control"
            candidate = (len(stems), verbatim, int(element is not None), ClauseMatch(clause, element, phrase if element is None else element.name))
            if best is None or candidate[:3] > best[:3]:
                best = candidate

    for clause in playbook.clauses:
        for phrase in list(clause.headings) + [p.strip() for p in re.split(r"[/:(),]", clause.name) if p.strip()]:
            consider(phrase, None, clause, 1)
        for element in clause.elements:
            consider(element.name, element, clause, 2)
    return best[3] if best else None


def finding_status(finding, element) -> str:
    """present / weak / missing for a clause, or for one of its elements."""
    if element is None or finding.status == "missing":
        return finding.status
    return "missing" if element.id in finding.missing_elements else "present"


# -------------------------------------------------------------------------------------- the pipeline


@dataclass
class _Candidate:
    chunk: Chunk
    rank: int
    start: int  # offsets within the chunk text
    end: int
    lexical: float
    coverage: float
    semantic: float = 0.0
    value: float = 0.0
    operative: float = 0.0
    definition: float = 0.0
    phrase: float = 0.0
    lead: bool = False
    lead_start: int = -1  # where the lead-in ("... must be given:") of a list item starts, when it is one
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]


@dataclass
class _Generation:
    """Everything derived from one catalog generation (rebuilt when documents change)."""

    number: int
    idf: dict[str, float]
    default_idf: float
    number_idf: float
    units: dict[str, list[tuple[int, int, frozenset]]] = field(default_factory=dict)
    chunk_words: dict[str, frozenset] = field(default_factory=dict)
    audits: dict[tuple[str, ...], list] = field(default_factory=dict)


class ExtractiveAnswerer:
    """The default answerer: verbatim quotes of the best sentences, a stated key value, or a plain refusal."""

    label = "extractive"

    def __init__(self, workspace, k: int = K):
        self.workspace = workspace
        self.k = k
        self.follow_ups = FollowUps(workspace.retriever.resolver)
        self._generation: _Generation | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._playbook = None

    # -- public ------------------------------------------------------------
    def run(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        started = time.perf_counter()
        answer = self._answer(_checked(question), tuple(history))
        return replace(self._verified(answer), seconds=time.perf_counter() - started)

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str | Answer]:
        """The answer's text in paragraphs, then the Answer itself (the paragraphs concatenate to its text)."""
        answer = self.run(question, history)
        for piece in re.split(r"(?<=\n\n)", answer.text):
            if piece:
                yield piece
        yield answer

    def warm_up(self) -> None:
        """Build the per-generation caches and the clause audit now rather than on the first question."""
        self._current()
        self._audits(tuple(d.doc_id for d in self.workspace.documents()))
        self.run("How much notice is needed to terminate for convenience?")

    # -- pipeline ------------------------------------------------------------
    def _answer(self, question: str, history: tuple) -> Answer:
        rewrite = self.follow_ups.run(question, history)
        standalone = rewrite.question
        cross = self._cross_document(question, standalone) if not rewrite.doc_ids else None
        if cross is not None:
            return cross
        clause = match_clause(standalone, self.playbook) if AUDIT_YESNO.match(standalone) else None
        if clause is not None and rewrite.doc_ids:
            audited = self._audit_answer(question, standalone, rewrite.doc_ids, clause)
            if audited is not None:
                return audited
        passages = self.passages(standalone, rewrite.doc_ids)
        return self._extractive(question, standalone, passages, rewrite.doc_ids)

    def _extractive(self, question: str, standalone: str, passages: list[Passage], scope: tuple[str, ...]) -> Answer:
        kind = question_kind(standalone)
        candidates = self.rank(standalone, passages, kind, scope)
        rewritten = standalone if standalone != question else ""
        if not candidates or not self._answerable(candidates[0]):
            return self._refusal(question, rewritten, passages, candidates)
        if kind in STRICT_KINDS:
            stating = _with_value_first(candidates)
            if not stating or not self._answerable(stating[0]):
                return self._refusal(question, rewritten, passages, candidates)
            candidates = stating
        chosen = self._choose(candidates)
        value = ""
        if kind:
            for candidate in chosen:
                value = key_value(kind, candidate.text, standalone) or key_value(kind, candidate.chunk.text[_quote_start(candidate) : candidate.end], standalone)
                if value:
                    break
        citations = [self._citation(i, c.chunk, _quote_start(c), c.end) for i, c in enumerate(chosen, 1)]
        return Answer(question, compose(value, citations), tuple(citations), True, value, (), self.label, tuple(passages), 0.0, rewritten)

    def _answerable(self, best: _Candidate) -> bool:
        """Enough evidence: a high enough score and most of the question's words (weighted by rarity)."""
        return best.score >= ANSWER_MIN_SCORE and best.coverage >= ANSWER_MIN_COVERAGE

    def _choose(self, ranked: list[_Candidate]) -> list[_Candidate]:
        """The best sentence, plus runners-up from the same document that score almost as well.
        A bare lead-in ("... must be given:") is never quoted on its own: its items say the thing."""
        ranked = [c for c in ranked if not c.lead or c.value] or ranked
        best = ranked[0]
        chosen = [best]
        for candidate in ranked[1:]:
            if len(chosen) >= MAX_QUOTES or candidate.score < best.score * SECOND_QUOTE_SHARE:
                break
            if candidate.chunk.doc_id != best.chunk.doc_id:
                continue
            if any(_overlaps(candidate, c) for c in chosen):
                continue
            chosen.append(candidate)
        return chosen

    def _refusal(self, question: str, rewritten: str, passages: list[Passage], candidates: list[_Candidate]) -> Answer:
        closest: list[_Candidate] = []
        for candidate in candidates:
            if len(closest) >= 3:
                break
            if all(candidate.chunk.id != c.chunk.id for c in closest):
                closest.append(candidate)
        citations = [self._citation(i, c.chunk, c.start, c.end) for i, c in enumerate(closest, 1)]
        text = REFUSAL_TEXT
        if not passages and not self.workspace.documents():
            text += f" The workspace {self.workspace.name!r} has no documents yet: ingest some first."
        if citations:
            text += "\n\nClosest passages (they do not answer the question):\n\n" + "\n\n".join(_quote_block(c) for c in citations)
        return Answer(question, text, tuple(citations), False, "", (), self.label, tuple(passages), 0.0, rewritten)

    # -- scoring -------------------------------------------------------------
    def passages(self, question: str, scope: tuple[str, ...] = ()) -> list[Passage]:
        """Retrieved passages: only the named documents when the question names some; otherwise the
        hybrid ranking merged with a ranking that ignores document mentions (a spurious mention must
        not push the right passage out)."""
        if scope:
            return self.workspace.retrieve(strip_naming(question), k=self.k, documents=list(scope), with_focus=False).passages
        first = self.workspace.retrieve(question, k=self.k, with_focus=False).passages
        second = self.workspace.retriever.run(question, k=self.k, resolve=False, with_focus=False).passages
        merged: list[Passage] = []
        seen: set[str] = set()
        for pair in zip_longest(first, second):
            for passage in pair:
                if passage is not None and passage.chunk.id not in seen:
                    seen.add(passage.chunk.id)
                    merged.append(passage)
        return merged

    def rank(self, question: str, passages: list[Passage], kind: str = "", scope: tuple[str, ...] = ()) -> list[_Candidate]:
        """Candidate sentences of the passages, best first (headings and instruction-like sentences never qualify).

        The score adds (see WEIGHTS): lexical, the question's words found in the sentence weighted by
        rarity, with partial credit for words in its lead-in, inline heading or table header, for related
        contract words, and for words only in the section heading or elsewhere in the passage; semantic,
        embedding similarity (for a shortlist); rank, the passage's position; value, the sentence states
        the kind of value asked for; phrase, the question's word pairs found together; definition, it
        defines the term asked about; operative, it is a contract term (shall, may, must). ``coverage``
        is the weighted share of question words the sentence (or its headings) holds: refusals use it.
        """
        generation = self._current()
        terms = self._question_terms(question)
        weights = {t: generation.idf.get(t, generation.default_idf) if not t.startswith("#") else generation.number_idf for t in terms}
        roles = self.follow_ups.roles()
        for word in self._party_words(question):
            if any(w == word for w, _ in roles):
                weights["@" + word] = generation.number_idf * PARTY_WEIGHT
        total = sum(weights.values()) or 1.0
        pairs = {p for p in _pairs(self._without_names(question)) if all(x in weights for x in p.split(">"))}
        preferred = set(self.workspace.retriever.resolver.run(question).preferred) if not scope else set()
        parties = self.follow_ups.parties(question) if not scope else frozenset()
        candidates: list[_Candidate] = []
        for rank, passage in enumerate(passages):
            chunk = passage.chunk
            section = self._words(chunk.section_path)
            around = self._chunk_words(generation, chunk)
            lead: frozenset[str] = frozenset()
            lead_at = -1
            label: frozenset[str] = frozenset()
            header: frozenset[str] | None = None
            for a, b, words in self._units(generation, chunk):
                sentence = chunk.text[a:b]
                inherited = (lead if LIST_ITEM.match(sentence) else frozenset()) | label
                lead = words if sentence.rstrip().endswith(":") else inherited
                lead_at = a if sentence.rstrip().endswith(":") else (lead_at if LIST_ITEM.match(sentence) else -1)
                if is_label(sentence):  # "Section 14.2 Cap." names what the next sentences are about
                    label = words
                    continue
                if "|" in sentence:  # a table row reads with its header row
                    if header is None:
                        header = words
                    else:
                        inherited = inherited | header
                else:
                    header = None
                if is_heading(sentence) or looks_like_instruction(sentence):
                    continue
                found = covered = 0.0
                for term, weight in weights.items():
                    if term.startswith("@"):  # a party, by the role this document gives it
                        word = term[1:]
                        hit = 1.0 if word in words or roles.get((word, chunk.doc_id), word) in words else 0.0
                        found += weight * hit
                        covered += weight * hit
                        continue
                    if term in words:
                        here = 1.0
                    elif term in inherited:
                        here = INHERITED_WEIGHT
                    elif RELATED.get(term, frozenset()) & words:
                        here = RELATED_WEIGHT
                    else:
                        here = 0.0
                    in_section = term in section
                    found += weight * max(here, SECTION_WEIGHT if in_section else AROUND_WEIGHT if term in around else 0.0)
                    covered += weight * max(here, SECTION_COVERAGE if in_section else 0.0)
                lexical = found / total
                phrase = sum(1 for pair in pairs if pair in words) / len(pairs) if pairs else 0.0
                candidate = _Candidate(chunk, rank, a, b, lexical, covered / total)
                candidate.operative = 1.0 if OPERATIVE.search(sentence) else 0.0
                candidate.phrase = phrase
                candidate.lead = bool(sentence.rstrip().endswith(":"))
                read = f"{chunk.text[lead_at:a]} {sentence}" if lead_at >= 0 and LIST_ITEM.match(sentence) else sentence
                candidate.value = value_strength(kind, read, question)
                candidate.definition = 1.0 if defines(sentence, terms) else 0.0
                if chunk.doc_id in preferred:
                    candidate.lexical += 0.05
                if parties and chunk.doc_id not in parties:
                    candidate.lexical -= OTHER_PARTIES_PENALTY
                candidates.append(candidate)
        if not candidates:
            return []
        for c in candidates:
            c.score = WEIGHTS["lexical"] * c.lexical + WEIGHTS["rank"] / (1 + c.rank) + WEIGHTS["value"] * c.value + WEIGHTS["operative"] * c.operative + WEIGHTS["definition"] * c.definition + WEIGHTS["phrase"] * c.phrase
        candidates.sort(key=lambda c: -c.score)
        shortlist = candidates[:SHORTLIST]
        vectors = self._sentence_vectors([c.text for c in shortlist])
        query = self.workspace.index.embedder.embed_query(question)
        for c, vector in zip(shortlist, vectors):
            c.semantic = float(vector @ query)
            c.score += WEIGHTS["semantic"] * c.semantic
        floor = min((c.semantic for c in shortlist), default=0.0)
        for c in candidates[SHORTLIST:]:
            c.score += WEIGHTS["semantic"] * floor
        _follow_lead_ins(candidates)
        candidates.sort(key=lambda c: -c.score)
        return candidates

    def _question_terms(self, question: str) -> list[str]:
        """Content words and numbers, without the words that only name a party or document (Veridian, QuickFix, MSA)."""
        terms = content_terms(self._without_names(question))
        return terms or content_terms(question)

    def _party_words(self, question: str) -> list[str]:
        """Companies the question names that contracts call by a role (Harbourline -> Customer, Veridian -> Supplier)."""
        names = self.follow_ups.names()
        return list(dict.fromkeys(w.lower() for w in re.findall(r"\b[A-Z][\w&-]+", question)
                                  if w.lower() in names and w.lower() not in DOCUMENT_ACRONYMS))

    def _without_names(self, question: str) -> str:
        names = self.follow_ups.names()
        for phrase in naming_phrases(question):
            question = question.replace(phrase, " ")
        return " ".join(w for w in re.split(r"(\s+)", question) if re.sub(r"(?:'s|’s)?\W*$", "", w).lower() not in names or not w[:1].isupper())

    @staticmethod
    def _words(text: str) -> frozenset[str]:
        return frozenset(tokenize([plain(text)])[0]) | frozenset(number_terms(text))

    def _chunk_words(self, generation: _Generation, chunk: Chunk) -> frozenset[str]:
        words = generation.chunk_words.get(chunk.id)
        if words is None:
            words = generation.chunk_words[chunk.id] = self._words(chunk.text)
        return words

    def _units(self, generation: _Generation, chunk: Chunk) -> list[tuple[int, int, frozenset]]:
        """Sentence spans of a chunk with their words, numbers and adjacent word pairs ("servic>deliveri")."""
        units = generation.units.get(chunk.id)
        if units is None:
            units = [(a, b, self._words(chunk.text[a:b]) | _pairs(chunk.text[a:b])) for a, b in sentence_units(chunk.text)]
            generation.units[chunk.id] = units
        return units

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.workspace.index.embedder.embed(missing)):
                self._vectors[text] = vector
        return np.array([self._vectors[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def _current(self) -> _Generation:
        """Per-generation caches: word rarity over all chunks, sentence units, audits."""
        number = self.workspace.index.catalog.generation
        with self._lock:
            if self._generation is None or self._generation.number != number:
                chunks = self.workspace.index.chunks()
                documents = tokenize([f"{c.section_path}\n{c.text}" for c in chunks]) if chunks else []
                df: dict[str, int] = {}
                for tokens in documents:
                    for t in set(tokens):
                        df[t] = df.get(t, 0) + 1
                n = max(1, len(documents))
                idf = {t: float(np.log((n + 1) / (d + 0.5))) for t, d in df.items()}
                typical = float(np.median(list(idf.values()))) if idf else 1.0
                self._generation = _Generation(number, idf, float(np.log((n + 1) / 0.5)), typical)
            return self._generation

    # -- citations -----------------------------------------------------------
    def _citation(self, number: int, chunk: Chunk, start: int, end: int) -> Citation:
        """A citation of ``chunk.text[start:end]``, with its offsets in the document and the page they fall on."""
        page = self._page(chunk, chunk.start + start)
        return Citation(number, chunk.doc_id, chunk.file_name, page, chunk.section_path, chunk.start + start, chunk.start + end, chunk.text[start:end])

    def _page(self, chunk: Chunk, offset: int) -> int:
        if chunk.page_start == chunk.page_end:
            return chunk.page_start
        return self.workspace.index.document(chunk.doc_id).page_at(offset)

    def _sentence_citation(self, number: int, doc_id: str, start: int, end: int) -> Citation | None:
        """The whole sentence (as the answerer splits them) around a span of a document, e.g. a key term's evidence."""
        for chunk in self.workspace.index.chunks(doc_id):
            if chunk.start <= start < chunk.end:
                local = start - chunk.start
                for a, b in sentence_units(chunk.text):
                    if a <= local < b:
                        return self._citation(number, chunk, a, b)
                return self._citation(number, chunk, local, min(end, chunk.end) - chunk.start)
        return None

    def _verified(self, answer: Answer) -> Answer:
        return verified(answer, self.workspace.index.catalog.document_text)

    # -- audit-backed answers ------------------------------------------------
    @property
    def playbook(self):
        if self._playbook is None:
            from .playbook import load_playbook

            self._playbook = load_playbook()
        return self._playbook

    def _audits(self, doc_ids: tuple[str, ...], by: str = "document") -> list:
        """Audit results for these documents, cached per catalog generation."""
        generation = self._current()
        key = (by,) + tuple(sorted(doc_ids))
        with self._lock:
            if key not in generation.audits:
                if by == "deal":
                    generation.audits[key] = self.workspace.audit(by="deal", playbook=self.playbook)
                else:
                    missing = [d for d in doc_ids if ("document", d) not in generation.audits]
                    if missing:
                        for result in self.workspace.audit(documents=missing, playbook=self.playbook):
                            generation.audits[("document", result.doc_ids[0])] = [result]
                    generation.audits[key] = [generation.audits[("document", d)][0] for d in doc_ids]
            return generation.audits[key]

    def _evidence_citation(self, number: int, evidence, question: str) -> Citation | None:
        """The sentence of an audit evidence passage that best matches the question."""
        chunk = next((c for c in self.workspace.index.chunks(evidence.doc_id) if c.start == evidence.start), None)
        if chunk is None:
            return None
        ranked = self.rank(question, [Passage(chunk, 1.0)])
        if not ranked:
            return None
        best = ranked[0]
        return self._citation(number, chunk, best.start, best.end)

    def _audit_answer(self, question: str, standalone: str, doc_ids: tuple[str, ...], match: ClauseMatch) -> Answer | None:
        results = self._audits(doc_ids[:1])
        result = results[0]
        finding = result.finding(match.clause.id)
        status = finding_status(finding, match.element)
        rewritten = standalone if standalone != question else ""
        name = result.file_names[0] if result.file_names else result.subject
        if status == "missing":
            text = f"**No.** The clause audit found no {match.label.lower()} in {name}."
            if finding.status != "missing":
                text = f"**No.** {name} has a {finding.name.lower()} clause, but the clause audit found no {match.label.lower()} in it."
            passages = self.workspace.retrieve(standalone, k=self.k, documents=list(doc_ids[:1]), with_focus=False).passages
            return Answer(question, text, (), True, "No", (), self.label, tuple(passages), 0.0, rewritten)
        evidence_words = set(tokenize([" ".join(e.text + " " + e.section_path for e in finding.evidence)])[0])
        if not set(tokenize([match.phrase])[0]) <= evidence_words:
            return None
        citations = [c for c in (self._evidence_citation(i, e, standalone) for i, e in enumerate(finding.evidence[:2], 1)) if c is not None]
        citations = [replace(c, number=i) for i, c in enumerate(citations, 1)]
        detail = ""
        if finding.status == "weak" and match.element is None:
            from .audit import element_names

            detail = f" The clause is weak: it lacks {', '.join(element_names(match.clause, finding.missing_elements)).lower()}."
        text = f"**Yes.** {name} has {_article(match.label)} {match.label.lower()} provision.{detail}"
        if citations:
            text += "\n\n" + "\n\n".join(_quote_block(c) for c in citations)
        return Answer(question, text, tuple(citations), True, "Yes", (), self.label, (), 0.0, rewritten)

    # -- cross-document ------------------------------------------------------
    def _cross_document(self, question: str, standalone: str) -> Answer | None:
        if not CROSS.search(standalone):
            return None
        rewritten = standalone if standalone != question else ""
        infos = self.workspace.documents()
        if len(infos) < 2:
            return None
        by = "deal" if self.workspace.deals() else "document"
        match = match_clause(standalone, self.playbook)
        if match is not None and (LACK.search(standalone) or HAVE.search(standalone)) and not re.search(r"\bcompare\b|\bcomparison\b", standalone, re.I):
            return self._clause_table(question, rewritten, match, by, lacking=bool(LACK.search(standalone)))
        for name, pattern in KEY_TERM_TOPICS:
            if pattern.search(standalone):
                return self._term_table(question, rewritten, name, by)
        return self._generic_table(question, rewritten, standalone)

    def _clause_table(self, question: str, rewritten: str, match: ClauseMatch, by: str, lacking: bool) -> Answer:
        results = self._audits(tuple(d.doc_id for d in self.workspace.documents()), by)
        rows, citations = [], []
        for result in results:
            finding = result.finding(match.clause.id)
            status = finding_status(finding, match.element)
            citation = None
            if status != "missing" and finding.evidence:
                probe = f"{match.label}: {match.element.description if match.element is not None else match.clause.description}"
                # cite the passage that holds the element asked about ("exit plan"), not just the clause's best passage
                shown = (match.element is not None and finding.evidence_for(match.element.id)) or finding.evidence[0]
                citation = self._evidence_citation(len(citations) + 1, shown, probe)
                if citation is not None:
                    citations.append(citation)
            value = status if status != "weak" or match.element is not None else f"weak (lacks {', '.join(finding.missing_elements).replace('_', ' ')})"
            rows.append({"document": result.subject, "value": value, "status": status, "citation": citation.number if citation else None})
        wanted = [r for r in rows if (r["status"] == "missing") == lacking] if lacking else [r for r in rows if r["status"] != "missing"]
        label = match.label.lower()
        subjects = "deals or documents" if by == "deal" else "documents"
        verb = f"have no {label} provision" if lacking else f"have {_article(label)} {label} provision"
        head = f"**{len(wanted)} of {len(rows)} {subjects} {verb}:** " + (", ".join(r["document"] for r in wanted) or "none")
        text = head + "\n\n" + _markdown_table(rows, ("Document", match.label)) + "\n\n" + "\n\n".join(_quote_block(c) for c in citations)
        key = "; ".join(r["document"] for r in wanted)
        return Answer(question, text.rstrip(), tuple(citations), True, key, tuple(rows), self.label, (), 0.0, rewritten)

    def _term_table(self, question: str, rewritten: str, name: str, by: str) -> Answer:
        results = self._audits(tuple(d.doc_id for d in self.workspace.documents()), by)
        rows, citations = [], []
        kind, probe = KEY_TERM_KINDS[name]
        for result in results:
            term = next((t for t in result.key_terms if t.name == name), None)
            citation, value = None, "not stated"
            if term is not None and term.found and term.end > term.start:
                citation = self._sentence_citation(len(citations) + 1, term.doc_id, term.start, term.end)
                if citation is not None:
                    citations.append(citation)
                    value = key_value(kind, citation.quote, probe) or _clean_value(term.value)
                else:
                    value = _clean_value(term.value)
            rows.append({"document": result.subject, "value": value, "status": "found" if value != "not stated" else "not stated", "citation": citation.number if citation else None})
        found = [r for r in rows if r["status"] == "found"]
        head = f"**{name} across {len(rows)} {'deals or documents' if by == 'deal' else 'documents'}** ({len(found)} state one):"
        text = head + "\n\n" + _markdown_table(rows, ("Document", name)) + "\n\n" + "\n\n".join(_quote_block(c) for c in citations)
        return Answer(question, text.rstrip(), tuple(citations), bool(found), "", tuple(rows), self.label, (), 0.0, rewritten)

    def _generic_table(self, question: str, rewritten: str, standalone: str) -> Answer:
        """Compare anything else: the best sentence of each document, with its key value."""
        topic = CROSS.sub(" ", standalone)
        topic = re.sub(r"^\s*(?:the\s+)?", "", topic).strip(" ?.") or standalone
        kind = question_kind(topic) or question_kind(standalone)
        rows, citations, passages = [], [], []
        for info in self.workspace.documents():
            found = self.workspace.retrieve(topic, k=3, documents=[info.doc_id], with_focus=False).passages
            passages.extend(found[:1])
            ranked = self.rank(topic, found, kind, (info.doc_id,))
            citation, value, status = None, "not stated", "not stated"
            if ranked and self._answerable(ranked[0]):
                best = ranked[0]
                citation = self._citation(len(citations) + 1, best.chunk, best.start, best.end)
                citations.append(citation)
                value = key_value(kind, best.text, topic) if kind else ""
                value = value or _clean_value(display(best.text))
                status = "found"
            rows.append({"document": info.file_name, "value": value, "status": status, "citation": citation.number if citation else None})
        found = [r for r in rows if r["status"] == "found"]
        text = f"**Across {len(rows)} documents** ({len(found)} address it):\n\n" + _markdown_table(rows, ("Document", "What it says")) + "\n\n" + "\n\n".join(_quote_block(c) for c in citations)
        return Answer(question, text.rstrip(), tuple(citations), bool(found), "", tuple(rows), self.label, tuple(passages), 0.0, rewritten)


def _follow_lead_ins(candidates: list[_Candidate]) -> None:
    """A list item is read with its lead-in: it scores at least as well as the lead-in ("A notice of
    non-renewal must be given:" -> "(a) by the Customer, not less than six (6) months ...")."""
    by_chunk: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_chunk.setdefault(c.chunk.id, []).append(c)
    for group in by_chunk.values():
        group.sort(key=lambda c: c.start)
        lead: _Candidate | None = None
        for c in group:
            if c.lead:
                lead = c
            elif lead is not None and LIST_ITEM.match(c.text):
                if c.score < lead.score - 0.01:
                    c.score = lead.score - 0.01
                c.lead_start = lead.start
            else:
                lead = None


def _with_value_first(ranked: list[_Candidate]) -> list[_Candidate]:
    """For questions asking for a period, date, amount, law or court: only the sentences that state
    one (the evidence thresholds then decide whether the best of them answers)."""
    return [c for c in ranked if c.value]


def _quote_start(candidate: _Candidate) -> int:
    """Quote a list item together with its lead-in when both fit in a readable quote."""
    if candidate.lead_start >= 0 and candidate.end - candidate.lead_start <= LEAD_IN_QUOTE:
        return candidate.lead_start
    return candidate.start


def _pairs(text: str) -> frozenset[str]:
    """Adjacent content-word pairs, so a phrase of the question ("service delivery manager") counts when it is there whole."""
    stems = tokenize([plain(text)])[0]
    return frozenset(f"{x}>{y}" for x, y in zip(stems, stems[1:]))


def _checked(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise ValueError("the question is empty: ask something about the documents, e.g. 'How much notice to terminate for convenience?'")
    return question.strip()


def _overlaps(a: _Candidate, b: _Candidate) -> bool:
    return a.chunk.doc_id == b.chunk.doc_id and a.chunk.start + a.start < b.chunk.start + b.end and b.chunk.start + b.start < a.chunk.start + a.end


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


def _where(citation: Citation) -> str:
    section = f", {citation.section_path.split(' > ')[-1]}" if citation.section_path else ""
    return f"{citation.file_name}, p. {citation.page}{section}"


def _quote_block(citation: Citation) -> str:
    return f"> \"{display(citation.quote)}\" [{citation.number}]  \n> — *{_where(citation)}*"


def _markdown_table(rows: list[dict], headers: tuple[str, str]) -> str:
    def cell(text) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"| {headers[0]} | {headers[1]} | Evidence |", "|---|---|---|"]
    for row in rows:
        lines.append(f"| {cell(row['document'])} | {cell(row['value'])} | {'[' + str(row['citation']) + ']' if row['citation'] else ''} |")
    return "\n".join(lines)


def compose(value: str, citations: list[Citation]) -> str:
    """The answer's Markdown: the key value first, in bold, then each quote with its [n] and where it is."""
    quotes = "\n\n".join(_quote_block(c) for c in citations)
    if value:
        return f"**{value[:1].upper() + value[1:]}**\n\n{quotes}"
    return f"The documents say:\n\n{quotes}"


def verified(answer: Answer, document_text: Callable[[str], str]) -> Answer:
    """The answer without any citation that is not verbatim in its document (``document_text(doc_id)``),
    and without that citation's quote block, marker and table reference. Run on every answer."""
    _, dropped = check_citations(answer.citations, document_text)
    return drop_citations(answer, {c.number for c in dropped}) if dropped else answer


def drop_citations(answer: Answer, numbers: set[int]) -> Answer:
    """The answer without the citations numbered ``numbers``: their quote blocks, markers and table references go too."""
    if not numbers:
        return answer
    text = answer.text
    for number in numbers:
        # the quote block (which may span lines, never a blank one) up to its marker, and its "> — where" line
        text = re.sub(rf"\n*^> (?:(?!\n\n)[\s\S])*?\[{number}\][^\n]*(?:\n> [^\n]*)*", "", text, flags=re.MULTILINE)
        text = text.replace(f"[{number}]", "")
    citations = tuple(c for c in answer.citations if c.number not in numbers)
    table = tuple({**row, "citation": None} if row.get("citation") in numbers else row for row in answer.table)
    if answer.answered and not citations and not answer.table and answer.key_value not in ("No",):
        return replace(answer, text=REFUSAL_TEXT, citations=(), table=(), answered=False, key_value="")
    return replace(answer, text=text.strip(), citations=citations, table=table)


# ------------------------------------------------------------------------------------------ LLM path

PASSAGE_TAG = re.compile(r"</?\s*passage", re.IGNORECASE)


def format_passages(passages: Sequence[Passage]) -> str:
    """Numbered passages as delimited, attributed data blocks (any tag-like text inside is defused)."""
    blocks = []
    for n, passage in enumerate(passages, 1):
        chunk = passage.chunk
        body = PASSAGE_TAG.sub(lambda m: m.group(0).replace("passage", "passage\u200b"), chunk.text)
        document, section = html.escape(chunk.file_name), html.escape(chunk.section_path)
        blocks.append(f'<passage id="{n}" document="{document}" page="{chunk.pages_label}" section="{section}">\n{body}\n</passage>')
    return "\n\n".join(blocks)


class LLMAnswerer:
    """Answers written by a chat model from numbered passages, then verified statement by statement."""

    def __init__(self, workspace, model, label: str, k: int = K, extractive: ExtractiveAnswerer | None = None):
        from .llm import load_prompt

        self.workspace = workspace
        self.model = model
        self.label = label
        self.k = k
        self.extractive = extractive or ExtractiveAnswerer(workspace, k)
        self.system_prompt = load_prompt("answer_system")
        self.user_prompt = load_prompt("answer_user")

    def messages(self, question: str, standalone: str, passages: Sequence[Passage]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        from .llm import fill

        follow_up = f"(This is a follow-up; the user wrote: {question})" if standalone != question else ""
        values = {"question": standalone, "passages": format_passages(passages), "conversation": follow_up}
        return [SystemMessage(content=fill(self.system_prompt, values)), HumanMessage(content=fill(self.user_prompt, values))]

    def run(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        answer = None
        for item in self._answer(question, tuple(history), stream=False):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str | Answer]:
        """Verified text as the model writes it (statement by statement), then the final Answer."""
        yield from self._answer(question, tuple(history), stream=True)

    def _answer(self, question: str, history: tuple, stream: bool) -> Iterator[str | Answer]:
        started = time.perf_counter()
        question = _checked(question)
        base = self.extractive
        rewrite = base.follow_ups.run(question, history)
        standalone = rewrite.question
        rewritten = standalone if standalone != question else ""
        structured = base._cross_document(question, standalone) if not rewrite.doc_ids else None
        if structured is None and AUDIT_YESNO.match(standalone) and rewrite.doc_ids:
            clause = match_clause(standalone, base.playbook)
            structured = base._audit_answer(question, standalone, rewrite.doc_ids, clause) if clause else None
        if structured is not None:  # tables and audit answers come from the audit, not from a model
            answer = replace(base._verified(structured), seconds=time.perf_counter() - started)
            yield from _pieces(answer.text)
            yield answer
            return
        passages = base.passages(standalone, rewrite.doc_ids)
        sources = [Source(n, p.chunk.doc_id, p.chunk.start, p.chunk.text) for n, p in enumerate(passages, 1)]
        numbering: dict[tuple[str, int, int], Citation] = {}
        kept_text: list[str] = []
        draft = ""
        try:
            chunks = _from_model(self._draft(self.messages(question, standalone, passages), stream))
            buffer = ""
            for piece in chunks:
                draft += piece
                buffer += piece
                complete, buffer = _complete_statements(buffer)
                for statement in complete:
                    shown = self._accept(statement, sources, passages, numbering)
                    if shown:
                        delta = ("" if not kept_text else ("\n" if LIST_ITEM.match(shown) else " ")) + shown
                        kept_text.append(delta)
                        yield delta
            for statement in _complete_statements(buffer, final=True)[0]:
                shown = self._accept(statement, sources, passages, numbering)
                if shown:
                    delta = ("" if not kept_text else ("\n" if LIST_ITEM.match(shown) else " ")) + shown
                    kept_text.append(delta)
                    yield delta
        except ModelUnavailable as error:  # the model is optional: an unreachable server must not stop an answer
            cause = error.__cause__ or error
            note = f"The language model could not be used ({type(cause).__name__}: {str(cause)[:200]}), so this is the extractive answer."
            yield from self._fallback(question, history, note, started, already=bool(kept_text))
            return
        citations = tuple(sorted(numbering.values(), key=lambda c: c.number))
        if not citations:
            if is_refusal(draft):
                refusal = base._refusal(question, rewritten, passages, base.rank(standalone, passages, question_kind(standalone)))
                answer = replace(base._verified(refusal), answerer=self.label, seconds=time.perf_counter() - started)
                yield from _pieces(answer.text)
                yield answer
                return
            yield from self._fallback(question, history, "The language model's answer could not be verified against the documents, so this is the extractive answer.", started)
            return
        text = "".join(kept_text)
        kind = question_kind(standalone)
        value = ""
        if kind:
            for citation in citations:
                value = key_value(kind, citation.quote, standalone)
                if value:
                    break
        answer = Answer(question, text, citations, True, value, (), self.label, tuple(passages), 0.0, rewritten)
        verified = base._verified(answer)
        yield replace(verified, seconds=time.perf_counter() - started)

    def _draft(self, messages: list, stream: bool) -> Iterator[str]:
        if stream:
            for chunk in self.model.stream(messages):
                content = chunk.content if isinstance(chunk.content, str) else "".join(p.get("text", "") for p in chunk.content if isinstance(p, dict))
                if content:
                    yield content
        else:
            message = self.model.invoke(messages)
            yield message.content if isinstance(message.content, str) else "".join(p.get("text", "") for p in message.content if isinstance(p, dict))

    def _accept(self, statement: str, sources: list[Source], passages: Sequence[Passage], numbering: dict) -> str:
        """The statement as shown (markers renumbered to verified citations), or "" when it fails verification."""
        checked = check_draft(statement, sources, sentence_units)
        shown_parts = []
        for item in checked:
            if not item.kept:
                continue
            numbers = []
            for span in item.spans:
                key = (span.doc_id, span.start, span.end)
                if key not in numbering:
                    chunk = passages[span.source - 1].chunk
                    page = self.extractive._page(chunk, span.start)
                    numbering[key] = Citation(len(numbering) + 1, span.doc_id, chunk.file_name, page, chunk.section_path, span.start, span.end, span.quote)
                numbers.append(numbering[key].number)
            body = re.sub(r"\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]", "", plain(item.text)).rstrip()
            markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
            ending = re.search(r"[.!?]+[\"')\]]*$", body)
            if ending:
                body = body[: ending.start()] + f" {markers}" + body[ending.start() :]
            else:
                body = f"{body} {markers}"
            shown_parts.append(body)
        return " ".join(shown_parts)

    def _fallback(self, question: str, history: tuple, note: str, started: float, already: bool = False) -> Iterator[str | Answer]:
        answer = self.extractive.run(question, history)
        answer = replace(answer, text=f"*{note}*\n\n{answer.text}", seconds=time.perf_counter() - started)
        if not already:
            yield from _pieces(answer.text)
        yield answer


class ModelUnavailable(Exception):
    """The chat model failed (unreachable server, bad key, timeout); the cause is chained."""


def _from_model(chunks: Iterator[str]) -> Iterator[str]:
    """The model's output, with any failure of the model itself raised as ModelUnavailable (and nothing else)."""
    while True:
        try:
            piece = next(chunks)
        except StopIteration:
            return
        except Exception as error:
            raise ModelUnavailable(str(error)) from error
        yield piece


def _pieces(text: str) -> Iterator[str]:
    for piece in re.split(r"(?<=\n\n)", text):
        if piece:
            yield piece


def _complete_statements(buffer: str, final: bool = False) -> tuple[list[str], str]:
    """Statements of a streamed draft that are complete, and the unfinished rest."""
    from .verification import split_statements

    pieces = split_statements(buffer)
    if final:
        return pieces, ""
    if len(pieces) <= 1:
        return [], buffer
    last = pieces[-1]
    at = buffer.rfind(last[:20]) if last else len(buffer)
    return pieces[:-1], buffer[at:] if at >= 0 else last


# ------------------------------------------------------------------------------------------- factory


def make_answerer(workspace, settings=None):
    """The extractive answerer, or the LLM answerer when ``settings.llm_provider`` names a model."""
    from .llm import answerer_label, make_chat_model

    settings = settings or workspace.settings
    if settings.llm_provider == "none":
        return ExtractiveAnswerer(workspace)
    return LLMAnswerer(workspace, make_chat_model(settings), answerer_label(settings))
