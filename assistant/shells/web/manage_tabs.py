"""The web app's negotiation and contract-management tabs: Redline, Compare, Grid, Deadlines and Life cycle.

``layout(html)`` adds the tabs (inside the app's ``gr.Tabs``); ``wire(...)`` connects them to the workspace API once
the app's shared pieces exist. Every citation in these tabs is a ``data-passage`` link: a click opens the passage in
the side viewer, exactly as in the chat and the audit."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import gradio as gr

from assistant import SEVERITIES, AssistantError, Span, Workspace

from .. import exports
from . import views
from .assets import PASSAGE_LINKS_JS

PLAYBOOK_CHOICE = ("Playbook standard language", "playbook")
DEFAULT_GRID_QUESTIONS = "\n".join((
    "What is the liability cap?", "How much notice is needed to terminate for convenience?", "Which law governs the agreement?",
    "How long is the termination assistance period?"))


def collector() -> tuple[views.Links, Callable[[Span, str], str]]:
    """A links map and the ``link(span, label)`` function that fills it (keys in the order the view asks for them)."""
    links: views.Links = {}

    def link(span: Span, label: str) -> str:
        return views._link(links, f"x{len(links)}", span, label)

    return links, link


@dataclass
class Tabs:
    """The components of the five tabs (see ``layout``)."""

    parts: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.parts[name]
        except KeyError:
            raise AttributeError(name) from None


def layout(html: Callable[..., gr.HTML]) -> Tabs:
    p: dict[str, Any] = {}
    with gr.Tab("Redline", id="redline") as p["redline_tab"]:
        html("<p class='hint'>A Word contract gets a copy with tracked changes (author \u201cContract assistant\u201d) and a comment on "
             "each change and weak clause; accept or reject each one in Word. A PDF or text contract gets a review memo.</p>")
        with gr.Row(equal_height=True):
            p["redline_doc"] = gr.Dropdown(label="Contract", choices=[], scale=4, elem_id="redline-doc")
            p["redline_severity"] = gr.Radio(list(SEVERITIES), value="low", label="Findings of this severity or above", scale=3, elem_id="redline-severity")
            p["redline_run"] = gr.Button("Make redline", variant="primary", scale=1, min_width=120, elem_id="redline-run")
        p["redline_file"] = gr.DownloadButton("Download", interactive=False, elem_id="redline-download")
        p["redline_view"] = html(js_on_load=PASSAGE_LINKS_JS, elem_id="redline-view")
    with gr.Tab("Compare", id="compare") as p["compare_tab"]:
        with gr.Row(equal_height=True):
            p["compare_doc"] = gr.Dropdown(label="Contract", choices=[], scale=3, elem_id="compare-doc")
            p["compare_against"] = gr.Dropdown(label="Against (template or earlier version)", choices=[PLAYBOOK_CHOICE], scale=3, elem_id="compare-against")
            p["compare_changes"] = gr.Checkbox(value=True, label="Only changes and moves", scale=1, elem_id="compare-changes")
            p["compare_run"] = gr.Button("Compare", variant="primary", scale=1, min_width=110, elem_id="compare-run")
        p["compare_view"] = html(js_on_load=PASSAGE_LINKS_JS, elem_id="compare-view")
        with gr.Row():
            p["compare_files"] = [gr.DownloadButton(f"Download {f.upper()}", interactive=False, elem_id=f"compare-{f}") for f in exports.COMPARE_FORMATS]
    with gr.Tab("Grid", id="grid") as p["grid_tab"]:
        with gr.Row(equal_height=True):
            p["grid_questions"] = gr.Textbox(label="Questions (one per line)", value=DEFAULT_GRID_QUESTIONS, lines=4, scale=5, elem_id="grid-questions")
            with gr.Column(scale=2, min_width=220):
                p["grid_playbook"] = gr.Checkbox(value=False, label="Add a column per playbook clause", elem_id="grid-playbook")
                p["grid_by"] = gr.Radio([("By document", "document"), ("By deal", "deal")], value="document", label="Rows", elem_id="grid-by")
                p["grid_run"] = gr.Button("Run grid", variant="primary", elem_id="grid-run")
        p["grid_view"] = html(js_on_load=PASSAGE_LINKS_JS, elem_id="grid-view")
        with gr.Row():
            p["grid_files"] = [gr.DownloadButton(f"Download {f.upper()}", interactive=False, elem_id=f"grid-{f}") for f in ("xlsx", "csv", "json")]
    with gr.Tab("Deadlines", id="deadlines") as p["deadlines_tab"]:
        with gr.Row(equal_height=True):
            p["deadlines_days"] = gr.Number(value=90, precision=0, minimum=0, label="Next days (0 = all)", scale=1, elem_id="deadlines-days")
            p["deadlines_by"] = gr.Radio([("By deal", "deal"), ("By document", "document")], value="deal", label="Contracts", scale=2, elem_id="deadlines-by")
            p["deadlines_run"] = gr.Button("Show deadlines", variant="primary", scale=1, min_width=130, elem_id="deadlines-run")
        p["deadlines_view"] = html(js_on_load=PASSAGE_LINKS_JS, elem_id="deadlines-view")
        with gr.Row():
            p["deadlines_files"] = [gr.DownloadButton(f"Download {label}", interactive=False, elem_id=f"deadlines-{f}")
                                    for f, label in (("ics", "calendar (.ics)"), ("csv", "CSV"))]
    with gr.Tab("Life cycle", id="lifecycle") as p["lifecycle_tab"]:
        html("<p class='hint'>Exit and transition readiness of a deal: exit plan, termination assistance, data return, the cost to get "
             "out, transition phases, knowledge transfer, assets, cooperation, SMART service levels and governance.</p>")
        with gr.Row(equal_height=True):
            p["lifecycle_subject"] = gr.Dropdown(label="Deal or document", choices=[], scale=4, elem_id="lifecycle-subject")
            p["lifecycle_run"] = gr.Button("Show", variant="primary", scale=1, min_width=110, elem_id="lifecycle-run")
        p["lifecycle_view"] = html(js_on_load=PASSAGE_LINKS_JS, elem_id="lifecycle-view")
        with gr.Row():
            p["lifecycle_files"] = [gr.DownloadButton(f"Download {f.upper()}", interactive=False, elem_id=f"lifecycle-{f}") for f in ("html", "pdf", "docx")]
    return Tabs(p)


def _folder(exports_dir: Path) -> Path:
    folder = exports_dir / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fail(error: Exception) -> gr.Error:
    return gr.Error(str(error), print_exception=False)


def wire(tabs: Tabs, get: Callable[[str, gr.Request], Workspace], offer: Callable[[Path | str, gr.Request], str],
         workspace: gr.Dropdown, exports_dir: Path, show_link: Callable, viewer: gr.HTML, viewer_panel: gr.Sidebar) -> None:
    """Connect the tabs: ``get(name, request)`` opens a workspace as the request's user, ``offer(path, request)``
    hands that user a file to download, ``show_link(links, name, evt, request)`` fills the viewer."""
    t = tabs

    def documents(name: str, request: gr.Request) -> list:
        ws = get(name, request)
        docs = [(d.file_name, d.file_name) for d in ws.documents()]
        subjects = [(f"{deal} (deal)", deal) for deal in sorted(ws.deals())] + docs
        return [gr.Dropdown(choices=docs), gr.Dropdown(choices=docs), gr.Dropdown(choices=[PLAYBOOK_CHOICE] + docs),
                gr.Dropdown(choices=subjects)]

    pickers = [t.redline_doc, t.compare_doc, t.compare_against, t.lifecycle_subject]
    for tab in (t.redline_tab, t.compare_tab, t.lifecycle_tab):
        tab.select(documents, inputs=[workspace], outputs=pickers, show_progress="hidden")

    def redline(name: str, document: str, severity: str, request: gr.Request):
        if not document:
            raise _fail(ValueError("Pick a contract to redline."))
        ws = get(name, request)
        folder = _folder(exports_dir)
        try:
            result = ws.redline(document, folder / f"{Path(document).stem}.{'redline' if document.lower().endswith('.docx') else 'memo'}.docx",
                                min_severity=severity)
        except (AssistantError, ValueError) as error:
            raise _fail(error)
        links, link = collector()
        rows = "".join(
            f"<tr><td><b>{views.e(c.clause)}</b></td><td>{views._pill(c.status, views.AUDIT_STATUS_PILLS)}</td><td><span class='sev {c.severity}'>"
            f"{c.severity}</span></td><td>{views.e(c.heading or c.placement)}<div class='sub'>{views.e(', '.join(c.missing_elements))}</div></td>"
            f"<td>{exports._cite(c.evidence, c.clause, link) if c.evidence else ''}</td></tr>" for c in result.changes)
        kind = "Word redline with tracked changes" if result.kind == "redline" else "review memo (the contract is not a Word file)"
        table = (f"<p class='hint'>{views.e(result.document)}: {kind}, {len(result.changes)} change(s).</p><div class='table-scroll'>"
                 f"<table class='grid redline'><thead><tr><th>Clause</th><th>Status</th><th>Severity</th><th>Where</th><th>Evidence</th></tr>"
                 f"</thead><tbody>{rows}</tbody></table></div>")
        return gr.DownloadButton(f"Download {Path(result.path).name}", value=offer(result.path, request), interactive=True), table, links

    redline_links = gr.State({})
    t.redline_run.click(redline, inputs=[workspace, t.redline_doc, t.redline_severity], outputs=[t.redline_file, t.redline_view, redline_links])

    def compare(name: str, document: str, against: str, changes_only: bool, request: gr.Request):
        if not document or not against:
            raise _fail(ValueError("Pick the contract and what to compare it with."))
        try:
            result = get(name, request).compare(document, against)
        except (AssistantError, ValueError) as error:
            raise _fail(error)
        folder = _folder(exports_dir)
        stem = f"compare-{Path(document).stem}"
        files = [exports.write_comparison(result, folder / f"{stem}.{f}") for f in exports.COMPARE_FORMATS]
        links, link = collector()
        return [exports.compare_table_html(result, link, changes_only), links,
                *[gr.DownloadButton(value=offer(f, request), interactive=True) for f in files]]

    compare_links = gr.State({})
    t.compare_run.click(compare, inputs=[workspace, t.compare_doc, t.compare_against, t.compare_changes],
                        outputs=[t.compare_view, compare_links, *t.compare_files])

    def grid(name: str, text: str, with_playbook: bool, by: str, request: gr.Request, progress=gr.Progress()):
        ws = get(name, request)
        asked = [line.strip() for line in (text or "").splitlines() if line.strip()]
        columns = ws.grid_questions(None, asked) if asked else []
        if with_playbook or not asked:
            columns = [*(columns if asked else []), *[q for q in ws.grid_questions() if q.id not in {c.id for c in columns}]]
        try:
            result = ws.grid(columns, by=by, progress=lambda done, total, label: progress((done, total), desc=label[:80]))
        except (AssistantError, ValueError) as error:
            raise _fail(error)
        folder = _folder(exports_dir)
        files = [exports.write_grid(result, folder / f"grid-{time.strftime('%Y%m%d-%H%M')}.{f}") for f in ("xlsx", "csv", "json")]
        links, link = collector()
        caption = f"<p class='hint'>{len(result.rows)} rows \u00d7 {len(result.questions)} questions in {result.seconds:.1f} s. Click a citation to read the passage.</p>"
        return [caption + exports.grid_table_html(result, link), links, *[gr.DownloadButton(value=offer(f, request), interactive=True) for f in files]]

    grid_links = gr.State({})
    t.grid_run.click(grid, inputs=[workspace, t.grid_questions, t.grid_playbook, t.grid_by], outputs=[t.grid_view, grid_links, *t.grid_files])

    def deadlines(name: str, days, by: str, request: gr.Request):
        ws = get(name, request)
        today = dt.date.today()
        every = ws.deadlines(by=by, today=today)
        shown = ws.deadlines(by=by, today=today, within_days=int(days)) if days else every
        folder = _folder(exports_dir)
        ics = ws.export_calendar(folder / "deadlines.ics", every)
        csv_file = exports.write_deadlines(every, folder / "deadlines.csv")
        links, link = collector()
        title = f"the next {int(days)} days (from {today:%d %B %Y})" if days else "every deadline"
        caption = f"<p class='hint'>{len(shown)} deadline(s) in {title}; the calendar file holds all {sum(1 for d in every if d.date)} dated ones.</p>"
        return [caption + exports.deadlines_table_html(shown, link), links,
                gr.DownloadButton(value=offer(ics, request), interactive=True), gr.DownloadButton(value=offer(csv_file, request), interactive=True)]

    deadline_links = gr.State({})
    t.deadlines_run.click(deadlines, inputs=[workspace, t.deadlines_days, t.deadlines_by], outputs=[t.deadlines_view, deadline_links, *t.deadlines_files])

    def lifecycle(name: str, subject: str, request: gr.Request):
        if not subject:
            raise _fail(ValueError("Pick a deal or a document."))
        try:
            view = get(name, request).lifecycle(subject)
        except (AssistantError, ValueError) as error:
            raise _fail(error)
        folder = _folder(exports_dir)
        files = [exports.write_lifecycle(view, folder / f"lifecycle.{f}") for f in ("html", "pdf", "docx")]
        links, link = collector()
        return [exports.lifecycle_html(view, link), links, *[gr.DownloadButton(value=offer(f, request), interactive=True) for f in files]]

    lifecycle_links = gr.State({})
    t.lifecycle_run.click(lifecycle, inputs=[workspace, t.lifecycle_subject], outputs=[t.lifecycle_view, lifecycle_links, *t.lifecycle_files])

    for view, links in ((t.redline_view, redline_links), (t.compare_view, compare_links), (t.grid_view, grid_links),
                        (t.deadlines_view, deadline_links), (t.lifecycle_view, lifecycle_links)):
        view.click(show_link, inputs=[links, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")
