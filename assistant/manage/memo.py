"""The review memo: for a contract that cannot carry Word revision marks (PDF, text, HTML), a DOCX that a reviewer
sends instead: the audit's counts and key terms, then each missing or weak clause with its severity, what is
missing, the evidence quoted with page and section, and the language to propose."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import docx
from docx.shared import Pt

from ..audit.findings import AuditResult
from ..audit.playbook import severity_rank
from ..core.documents import Document
from .changes import Change, quote, where
from .redline import RedlineResult
from .revisions import AUTHOR


def write_memo(document: Document, result: AuditResult, changes: list[Change], out: Path, *, author: str = AUTHOR,
               date: dt.datetime | None = None) -> RedlineResult:
    """Write the memo for ``document`` from its audit ``result`` and the planned ``changes``."""
    started = time.perf_counter()
    when = (date or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    memo = docx.Document()
    memo.core_properties.author = author
    memo.core_properties.title = f"Review memo: {document.file_name}"
    memo.add_heading(f"Review memo: {document.file_name}", level=0)
    memo.add_paragraph(f"{document.title} \u00b7 prepared by {author} on {when:%d %B %Y} \u00b7 audit of {result.subject}")
    counts = result.counts()
    memo.add_paragraph(f"{counts['present']} clause types present, {counts['weak']} weak, {counts['missing']} missing. "
                       f"This memo covers the {len(changes)} that need a change, most serious first.")
    terms = [t for t in result.key_terms if t.value and t.span]
    if terms:
        memo.add_heading("Key terms", level=1)
        table = memo.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, ("Term", "Value", "Where")):
            cell.text = title
        for term in terms:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = term.name, term.value, where(term.span)
    memo.add_heading("Findings and proposed language", level=1)
    for change in sorted(changes, key=lambda c: (severity_rank(c.severity), c.status != "missing")):
        memo.add_heading(f"{change.clause} \u2014 {change.status}, {change.severity} severity", level=2)
        finding = result.finding(change.clause_id)
        if change.missing_elements:
            memo.add_paragraph(f"Missing: {', '.join(change.missing_elements)}.")
        else:
            memo.add_paragraph(f"No provision found. {' '.join(finding.why.split())}")
        for evidence in finding.evidence[:2]:
            paragraph = memo.add_paragraph(style="Intense Quote")
            paragraph.add_run(f"\u201c{quote(evidence.span, 400)}\u201d")
            memo.add_paragraph(f"Evidence: {where(evidence.span)}, characters {evidence.span.start}\u2013{evidence.span.end}.")
        memo.add_paragraph(f"Proposed ({change.placement}):").runs[0].bold = True
        if change.heading:
            memo.add_paragraph(change.heading).runs[0].bold = True
        body = memo.add_paragraph(change.text)
        body.paragraph_format.left_indent = Pt(18)
    out.parent.mkdir(parents=True, exist_ok=True)
    memo.save(str(out))
    return RedlineResult(document.file_name, "memo", str(out), tuple(changes), author, when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         time.perf_counter() - started)
