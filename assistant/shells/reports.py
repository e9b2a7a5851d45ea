"""Audit reports: one row per subject (document or deal) x clause type, plus a portfolio summary and the key terms.

Formats: csv (UTF-8 with a byte-order mark, so Excel reads it right), json, md, xlsx (openpyxl: filters, frozen
header and column widths on every sheet), html (standalone, no external assets, a table of contents per
document). ``finding_rows`` is the one view of findings: the web app's audit table is drawn from it too.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from assistant import (
    STATUSES,
    AuditResult,
    Evidence,
    Span,
    failing,
    severity_rank,
    status_rank,
)

FORMATS = ("csv", "json", "md", "xlsx", "html")
COLUMNS = ["subject", "kind", "clause_id", "clause", "group", "severity", "status", "confidence", "missing_elements",
           "found_elements", "evidence_document", "evidence_page", "evidence_section", "evidence_start", "evidence_end", "evidence_text", "suggested_language", "error"]
STATUS_COLOURS = {"present": "#d9f2d9", "weak": "#fff2cc", "missing": "#f8d0d0", "error": "#e0e0e0"}
XLSX_WIDTHS = {"subject": 30, "kind": 9, "clause_id": 26, "clause": 32, "group": 14, "severity": 9, "status": 10, "confidence": 10,
               "missing_elements": 40, "found_elements": 50, "evidence_document": 30, "evidence_page": 8, "evidence_section": 40,
               "evidence_start": 9, "evidence_end": 9, "evidence_text": 80, "suggested_language": 80, "error": 30}
PORTFOLIO_COLUMNS = ["subject", "kind", "present", "weak", "missing", "missing high-severity clauses", "error"]
KEY_TERM_COLUMNS = ["subject", "term", "value", "document", "page", "section", "start", "end", "quote"]


def page_cell(span: Span) -> int | str:
    """A page for a report cell: the number, or "3 (OCR)" when the text was read by OCR (it may hold recognition errors)."""
    return f"{span.page}{span.ocr_note}" if span.ocr else span.page


@dataclass(frozen=True)
class FindingRow:
    """One clause finding of one subject, as every report and the web app's table show it."""

    result: int  # index of the AuditResult in the list reported
    finding: int  # index of the finding in that result (-1 for a subject that could not be audited)
    subject: str
    kind: str
    clause_id: str
    clause: str
    group: str
    severity: str
    status: str
    confidence: float
    missing: tuple[str, ...]  # element names
    found: tuple[tuple[str, Evidence], ...]  # (element name, where it was found)
    evidence: tuple[Evidence, ...]
    suggested: str
    why: str
    error: str = ""

    def record(self) -> dict:
        """The flat record written to CSV, XLSX, Markdown and HTML (the first evidence passage, file names only)."""
        if self.error:
            return {c: "" for c in COLUMNS} | {"subject": self.subject, "kind": self.kind, "status": "error", "error": self.error}
        top = self.evidence[0].span if self.evidence else None
        return {
            "subject": self.subject, "kind": self.kind, "clause_id": self.clause_id, "clause": self.clause, "group": self.group,
            "severity": self.severity, "status": self.status, "confidence": self.confidence,
            "missing_elements": "; ".join(self.missing),
            "found_elements": "; ".join(f"{name} ({ev.span.file_name} {ev.span.page_label}{ev.span.ocr_note}, {ev.span.section_path or 'preamble'})" for name, ev in self.found),
            "evidence_document": top.file_name if top else "", "evidence_page": page_cell(top) if top else "",
            "evidence_section": top.section_path if top else "", "evidence_start": top.start if top else "",
            "evidence_end": top.end if top else "", "evidence_text": " ".join(top.text.split())[:1000] if top else "",
            "suggested_language": self.suggested, "error": "",
        }


def finding_rows(results: list[AuditResult], element_names: dict[str, dict[str, str]] | None = None,
                 worst_first: bool = False) -> list[FindingRow]:
    """Every finding of every result (playbook order, or missing before weak before present and high severity
    first within each subject); a subject that failed gives one error row with the reason."""
    out: list[FindingRow] = []
    for r_index, result in enumerate(results):
        if result.error:
            out.append(FindingRow(r_index, -1, result.subject, result.kind, "", "(audit failed)", "", "", "error", 0.0, (), (), (), "", "", result.error))
            continue
        indexed = list(enumerate(result.findings))
        if worst_first:
            indexed.sort(key=lambda p: (status_rank(p[1].status), severity_rank(p[1].severity)))
        for f_index, f in indexed:
            names = (element_names or {}).get(f.clause_id, {})
            out.append(FindingRow(
                r_index, f_index, result.subject, result.kind, f.clause_id, f.name, f.group, f.severity, f.status, f.confidence,
                tuple(names.get(e, e) for e in f.missing_elements), tuple((names.get(e, e), ev) for e, ev in f.element_evidence),
                tuple(f.evidence), f.fallback.strip() if f.status != "present" else "", f.why,
            ))
    return out


def rows(results: list[AuditResult], element_names: dict[str, dict[str, str]] | None = None) -> list[dict]:
    """Flat records in playbook order (see ``FindingRow.record``)."""
    return [row.record() for row in finding_rows(results, element_names)]


def portfolio(results: list[AuditResult]) -> list[dict]:
    """Per subject: counts by status and the high-severity clauses that are missing."""
    return [{"subject": r.subject, "kind": r.kind, **r.counts(), "missing_high": [f.name for f in r.gaps("high")], "error": r.error,
             "flagged": [f"{f.span.file_name}: {f.label}" for f in r.flags]}
            for r in results]


def to_json(results: list[AuditResult], element_names=None) -> str:
    payload = {"portfolio": portfolio(results), "results": [r.to_dict() for r in results]}
    return json.dumps(payload, indent=1, ensure_ascii=False)


def to_csv(results: list[AuditResult], element_names=None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(_safe(r) for r in rows(results, element_names))
    return buffer.getvalue()


def _safe(record: dict) -> dict:
    """Cells that spreadsheets show as text: a leading = + - @ would otherwise run as a formula (contract text is data)."""
    return {k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v) for k, v in record.items()}


def _md_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(results: list[AuditResult], element_names=None) -> str:
    lines = ["# Clause audit", "", "## Portfolio", "", "| subject | present | weak | missing | missing high-severity clauses |", "|---|---|---|---|---|"]
    for p in portfolio(results):
        gaps = p["error"] and f"error: {p['error']}" or (", ".join(p["missing_high"]) or "none")
        lines.append(f"| {_md_cell(p['subject'])} | {p['present']} | {p['weak']} | {p['missing']} | {_md_cell(gaps)} |")
    for r in results:
        lines += ["", f"## {r.subject}", ""]
        if r.error:
            lines.append(f"**Error:** {r.error}")
            continue
        if r.flags:
            lines += ["**Flagged text** (hidden or instruction-like: not used as evidence)", ""]
            lines += [f"- {f.span.file_name}: {f.label}: {_md_cell(f.text[:200])}" for f in r.flags] + [""]
        found = [t for t in r.key_terms if t.value and t.span]
        if found:
            lines += ["**Key terms**", ""] + [f"- {t.name}: {t.value} ({t.span.file_name} {t.span.page_label}{t.span.ocr_note}, {t.span.section_path or 'preamble'})" for t in found] + [""]
        lines += ["| clause | severity | status | missing elements | evidence | elements found |", "|---|---|---|---|---|---|"]
        for row in rows([r], element_names):
            where = f"{row['evidence_document']} p.{row['evidence_page']} {row['evidence_section']}" if row["evidence_document"] else ""
            lines.append(f"| {_md_cell(row['clause'])} | {row['severity']} | **{row['status']}** | {_md_cell(row['missing_elements'])} | "
                         f"{_md_cell(where)} | {_md_cell(row['found_elements'])} |")
    return "\n".join(lines) + "\n"


def _anchor(index: int, subject: str) -> str:
    return f"s{index}-" + re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:40]


def to_html(results: list[AuditResult], element_names=None) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Clause audit</title><style>",
             "body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;font-size:14px}"
             "th{background:#eee}.ev{max-width:40em;font-size:12px;color:#333}nav.toc{font-size:14px;margin:.5em 0 1em}nav.toc a{margin-right:1em}"
             "</style></head><body><h1>Clause audit</h1><h2>Portfolio</h2>",
             "<table><tr><th>subject</th><th>present</th><th>weak</th><th>missing</th><th>missing high-severity clauses</th></tr>"]
    for index, p in enumerate(portfolio(results)):
        gaps = f"error: {p['error']}" if p["error"] else (", ".join(p["missing_high"]) or "none")
        parts.append(f"<tr><td><a href='#{_anchor(index, p['subject'])}'>{e(p['subject'])}</a></td><td>{p['present']}</td><td>{p['weak']}</td>"
                     f"<td>{p['missing']}</td><td>{e(gaps)}</td></tr>")
    parts.append("</table>")
    for index, r in enumerate(results):
        anchor = _anchor(index, r.subject)
        parts.append(f"<h2 id='{anchor}'>{e(r.subject)}</h2>")
        if r.error:
            parts.append(f"<p><b>Error:</b> {e(r.error)}</p>")
            continue
        groups = list(dict.fromkeys(f.group for f in r.findings))
        toc = "".join(f"<a href='#{anchor}-{_anchor(g_index, group)}'>{e(group)}</a>" for g_index, group in enumerate(groups))
        counts = r.counts()
        parts.append(f"<nav class='toc'>Contents: {toc} &middot; {' &middot; '.join(f'{counts[s]} {s}' for s in STATUSES)}</nav>")
        if r.flags:
            items = "".join(f"<li>{e(f.span.file_name)}: {e(f.label)}: <q>{e(f.text[:200])}</q></li>" for f in r.flags)
            parts.append(f"<p><b>Flagged text</b> (hidden or instruction-like: not used as evidence)</p><ul>{items}</ul>")
        records = rows([r], element_names)
        for g_index, group in enumerate(groups):
            parts.append(f"<h3 id='{anchor}-{_anchor(g_index, group)}'>{e(group)}</h3>")
            parts.append("<table><tr><th>clause</th><th>severity</th><th>status</th><th>missing elements</th><th>evidence</th><th>elements found</th>"
                         "<th>suggested language</th></tr>")
            for row in (row for row in records if row["group"] == group):
                colour = STATUS_COLOURS.get(row["status"], "#fff")
                where = f"{row['evidence_document']} p.{row['evidence_page']} {row['evidence_section']}" if row["evidence_document"] else ""
                parts.append(
                    f"<tr><td>{e(row['clause'])}</td><td>{e(row['severity'])}</td><td style='background:{colour}'><b>{e(row['status'])}</b></td>"
                    f"<td>{e(row['missing_elements'])}</td><td class='ev'><i>{e(where)}</i><br>{e(row['evidence_text'][:400])}</td>"
                    f"<td class='ev'>{e(row['found_elements'])}</td><td class='ev'>{e(row['suggested_language'])}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def to_xlsx(results: list[AuditResult], path: Path, element_names=None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    findings = book.active
    findings.title = "Findings"
    findings.append(COLUMNS)
    for row in rows(results, element_names):
        _append(findings, [row[c] for c in COLUMNS])
        fill = STATUS_COLOURS.get(row["status"])
        if fill:
            findings.cell(findings.max_row, COLUMNS.index("status") + 1).fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    for row in findings.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    summary = book.create_sheet("Portfolio")
    summary.append(PORTFOLIO_COLUMNS)
    for p in portfolio(results):
        _append(summary, [p["subject"], p["kind"], p["present"], p["weak"], p["missing"], ", ".join(p["missing_high"]), p["error"]])
    terms = book.create_sheet("Key terms")
    terms.append(KEY_TERM_COLUMNS)
    for r in results:
        for t in r.key_terms:
            s = t.span
            _append(terms, [r.subject, t.name, t.value, s.file_name if s else "", page_cell(s) if s else "", s.section_path if s else "",
                            s.start if s else "", s.end if s else "", s.text if s else ""])
    widths = {"Findings": XLSX_WIDTHS, "Portfolio": {"subject": 30, "missing high-severity clauses": 60, "error": 40},
              "Key terms": {"subject": 30, "term": 30, "value": 40, "document": 30, "section": 40, "quote": 80}}
    for sheet in book.worksheets:
        _tabulate(sheet, widths.get(sheet.title, {}), Font)
    book.save(str(path))


def _append(sheet, values: list) -> None:
    """A row of plain values: text that starts with '=' stays text, never a formula (contract text is data)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _tabulate(sheet, widths: dict[str, int], font) -> None:
    """A bold, frozen header row with a filter on every column, and a readable width for each column."""
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, cell in enumerate(sheet[1], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(str(cell.value), 12)


def write_report(results: list[AuditResult], fmt: str, path: Path, element_names=None) -> Path:
    """Write one report file; ``fmt`` is one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; valid: {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        to_xlsx(results, path, element_names)
    elif fmt == "csv":
        path.write_text("\ufeff" + to_csv(results, element_names), encoding="utf-8")
    else:
        text = {"json": to_json, "md": to_markdown, "html": to_html}[fmt](results, element_names)
        path.write_text(text, encoding="utf-8")
    return path


def render(results: list[AuditResult], fmt: str, element_names=None) -> str:
    """A text report for standard output (every format but xlsx)."""
    if fmt not in FORMATS or fmt == "xlsx":
        raise ValueError(f"format {fmt!r} cannot be printed; valid: {', '.join(f for f in FORMATS if f != 'xlsx')}")
    return {"md": to_markdown, "csv": to_csv, "json": to_json, "html": to_html}[fmt](results, element_names)


__all__ = ["COLUMNS", "FORMATS", "FindingRow", "failing", "finding_rows", "portfolio", "render", "rows", "to_csv", "to_html", "to_json",
           "to_markdown", "to_xlsx", "write_report"]
