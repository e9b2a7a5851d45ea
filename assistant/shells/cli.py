"""Command line: a thin shell over the Python API (``assistant.Workspace``).

Exit status: 0 ok; 1 some files failed (the others were processed); 2 the command could not run (bad
option, unknown workspace, file not found); 3 ``audit --fail-on`` found a missing clause at that severity;
4 the run itself failed (the workspace store could not be written, or another writer held it too long).
"""

from __future__ import annotations

import functools
import getpass
import json
import logging
import os
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from assistant import (
    AssistantError,
    IngestRunError,
    Settings,
    Workspace,
    WorkspaceBusyError,
    element_names,
    failing,
    list_workspaces,
    load_playbook,
    private_dir,
    validate_playbook,
)

from . import reports

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Contract review assistant for IT outsourcing (offline by default).")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
log = logging.getLogger("assistant")

WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="workspace name (default: setting 'workspace', i.e. 'default')")
DataDirOpt = typer.Option(None, "--data-dir", help="data folder (default: setting 'data_dir')")
RUN_FAILED = 4
STATUS_COLOURS = {"added": "green", "replaced": "cyan", "unchanged": "dim", "skipped": "yellow", "failed": "red"}


def handled(command: Callable) -> Callable:
    """A command whose ordinary errors (a typo, a missing file, an unknown option value) are one red line and exit 2."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (IngestRunError, WorkspaceBusyError) as error:
            log.debug("run failed", exc_info=True)
            err.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(RUN_FAILED) from None
        except (AssistantError, ValueError) as error:
            log.debug("command failed", exc_info=True)
            err.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(2) from None

    return run


def settings_for(workspace: Optional[str], data_dir: Optional[Path], **more) -> Settings:
    overrides = {k: v for k, v in {"workspace": workspace, "data_dir": data_dir, **more}.items() if v}
    try:
        return Settings(**overrides)
    except Exception as error:  # pydantic ValidationError: show the message, not a traceback
        err.print(f"[red]invalid settings:[/red] {error}")
        raise typer.Exit(2)


def open_workspace(workspace: Optional[str], data_dir: Optional[Path], *, create: bool = False, playbook: Optional[Path] = None) -> Workspace:
    """The workspace; unless ``create``, one that does not exist is an error listing those that do."""
    return Workspace.open(settings_for(workspace, data_dir), create=create, playbook=playbook)


def _progress(description: str) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


@app.command()
@handled
def ingest(
    paths: list[Path] = typer.Argument(..., help="files and folders (folders are searched recursively)"),
    deal: str = typer.Option("", help="group these documents into a deal (e.g. an MSA with its schedules)"),
    as_json: bool = typer.Option(False, "--json", help="print the ingest report as JSON"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Add documents to a workspace (created if needed). Unchanged files (same content hash) are skipped; changed
    files replace their old version. Exit status 1 when any file failed (the others are still ingested), 4 when the
    run itself failed (the report so far is still printed)."""
    ws = open_workspace(workspace, data_dir, create=True)
    failure: IngestRunError | None = None
    with _progress("ingesting") as bar:
        task = bar.add_task("ingesting", total=None)

        def step(number: int, total: int, result) -> None:
            bar.update(task, total=total, completed=number, description=f"ingesting {Path(result.path).name[:40]}")

        try:
            report = ws.ingest(paths, deal=deal, progress=step)
        except IngestRunError as error:
            if error.report is None:
                raise
            failure, report = error, error.report
    if as_json:
        console.print_json(json.dumps(report.to_dict()))
    else:
        table = Table(title=f"workspace {ws.name}: {report.summary()}")
        for column in ("file", "status", "chunks", "pages", "reason"):
            table.add_column(column)
        for result in report.files:
            notes = "\n".join(([result.detail] if result.detail else []) + [f"warning: {w}" for w in result.warnings])
            table.add_row(result.path, f"[{STATUS_COLOURS[result.status]}]{result.status}[/]", str(result.chunks or ""),
                          str(result.pages or ""), notes)
        console.print(table)
    if failure is not None:
        err.print(f"[red]error:[/red] {failure}", highlight=False)
        raise typer.Exit(RUN_FAILED)
    if report.by_status("failed"):
        raise typer.Exit(1)


@app.command()
@handled
def search(
    question: str = typer.Argument(..., help="what to look for, e.g. 'termination for convenience notice period'"),
    k: int = typer.Option(5, "-k", min=1, max=200, help="how many passages"),
    doc: Optional[list[str]] = typer.Option(None, "--doc", help="only in this document (file name or id; repeatable)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Find passages: hybrid BM25 + embeddings, with the document named in the question searched first.
    The best match (the sentences of the top passages that best answer the question) comes first."""
    ws = open_workspace(workspace, data_dir)
    result = ws.retrieve(question, k=k, documents=doc)
    rows = [
        {"rank": n, "document": p.chunk.file_name, "page": p.chunk.pages_label, "section": p.chunk.section_path,
         "start": p.chunk.start, "end": p.chunk.end, "score": round(p.score, 4), "text": p.chunk.text}
        for n, p in enumerate(result.passages, 1)
    ]
    focus = result.focus
    best = None if focus is None else {
        "document": focus.span.file_name, "page": focus.span.pages_label, "section": focus.span.section_path,
        "start": focus.span.start, "end": focus.span.end, "from_rank": focus.rank + 1, "text": focus.span.text,
    }
    if as_json:
        console.print_json(json.dumps({"focus": best, "passages": rows}))
        return
    if not rows:
        console.print(f"no passages found in workspace {ws.name!r} (is anything ingested? try 'contract-assistant documents')")
        return
    if best:
        console.print(f"[bold green]Best match[/bold green]  {best['document']}  p.{best['page']}  [cyan]{best['section'] or '(preamble)'}[/cyan]  [{best['start']}:{best['end']}]")
        console.print(best["text"], markup=False, highlight=False)
        console.print()
    for row in rows:
        console.print(f"[bold]{row['rank']}. {row['document']}[/bold]  p.{row['page']}  [cyan]{row['section'] or '(preamble)'}[/cyan]  [{row['start']}:{row['end']}]  score {row['score']}")
        console.print(row["text"][:600] + ("..." if len(row["text"]) > 600 else ""), markup=False, highlight=False)
        console.print()


@app.command()
@handled
def documents(workspace: Optional[str] = WorkspaceOpt, data_dir: Optional[Path] = DataDirOpt, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the documents in a workspace."""
    ws = open_workspace(workspace, data_dir)
    docs = ws.documents()
    if as_json:
        console.print_json(json.dumps([d.to_dict() for d in docs]))
        return
    table = Table(title=f"workspace {ws.name}: {len(docs)} documents")
    for column in ("file", "kind", "pages", "chunks", "deal", "id"):
        table.add_column(column)
    for d in docs:
        table.add_row(d.file_name, d.kind, str(d.pages), str(d.chunks), d.deal, d.doc_id[:12])
    console.print(table)


@app.command()
@handled
def remove(names: list[str] = typer.Argument(..., help="exact file names or ids (an id prefix of 6 or more characters)"),
           workspace: Optional[str] = WorkspaceOpt, data_dir: Optional[Path] = DataDirOpt) -> None:
    """Remove documents (their chunks leave Chroma and BM25 too). Names must match exactly: a part of a name is
    refused with the names that contain it, and a name several documents share lists them with their ids."""
    ws = open_workspace(workspace, data_dir)
    for name in names:
        info = ws.remove(name)
        console.print(f"removed {info.file_name} ({info.chunks} chunks)")


@app.command()
@handled
def audit(
    paths: list[Path] = typer.Argument(..., help="files and folders to audit"),
    playbook: Optional[Path] = typer.Option(None, "--playbook", help="playbook YAML (default: the bundled IT outsourcing playbook)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv | json | md | xlsx | html (default: from --out, else md)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="report file (default: Markdown on standard output)"),
    by: str = typer.Option("document", "--by", help="document: one row set per file; deal: each folder is one deal audited as a whole"),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="exit 3 when a clause of this severity or above is missing: high | medium | low"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Clause audit against the playbook: present / weak / missing per clause type, with evidence and severity.

    Bad files become error rows; the run goes on. Exit status: 0 ok, 1 some files failed, 3 --fail-on triggered."""
    fmt = fmt or (out.suffix.lstrip(".").lower() if out else "md")
    fmt = {"markdown": "md", "excel": "xlsx", "htm": "html"}.get(fmt, fmt)
    if fmt not in reports.FORMATS:
        raise AssistantError(f"unknown format {fmt!r}; valid: {', '.join(reports.FORMATS)}")
    if fmt == "xlsx" and not out:
        raise AssistantError("--format xlsx needs --out FILE")
    failing([], fail_on)  # an unknown severity fails before any work is done
    ws = open_workspace(workspace, data_dir, create=True, playbook=playbook)
    with _progress("auditing") as bar:
        task = bar.add_task("auditing", total=None)

        def step(stage: str, number: int, total: int, name: str) -> None:
            bar.update(task, total=total, completed=number, description=f"{stage} {Path(name).name[:40]}")

        results = ws.audit_paths(paths, by=by, progress=step)
    names = element_names(ws.playbook)
    if out:
        reports.write_report(results, fmt, out, names)
        err.print(f"wrote {out}")
    else:
        console.print(reports.render(results, fmt, names), markup=False, highlight=False, soft_wrap=True)
    summary = Table(title="portfolio")
    for column in ("subject", "present", "weak", "missing", "missing high-severity"):
        summary.add_column(column)
    for r in results:
        counts = r.counts()
        summary.add_row(r.subject, str(counts["present"]), str(counts["weak"]), str(counts["missing"]),
                        f"[red]error: {r.error}[/red]" if r.error else ", ".join(f.name for f in r.gaps("high")) or "none")
    err.print(summary)
    breaches = failing(results, fail_on)
    if breaches:
        err.print(f"[red]--fail-on {fail_on}: {len(breaches)} missing clause(s)[/red]: " + "; ".join(f"{s}: {c}" for s, c in breaches[:20]))
        raise typer.Exit(3)
    if any(r.error for r in results):
        raise typer.Exit(1)


playbook_app = typer.Typer(help="Playbooks: the clause types an audit checks.", no_args_is_help=True)
app.add_typer(playbook_app, name="playbook")


@playbook_app.command("validate")
@handled
def playbook_validate(file: Path = typer.Argument(..., help="playbook YAML to check")) -> None:
    """Check a playbook file; lists every problem (file, clause, field). Exit 1 when invalid."""
    problems = validate_playbook(file)
    if problems:
        for problem in problems:
            err.print(f"[red]x[/red] {problem}", markup=True, highlight=False)
        raise typer.Exit(1)
    book = load_playbook(file)
    console.print(f"{file}: valid, {len(book.clauses)} clause types, {sum(len(c.elements) for c in book.clauses)} elements")


@playbook_app.command("show")
@handled
def playbook_show(file: Optional[Path] = typer.Argument(None, help="playbook YAML (default: the bundled one)")) -> None:
    """List a playbook's clause types with severity and elements."""
    book = load_playbook(file)
    table = Table(title=f"{book.name} ({book.path})")
    for column in ("id", "clause", "severity", "elements"):
        table.add_column(column)
    for c in book.clauses:
        table.add_row(c.id, c.name, c.severity, ", ".join(e.name for e in c.elements))
    console.print(table)


@app.command()
@handled
def ask(
    question: str = typer.Argument(..., help="a question about the documents, e.g. 'How much notice to terminate for convenience?'"),
    as_json: bool = typer.Option(False, "--json", help="print the answer and its citations as JSON"),
    doc: Optional[list[str]] = typer.Option(None, "--doc", help="ask only this document (file name, part of it, title or id); repeatable"),
    deal: Optional[str] = typer.Option(None, "--deal", help="ask only the documents of this deal"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Answer from the documents with verified citations (document, page, section, offsets); says so when they do not answer.
    A question that names no contract, in a workspace where several answer it, is answered per contract."""
    ws = open_workspace(workspace, data_dir)
    answer = ws.ask(question, user=getpass.getuser(), documents=doc or (), deal=deal)
    if as_json:
        console.print_json(json.dumps(answer.to_dict(passages=False)))
        return
    console.print(answer.text, markup=False, highlight=False)
    if answer.citations:
        console.print()
        for c in answer.citations:
            s = c.span
            console.print(f"[{c.number}] {s.file_name} {s.page_label} {s.section_path} [{s.start}:{s.end}]", markup=False, highlight=False)
    err.print(f"[dim]{answer.answerer}, {answer.seconds * 1000:.0f} ms[/dim]")


@app.command()
@handled
def serve(
    port: Optional[int] = typer.Option(None, "--port", help="port (default: setting server_port, 7860)"),
    host: Optional[str] = typer.Option(None, "--host", help="address to listen on (default: setting server_host, 127.0.0.1)"),
    open_browser: bool = typer.Option(False, "--open", help="open the app in the default browser"),
    workspace: Optional[str] = WorkspaceOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Start the web app (chat, upload, audit, deals). Password login when auth_users is set."""
    settings = settings_for(workspace, data_dir, server_host=host, server_port=port)
    uploads = settings.cache_path / "uploads"  # Gradio keeps uploaded contracts here, not in a shared /tmp/gradio
    private_dir(uploads)
    os.environ.setdefault("GRADIO_TEMP_DIR", str(uploads))
    from .web.app import serve as serve_app

    err.print(f"contract assistant on http://{settings.server_host}:{settings.server_port} (workspace {settings.workspace}, data {settings.data_dir})")
    serve_app(settings, open_browser=open_browser)


@app.command()
@handled
def workspaces(data_dir: Optional[Path] = DataDirOpt) -> None:
    """List workspaces."""
    for name in list_workspaces(settings_for(None, data_dir)):
        console.print(name)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app()


from . import access_cli, manage_cli  # noqa: E402,F401  (register users/grant/revoke/members, redline, compare, grid, deadlines, lifecycle)

if __name__ == "__main__":
    main()
