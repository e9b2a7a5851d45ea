"""A contract's dates, computed from its audit's key terms: when it expires, the last day to give notice of
non-renewal, the earliest a termination for convenience can take effect (with its notice), and when termination
assistance ends. Each deadline keeps the sentence it was read from. A date the contract does not fix ("12 months
after the Service Commencement Date") is not guessed: the deadline has no date and says what it depends on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..audit.findings import AuditResult
from ..audit.keyterms import KeyTerm
from ..core.spans import Span
from ..text.dates import parse_date, parse_period, shift
from ..text.sentences import sentence_units, unit_at
from ..text.values import DATE

KINDS = ("expiry", "non_renewal_notice", "convenience_termination", "termination_assistance_end")
EXPIRY_RE = re.compile(rf"\b(?:expir\w*|terminat\w*|end\w*|until|through)\s+(?:on\s+)?(?:the\s+)?({DATE})", re.IGNORECASE)
ANCHOR_RE = re.compile(r"\b(?:from|after|following|of|on)\s+(?:the\s+)?((?:[A-Z][\w-]*\s+){0,4}(?:Date|Go-Live|Acceptance))\b")
MAX_RENEWALS_RE = re.compile(r"\bmaximum\s+of\s+(?:\w+\s+)?\(?(\d+)\)?\s+(?:\w+\s+){0,2}(?:periods?|terms?|renewals?|extensions?)", re.IGNORECASE)
AUTO_RENEW_RE = re.compile(r"\bautomatic\w*\s+(?:renew|extend|roll)|\bshall\s+(?:be\s+)?(?:renew|extend)\w*\s+(?:automatically|for\s+successive)", re.IGNORECASE)
WHO_RE = re.compile(r"\b(either\s+party|each\s+party|the\s+customer|the\s+supplier|the\s+client|the\s+provider|[A-Z][A-Za-z]+)\s+may\s+terminate", re.IGNORECASE)
UPCOMING_DAYS = 90


@dataclass(frozen=True)
class Deadline:
    """One date of one contract. ``date`` is None when the contract does not fix it; ``depends_on`` then names what
    it runs from. ``basis`` says how the date was reached; ``span`` is the sentence (an exact span) it rests on."""

    subject: str
    kind: str
    name: str
    date: dt.date | None
    basis: str
    depends_on: str = ""
    notice: str = ""
    span: Span | None = None

    @property
    def fixed(self) -> bool:
        return self.date is not None

    def days_from(self, today: dt.date) -> int | None:
        return (self.date - today).days if self.date else None

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "kind": self.kind, "name": self.name, "date": self.date.isoformat() if self.date else None,
                "basis": self.basis, "depends_on": self.depends_on, "notice": self.notice, "span": self.span.to_dict() if self.span else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Deadline":
        return cls(data["subject"], data["kind"], data["name"], dt.date.fromisoformat(data["date"]) if data.get("date") else None,
                   data["basis"], data.get("depends_on", ""), data.get("notice", ""), Span.from_dict(data["span"]) if data.get("span") else None)


def _term(result: AuditResult, term_id: str) -> KeyTerm | None:
    term = next((t for t in result.key_terms if t.id == term_id), None)
    return term if term is not None and term.found and term.span is not None else None


def _anchor(text: str) -> str:
    """The defined date a period runs from when it is not the effective date ("the Service Commencement Date")."""
    for match in ANCHOR_RE.finditer(text):
        name = " ".join(match.group(1).split())
        if not re.match(r"(?:the\s+)?Effective\s+Date$", name, re.IGNORECASE):
            return f"the {name}" if not name.lower().startswith("the ") else name
    return ""


def _stated_expiry(result: AuditResult) -> tuple[dt.date, Span] | None:
    """An expiry date the term clause states outright ("continues ... expiring on 28 February 2030")."""
    spans = [t.span for t in (_term(result, "initial_term"), _term(result, "renewal")) if t]
    try:
        spans += [e.span for e in result.finding("term_and_renewal").evidence]
    except KeyError:
        pass
    for span in spans:
        match = EXPIRY_RE.search(span.text)
        if match and (day := parse_date(match.group(1))):
            a, b = unit_at(sentence_units(span.text), match.start()) or (match.start(), match.end())
            return day, Span(span.doc_id, span.file_name, span.start + a, span.start + b, span.text[a:b], span.page, span.page_end, span.section_path, span.ocr)
    return None


def _expiry(result: AuditResult, today: dt.date) -> Deadline:
    subject = result.subject
    stated = _stated_expiry(result)
    initial, renewal = _term(result, "initial_term"), _term(result, "renewal")
    if stated:
        end, span = stated
        basis = f"stated in {span.file_name}, {span.page_label}"
    else:
        effective = _term(result, "effective_date")
        period = parse_period(initial.value) if initial else None
        if initial is None or period is None:
            return Deadline(subject, "expiry", "Expiry of the term", None, "no initial term found", "the term of the agreement", span=initial.span if initial else None)
        anchor = _anchor(initial.span.text)
        if anchor or effective is None or parse_date(effective.value) is None:
            return Deadline(subject, "expiry", "Expiry of the initial term", None, f"{initial.value} from {anchor or 'the effective date'}",
                            anchor or "the effective date", span=initial.span)
        start = parse_date(effective.value)
        end = shift(start, period) - dt.timedelta(days=1)  # a term of N years from 1 March ends on the last day of February
        span = initial.span
        basis = f"effective date {start:%d %B %Y} + {initial.value}, ending the day before"
    sentence = renewal.span.text if renewal else ""
    renews = bool(renewal and AUTO_RENEW_RE.search(" ".join(sentence.split())))
    period = parse_period(renewal.value) if renews else None
    if period is not None and end < today:
        cap = MAX_RENEWALS_RE.search(" ".join(sentence.split()))
        left = int(cap.group(1)) if cap else 100
        while end < today and left:
            end, left = shift(end, period), left - 1
        basis += f"; renews automatically for {period.label()} periods" + (f" (at most {cap.group(1)})" if cap else "")
    elif renews and period is not None:
        basis += f"; then renews automatically for {period.label()} periods unless notice is given"
    return Deadline(subject, "expiry", "Expiry of the current term", end, basis, span=span)


def _relative(result: AuditResult, expiry: Deadline, term_id: str, kind: str, name: str, sign: int) -> Deadline | None:
    """A date a period before (``sign=-1``) or after the end of the term."""
    term = _term(result, term_id)
    period = parse_period(term.value) if term else None
    if term is None or period is None:
        return None
    if expiry.date is None:
        return Deadline(result.subject, kind, name, None, f"{term.value} {'before' if sign < 0 else 'after'} the end of the term",
                        expiry.depends_on or "the end of the term", term.value, term.span)
    day = shift(expiry.date, period, sign)
    relation = "before" if sign < 0 else "after"
    return Deadline(result.subject, kind, name, day, f"{term.value} {relation} the end of the term on {expiry.date:%d %B %Y}",
                    notice=term.value, span=term.span)


def _convenience(result: AuditResult, today: dt.date) -> Deadline | None:
    term = _term(result, "notice_to_terminate_for_convenience")
    period = parse_period(term.value) if term else None
    if term is None or period is None:
        return None
    who = WHO_RE.search(term.span.text)
    party = " ".join(who.group(1).split()) if who else "a party"
    day = shift(today, period)
    return Deadline(result.subject, "convenience_termination", f"Earliest termination for convenience ({party})", day,
                    f"{period.label()} notice given today ({today:%d %B %Y})", "the day notice is given", term.value, term.span)


def contract_deadlines(result: AuditResult, today: dt.date | None = None) -> list[Deadline]:
    """The deadlines of one audited document or deal (a deadline whose key term was not found is left out)."""
    today = today or dt.date.today()
    if result.error:
        return []
    expiry = _expiry(result, today)
    out = [expiry]
    notice = _relative(result, expiry, "notice_to_prevent_renewal", "non_renewal_notice", "Last day to give notice of non-renewal", -1)
    if notice is not None:
        out.append(notice)
    convenience = _convenience(result, today)
    if convenience is not None:
        out.append(convenience)
    assistance = _relative(result, expiry, "termination_assistance_period", "termination_assistance_end",
                           "End of termination assistance (if the agreement ends at expiry)", 1)
    if assistance is not None:
        out.append(assistance)
    if expiry.basis == "no initial term found" and _term(result, "effective_date") is None:
        return []  # no term and no date: not a contract with a duration (a policy, a schedule on its own)
    return out


def upcoming(deadlines: list[Deadline], today: dt.date, days: int = UPCOMING_DAYS) -> list[Deadline]:
    """The deadlines with a date from ``today`` to ``today + days``, soonest first."""
    return sorted((d for d in deadlines if d.date is not None and 0 <= (d.date - today).days <= days), key=lambda d: d.date)
