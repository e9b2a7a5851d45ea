"""Files and HTML for the negotiation and contract-management features: the review grid (XLSX with citations, CSV,
JSON), the comparison (XLSX, JSON, side-by-side HTML), deadlines (CSV, JSON; the .ics is the API's) and the
life-cycle view (HTML, PDF, DOCX, JSON). The HTML tables are shared with the web app: pass ``link(span, label)`` to
make each citation a ``data-passage`` link that opens the passage in the viewer."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Callable

from assistant import Comparison, Deadline, Grid, LifecycleView, Span

from .reports import _append, _safe, _tabulate

e = html.escape
DOT = "\u00b7"
Link = Callable[[Span, str], str] | None
GRID_FORMATS = ("xlsx", "csv", "json", "html")
COMPARE_FORMATS = ("xlsx", "json", "html")
DEADLINE_FORMATS = ("csv", "json", "ics")
LIFECYCLE_FORMATS = ("html", "pdf", "docx", "json")
PILL = {"present": "ok", "same": "ok", "weak": "warn", "changed": "warn", "missing": "bad", "removed": "bad", "added": "info"}
PAGE_CSS = ("body{font-family:system-ui,sans-serif;margin:24px;color:#1f2937} table{border-collapse:collapse;width:100%;font-size:13px}"
            "th,td{border:1px solid #d1d5db;padding:6px 8px;vertical-align:top;text-align:left} th{background:#f3f4f6}"
            ".pill{padding:1px 8px;border-radius:999px;font-weight:600;font-size:12px} .ok{background:#dcfce7}.warn{background:#fef3c7}"
            ".bad{background:#fee2e2}.info{background:#dbeafe} del{background:#fee2e2} ins{background:#dcfce7;text-decoration:none}"
            ".sub{color:#6b7280;font-size:12px} .notfound{color:#9ca3af;font-style:italic}")


def fmt_of(path: Path, valid: tuple[str, ...], fmt: str | None = None) -> str:
    """The output format from ``fmt`` or the file's suffix; ValueError naming the valid ones otherwise."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in valid:
        raise ValueError(f"unknown format {chosen or '(none)'!r} for {path.name}; valid: {', '.join(valid)}")
    return chosen


def where(span: Span) -> str:
    return f"{span.file_name} p.{span.pages_label}{span.ocr_note} \u00b7 {span.section or 'preamble'}"


def _cite(span: Span | None, label: str, link: Link, text: str | None = None) -> str:
    if span is None:
        return ""
    shown = e(text if text is not None else where(span))
    if link is None:
        return f"<span class='sub' title='{e(span.text[:300])}'>{shown}</span>"
    return f"<a href='#' class='ev' data-passage='{link(span, label)}' title='{e(span.section_path)}'>{shown}</a>"


def page(title: str, body: str) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title><style>{PAGE_CSS}</style></head><body><h1>{e(title)}</h1>{body}</body></html>"


# ---------------------------------------------------------------------------------------------- grid


def grid_records(grid: Grid) -> list[dict]:
    """One record per cell: the row, the question, the answer and its citation (page, section, offsets, quote)."""
    out = []
    for row, cells in zip(grid.rows, grid.cells):
        for question, cell in zip(grid.questions, cells):
            s = cell.citation
            out.append({"subject": row.subject, "kind": row.kind, "question_id": question.id, "question": question.text,
                        "answer": cell.answer, "found": cell.found, "document": s.file_name if s else "", "page": s.pages_label if s else "",
                        "section": s.section_path if s else "", "start": s.start if s else "", "end": s.end if s else "",
                        "quote": " ".join(s.text.split()) if s else ""})
    return out


def grid_table_html(grid: Grid, link: Link = None) -> str:
    head = "".join(f"<th title='{e(q.text)}'>{e(q.text)}</th>" for q in grid.questions)
    body = []
    for r, (row, cells) in enumerate(zip(grid.rows, grid.cells)):
        tds = []
        for q, (question, cell) in enumerate(zip(grid.questions, cells)):
            if not cell.found:
                tds.append("<td class='notfound'>not found</td>")
                continue
            cite = _cite(cell.citation, f"{row.subject}: {question.text}", link, where(cell.citation)) if cell.citation else ""
            tds.append(f"<td data-cell='{r}-{q}'><div>{e(cell.answer)}</div><div class='sub'>{cite}</div></td>")
        kind = "<div class='sub'>deal</div>" if row.kind == "deal" else ""
        body.append(f"<tr><td><b>{e(row.subject)}</b>{kind}</td>{''.join(tds)}</tr>")
    return f"<div class='table-scroll'><table class='grid review-grid'><thead><tr><th>Document</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"


def write_grid(grid: Grid, path: Path, fmt: str | None = None) -> Path:
    fmt = fmt_of(path, GRID_FORMATS, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    records = grid_records(grid)
    if fmt == "json":
        path.write_text(json.dumps(grid.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    elif fmt == "html":
        path.write_text(page("Review grid", grid_table_html(grid)), encoding="utf-8")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else ["subject"])
        writer.writeheader()
        writer.writerows(_safe(r) for r in records)
        path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Grid"
        sheet.append(["Document"] + [q.text for q in grid.questions])
        for row, cells in zip(grid.rows, grid.cells):
            _append(sheet, [row.subject] + [c.answer + (f"\n({where(c.citation)})" if c.citation else "") for c in cells])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        citations = book.create_sheet("Citations")
        columns = list(records[0]) if records else ["subject"]
        citations.append(columns)
        for record in records:
            _append(citations, [record[c] for c in columns])
        _tabulate(sheet, {"Document": 32, **{q.text: 36 for q in grid.questions}}, Font)
        _tabulate(citations, {"subject": 30, "question": 40, "answer": 40, "document": 30, "section": 40, "quote": 80}, Font)
        book.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------- comparison


def _diff_html(pair) -> tuple[str, str]:
    left, right = [], []
    for op, words in pair.diff:
        if op == "equal":
            left.append(e(words))
            right.append(e(words))
        elif op == "delete":
            left.append(f"<del>{e(words)}</del>")
        else:
            right.append(f"<ins>{e(words)}</ins>")
    return " ".join(left), " ".join(right)


def flags_text(pair) -> str:
    return "; ".join(f"{f.clause} ({f.severity})" + (f": lost {', '.join(f.lost)}" if f.lost else "") + (f"; gained {', '.join(f.gained)}" if f.gained else "")
                     for f in pair.flags)


def compare_table_html(comparison: Comparison, link: Link = None, changes_only: bool = False) -> str:
    """Side by side: the template (or earlier version) left, the contract right, word changes marked."""
    rows = []
    for n, pair in enumerate(comparison.pairs):
        if changes_only and pair.status == "same" and not pair.moved:
            continue
        if pair.diff:
            left_text, right_text = _diff_html(pair)
        else:
            left_text = e(" ".join(pair.left.text.split())) if pair.left else ""
            right_text = e(" ".join(pair.right.text.split())) if pair.right else ""
        notes = [w for w, on in (("moved", pair.moved), ("renumbered", pair.renumbered)) if on]
        flag = "".join(f"<div class='flag sev {f.severity}'>{e(f.clause)} {DOT} {e(f.severity)}"
                       + (f" {DOT} lost: {e(', '.join(f.lost))}" if f.lost else "") + "</div>" for f in pair.flags)
        linkable = comparison.against != "playbook"
        left_cite = _cite(pair.left, f"{comparison.left}: {pair.left_label}", link if linkable else None, pair.left_label) if pair.left else ""
        right_cite = _cite(pair.right, f"{comparison.right}: {pair.right_label}", link, pair.right_label) if pair.right else ""
        rows.append(f"<tr class='{pair.status}' data-pair='{n}'><td><span class='pill {PILL[pair.status]}'>{pair.status}</span>"
                    f"<div class='sub'>{f' {DOT} '.join(notes)}</div>{flag}</td>"
                    f"<td><div class='sub'>{left_cite}</div><div class='clause-text'>{left_text}</div></td>"
                    f"<td><div class='sub'>{right_cite}</div><div class='clause-text'>{right_text}</div></td></tr>")
    counts = comparison.counts()
    caption = f" {DOT} ".join(f"{v} {k}" for k, v in counts.items())
    return (f"<p class='hint'>{e(comparison.right)} against {e(comparison.left)}: {caption}; "
            f"{len(comparison.flagged())} change(s) touch a playbook clause.</p><div class='table-scroll'><table class='grid compare'>"
            f"<colgroup><col style='width:16%'><col style='width:42%'><col style='width:42%'></colgroup>"
            f"<thead><tr><th>Status</th><th>{e(comparison.left)}</th><th>{e(comparison.right)}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def write_comparison(comparison: Comparison, path: Path, fmt: str | None = None) -> Path:
    fmt = fmt_of(path, COMPARE_FORMATS, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(comparison.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    elif fmt == "html":
        path.write_text(page(f"{comparison.right} against {comparison.left}", compare_table_html(comparison)), encoding="utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Comparison"
        columns = ["status", "moved", "renumbered", "left clause", "left page", "right clause", "right page", "similarity",
                   "deleted words", "inserted words", "playbook clauses touched", "left text", "right text"]
        sheet.append(columns)
        for p in comparison.pairs:
            _append(sheet, [p.status, p.moved, p.renumbered, p.left_label, p.left.pages_label if p.left and p.left.page else "",
                            p.right_label, p.right.pages_label if p.right else "", round(p.similarity, 3),
                            " \u2026 ".join(w for op, w in p.diff if op == "delete"), " \u2026 ".join(w for op, w in p.diff if op == "insert"),
                            flags_text(p), " ".join(p.left.text.split())[:2000] if p.left else "", " ".join(p.right.text.split())[:2000] if p.right else ""])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        _tabulate(sheet, {"left clause": 36, "right clause": 36, "deleted words": 40, "inserted words": 40,
                          "playbook clauses touched": 40, "left text": 60, "right text": 60}, Font)
        book.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------- deadlines


def deadline_records(deadlines: list[Deadline]) -> list[dict]:
    return [{"subject": d.subject, "deadline": d.name, "date": d.date.isoformat() if d.date else "", "depends_on": d.depends_on,
             "how": d.basis, "notice": d.notice, "document": d.span.file_name if d.span else "", "page": d.span.pages_label if d.span else "",
             "section": d.span.section_path if d.span else "", "quote": " ".join(d.span.text.split()) if d.span else ""} for d in deadlines]


def deadlines_table_html(deadlines: list[Deadline], link: Link = None) -> str:
    if not deadlines:
        return "<div class='empty'>No deadlines found.</div>"
    rows = []
    for d in deadlines:
        when = f"<b>{d.date:%d %b %Y}</b>" if d.date else f"<span class='pill warn'>not fixed</span><div class='sub'>depends on {e(d.depends_on)}</div>"
        cite = _cite(d.span, f"{d.subject}: {d.name}", link) if d.span else ""
        rows.append(f"<tr><td>{when}</td><td><b>{e(d.subject)}</b></td><td>{e(d.name)}<div class='sub'>{e(d.basis)}</div></td><td>{cite}</td></tr>")
    return (f"<div class='table-scroll'><table class='grid deadlines'><thead><tr><th>Date</th><th>Contract</th><th>Deadline</th><th>Clause</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def write_deadlines(deadlines: list[Deadline], path: Path, fmt: str | None = None, ics: Callable[[Path], Path] | None = None) -> Path:
    fmt = fmt_of(path, DEADLINE_FORMATS, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "ics":
        if ics is None:
            raise ValueError("an .ics file is written by Workspace.export_calendar")
        return ics(path)
    if fmt == "json":
        path.write_text(json.dumps([d.to_dict() for d in deadlines], indent=1, ensure_ascii=False), encoding="utf-8")
        return path
    records = deadline_records(deadlines)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else ["subject"])
    writer.writeheader()
    writer.writerows(_safe(r) for r in records)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- life cycle


def lifecycle_html(view: LifecycleView, link: Link = None) -> str:
    counts = view.counts()
    rows = []
    for item in view.items:
        cites = "".join(f"<div>{_cite(s, f'{view.subject}: {item.name}', link)}</div>" for s in item.citations)
        missing = f"<div class='sub'>missing: {e(', '.join(item.missing))}</div>" if item.missing else ""
        value = f"<div><b>{e(item.value)}</b></div>" if item.value else ""
        rows.append(f"<tr class='{item.status}'><td>{e(item.stage)}</td><td><b>{e(item.name)}</b>{value}{missing}</td>"
                    f"<td><span class='pill {PILL[item.status]}'>{item.status}</span></td><td>{cites or '<span class=sub>none found</span>'}</td></tr>")
    files = f"<p class='sub'>{e(', '.join(view.file_names))}</p>"
    summary = f"<p>{counts['present']} present, {counts['weak']} weak, {counts['missing']} missing of {len(view.items)} exit and transition items.</p>"
    return (f"<div class='lifecycle'>{files}{summary}<div class='table-scroll'><table class='grid lifecycle'><thead><tr><th>Stage</th><th>Item</th>"
            f"<th>Status</th><th>Where</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>")


def _latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: typographic punctuation becomes its plain form, anything else a '?'."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00b7": "-"})
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def write_lifecycle(view: LifecycleView, path: Path, fmt: str | None = None) -> Path:
    fmt = fmt_of(path, LIFECYCLE_FORMATS, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"Exit and transition readiness: {view.subject}"
    if fmt == "json":
        path.write_text(json.dumps(view.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    elif fmt == "html":
        path.write_text(page(title, lifecycle_html(view)), encoding="utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        document.add_heading(title, level=0)
        counts = view.counts()
        document.add_paragraph(f"{', '.join(view.file_names)}. {counts['present']} present, {counts['weak']} weak, {counts['missing']} missing.")
        for item in view.items:
            document.add_heading(f"{item.name} \u2014 {item.status}", level=2)
            if item.value:
                document.add_paragraph(item.value)
            if item.missing:
                document.add_paragraph(f"Missing: {', '.join(item.missing)}.")
            for span in item.citations:
                document.add_paragraph(f"{where(span)}: \u201c{' '.join(span.text.split())[:300]}\u201d", style="List Bullet")
        document.save(str(path))
    else:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(0, 5, _latin1(", ".join(view.file_names)), new_x="LMARGIN", new_y="NEXT")
        for item in view.items:
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 6, _latin1(f"[{item.status.upper()}] {item.name}" + (f": {item.value}" if item.value else "")), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=8)
            if item.missing:
                pdf.multi_cell(0, 4.5, _latin1(f"Missing: {', '.join(item.missing)}"), new_x="LMARGIN", new_y="NEXT")
            for span in item.citations:
                pdf.multi_cell(0, 4.5, _latin1(f"- {where(span)}: \"{' '.join(span.text.split())[:240]}\""), new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))
    return path
