"""What a redline proposes, worked out from an audit before any file is written: for each missing clause the
playbook's fallback language as a new clause, for each weak clause the fallback sentences that supply its missing
elements, each with where it goes and the comment that explains it. Pure: the same plan feeds the Word redline
(DOCX) and the review memo (PDF or text contracts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..audit.findings import AuditResult, ClauseFinding
from ..audit.playbook import SEVERITIES, ClauseType, Playbook, severity_rank
from ..core.documents import Document
from ..core.errors import NotFoundError
from ..core.spans import Span
from ..text.sentences import sentence_units
from .outline import Outline

QUOTE_CHARS = 220


@dataclass(frozen=True)
class Change:
    """One proposed change: ``text`` is inserted after offset ``after`` of the document (a new clause when ``heading``
    is set), ``comment`` explains it; ``evidence`` is the weak clause's passage (None for a missing clause)."""

    clause_id: str
    clause: str
    severity: str
    status: str  # missing | weak
    missing_elements: tuple[str, ...]
    text: str
    heading: str
    after: int
    placement: str
    comment: str
    evidence: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"clause_id": self.clause_id, "clause": self.clause, "severity": self.severity, "status": self.status,
                "missing_elements": list(self.missing_elements), "text": self.text, "heading": self.heading, "after": self.after,
                "placement": self.placement, "comment": self.comment, "evidence": self.evidence.to_dict() if self.evidence else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Change":
        evidence = Span.from_dict(data["evidence"]) if data.get("evidence") else None
        return cls(data["clause_id"], data["clause"], data["severity"], data["status"], tuple(data["missing_elements"]), data["text"],
                   data["heading"], int(data["after"]), data["placement"], data["comment"], evidence)


def quote(span: Span, limit: int = QUOTE_CHARS) -> str:
    """The evidence as a reviewer reads it: one line, cut at a word near ``limit``."""
    text = " ".join(span.text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "\u2026"


def where(span: Span) -> str:
    return f"{span.file_name}, {span.page_label}, {span.section_path or 'preamble'}"


def supplying_sentences(clause: ClauseType, missing: tuple[str, ...]) -> str:
    """The fallback sentences that meet the missing elements (in fallback order), else the whole fallback: the
    playbook's language for exactly what the clause lacks."""
    fallback = " ".join(clause.fallback.split())
    units = [fallback[a:b] for a, b in sentence_units(fallback)]
    wanted = [clause.element(e) for e in missing if e in {x.id for x in clause.elements}]
    picked = [u for u in units if any(e.is_met(u) for e in wanted)]
    return " ".join(picked) if picked else fallback


def selected(result: AuditResult, min_severity: str, clauses: list[str] | None, playbook: Playbook) -> list[ClauseFinding]:
    """Missing and weak findings at ``min_severity`` or above (only ``clauses`` when given), in playbook order."""
    if min_severity not in SEVERITIES:
        raise ValueError(f"unknown severity {min_severity!r}; valid: {', '.join(SEVERITIES)}")
    for clause_id in clauses or ():
        playbook.get(clause_id)  # an unknown id names the valid ones
    return [f for f in result.findings if f.status in ("missing", "weak") and severity_rank(f.severity) <= severity_rank(min_severity)
            and (not clauses or f.clause_id in clauses)]


def plan_changes(result: AuditResult, document: Document, playbook: Playbook, *, min_severity: str = "low",
                 clauses: list[str] | None = None, outline: Outline | None = None) -> list[Change]:
    """The changes for one document's audit, in the order they appear in the document."""
    if document.id not in result.doc_ids:
        raise NotFoundError(f"the audit of {result.subject!r} does not cover {document.file_name}")
    outline = outline or Outline(document)
    names = {c.id: {e.id: e.name for e in c.elements} for c in playbook.clauses}
    findings = selected(result, min_severity, clauses, playbook)
    related: dict[str, ClauseFinding] = {}
    for f in result.findings:
        if f.status != "missing" and _here(f, document):
            related.setdefault(f.group, f)
    taken: set[str] = set()
    changes: list[Change] = []
    for finding in findings:
        clause = playbook.get(finding.clause_id)
        missing = tuple(names[clause.id].get(e, e) for e in finding.missing_elements)
        if finding.status == "weak" and _here(finding, document):
            span = finding.evidence[0].span
            place = outline.place(span.start)
            label = place.clause.title if place.clause else "the clause"
            text = supplying_sentences(clause, finding.missing_elements)
            comment = (f"{clause.name} is weak ({finding.severity} severity): missing {', '.join(missing)}.\n"
                       f"Evidence: {where(span)}: \u201c{quote(span)}\u201d\n"
                       f"Suggested language for the missing elements is inserted after {label}.")
            changes.append(Change(clause.id, clause.name, finding.severity, "weak", missing, text, "", place.clause_end,
                                  f"after {label}", comment, span))
            continue
        if finding.status == "weak":
            continue  # weak in another document of the deal: that document is the one to redline
        anchor = related.get(finding.group)
        if anchor is not None:
            place = outline.place(anchor.evidence[0].span.start)
            number = outline.next_number(place.article, taken) if place.article else ""
            after, placement = place.article_end, f"new clause at the end of {place.article.title if place.article else 'the document'}"
        else:
            number = outline.next_article_number(taken)
            after, placement = len(document.text), "new clause at the end of the document"
        taken.add(number)
        heading = f"{number} {clause.name}".strip()
        comment = (f"{clause.name} is missing ({finding.severity} severity). Why it matters: {' '.join(clause.why.split())}\n"
                   f"Proposed: the playbook's standard clause, as {heading} ({placement}).")
        changes.append(Change(clause.id, clause.name, finding.severity, "missing", (), " ".join(clause.fallback.split()), heading,
                              after, placement, comment))
    return sorted(changes, key=lambda c: c.after)


def _here(finding: ClauseFinding, document: Document) -> bool:
    """Whether the finding's best evidence is in this document."""
    return bool(finding.evidence) and finding.evidence[0].span.doc_id == document.id
