"""Batch clause audits over files, folders and deals: the API behind ``contract-assistant audit``.

    from assistant.batch import audit_paths
    results = audit_paths(["contracts/"], by="deal")
    for r in results: print(r.subject, [f.name for f in r.gaps("high")])
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from .audit import AuditResult, ClauseAuditor
from .config import Settings
from .ingest import expand_paths
from .playbook import Playbook, load_playbook
from .workspace import Workspace

SEVERITIES = ("high", "medium", "low")
GROUPINGS = ("document", "deal")


def failing(results: list[AuditResult], fail_on: str | None) -> list[tuple[str, str]]:
    """(subject, clause) pairs that break ``--fail-on``: a missing clause at that severity or above."""
    if not fail_on:
        return []
    if fail_on not in SEVERITIES:
        raise ValueError(f"unknown severity {fail_on!r}; valid: {', '.join(SEVERITIES)}")
    levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return [(r.subject, f.name) for r in results for f in r.findings if f.status == "missing" and f.severity in levels]


def audit_paths(
    paths: Iterable[str | Path],
    *,
    by: str = "document",
    playbook: Playbook | str | Path | None = None,
    settings: Settings | None = None,
    workspace: Workspace | None = None,
    progress: Callable[[str, int, int, str], None] | None = None,
) -> list[AuditResult]:
    """Ingest (idempotently) and audit. ``by='deal'``: each folder given is one deal audited as a whole.

    A file that cannot be read becomes a result with ``error`` set; the run goes on.
    ``progress(stage, done, total, name)`` is called per file ingested and per subject audited.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; valid: {', '.join(GROUPINGS)}")
    book = playbook if isinstance(playbook, Playbook) else load_playbook(playbook)
    ws = workspace or Workspace(settings or Settings())
    subjects: list[tuple[str, str, list[Path]]] = []
    for raw in paths:
        path = Path(raw)
        files = [p for p, _ in expand_paths([path])]
        if by == "deal" and path.is_dir():
            subjects.append((path.name, "deal", files))
        else:
            subjects += [(str(f), "document", [f]) for f in files]
    all_files = list(dict.fromkeys(f for _, _, files in subjects for f in files))
    report = ws.ingest(all_files, progress=(lambda n, t, r: progress("ingest", n, t, r.path)) if progress else None)
    outcome = {Path(r.path): r for r in report.files}
    auditor = ClauseAuditor(ws.index, book)
    results: list[AuditResult] = []
    for number, (name, kind, files) in enumerate(subjects, 1):
        good = [outcome[f] for f in files if outcome[f].status in ("added", "replaced", "unchanged")]
        bad = [outcome[f] for f in files if outcome[f].status == "failed"]
        if kind == "deal":
            if good:
                results.append(auditor.run(list(dict.fromkeys(r.doc_id for r in good)), name, "deal"))
            results += [AuditResult(r.path, "document", (), (Path(r.path).name,), error=r.detail) for r in bad]
        elif good:
            results.append(auditor.run([good[0].doc_id], name, "document"))
        elif bad:
            results.append(AuditResult(name, "document", (), (Path(name).name,), error=bad[0].detail))
        if progress:
            progress("audit", number, len(subjects), name)
    return results
