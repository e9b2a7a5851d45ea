"""Commands for negotiation and contract management: ``redline``, ``compare``, ``grid``, ``deadlines`` and
``lifecycle``. Registered on the main ``contract-assistant`` app (``cli.py``); a thin shell over the Workspace API
like every other command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from . import exports
from .cli import (
    DataDirOpt,
    WorkspaceOpt,
    _progress,
    app,
    console,
    err,
    handled,
    open_workspace,
)


@app.command()
@handled
def redline(
    document: str = typer.Argument(..., help="document in the workspace (file name or id) to redline"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="DOCX to write (default: <workspace>/exports/<name>.redline.docx or .memo.docx)"),
    min_severity: str = typer.Option("low", "--min-severity", help="only findings of this severity or above: high | medium | low"),
    clause: Optional[list[str]] = typer.Option(None, "--clause", help="only this playbook clause id (repeatable)"),
    as_json: bool = typer.Option(False, "--json", help="print the changes as JSON"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Word redline of a DOCX contract (tracked changes by "Contract assistant" and a comment on each change and weak
    clause), or a review memo DOCX for a PDF or text contract: the playbook's language for what is missing."""
    ws = open_workspace(workspace, data_dir)
    result = ws.redline(document, out, min_severity=min_severity, clauses=clause)
    if as_json:
        console.print_json(json.dumps(result.to_dict()))
        return
    table = Table(title=f"{result.kind} of {result.document}: {len(result.changes)} changes")
    for column in ("clause", "status", "severity", "where", "missing elements"):
        table.add_column(column)
    for c in result.changes:
        table.add_row(c.clause, c.status, c.severity, c.heading or c.placement, ", ".join(c.missing_elements))
    console.print(table)
    err.print(f"wrote {result.path} ({result.seconds:.2f} s)")


@app.command()
@handled
def compare(
    document: str = typer.Argument(..., help="the contract (file name or id in the workspace)"),
    against: str = typer.Option(..., "--against", help="the template or earlier version (a document), or 'playbook' for its standard language"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write the comparison: .xlsx, .json or .html (side by side)"),
    all_pairs: bool = typer.Option(False, "--all", help="list unchanged clauses too"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Clause-by-clause comparison, aligned even when clauses were reordered or renumbered; changes that touch a
    playbook clause are flagged with its severity and the elements they lost."""
    ws = open_workspace(workspace, data_dir)
    result = ws.compare(document, against)
    if out:
        exports.write_comparison(result, out)
        err.print(f"wrote {out}")
    table = Table(title=f"{result.right} against {result.left}: " + ", ".join(f"{v} {k}" for k, v in result.counts().items()))
    for column in ("status", result.left, result.right, "playbook"):
        table.add_column(column)
    for p in result.pairs:
        if all_pairs or p.status != "same" or p.moved:
            status = p.status + (" (moved)" if p.moved else "") + (" (renumbered)" if p.renumbered else "")
            table.add_row(status, p.left_label, p.right_label, exports.flags_text(p))
    console.print(table)


@app.command()
@handled
def grid(
    questions: Optional[Path] = typer.Option(None, "--questions", "-q", help="YAML list of questions (default: one column per playbook clause)"),
    ask: Optional[list[str]] = typer.Option(None, "--ask", help="a question to add as a column (repeatable)"),
    by: str = typer.Option("document", "--by", help="rows: document, or deal (a deal's documents answered together)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write the grid: .xlsx (with citations), .csv, .json or .html"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Review grid: the same questions asked of every document (or deal); each cell a short answer with its verified
    citation, or "not found"."""
    ws = open_workspace(workspace, data_dir)
    columns = ws.grid_questions(questions, ask)
    with _progress("grid") as bar:
        task = bar.add_task("grid", total=None)
        result = ws.grid(columns, by=by, progress=lambda done, total, label: bar.update(task, total=total, completed=done,
                                                                                         description=f"grid {label[:50]}"))
    if out:
        exports.write_grid(result, out)
        err.print(f"wrote {out}")
    table = Table(title=f"review grid: {len(result.rows)} x {len(result.questions)} in {result.seconds:.1f} s")
    table.add_column("document")
    for q in result.questions:
        table.add_column(q.text[:40])
    for row, cells in zip(result.rows, result.cells):
        table.add_row(row.subject, *[c.answer[:60] + (f" [{c.citation.file_name} p.{c.citation.pages_label}{c.citation.ocr_note}]" if c.citation else "") for c in cells])
    console.print(table)


@app.command()
@handled
def deadlines(
    days: Optional[int] = typer.Option(90, "--days", help="show the next N days (0 or --all: every deadline)"),
    all_dates: bool = typer.Option(False, "--all", help="every deadline, including those not fixed by the contract"),
    by: str = typer.Option("deal", "--by", help="deal (a deal's documents read together) or document"),
    ics: Optional[Path] = typer.Option(None, "--ics", help="also write an iCalendar file (one event per dated deadline)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write the list: .csv or .json"),
    today: Optional[str] = typer.Option(None, "--today", help="count from this date (YYYY-MM-DD) instead of today"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Contract dates from the key terms: expiry, last day for notice of non-renewal, earliest termination for
    convenience, end of termination assistance. A date the contract does not fix shows what it depends on."""
    ws = open_workspace(workspace, data_dir)
    try:
        start = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise ValueError(f"--today {today!r} is not a date; use YYYY-MM-DD") from None
    every = ws.deadlines(by=by, today=start)
    shown = every if all_dates or not days else ws.deadlines(by=by, today=start, within_days=days)
    if ics:
        ws.export_calendar(ics, every)
        err.print(f"wrote {ics} ({sum(1 for d in every if d.date)} events)")
    if out:
        exports.write_deadlines(shown, out)
        err.print(f"wrote {out}")
    title = "every deadline" if all_dates or not days else f"the next {days} days from {start:%d %B %Y}"
    table = Table(title=f"{title}: {len(shown)} of {len(every)}")
    for column in ("date", "contract", "deadline", "how", "clause"):
        table.add_column(column)
    for d in shown:
        when = f"{d.date:%d %b %Y}" if d.date else f"not fixed: depends on {d.depends_on}"
        clause = f"{d.span.file_name} p.{d.span.pages_label}{d.span.ocr_note} {d.span.section}" if d.span else ""
        table.add_row(when, d.subject, d.name, d.basis, clause)
    console.print(table)


@app.command()
@handled
def lifecycle(
    subject: str = typer.Argument(..., help="a deal (or one document)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write the view: .html, .pdf, .docx or .json"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Outsourcing life-cycle view: exit and transition readiness, item by item, with citations."""
    ws = open_workspace(workspace, data_dir)
    view = ws.lifecycle(subject)
    if out:
        exports.write_lifecycle(view, out)
        err.print(f"wrote {out}")
    counts = view.counts()
    table = Table(title=f"{view.subject}: {counts['present']} present, {counts['weak']} weak, {counts['missing']} missing")
    for column in ("stage", "item", "status", "missing", "where"):
        table.add_column(column)
    for item in view.items:
        table.add_row(item.stage, item.name + (f" ({item.value})" if item.value else ""), item.status, ", ".join(item.missing),
                      "; ".join(exports.where(s) for s in item.citations[:2]))
    console.print(table)
