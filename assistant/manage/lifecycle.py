"""The outsourcing life-cycle view of a deal: one page on exit and transition readiness, item by item from the
checklist in ``prompts/lifecycle.yaml`` (exit plan, termination assistance and its duration, data return, the cost
to get out, transition phases, knowledge transfer, assets, vendor-to-vendor cooperation, SMART service levels,
governance). Each item is present / weak / missing with the passages that show it, read from the clause audit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..audit.findings import STATUSES, AuditResult
from ..audit.playbook import Playbook
from ..core.errors import AssistantError
from ..core.spans import Span

CHECKLIST: Path = Path(str(files("assistant.prompts").joinpath("lifecycle.yaml")))
STAGES = ("transition", "run", "exit")


class ChecklistError(AssistantError, ValueError):
    """The life-cycle checklist names a clause or element the playbook does not have."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    name: str
    stage: str
    sources: tuple[tuple[str, tuple[str, ...]], ...]  # (clause id, the element ids that make the item adequate)
    key_term: str = ""


@dataclass(frozen=True)
class LifecycleItem:
    """One checklist item for one deal: its status, what is missing, the passages that show it, and a key value."""

    id: str
    name: str
    stage: str
    status: str
    missing: tuple[str, ...]
    met: tuple[str, ...]
    citations: tuple[Span, ...]
    value: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "stage": self.stage, "status": self.status, "missing": list(self.missing),
                "met": list(self.met), "citations": [c.to_dict() for c in self.citations], "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LifecycleItem":
        return cls(data["id"], data["name"], data["stage"], data["status"], tuple(data["missing"]), tuple(data["met"]),
                   tuple(Span.from_dict(c) for c in data["citations"]), data.get("value", ""))


@dataclass(frozen=True)
class LifecycleView:
    subject: str
    kind: str
    file_names: tuple[str, ...]
    items: tuple[LifecycleItem, ...]
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.items if i.status == s) for s in STATUSES}

    def item(self, item_id: str) -> LifecycleItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"no item {item_id!r}; valid: {', '.join(i.id for i in self.items)}")

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "kind": self.kind, "file_names": list(self.file_names), "counts": self.counts(),
                "items": [i.to_dict() for i in self.items], "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LifecycleView":
        return cls(data["subject"], data["kind"], tuple(data["file_names"]), tuple(LifecycleItem.from_dict(i) for i in data["items"]),
                   float(data.get("seconds", 0.0)))


def load_checklist(playbook: Playbook, path: Path = CHECKLIST) -> list[ChecklistItem]:
    """The checklist, checked against the playbook (every clause and element it names must exist)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items, problems = [], []
    for entry in data["items"]:
        sources = []
        for clause_id, elements in entry["sources"].items():
            try:
                clause = playbook.get(clause_id)
            except KeyError:
                problems.append(f"{entry['id']}: unknown clause {clause_id!r}")
                continue
            known = {e.id for e in clause.elements}
            problems += [f"{entry['id']}: clause {clause_id!r} has no element {e!r}" for e in elements if e not in known]
            sources.append((clause_id, tuple(elements)))
        items.append(ChecklistItem(entry["id"], entry["name"], entry["stage"], tuple(sources), entry.get("key_term", "")))
    if problems:
        raise ChecklistError(f"{path} does not fit playbook {playbook.name!r}: " + "; ".join(problems))
    return items


def assess(item: ChecklistItem, audit: AuditResult, playbook: Playbook) -> LifecycleItem:
    """present when every element is met, weak when some are (or the clause is there without them), missing when
    none of the item's clauses is found."""
    met, missing, citations, found_any = [], [], [], False
    for clause_id, elements in item.sources:
        finding = audit.finding(clause_id)
        names = {e.id: e.name for e in playbook.get(clause_id).elements}
        if finding.status != "missing":
            found_any = True
        for element in elements:
            evidence = finding.evidence_for(element) if finding.status != "missing" else None
            (met if evidence else missing).append(names[element])
            if evidence and evidence.span not in citations:
                citations.append(evidence.span)
        if finding.status != "missing" and not any(finding.evidence_for(e) for e in elements) and finding.evidence:
            citations.append(finding.evidence[0].span)
    status = "missing" if not found_any else ("present" if not missing else "weak")
    value = next((t.value for t in audit.key_terms if t.id == item.key_term and t.value), "") if item.key_term else ""
    return LifecycleItem(item.id, item.name, item.stage, status, tuple(missing), tuple(met), tuple(citations), value)


def lifecycle_view(audit: AuditResult, playbook: Playbook, checklist: list[ChecklistItem] | None = None) -> LifecycleView:
    started = time.perf_counter()
    items = tuple(assess(i, audit, playbook) for i in (checklist or load_checklist(playbook)))
    return LifecycleView(audit.subject, audit.kind, audit.file_names, items, time.perf_counter() - started)
