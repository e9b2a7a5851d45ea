"""Key terms as structured fields, each with its evidence: parties, effective date, term, renewal,
notice periods, liability cap, governing law, termination assistance period.

Values are read from the passages the clause audit found (so the notice period for convenience
comes from the termination-for-convenience evidence, not from any notice clause): the playbook's
``key_terms`` section says which clauses each term is read from. Each term's evidence is the
sentence that states it, an exact span of the document.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from ..core.documents import Chunk
from ..core.spans import Span
from ..text.dates import Period, parse_date, parse_period, shift
from ..text.naming import BETWEEN, PREAMBLE_END, parties_in, preamble, same_party, signatories
from ..text.sentences import sentence_units, unit_at
from ..text.values import (
    AGREEMENT_DATE_RE,
    CAP_AMOUNT,
    CAP_CLAUSE,
    DAMAGE_KINDS,
    DAMAGES_EXCLUSION,
    DATE,
    DATE_RE,
    DAY_SUFFIX,
    EFFECTIVE_DATE_RE,
    EFFECTIVE_DEFINED_RE,
    EFFECTIVE_TERM_RE,
    GOVERNING_RE,
    MADE_DATE_RE,
    MADE_SENTENCE_RE,
    PERIOD_RE,
    PERPETUAL_RE,
    SIGNED_DATE_RE,
    governing_place,
    law_choice,
)

# (id, name) in report order. Terms marked document-wide are read from the whole document when the
# playbook names no clause for them (or its clauses were not found).
KEY_TERMS: tuple[tuple[str, str], ...] = (
    ("parties", "Parties"),
    ("agreement_date", "Agreement date"),
    ("effective_date", "Effective date"),
    ("initial_term", "Initial term"),
    ("expiration_date", "Expiration date"),
    ("renewal", "Renewal"),
    ("notice_to_prevent_renewal", "Notice to prevent renewal"),
    ("notice_to_terminate_for_convenience", "Notice to terminate for convenience"),
    ("liability_cap", "Liability cap"),
    ("governing_law", "Governing law"),
    ("termination_assistance_period", "Termination assistance period"),
)
KEY_TERM_IDS = tuple(i for i, _ in KEY_TERMS)
NAMES = dict(KEY_TERMS)
PARTIES_OPENING = 4000  # the parties are named in the opening of the first document
DATE_OPENING = 2500  # ... and the date it is made, before its first clause
MADE_OPENING = 10000  # ... or after a cover page or a table of contents
WINDOW = 160  # characters either side of a value in which its context words are looked for
RENEWAL = re.compile(r"\b(?:renew\w*|extend\w*|extension|successive|thereafter|automatic\w*)\b", re.I)
NON_RENEWAL = re.compile(r"\b(?:not\s+to\s+(?:renew|extend)|non-?renewal|(?:prior\s+to|before|preceding|in\s+advance\s+of)\s+(?:the\s+)?"
                         r"(?:end|expiry|expiration|termination|conclusion|commencement)|of\s+(?:its|their)\s+(?:intent(?:ion)?|election|desire)\s+(?:not\s+)?to"
                         r"|(?:terminate|cancel)\w*\s+(?:this\s+agreement\s+)?(?:at|as\s+of|effective\s+(?:as\s+of|upon))\s+the\s+(?:end|expiration))", re.I)
RENEW_UNLESS = re.compile(r"\brenew\w*\b[^.;]{0,80}?\bunless\b[^.;]{0,80}$", re.I)  # a renewal that a notice stops
ADVANCE = re.compile(r"[\s,]*(?:\(\w+\)\s*)?(?:prior|before|in\s+advance|preceding|notice|of\s+(?:the\s+)?(?:expir|end))", re.I)
INITIAL_TERM = re.compile(r"\b(?:initial\s+term|terms?\s+of\s+(?:this|the)\s+agreement|(?:a|an|the)\s+term\s+of|shall\s+(?:continue|remain)|period\s+of|remain\s+in\s+(?:full\s+)?(?:force|effect)"
                          r"|(?:commence|begin)\w*\s+on|expire)", re.I)
# "renew for successive terms of the same duration", "renewal periods equal in length to the Initial Term"
SAME_LENGTH = re.compile(r"\b(?:renew\w*|extend\w*)\b[^.;]{0,60}?\b(?:terms?|periods?)\s+(?:of\s+)?(?:the\s+same\s+(?:duration|length|period)"
                         r"|equal\s+(?:in\s+(?:length|duration)\s+)?to\s+the\s+initial\s+term)", re.I)
ROLLING = re.compile(r"\b(?:from\s+)?(year|month)[- ]to[- ](?:year|month)\b|\b(?:each|every)\s+(year|month)\b", re.I)
MUTUAL = re.compile(r"\bmutual(?:ly)?\s+(?:written\s+)?(?:agree\w*|consent)|\bby\s+amendment\b|\bif\s+(?:both\s+)?(?:the\s+)?parties\s+(?:so\s+)?agree"
                    r"|\bwritten\s+agreement\s+of\s+(?:both|the)\s+parties", re.I)
CURE = re.compile(r"\bcur(?:e|ed|es|ing)\b", re.I)
LIABLE = re.compile(r"\bliab(?:le|ility|ilities)\b", re.I)
# A sentence about how long the contract runs ("This Agreement shall terminate on", "The term of this Agreement", "the
# Initial Term"): an end date or a length read elsewhere is some other right's ("use the marks until December 31, 2021").
TERM_SUBJECT = re.compile(r"\b(?:this|the|your)\s+(?:agreement|contract|joint\s+venture|venture|engagement|employment|appointment)\b|\bterm\b|\bcontract\s+period\b"
                          r"|\bcommenc\w*|\bin\s+(?:full\s+)?force\b", re.I)
# "perpetual" describing a licence or a right granted, not the contract's term
GRANT_AFTER = re.compile(r"[^.;]{0,80}?\b(?:licen[cs]e|sub-?licen|rights?\b|grant)", re.I)
# Words before a term without end that make it what follows the initial term (a renewal, not the expiry): "an initial
# term of one (1) year (Initial Term) and indefinitely after that until terminated", "thereafter, it shall continue".
AFTER_INITIAL = re.compile(rf"{RENEWAL.pattern}|\bafter\s+that\b|\binitial\s+(?:term|period)\b", re.I)
# A term that runs until an event rather than a date: "shall continue unless and until either party gives notice",
# "shall continue until the termination of the Alliance Agreement".
OPEN_ENDED_TERM = re.compile(r"\b(?:continue|remain)\w*\b[^.;]{0,60}?\buntil\s+(?:either|one|both)\s+part(?:y|ies)\s+(?:gives?|serves?|terminates?|informs?|notif(?:y|ies)|provides?|elects?)\b"
                             r"|\b(?:continue|remain)\w*\b[^.;]{0,60}?\buntil\s+(?:the\s+)?termination\s+of\b", re.I)
ORDINAL_YEARS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
# "end on the first anniversary of the date of this Agreement", "expire on the third anniversary of the Effective Date"
EARLIER_OF = (r"(?:the\s+(?:earlier|earliest|later|latest)\s+(?:to\s+occur\s+)?of(?:\s+the\s+(?:following|below)\s+(?:events?|dates?)(?:\s+(?:to\s+)?occurs?)?)?"
              r"\s*:?\s*(?:\(\w{1,4}\)\s*)?)?")  # "until the earlier of (i) December 31, 2022, (ii) ..."
ANNIVERSARY = re.compile(r"\b(?:expir\w*|terminat\w*|end\w*|until|through|continu\w+)\s+(?:on\s+|upon\s+)?" + EARLIER_OF + r"(?:the\s+)?"
                         rf"({'|'.join(ORDINAL_YEARS)}|\d{{1,2}}{DAY_SUFFIX})(?:\s*\(\d{{1,2}}\s?{DAY_SUFFIX}\))?\s+anniversary\s+of\s+(?:the\s+)?"
                         r"(date\s+(?:of\s+this\s+(?:agreement|contract)|hereof)|this\s+(?:agreement|contract)|effective\s+date|commencement\s+date|execution\s+date)", re.I)
EXPIRY = re.compile(rf"\b(?:expir\w*|terminat\w*|end\w*|conclud\w*|until|through|continu\w+\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?(?:until|to|through))\s+"
                    rf"(?:on\s+|upon\s+|at\s+(?:midnight|the\s+close\s+of\s+business)[^.;]{{0,30}}?\s+on\s+|at\s+)?{EARLIER_OF}(?:the\s+)?({DATE})", re.I)


@dataclass(frozen=True)
class KeyTerm:
    id: str
    name: str
    value: str
    span: Span | None = None  # the sentence that states the value; None when it was not found

    @property
    def found(self) -> bool:
        return bool(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "value": self.value, "span": self.span.to_dict() if self.span else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "KeyTerm":
        return cls(data["id"], data["name"], data["value"], Span.from_dict(data["span"]) if data.get("span") else None)


class _Finding(Protocol):
    clause_id: str
    evidence: Sequence[Any]


def _missing(term_id: str) -> KeyTerm:
    return KeyTerm(term_id, NAMES[term_id], "")


def _term(term_id: str, value: str, chunk: Chunk, match_start: int) -> KeyTerm:
    """A key term whose evidence is the sentence of the chunk around the match."""
    unit = unit_at(sentence_units(chunk.text), match_start)
    start, end = unit if unit else (match_start, match_start + len(value))
    return KeyTerm(term_id, NAMES[term_id], " ".join(value.split()), chunk.sub_span(start, end, chunk.page_start, chunk.page_start))


def _first(term_id: str, pattern: re.Pattern, chunks: list[Chunk], group: int = 0) -> KeyTerm:
    for chunk in chunks:
        match = pattern.search(chunk.text)
        if match:
            return _term(term_id, match.group(group), chunk, match.start())
    return _missing(term_id)


# A date that is another document's or another event's: a recital of an earlier agreement ("WHEREAS, Kitov and Dexcel
# entered into a Development Services Agreement on April 1, 2014", "have previously entered into a Selling Agreement,
# effective as of December 1, 2002", "that certain Share Purchase Agreement dated"), or a date labelled as some other
# day ("COMMENCEMENT DATE FOR MAINTENANCE: MARCH 1, 2001" is when a service starts, not when the contract is made).
OTHER_AGREEMENT = re.compile(r"^\W*(?:\(?[A-Za-z0-9]{1,3}[.)]\s+)?WHEREAS\b|\bpreviously\b|\bthat\s+certain\b"
                             r"|\b(?:original|prior|existing|underlying)\s+(?:\w+\s+)?agreement\b", re.I)
OTHER_DAY = re.compile(r"\b(?:commencement|termination|expiration|expiry|start|renewal|delivery|closing|launch)\s+date\b", re.I)


def _own_date(term_id: str, pattern: re.Pattern, chunks: list[Chunk], group: int = 1, other_day: bool = True) -> KeyTerm:
    """The first date ``pattern`` finds that is this contract's own (not a recited agreement's, and with
    ``other_day``, not one labelled as another day's)."""
    for chunk in chunks:
        for match in pattern.finditer(chunk.text):
            unit = unit_at(sentence_units(chunk.text), match.start())
            lead = chunk.text[unit[0] if unit else max(0, match.start() - WINDOW) : match.start(group)]
            if OTHER_AGREEMENT.search(lead) or (other_day and OTHER_DAY.search(lead[-60:])):
                continue
            return _term(term_id, match.group(group), chunk, match.start(group) if group else match.start())
    return _missing(term_id)


def _period_near(term_id: str, chunks: list[Chunk], context: re.Pattern | None = None) -> KeyTerm:
    for chunk in chunks:
        for match in PERIOD_RE.finditer(chunk.text):
            window = chunk.text[max(0, match.start() - 160) : match.end() + 160]
            if context is None or context.search(window):
                return _term(term_id, match.group(0), chunk, match.start())
    return _missing(term_id)


# An opening that names its parties where they sign: "The undersigned hereby agree", "the persons set forth on the
# signature page hereto (each, an "Investor")", "the sales agent identified on the signature page".
SIGNATURE_PAGE = re.compile(r"\bthe\s+undersigned\b|\b(?:on|in)\s+the\s+signature\s+pages?\b", re.I)
SIGNATURE_CHARS = 4000  # how much of the closing, from where it starts, holds the signature block


def parties(chunks: list[Chunk]) -> KeyTerm:
    """The parties with their full names and roles, from the opening of the first document
    ('INKTOMI CORPORATION ("Inktomi"); MICROSOFT CORPORATION ("Microsoft")'), with those its signature block names
    when the opening names fewer than two or says they are named where they sign; the evidence is the sentence
    naming the first of them."""
    named: list[tuple[str, str, int]] = []
    where: Chunk | None = None
    opening = _opening(chunks, PARTIES_OPENING)
    for i, chunk in enumerate(opening):
        found = _named_in(chunk)
        if len(found) >= 2 or (found and found[0][1]):
            named, where = found[:6], chunk
            if len(found) == 1 and i + 1 < len(opening):  # the opening goes on in the next passage: "... made by and between SLD ("SLD") ..."
                named += [p for p in _named_in(opening[i + 1]) if p[1] and not any(same_party(p[0], n) for n, _, _ in named)][:5]
            break
    page = SIGNATURE_PAGE.search(preamble(where.text)) if where is not None else None
    if len(named) < 2 or page:
        signed = _signatories(chunks)
        if page and "undersigned" in page.group(0).lower() and len(signed) >= 2:
            named, where = [], None  # "The undersigned hereby agree": the names the opening gives are the filer's or a header
        named += [(name, "", at) for name, _, at in signed if not any(same_party(name, n) for n, _, _ in named)][: max(0, 10 - len(named))]
        if where is None and signed:
            where = signed[0][1]
    if where is None or not named:
        return _missing("parties")
    names = [f'{name} ("{role}")' if role and role.lower() not in name.lower() else name for name, role, _ in named]
    return _term("parties", "; ".join(names), where, named[0][2])


def _named_in(chunk: Chunk) -> list[tuple[str, str, int]]:
    """The parties a passage of the opening names (``text.naming.parties_in`` of its preamble); after "between", only
    those named after it when there are two (companies named before it are the filer or a header)."""
    found = parties_in(preamble(chunk.text)) if chunk.start < 40 or not PREAMBLE_END.search(chunk.text[:40]) else []
    between = BETWEEN.search(chunk.text)
    if between:
        after = [p for p in found if p[2] >= between.start() - 200]
        found = after if len(after) >= 2 else found
    return found


def _closing(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of the first document's signature block: from "IN WITNESS" in its second half (else its last
    ``SIGNATURE_CHARS`` characters), ``SIGNATURE_CHARS`` on."""
    first = [c for c in chunks if c.doc_id == chunks[0].doc_id] if chunks else []
    if not first:
        return []
    half = first[-1].end // 2
    closing = next((c.start for c in first if c.end > half and re.search(r"\bIN\s+WITNESS\b", c.text, re.I)), first[-1].end - SIGNATURE_CHARS)
    return [c for c in first if closing <= c.start < closing + SIGNATURE_CHARS or c.start <= closing < c.end]


def _signatories(chunks: list[Chunk]) -> list[tuple[str, Chunk, int]]:
    """The parties the first document's signature block names (``text.naming.signatories``), each with its chunk: read
    from its closing ("IN WITNESS WHEREOF" in its second half, else its last chunks)."""
    block = _closing(chunks)
    starts = list(itertools.accumulate((len(c.text) + 1 for c in block[:-1]), initial=0))
    text = "\n".join(c.text for c in block)  # one text: a name can end one chunk and its "By:" open the next
    out = []
    for name, at in signatories(text):
        i = max(j for j, s in enumerate(starts) if s <= at)
        out.append((name, block[i], at - starts[i]))
    return out


def _opening(chunks: list[Chunk], chars: int) -> list[Chunk]:
    """The chunks of the first document that start within its first ``chars`` characters."""
    if not chunks:
        return []
    first_doc = chunks[0].doc_id
    return [c for c in chunks if c.doc_id == first_doc and c.start < chars]


def agreement_date(chunks: list[Chunk]) -> KeyTerm:
    """The date the contract is made, from its opening: one that "dated", "made", "entered into", "as of" introduce;
    else the sentence that makes it further on (after a cover page or a table of contents: "This ... Agreement is
    entered into as of"); else the date its closing gives where the parties sign ("Signed and effective this 25th day
    of May, 1999"); else the first date written in the opening (a title page's date)."""
    opening = _opening(chunks, DATE_OPENING)
    for pattern, where in ((AGREEMENT_DATE_RE, opening), (MADE_SENTENCE_RE, _opening(chunks, MADE_OPENING))):
        found = _own_date("agreement_date", pattern, where)
        if found.found:
            return _made_in(found)
    signed = _signed(chunks)
    if signed.found:
        return signed
    written = _own_date("agreement_date", DATE_RE, opening, 0)
    if written.found or not LAST_SIGNATURE.search(" ".join(c.text for c in _opening(chunks, MADE_OPENING))):
        return written
    last = _last_signed(chunks)  # made when the last party signs: that date
    return KeyTerm("agreement_date", NAMES["agreement_date"], last, _first("agreement_date", LAST_SIGNATURE, chunks).span) if last else written


def _made_in(found: KeyTerm) -> KeyTerm:
    """In the sentence that dates the contract, the date the words that make it give, before one it is "effective as of"
    ("is entered on this 9th day of October, 2001 and is deemed effective as of October 1, 2001")."""
    made = MADE_DATE_RE.search(found.span.text) if found.span is not None else None
    if made is None or OTHER_AGREEMENT.search(found.span.text[: made.start(1)]):
        return found
    return KeyTerm(found.id, found.name, " ".join(made.group(1).split()), found.span)


def _signed(chunks: list[Chunk]) -> KeyTerm:
    """The date in the closing of the first document where the parties sign, read from its second half."""
    first = [c for c in chunks if c.doc_id == chunks[0].doc_id]
    if not first:
        return _missing("agreement_date")
    half = first[-1].end // 2
    for chunk in (c for c in first if c.end > half):
        match = SIGNED_DATE_RE.search(chunk.text)
        if match:
            group = 1 if match.group(1) else 2
            return _term("agreement_date", match.group(group), chunk, match.start(group))
    return _missing("agreement_date")


def effective_date(chunks: list[Chunk], made: KeyTerm | None = None) -> KeyTerm:
    """The date the contract takes effect, where it says so ('this first day of July, 2017 (the "Effective Date")',
    "effective as of", "'Effective Date' means", "shall commence on", "The term ... will begin on"); else, when it
    defines an "Effective Date" without a date there ("effective as of the Effective Date", '"Effective Date" means the
    date first written above') or takes effect on its own date by reference ("shall become effective as of the day and
    year first above written", "commencing on the date hereof"), the date it is made (``made``), with that sentence as
    evidence. A contract only "dated", "made this 3rd day of" or "entered into as of" a date names no effective date of
    its own: it is not copied from the agreement date (CUAD's annotators mostly leave it out)."""
    for pattern, where in ((EFFECTIVE_DEFINED_RE, _opening(chunks, MADE_OPENING)), (EFFECTIVE_DATE_RE, chunks)):
        found = _own_date("effective_date", pattern, where, other_day=False)
        if found.found:
            return found
    last = _first("effective_date", LAST_SIGNATURE, chunks)
    if last.found:  # "'EFFECTIVE DATE' shall mean the date the last party hereto has executed this Agreement"
        signed = _last_signed(chunks)
        if signed is not None:
            return KeyTerm(last.id, last.name, signed, last.span)
    if made is not None and made.found:
        defined = _first("effective_date", EFFECTIVE_TERM_RE, chunks)
        if defined.found:
            return KeyTerm(defined.id, defined.name, made.value, defined.span)
    return _missing("effective_date")


# A contract that takes effect when the last party signs: '"EFFECTIVE DATE" of this Agreement shall mean the date the last
# party hereto has executed this Agreement', "shall become effective upon the completion of the execution by both Parties
# (the "Effective Date")", "effective as of the later of the two signature dates below (the "Effective Date")".
LAST_SIGNATURE = re.compile(r"\beffective\b[^.;]{0,80}?(?:\b(?:later|last|latest)\s+of\s+the\s+(?:\w+\s+)?(?:signature|execution)\s+dates?"
                            r"|\bdate\s+(?:on\s+which\s+)?the\s+last\s+(?:party|of\s+the\s+parties)\s+(?:hereto\s+|to\s+(?:sign|execute)\s+)?(?:has\s+)?(?:executed|signed|signs|executes)"
                            r"|\bdate\s+of\s+(?:the\s+)?last\s+signature|\b(?:completion\s+of\s+(?:the\s+)?)?execution\s+(?:hereof\s+|of\s+this\s+agreement\s+)?by\s+(?:both|all)\s+(?:the\s+)?parties"
                            r"|\b(?:executed|signed)\s+by\s+(?:both|all)\s+(?:the\s+)?parties)", re.I)


def _last_signed(chunks: list[Chunk]) -> str | None:
    """The latest date the signature block gives ("Date:5/11/2016 Date:: 5/4/2016" -> 5/11/2016), as written."""
    dated = [(parse_date(m.group(0)), " ".join(m.group(0).split())) for c in _closing(chunks) for m in DATE_RE.finditer(c.text)]
    dated = [d for d in dated if d[0] is not None]
    return max(dated)[1] if dated else None


def _sentence(chunk: Chunk, at: int) -> str:
    """The sentence of the chunk around offset ``at`` (PDF-wrapped lines joined)."""
    unit = unit_at(sentence_units(chunk.text), at)
    return chunk.text[unit[0] : unit[1]] if unit else chunk.text[max(0, at - WINDOW) : at + WINDOW]


def _about_term(chunk: Chunk, at: int) -> bool:
    """Whether the sentence around ``at`` is about how long the contract runs (it names the agreement or its term)."""
    return bool(TERM_SUBJECT.search(_sentence(chunk, at)))


def expiration_date(term_chunks: list[Chunk]) -> KeyTerm:
    """When the initial term ends: a date the term clause gives ("shall continue until December 31, 2020"), or
    "perpetual" when it runs with no end ("until terminated", "in perpetuity", "unless and until either party gives
    notice"). Only sentences about the contract's term count: a perpetual licence or a right to use something until a
    date is not the contract's end."""
    for chunk in term_chunks:
        for match in EXPIRY.finditer(chunk.text):
            if _about_term(chunk, match.start()):
                return _term("expiration_date", match.group(1), chunk, match.start())
    for chunk in term_chunks:
        for match in itertools.chain(PERPETUAL_RE.finditer(chunk.text), OPEN_ENDED_TERM.finditer(chunk.text)):
            if (AFTER_INITIAL.search(chunk.text[max(0, match.start() - 60) : match.start()]) or GRANT_AFTER.match(chunk.text, match.end())
                    or re.match(r"\s+(?:after\s+that|thereafter)\b", chunk.text[match.end() :], re.I)  # "an initial term ... and indefinitely after that"
                    or re.search(r"licen[cs]\w*\W+(?:\w+\W+){0,3}$", chunk.text[max(0, match.start() - 40) : match.start()], re.I)
                    or not _about_term(chunk, match.start())):
                continue
            term = _term("expiration_date", match.group(0), chunk, match.start())
            return KeyTerm(term.id, term.name, "perpetual", term.span)
    return _missing("expiration_date")


def anniversary_expiry(term_chunks: list[Chunk], made: KeyTerm, effective: KeyTerm) -> KeyTerm:
    """The end of a term written as an anniversary ("end on the first anniversary of the date of this Agreement"): the
    date it counts from (the agreement date, or the effective date) plus that many years, said so."""
    for chunk in term_chunks:
        match = ANNIVERSARY.search(chunk.text)
        if not match:
            continue
        start = made if re.match(r"(?i:date\s+(?:of|hereof)|execution|this)", match.group(2)) else effective if effective.found else made
        begins = parse_date(start.value)
        ordinal = match.group(1).lower()
        years = ORDINAL_YEARS.get(ordinal) or int(re.sub(r"\D", "", ordinal))
        if begins is None:
            continue
        ends = shift(begins, Period(years, "years"))
        term = _term("expiration_date", match.group(0), chunk, match.start())
        return KeyTerm(term.id, term.name, f"{ends:%B} {ends.day}, {ends.year} ({match.group(1)} anniversary of {start.value})", term.span)
    return _missing("expiration_date")


def counted_expiry(initial: KeyTerm, start: KeyTerm) -> KeyTerm:
    """The end of an initial term written as a length ("for a period of one (1) year"): its start date plus the
    length, said so ("January 26, 1999 (one (1) year from January 26, 1998)"), with the term's sentence as evidence."""
    begins, length = parse_date(start.value), parse_period(initial.value)
    if not (initial.found and start.found and begins and length) or length.business:
        return _missing("expiration_date")
    ends = shift(begins, length)
    return KeyTerm("expiration_date", NAMES["expiration_date"], f"{ends:%B} {ends.day}, {ends.year} ({initial.value} from {start.value})",
                   initial.span)


def renewal_term(chunks: list[Chunk], initial: KeyTerm | None = None) -> KeyTerm:
    """The length of each renewal: a period next to renewal words that is neither a notice period nor one running
    before the end ("ninety (90) days prior to the expiration"); "from year to year" / "month to month" / "each year"
    renewals give one year / one month; "successive terms of the same duration" the initial term's length. Only
    sentences about the contract's term count, and a renewal that needs the parties' mutual agreement or an amendment is
    not one (CUAD: automatic extensions and unilateral ones with prior notice)."""
    for chunk in chunks:
        near: re.Match | None = None  # a period with renewal words somewhere before it, when none follows them at once
        for match in PERIOD_RE.finditer(chunk.text):
            if ("notice" in match.group(0).lower() or ADVANCE.match(chunk.text, match.end()) or DEADLINE.match(match.group(0))
                    or not _renewal_sentence(chunk, match.start())):
                continue
            before = chunk.text[max(0, match.start() - WINDOW) : match.start()]
            after = chunk.text[match.end() : match.end() + 80]
            if RENEWAL_LEAD.search(before) or re.match(r"\W{0,3}(?:renewal|extension|successive)", after, re.I):
                return _term("renewal", match.group(0), chunk, match.start())  # "renewed for additional successive one (1) year periods"
            if near is None and RENEWAL.search(before) and not NON_RENEWAL.search(chunk.text[match.end() : match.end() + 60]):
                near = match
        if near is not None:
            return _term("renewal", near.group(0), chunk, near.start())
        same = SAME_LENGTH.search(chunk.text)
        if same and initial is not None and initial.found and _renewal_sentence(chunk, same.start()):
            term = _term("renewal", same.group(0), chunk, same.start())
            return KeyTerm(term.id, term.name, f"{initial.value} (renews for terms of the same length as the initial term)", term.span)
        rolling = ROLLING.search(chunk.text)
        if rolling and RENEWAL.search(chunk.text[max(0, rolling.start() - WINDOW) : rolling.end() + 40]) and _renewal_sentence(chunk, rolling.start()):
            term = _term("renewal", rolling.group(0), chunk, rolling.start())
            unit = (rolling.group(1) or rolling.group(2)).lower()
            return KeyTerm(term.id, term.name, f"successive one {unit} periods ({rolling.group(0)})", term.span)
    for chunk in chunks:  # after the initial term it runs on until terminated: "thereafter, it shall automatically continue until terminated"
        for match in itertools.chain(PERPETUAL_RE.finditer(chunk.text), OPEN_ENDED_TERM.finditer(chunk.text)):
            after_initial = (RENEWAL.search(chunk.text[max(0, match.start() - 60) : match.start()])
                             or re.match(r"\s+(?:after\s+that|thereafter)\b", chunk.text[match.end() :], re.I))
            if after_initial and _renewal_sentence(chunk, match.start()) and not GRANT_AFTER.match(chunk.text, match.end()):
                term = _term("renewal", match.group(0), chunk, match.start())
                return KeyTerm(term.id, term.name, f"perpetual (after the initial term it continues {match.group(0)})", term.span)
    return _missing("renewal")


def _renewal_sentence(chunk: Chunk, at: int) -> bool:
    """A sentence about renewing the contract itself, not by the parties' mutual agreement."""
    sentence = _sentence(chunk, at)
    return bool(TERM_SUBJECT.search(sentence)) and not MUTUAL.search(sentence)


def notice_to_prevent_renewal(chunks: list[Chunk], renewal: KeyTerm | None = None) -> KeyTerm:
    """The notice that stops a renewal: a period next to non-renewal words ("written notice of its intention not to
    renew at least ninety (90) days prior to the end of the then-current term"), in a sentence about the contract's
    term (not an insurer's notice of non-renewal) and not a period to cure a breach; for a contract that runs on
    after its initial term until terminated (``renewal`` perpetual), the notice that terminates it."""
    found = []
    for chunk in chunks:
        for match in PERIOD_RE.finditer(chunk.text):
            around = chunk.text[max(0, match.start() - WINDOW) : match.end() + WINDOW]
            if (NON_RENEWAL.search(around) and (RENEWAL.search(around) or "notice" in around.lower()) and _about_term(chunk, match.start())
                    and not CURE.search(chunk.text[max(0, match.start() - 60) : match.end() + 60])):
                found.append((chunk, match))
    for chunk, match in found:  # a period that runs before the end ("six (6) months before the end"), not the renewal's length
        if "notice" in match.group(0).lower() or ADVANCE.match(chunk.text, match.end()):
            return _term("notice_to_prevent_renewal", match.group(0), chunk, match.start())
    if found:
        return _term("notice_to_prevent_renewal", found[0][1].group(0), found[0][0], found[0][1].start())
    for chunk in chunks:  # "shall automatically renew for one-month periods thereafter unless either party provides 30- days advance notice"
        for match in PERIOD_RE.finditer(chunk.text):
            if (("notice" in match.group(0).lower() or ADVANCE.match(chunk.text, match.end()))
                    and RENEW_UNLESS.search(chunk.text[max(0, match.start() - WINDOW) : match.start()]) and _about_term(chunk, match.start())):
                return _term("notice_to_prevent_renewal", match.group(0), chunk, match.start())
    if renewal is not None and renewal.value.startswith("perpetual") and renewal.span is not None:
        # it runs on "until terminated by either party upon not less than thirty (30) days prior written notice": that notice
        for match in PERIOD_RE.finditer(renewal.span.text):
            if "notice" in match.group(0).lower() or ADVANCE.match(renewal.span.text, match.end()):
                value = " ".join(match.group(0).split())
                return KeyTerm("notice_to_prevent_renewal", NAMES["notice_to_prevent_renewal"], value, renewal.span)
    return _missing("notice_to_prevent_renewal")


def governing_law(chunks: list[Chunk]) -> KeyTerm:
    """The place whose law governs ("State of New York", "England and Wales"): the first sentence that chooses a law
    for a known place (``text.values.law_choice``): one saying the contract is governed so before another clean choice,
    and that before one inside a compliance sentence."""
    best: tuple[int, str, Chunk, int] | None = None
    for chunk in chunks:
        for a, b in sentence_units(chunk.text):
            choice = law_choice(chunk.text[a:b])
            if choice and (best is None or choice[2] > best[0]):
                best = (choice[2], choice[0], chunk, a + choice[1])
        if best is not None and best[0] == 3:
            break
    if best is not None:
        return _term("governing_law", re.sub(r"^the\s+", "", best[1], flags=re.I), best[2], best[3])
    for chunk in chunks:
        match = GOVERNING_RE.search(chunk.text)
        if match:
            place = re.sub(r"\s+(?:without|excluding|applicable|and|as|in|to)$", "", governing_place(match))
            return _term("governing_law", place, chunk, match.start())
    return _missing("governing_law")


def liability_cap(chunks: list[Chunk], every_chunk: list[Chunk] | None = None) -> KeyTerm:
    """The amount liability is limited to, from the limitation of liability clause's passages; else from a sentence
    anywhere that limits a liability ("the Agent shall not be liable for any loss ... which in the aggregate exceeds
    the amount paid to the Agent"), so a cap the clause audit did not pick up is still read, while "limited to" or
    "shall not exceed" about anything else (a price, a quantity) is not taken for a cap."""
    for chunk in chunks:
        for match in CAP_CLAUSE.finditer(chunk.text):  # "maximum aggregate liability ... [300 characters] ... shall be limited to $[***]"
            amount = CAP_AMOUNT.search(chunk.text, match.end(), match.end() + 300)
            if amount:
                return _term("liability_cap", amount.group(0).strip(" ,;."), chunk, match.start())
    seen = {(c.doc_id, c.start) for c in chunks}
    for chunk in every_chunk or []:
        if (chunk.doc_id, chunk.start) in seen:
            continue
        for match in CAP_CLAUSE.finditer(chunk.text):
            amount = CAP_AMOUNT.search(chunk.text, match.end(), match.end() + 300)
            sentence = _sentence(chunk, match.start())
            if amount and LIABLE.search(sentence) and amount.group(0) in sentence:
                return _term("liability_cap", amount.group(0).strip(" ,;."), chunk, match.start())
    return _exclusion(chunks)


NO_AMOUNT = "no amount"  # how a cap key term begins when the clause limits liability without an amount


def _exclusion(chunks: list[Chunk]) -> KeyTerm:
    """A limitation of liability that sets no amount but excludes kinds of damages ("IN NO EVENT SHALL EITHER PARTY BE
    LIABLE FOR ANY SPECIAL, INDIRECT OR CONSEQUENTIAL DAMAGES"): said so, "no amount (excludes special, indirect,
    consequential damages)", so a reviewer sees the clause limits liability without a cap."""
    for chunk in chunks:
        match = DAMAGES_EXCLUSION.search(chunk.text)
        if match:
            kinds = dict.fromkeys(" ".join(k.lower().split()) for k in re.findall(DAMAGE_KINDS, match.group(0), re.I))
            term = _term("liability_cap", match.group(0), chunk, match.start())
            return KeyTerm(term.id, term.name, f"{NO_AMOUNT} (excludes {', '.join(kinds)} damages)", term.span)
    return _missing("liability_cap")


def _initial_term(chunks: list[Chunk]) -> KeyTerm:
    """The length of the initial term: a period next to term words that is neither a notice period, a deadline nor
    one after the end. Of several, the one its sentence gives as the term wins (``_term_rank``): "shall continue
    thereafter for a period of twelve (12) months (the "Initial Term")" over the "one-month periods" it renews for."""
    best: tuple[int, Chunk, re.Match] | None = None
    for chunk in chunks:
        for match in PERIOD_RE.finditer(chunk.text):
            if "notice" in match.group(0).lower():
                continue
            before = chunk.text[max(0, match.start() - WINDOW) : match.start()]
            after = chunk.text[match.end() : match.end() + 60]
            if re.match(r"\W{0,3}(?:prior|before|in\s+advance|notice|after\s+(?:receipt|notice))", after, re.I):
                continue  # "ninety (90) days prior to the end of the term" is a notice, not the term
            if (re.match(r"(?i:within|in\s+any\s+event\s+within|up\s+to|no\s+later\s+than|not\s+later\s+than)\b", match.group(0)) or not _about_term(chunk, match.start())
                    or re.match(r"\W{0,3}(?:following|after)\s+(?:any\s+|the\s+)?(?:termination|expiration|expiry|end)\b", after, re.I)
                    or (re.match(r"\W{0,3}thereafter\b", after, re.I) and not COMMENCES.search(before))):
                continue  # a deadline ("within thirty (30) days"), some right's period ("use the marks for 270 days") or one after the end
            if not (INITIAL_TERM.search(before) or INITIAL_TERM.search(after) or TERM_FROM.match(after)):
                continue
            rank = _term_rank(before, after)
            if best is None or rank > best[0]:
                best = (rank, chunk, match)
    if best is None or best[0] < 0:
        return _missing("initial_term")
    return _term("initial_term", best[2].group(0), best[1], best[2].start())


# What the words around a period say it is. The term's own length: the initial term named before it, a start it counts
# from after it ("three (3) years from the Effective Date", '(the "Initial Term")', "... commence on the Effective Date
# and extend for three (3) years thereafter"); a renewal's: renewal words just before it ("renew for one-month periods").
INITIAL_BEFORE = re.compile(r"\binitial\s+(?:term|period)\b|\bterm\s+of\s+(?:this|the)\s+(?:agreement|contract)\b|\b(?:a|an|the|its)\s+term\s+of\s*$", re.I)
COMMENCES = re.compile(r"\b(?:commenc\w*|begin\w*|effective\s+date|shall\s+(?:continue|remain|expire|terminate|end|be\s+effective))\b", re.I)
TERM_FROM = re.compile(r"\W{0,3}(?:\(\s*(?:the\s+)?[\"“]?initial|(?:from|after|following)\s+(?:and\s+including\s+)?(?:the\s+)?(?:effective|commencement|execution|start)\s+date"
                       r"|(?:from|after)\s+(?:and\s+including\s+)?the\s+date\s+(?:of\s+this|hereof|first)|thereafter)", re.I)
DEADLINE = re.compile(r"(?i:within|in\s+any\s+event\s+within|no\s+later\s+than|not\s+later\s+than)\b")  # "within thirty (30) days"
RENEWAL_LEAD = re.compile(r"\b(?:renew\w*|extension|successive|additional|extended)\b[^.;]{0,40}$", re.I)


def _term_rank(before: str, after: str) -> int:
    """How surely a period is the initial term's length: +2 when the initial term or the agreement's term is named in
    its sentence before it, +2 when it counts from the start, +1 for words that start or run the term, -3 when renewal
    words lead to it."""
    sentence = re.split(r"[.;]\s", before)[-1]
    return (2 * bool(INITIAL_BEFORE.search(sentence)) + 2 * bool(TERM_FROM.match(after)) + bool(COMMENCES.search(sentence) or COMMENCES.match(after.lstrip(" ,")))
            - 3 * bool(RENEWAL_LEAD.search(before)))


def _chunks_of(chunks: list[Chunk], *terms: KeyTerm) -> list[Chunk]:
    """The chunks that hold these terms' evidence: where a renewal is looked for when the audit found no renewal clause,
    since contracts write it next to the initial term ("a term of one year ...; thereafter, it shall continue")."""
    spans = [t.span for t in terms if t.span is not None]
    return [c for c in chunks if any(s.doc_id == c.doc_id and c.start <= s.start < c.end for s in spans)]


def evidence_chunks(findings: Sequence[_Finding], clause_ids: Sequence[str], chunks: list[Chunk]) -> list[Chunk]:
    """The chunks behind the evidence of these clauses' findings, clause by clause, best evidence first."""
    by_range = {(c.doc_id, c.start): c for c in chunks}
    out: list[Chunk] = []
    for clause_id in clause_ids:
        finding = next((f for f in findings if f.clause_id == clause_id), None)
        if finding is not None:
            out += [by_range[(e.span.doc_id, e.span.start)] for e in finding.evidence if (e.span.doc_id, e.span.start) in by_range]
    return out


def extract_key_terms(chunks: list[Chunk], findings: Sequence[_Finding], sources: dict[str, tuple[str, ...]]) -> list[KeyTerm]:
    """The key terms of a document or deal, each with evidence (value '' when not found). ``sources`` maps a term
    id to the clause ids it is read from (the playbook's ``key_terms``); a term not listed is read from every chunk."""

    def read_from(term_id: str, fallback_to_all: bool = False) -> list[Chunk]:
        clause_ids = sources.get(term_id)
        if clause_ids is None:
            return chunks
        found = evidence_chunks(findings, clause_ids, chunks)
        return found or (chunks if fallback_to_all else [])

    made = agreement_date(chunks)
    effective = effective_date(chunks, made)
    term_chunks = read_from("initial_term", fallback_to_all=True)
    initial = _initial_term(term_chunks)
    expiry = expiration_date(term_chunks)
    if not expiry.found:
        expiry = anniversary_expiry(term_chunks, made, effective)
    if not expiry.found:
        expiry = counted_expiry(initial, effective if effective.found else made)
    renewal = renewal_term(read_from("renewal") or _chunks_of(chunks, initial, expiry), initial)
    return [
        parties(chunks),
        made,
        effective,
        initial,
        expiry,
        renewal,
        notice_to_prevent_renewal(read_from("notice_to_prevent_renewal"), renewal),
        _period_near("notice_to_terminate_for_convenience", read_from("notice_to_terminate_for_convenience"), re.compile(r"notice", re.I)),
        liability_cap(read_from("liability_cap"), chunks),
        governing_law(chunks),
        _period_near("termination_assistance_period", read_from("termination_assistance_period"),
                     re.compile(r"\b(?:assistance|exit|transition|wind[- ]down|run-off)\b", re.I)),
    ]
