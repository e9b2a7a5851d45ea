"""What an audit finds: per clause type a status (present / weak / missing) with evidence, per subject the
findings and key terms. The status vocabulary, the count of findings by status and the "missing at or
above a severity" test live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.flags import Flag
from ..core.spans import Span
from .keyterms import KeyTerm
from .playbook import SEVERITIES, severity_rank

STATUSES = ("present", "weak", "missing")


def status_rank(status: str) -> int:
    """Worst first: missing 0, weak 1, present 2; anything else (an error row) after."""
    order = {"missing": 0, "weak": 1, "present": 2}
    return order.get(status, len(order))


@dataclass(frozen=True)
class Evidence:
    """A passage that signals a clause, with the three signals that scored it."""

    span: Span
    score: float
    heading: bool
    signals: tuple[str, ...]
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "score": self.score, "heading": self.heading, "signals": list(self.signals), "similarity": self.similarity}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Evidence":
        return cls(Span.from_dict(data), float(data["score"]), bool(data["heading"]), tuple(data["signals"]), float(data["similarity"]))


@dataclass(frozen=True)
class ClauseFinding:
    clause_id: str
    name: str
    group: str
    severity: str
    status: str
    confidence: float
    missing_elements: tuple[str, ...]
    met_elements: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    fallback: str
    why: str
    element_evidence: tuple[tuple[str, Evidence], ...] = ()  # (element id, the passage that meets it), met elements only

    def evidence_for(self, element_id: str) -> Evidence | None:
        """The passage where a met element was found; ``None`` when the element is missing."""
        return next((e for i, e in self.element_evidence if i == element_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id, "name": self.name, "group": self.group, "severity": self.severity, "status": self.status,
            "confidence": self.confidence, "missing_elements": list(self.missing_elements), "met_elements": list(self.met_elements),
            "evidence": [e.to_dict() for e in self.evidence], "fallback": self.fallback, "why": self.why,
            "element_evidence": [{"element": i, **e.to_dict()} for i, e in self.element_evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClauseFinding":
        return cls(
            data["clause_id"], data["name"], data["group"], data["severity"], data["status"], float(data["confidence"]),
            tuple(data["missing_elements"]), tuple(data["met_elements"]), tuple(Evidence.from_dict(e) for e in data["evidence"]),
            data["fallback"], data["why"], tuple((e["element"], Evidence.from_dict(e)) for e in data.get("element_evidence", ())),
        )


@dataclass(frozen=True)
class AuditResult:
    """The audit of one subject: a document, or a deal (several documents audited together)."""

    subject: str
    kind: str  # document | deal
    doc_ids: tuple[str, ...]
    file_names: tuple[str, ...]
    findings: tuple[ClauseFinding, ...] = ()
    key_terms: tuple[KeyTerm, ...] = ()
    error: str = ""
    seconds: float = 0.0
    flags: tuple[Flag, ...] = ()  # hidden or instruction-like text in its documents: shown, never used as evidence

    def finding(self, clause_id: str) -> ClauseFinding:
        for f in self.findings:
            if f.clause_id == clause_id:
                return f
        raise KeyError(f"no clause {clause_id!r}; valid: {', '.join(f.clause_id for f in self.findings)}")

    def gaps(self, severity: str | None = None) -> list[ClauseFinding]:
        """Missing clauses, optionally only of one severity."""
        return [f for f in self.findings if f.status == "missing" and (severity is None or f.severity == severity)]

    def counts(self) -> dict[str, int]:
        """Findings by status, in ``STATUSES`` order."""
        return {s: sum(1 for f in self.findings if f.status == s) for s in STATUSES}

    def missing_at_or_above(self, severity: str) -> list[ClauseFinding]:
        """Missing clauses of ``severity`` or a more serious one."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}; valid: {', '.join(SEVERITIES)}")
        return [f for f in self.gaps() if severity_rank(f.severity) <= severity_rank(severity)]

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "kind": self.kind, "doc_ids": list(self.doc_ids), "file_names": list(self.file_names),
                "findings": [f.to_dict() for f in self.findings], "key_terms": [t.to_dict() for t in self.key_terms],
                "error": self.error, "seconds": round(self.seconds, 3), "flags": [f.to_dict() for f in self.flags]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AuditResult":
        return cls(data["subject"], data["kind"], tuple(data["doc_ids"]), tuple(data["file_names"]),
                   tuple(ClauseFinding.from_dict(f) for f in data.get("findings", ())),
                   tuple(KeyTerm.from_dict(t) for t in data.get("key_terms", ())), data.get("error", ""), float(data.get("seconds", 0.0)),
                   tuple(Flag.from_dict(f) for f in data.get("flags", ())))


def failing(results: list[AuditResult], fail_on: str | None) -> list[tuple[str, str]]:
    """(subject, clause name) pairs that break ``--fail-on``: a missing clause at that severity or above."""
    if not fail_on:
        return []
    if fail_on not in SEVERITIES:
        raise ValueError(f"unknown severity {fail_on!r}; valid: {', '.join(SEVERITIES)}")
    return [(r.subject, f.name) for r in results for f in r.missing_at_or_above(fail_on)]
