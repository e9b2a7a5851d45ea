"""Compare a contract with a template or an earlier version, clause by clause: pairs aligned by content, heading
and number (so reordering and renumbering are seen as such), each marked same / changed (with a word-level diff) /
added / removed, and every change that touches a playbook clause flagged with its severity and the elements it
lost or gained. Against the playbook itself, each clause type's standard language is paired with the contract's
clause the audit found for it."""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass
from typing import Any

from ..audit.findings import AuditResult
from ..audit.patterns import PatternSet
from ..audit.playbook import ClauseType, Playbook, severity_rank
from ..core.documents import Document
from ..core.spans import Span
from .alignment import align, in_order
from .clauses import Clause, clauses_of

PAIR_STATUSES = ("same", "changed", "added", "removed")
PLAYBOOK = "playbook"


@dataclass(frozen=True)
class ClauseImpact:
    """A playbook clause a change touches: its severity and the elements the change took away or added."""

    clause_id: str
    clause: str
    severity: str
    lost: tuple[str, ...] = ()
    gained: tuple[str, ...] = ()

    @property
    def weakened(self) -> bool:
        return bool(self.lost)

    def to_dict(self) -> dict[str, Any]:
        return {"clause_id": self.clause_id, "clause": self.clause, "severity": self.severity, "lost": list(self.lost),
                "gained": list(self.gained), "weakened": self.weakened}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClauseImpact":
        return cls(data["clause_id"], data["clause"], data["severity"], tuple(data["lost"]), tuple(data["gained"]))


@dataclass(frozen=True)
class ClausePair:
    """``left`` is the template's (or earlier version's) clause, ``right`` the contract's; either is None when the
    clause was added or removed. ``diff`` is the word-level diff: (op, words) with op equal / delete / insert."""

    status: str
    left: Span | None
    right: Span | None
    left_label: str = ""
    right_label: str = ""
    similarity: float = 0.0
    moved: bool = False
    renumbered: bool = False
    diff: tuple[tuple[str, str], ...] = ()
    flags: tuple[ClauseImpact, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "left": self.left.to_dict() if self.left else None, "right": self.right.to_dict() if self.right else None,
                "left_label": self.left_label, "right_label": self.right_label, "similarity": self.similarity,
                "moved": self.moved, "renumbered": self.renumbered, "diff": [list(d) for d in self.diff],
                "flags": [f.to_dict() for f in self.flags]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClausePair":
        span = lambda d: Span.from_dict(d) if d else None  # noqa: E731
        return cls(data["status"], span(data["left"]), span(data["right"]), data["left_label"], data["right_label"],
                   float(data["similarity"]), bool(data["moved"]), bool(data["renumbered"]), tuple(tuple(d) for d in data["diff"]),
                   tuple(ClauseImpact.from_dict(f) for f in data["flags"]))


@dataclass(frozen=True)
class Comparison:
    left: str  # the template or earlier version (a file name, or the playbook's name)
    right: str  # the contract compared
    pairs: tuple[ClausePair, ...]
    against: str = "document"  # document | playbook
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for p in self.pairs if p.status == s) for s in PAIR_STATUSES}

    def flagged(self) -> list[ClausePair]:
        """Changed, added or removed pairs that touch a playbook clause, most serious first (weakened before the rest)."""
        hits = [p for p in self.pairs if p.flags and p.status != "same"]
        return sorted(hits, key=lambda p: (min(severity_rank(f.severity) for f in p.flags), not any(f.weakened for f in p.flags)))

    def to_dict(self) -> dict[str, Any]:
        return {"left": self.left, "right": self.right, "against": self.against, "counts": self.counts(),
                "pairs": [p.to_dict() for p in self.pairs], "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Comparison":
        return cls(data["left"], data["right"], tuple(ClausePair.from_dict(p) for p in data["pairs"]), data.get("against", "document"),
                   float(data.get("seconds", 0.0)))


def word_diff(left: str, right: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff of two texts (difflib on whitespace-separated words): runs of equal, deleted and inserted words."""
    a, b = left.split(), right.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            out.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            out.append(("insert", " ".join(b[j1:j2])))
    return tuple(out)


class ClauseFlagger:
    """Which playbook clauses a clause's text is about (its heading or the clause type's signals) and which of their
    elements it meets: one pass of all the playbook's signals per text (RE2 prefilter, as in the audit)."""

    def __init__(self, playbook: Playbook):
        self.playbook = playbook
        self._signals = PatternSet([p for c in playbook.clauses for p in c.signals])
        self._owner = [c for c in playbook.clauses for _ in c.signals]

    def topics(self, clause: Clause | None) -> list[ClauseType]:
        if clause is None:
            return []
        hit = {self._owner[k].id for k in self._signals.matching(" ".join(clause.span.text.split()))}
        return [c for c in self.playbook.clauses if c.id in hit or c.matches_heading(clause.span.section_path or clause.title)]

    def flags(self, left: Clause | None, right: Clause | None) -> tuple[ClauseImpact, ...]:
        touched = {c.id: c for c in self.topics(left) + self.topics(right)}
        out = []
        for clause in touched.values():
            before = {e.name for e in clause.elements if left is not None and e.is_met(left.span.text)}
            after = {e.name for e in clause.elements if right is not None and e.is_met(right.span.text)}
            names = [e.name for e in clause.elements]
            out.append(ClauseImpact(clause.id, clause.name, clause.severity, tuple(n for n in names if n in before - after),
                            tuple(n for n in names if n in after - before)))
        return tuple(sorted(out, key=lambda f: (severity_rank(f.severity), not f.weakened)))


def compare_documents(left: Document, right: Document, playbook: Playbook) -> Comparison:
    """``right`` (the contract) against ``left`` (the template or earlier version)."""
    started = time.perf_counter()
    a, b = clauses_of(left), clauses_of(right)
    pairs = align(a, b)
    kept = in_order(pairs)
    flagger = ClauseFlagger(playbook)
    matched_left = {i: (j, s) for i, j, s in pairs}
    rows: list[tuple[tuple, ClausePair]] = []
    right_of = {j: i for i, j, _ in pairs}
    for j, clause in enumerate(b):
        if j not in right_of:
            rows.append(((j, 0, 0), ClausePair("added", None, clause.span, "", clause.label, 0.0, flags=flagger.flags(None, clause))))
            continue
        i = right_of[j]
        old, score = a[i], matched_left[i][1]
        same = old.body == clause.body
        rows.append(((j, 0, 0), ClausePair(
            "same" if same else "changed", old.span, clause.span, old.label, clause.label, score, (i, j) not in kept,
            bool(old.number and clause.number and old.number != clause.number),
            () if same else word_diff(old.body, clause.body), () if same else flagger.flags(old, clause))))
    for i, clause in enumerate(a):
        if i in matched_left:
            continue
        before = [matched_left[k][0] for k in range(i) if k in matched_left]
        rows.append(((max(before) if before else -1, 1, i), ClausePair("removed", clause.span, None, clause.label, "", 0.0,
                                                                        flags=flagger.flags(clause, None))))
    rows.sort(key=lambda r: r[0])
    return Comparison(left.file_name, right.file_name, tuple(p for _, p in rows), "document", time.perf_counter() - started)


def compare_to_playbook(document: Document, audit: AuditResult, playbook: Playbook) -> Comparison:
    """Each clause type's standard language (the playbook's fallback) against the contract's clause the audit found
    for it: present = same (meets the standard), weak = changed (the missing elements flagged), missing = removed."""
    started = time.perf_counter()
    clauses = clauses_of(document)
    by_start = sorted(clauses, key=lambda c: c.span.start)
    pairs = []
    for finding in audit.findings:
        clause = playbook.get(finding.clause_id)
        standard = " ".join(clause.fallback.split())
        left = Span(f"{PLAYBOOK}:{clause.id}", playbook.name, 0, len(standard), standard, section_path=clause.name)
        here = [e for e in finding.evidence if e.span.doc_id == document.id]
        if finding.status == "missing" or not here:
            missing = tuple(e.name for e in clause.elements)
            pairs.append(ClausePair("removed", left, None, clause.name, "", 0.0, flags=(ClauseImpact(clause.id, clause.name, clause.severity, missing),)))
            continue
        found = next((c for c in reversed(by_start) if c.span.start <= here[0].span.start), by_start[0])
        names = {e.id: e.name for e in clause.elements}
        lost = tuple(names.get(e, e) for e in finding.missing_elements)
        status = "same" if finding.status == "present" else "changed"
        pairs.append(ClausePair(status, left, found.span, clause.name, found.label, finding.confidence,
                                diff=() if status == "same" else word_diff(standard, found.body),
                                flags=(ClauseImpact(clause.id, clause.name, clause.severity, lost),) if lost else ()))
    return Comparison(playbook.name, document.file_name, tuple(pairs), PLAYBOOK, time.perf_counter() - started)
