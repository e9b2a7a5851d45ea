"""Audit reports: one row per subject (document or deal) x clause type, plus a portfolio summary.

Formats: csv, json, md, xlsx (openpyxl), html (standalone, no external assets).
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict
from pathlib import Path

from .audit import AuditResult

FORMATS = ("csv", "json", "md", "xlsx", "html")
COLUMNS = ["subject", "kind", "clause_id", "clause", "group", "severity", "status", "confidence", "missing_elements",
           "found_elements", "evidence_document", "evidence_page", "evidence_section", "evidence_start", "evidence_end", "evidence_text", "suggested_language", "error"]
STATUS_COLOURS = {"present": "#d9f2d9", "weak": "#fff2cc", "missing": "#f8d0d0", "error": "#e0e0e0"}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
XLSX_WIDTHS = {"subject": 30, "kind": 9, "clause_id": 26, "clause": 32, "group": 14, "severity": 9, "status": 10, "confidence": 10,
               "missing_elements": 40, "found_elements": 50, "evidence_document": 30, "evidence_page": 8, "evidence_section": 40,
               "evidence_start": 9, "evidence_end": 9, "evidence_text": 80, "suggested_language": 80, "error": 30}


def rows(results: list[AuditResult], element_names: dict[str, dict[str, str]] | None = None) -> list[dict]:
    """Flat rows; a subject that failed gives one error row with the reason."""
    out: list[dict] = []
    for result in results:
        if result.error:
            out.append({c: "" for c in COLUMNS} | {"subject": result.subject, "kind": result.kind, "status": "error", "error": result.error})
            continue
        for f in result.findings:
            top = f.evidence[0] if f.evidence else None
            names = (element_names or {}).get(f.clause_id, {})
            out.append({
                "subject": result.subject, "kind": result.kind, "clause_id": f.clause_id, "clause": f.name, "group": f.group,
                "severity": f.severity, "status": f.status, "confidence": f.confidence,
                "missing_elements": "; ".join(names.get(e, e) for e in f.missing_elements),
                "found_elements": "; ".join(f"{names.get(e, e)} ({ev.file_name} p.{ev.page}, {ev.section_path or 'preamble'})"
                                            for e, ev in f.element_evidence),
                "evidence_document": top.file_name if top else "", "evidence_page": top.page if top else "",
                "evidence_section": top.section_path if top else "", "evidence_start": top.start if top else "",
                "evidence_end": top.end if top else "", "evidence_text": " ".join(top.text.split())[:1000] if top else "",
                "suggested_language": f.fallback.strip() if f.status != "present" else "", "error": "",
            })
    return out


def portfolio(results: list[AuditResult]) -> list[dict]:
    """Per subject: counts by status and the high-severity clauses that are missing."""
    summary = []
    for r in results:
        counts = {s: sum(1 for f in r.findings if f.status == s) for s in ("present", "weak", "missing")}
        summary.append({"subject": r.subject, "kind": r.kind, **counts,
                        "missing_high": [f.name for f in r.gaps("high")], "error": r.error})
    return summary


def to_json(results: list[AuditResult]) -> str:
    payload = {
        "portfolio": portfolio(results),
        "results": [
            {"subject": r.subject, "kind": r.kind, "documents": list(r.file_names), "error": r.error, "seconds": round(r.seconds, 3),
             "key_terms": [asdict(t) for t in r.key_terms],
             "findings": [_finding_json(f) for f in r.findings]}
            for r in results
        ],
    }
    return json.dumps(payload, indent=1, ensure_ascii=False)


def _finding_json(finding) -> dict:
    """A finding as JSON; each met element names the passage that meets it."""
    return asdict(finding) | {"element_evidence": [{"element": e, **asdict(ev)} for e, ev in finding.element_evidence]}


def to_csv(results: list[AuditResult], element_names=None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows(results, element_names))
    return buffer.getvalue()


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
        found = [t for t in r.key_terms if t.value]
        if found:
            lines += ["**Key terms**", ""] + [f"- {t.name}: {t.value} ({t.file_name} p.{t.page}, {t.section_path or 'preamble'})" for t in found] + [""]
        lines += ["| clause | severity | status | missing elements | evidence | elements found |", "|---|---|---|---|---|---|"]
        for row in rows([r], element_names):
            where = f"{row['evidence_document']} p.{row['evidence_page']} {row['evidence_section']}" if row["evidence_document"] else ""
            lines.append(f"| {_md_cell(row['clause'])} | {row['severity']} | **{row['status']}** | {_md_cell(row['missing_elements'])} | "
                         f"{_md_cell(where)} | {_md_cell(row['found_elements'])} |")
    return "\n".join(lines) + "\n"


def to_html(results: list[AuditResult], element_names=None) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Clause audit</title><style>",
             "body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;font-size:14px}"
             "th{background:#eee}.ev{max-width:40em;font-size:12px;color:#333}</style></head><body><h1>Clause audit</h1><h2>Portfolio</h2>",
             "<table><tr><th>subject</th><th>present</th><th>weak</th><th>missing</th><th>missing high-severity clauses</th></tr>"]
    for p in portfolio(results):
        gaps = f"error: {p['error']}" if p["error"] else (", ".join(p["missing_high"]) or "none")
        parts.append(f"<tr><td>{e(p['subject'])}</td><td>{p['present']}</td><td>{p['weak']}</td><td>{p['missing']}</td><td>{e(gaps)}</td></tr>")
    parts.append("</table>")
    for r in results:
        parts.append(f"<h2>{e(r.subject)}</h2>")
        if r.error:
            parts.append(f"<p><b>Error:</b> {e(r.error)}</p>")
            continue
        parts.append("<table><tr><th>clause</th><th>severity</th><th>status</th><th>missing elements</th><th>evidence</th><th>elements found</th>"
                     "<th>suggested language</th></tr>")
        for row in rows([r], element_names):
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
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Findings"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(results, element_names):
        sheet.append([row[c] for c in COLUMNS])
        fill = STATUS_COLOURS.get(row["status"])
        if fill:
            sheet.cell(sheet.max_row, COLUMNS.index("status") + 1).fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS.get(column, 12)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    summary = book.create_sheet("Portfolio")
    summary.append(["subject", "kind", "present", "weak", "missing", "missing high-severity clauses", "error"])
    for p in portfolio(results):
        summary.append([p["subject"], p["kind"], p["present"], p["weak"], p["missing"], ", ".join(p["missing_high"]), p["error"]])
    terms = book.create_sheet("Key terms")
    terms.append(["subject", "term", "value", "document", "page", "section", "start", "end", "quote"])
    for r in results:
        for t in r.key_terms:
            terms.append([r.subject, t.name, t.value, t.file_name, t.page or "", t.section_path, t.start if t.value else "", t.end if t.value else "", t.quote])
    book.save(str(path))


def write_report(results: list[AuditResult], fmt: str, path: Path, element_names=None) -> Path:
    """Write one report file; ``fmt`` is one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; valid: {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        to_xlsx(results, path, element_names)
    else:
        text = {"csv": to_csv, "json": lambda r, n=None: to_json(r), "md": to_markdown, "html": to_html}[fmt](results, element_names)
        path.write_text(text, encoding="utf-8")
    return path
