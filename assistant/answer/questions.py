"""What a question asks: the kind of value it wants (a period, a date, an amount, a party, a law, a court,
yes/no), its content words (stemmed, without question words or the words that only name a document), and
the contract words that mean the same thing."""

from __future__ import annotations

import re

from ..text.naming import POSSESSIVE, naming_matches
from ..text.normalise import plain
from ..text.tokenization import tokenize
from ..text.values import NUMBER_TERM

KINDS = ("count", "frequency", "period", "date", "amount", "party", "law", "court", "yesno", "")
STRICT_KINDS = ("count", "frequency", "period", "date", "amount", "law", "court")  # answered only by a sentence stating one
KIND_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("count", re.compile(r"\bhow\s+many\s+(?!days|months|years|weeks|hours|business\s+days|times)\w+", re.I)),
    ("frequency", re.compile(r"\bhow\s+often\b|\bhow\s+frequently\b|\bhow\s+many\s+times\b|\bwhat\s+frequency\b", re.I)),
    ("law", re.compile(r"\b(?:which|what)\s+(?:[\w-]+(?:'s|’s|s')?\s+){0,2}laws?\b|\blaws?\s+of\s+(?:which|what)\b|\bgoverning\s+law\b|\blaws?\s+govern|\bgoverns?\b", re.I)),
    ("court", re.compile(r"\b(?:which|what)\s+courts?\b|\bjurisdiction\b", re.I)),
    ("party", re.compile(r"^\s*(?:and\s+)?who(?:m|se)?\b|\bwhich\s+party\b|\bwhich\s+(?:individual|person|company|supplier)\b", re.I)),
    ("period", re.compile(r"\bhow\s+long\b|\bhow\s+(?:much|many)\s+(?:notice|time|days|months|years|weeks|hours|business\s+days)\b|\bwithin\s+what\b|\bhow\s+(?:quickly|soon)\b|\bnotice\s+period\b|\bwhat\s+(?:notice|period)\b|\bcure\s+period\b|\bwhat\s+(?:is|are)\s+the\s+(?:\w+\s+){0,3}(?:period|term|notice|deadline|duration|rto|rpo|objective|time|times)\b|\bafter\s+how\s+long\b|\bhow\s+much\s+time\b|\bwhat\s+time\b|\bpayment\s+terms?\b|\brecovery\s+(?:time|point)\s+objectives?\b|\brto\b|\brpo\b", re.I)),
    ("date", re.compile(r"^\s*(?:and\s+)?(?:by\s+)?when\b|\bwhat\s+date\b|\bwhich\s+date\b|\bfrom\s+when\b|\bon\s+what\s+date\b|\bwhat\s+(?:is|was)\s+the\s+(?:\w+\s+){0,3}date\b", re.I)),
    ("amount", re.compile(r"\bhow\s+much\b|\bwhat\s+(?:is|are)\s+(?:the\s+)?(?:\S+\s+){0,4}(?:cap|caps|limit|limits|fee|fees|charge|charges|price|amount|cost|costs|rate|rates|credit|credits|salary|sum|value|level|share|percentage|uptime|availability)\b|\bwhat\s+(?:\w+\s+){0,2}(?:level|share|percentage|proportion|amount|fee|rate|uptime|cap|interest)\b|\bwhat\s+(?:\w+\s+){0,2}(?:insurance|cover)\b", re.I)),
    ("yesno", re.compile(r"^\s*(?:and\s+)?(?:does|do|is|are|can|could|must|may|will|shall|has|have|did|was|were|should|need)\b", re.I)),
)
QUESTION_STEMS = {"what", "how", "long", "much", "mani", "when", "who", "whom", "whose", "which", "whi", "where", "doe", "do", "must",
                  "can", "may", "shall", "need", "give", "under", "agreement", "contract", "document", "pleas", "tell", "say", "state",
                  "quick", "quickli", "soon", "time", "happen", "have", "has", "had", "befor", "each", "ani", "also", "would", "could",
                  "should", "get", "level", "kind", "type", "exist", "appli", "requir", "provid", "last", "take"}
QUESTION_PHRASES = ((re.compile(r"\bpayment\s+terms?\b", re.I), "payment"), (re.compile(r"\bwhat\s+counts\s+as\b|\bwhat\s+is\s+meant\s+by\b", re.I), "what is"), (re.compile(r"\bat\s+(?:the\s+)?most\b", re.I), "cap"), (re.compile(r"\bfor\s+any\s+reason\b|\bwithout\s+(?:any\s+|a\s+)?(?:cause|reason)\b|\bat\s+will\b", re.I), "for convenience"))
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
    "after": "following", "resolve": "resolution resolved", "respond": "response", "response": "respond", "convenience": "reason", "staff": "employees personnel", "employees": "staff personnel", "supplier": "provider", "backup": "backups back-up",
}
DEFINITION = re.compile(r"^\W*(?:\d+(?:\.\d+)*\s+)?[\"“']([^\"”']{2,60})[\"”']\s+(?:means|has\s+the\s+meaning|shall\s+mean|includes)\b")


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


def words_of(text: str) -> frozenset[str]:
    """Stemmed words and numbers of a text, as ``content_terms`` writes them."""
    return frozenset(tokenize([plain(text)])[0]) | frozenset(number_terms(text))


def word_pairs(text: str) -> frozenset[str]:
    """Adjacent content-word pairs, so a phrase of the question ("service delivery manager") counts when it is there whole."""
    stems = tokenize([plain(text)])[0]
    return frozenset(f"{x}>{y}" for x, y in zip(stems, stems[1:]))


def _related() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for word, others in RELATED_WORDS.items():
        stems = tokenize([word])[0]
        if stems:
            related.setdefault(stems[0], set()).update(tokenize([others])[0])
    return {k: frozenset(v - {k}) for k, v in related.items()}


RELATED = _related()


def defines(sentence: str, terms: list[str]) -> bool:
    """The sentence defines a term made of the question's words ('"Effective Date" means ...')."""
    match = DEFINITION.match(sentence)
    if not match:
        return False
    defined = set(tokenize([match.group(1)])[0])
    return bool(defined) and defined <= set(terms)


def strip_naming(question: str) -> str:
    """The question without the words that name its document ("under the NimbusGrid agreement",
    "QuickFix's"): once the search is limited to that document they only blur the query."""
    stripped = question
    for m in naming_matches(question):
        stripped = stripped.replace(m.group(0), " ")
    stripped = POSSESSIVE.sub(" ", stripped)
    stripped = " ".join(stripped.split())
    return stripped if len(content_terms(stripped)) >= 1 else question


LEAD_IN = re.compile(r"^\s*(?:consider|regarding|concerning|as\s+to|about|in|under|for|re)\b[^;:?]{0,800}?\b(?:agreement|contract|document|between)\b"
                     r"[^;:?]{0,800}?[;:]\s*(?=\S)", re.IGNORECASE)


def without_lead_in(question: str) -> str:
    """The question without a lead-in that only says which contract it is about ("Consider the Services Agreement
    between Acme Ltd and Beta Inc; what is the expiration date of this contract?"): the lead-in picks the document,
    its party names must not pick the sentence."""
    rest = LEAD_IN.sub("", question, count=1)
    return rest if rest != question and content_terms(rest) else question


def checked(question: str) -> str:
    """The question trimmed; a clear error for an empty one."""
    if not isinstance(question, str) or not question.strip():
        raise ValueError("the question is empty: ask something about the documents, e.g. 'How much notice to terminate for convenience?'")
    return question.strip()
