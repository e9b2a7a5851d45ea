"""The web app: a thin Gradio shell over :class:`assistant.Workspace` for legal and procurement staff.

Tabs: Documents (upload several files, per-file results, list and remove), Chat (streamed answers whose
[n] citations open the cited passage), Audit (present / weak / missing table with filters and downloads),
Deals (documents grouped into one deal), the contract-management tabs of ``manage_tabs`` (Redline, Compare,
Grid, Deadlines, Life cycle) and Settings (what is in use, read-only). A right-hand panel shows
any cited passage or audit evidence with the exact quote highlighted. The workspace and the conversation
are kept in the browser (``gr.BrowserState``), so a reload comes back to them.

This module lays the components out and wires them to the API; ``views`` draws them, ``assets`` styles them.
``serve(settings)`` runs it: with a sign-in when the deployment has accounts (``contract-assistant users add``),
every handler opens its workspace as the request's signed-in user (``Gate``), so the API checks that user's role
whichever endpoint is called; the page itself names no workspace until a user has signed in and loaded it.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Any, Iterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")

import gradio as gr  # noqa: E402

from assistant import (  # noqa: E402
    ROLES,
    SEVERITIES,
    STATUSES,
    AccessDeniedError,
    AccountError,
    Answer,
    AssistantError,
    AuditResult,
    FileResult,
    IngestRunError,
    NotFoundError,
    OcrProgress,
    PortInUseError,
    Principal,
    Settings,
    Team,
    Workspace,
    element_names,
)

from ..reports import finding_rows  # noqa: E402
from . import manage_tabs, views  # noqa: E402
from .assets import (  # noqa: E402
    APP_TITLE,
    CSS,
    EXAMPLE_QUESTIONS,
    PASSAGE_LINKS_JS,
    SCROLL_TO_MARK_JS,
    THEME,
)
from .guard import Gate  # noqa: E402
from .views import DOWNLOADS, VIEWER_HINT, Turn  # noqa: E402

log = logging.getLogger("assistant.web")
SESSION_KEY = "contract-assistant-session"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def user_error(message: str) -> gr.Error:
    """A mistake of the user's (nothing to upload, an empty question): shown in the page, logged in one line."""
    log.info("user error: %s", message)
    return gr.Error(message, print_exception=False)


class WorkspacePool:
    """Open workspaces shared by every session: opening one starts a Chroma client, so each name is opened once.
    Each request gets the shared workspace as its own principal sees it (``Workspace.as_user``): checked per call."""

    def __init__(self, settings: Settings, team: Team):
        self.settings = settings
        self.team = team
        self._open: dict[str, Workspace] = {}
        self._lock = threading.Lock()

    def get(self, name: str, principal: Principal) -> Workspace:
        """The workspace for this principal; ``NotFoundError`` (the same words) when it does not exist or they have
        no role in it. Only ``create`` makes new workspaces."""
        if not name:
            raise NotFoundError("Pick a workspace.")
        with self._lock:
            shared = self._open.get(name)
        if shared is None:
            if principal.admin and name == self.settings.workspace and name not in self.team.workspaces(principal):
                self.team.create_workspace(name, principal)  # an admin's first visit makes the default workspace
            ws = self.team.open(name, principal)  # checks the role before anything is opened or created
            with self._lock:
                shared = self._open.setdefault(name, Workspace(self.settings.with_workspace(name), index=ws.index, playbook=ws.playbook))
        return shared.as_user(principal)

    def create(self, name: str, principal: Principal) -> None:
        ws = self.team.create_workspace(name, principal)
        with self._lock:
            self._open.setdefault(name, Workspace(self.settings.with_workspace(name), index=ws.index, playbook=ws.playbook))

    def names(self, principal: Principal) -> list[str]:
        """The workspaces this principal may open."""
        with self._lock:
            opened = set(self._open)
        names = set(self.team.workspaces(principal))
        if principal.unrestricted:
            names |= opened | {self.settings.workspace}
        return sorted(names)

    def close(self) -> None:
        with self._lock:
            for ws in self._open.values():
                ws.close()
            self._open.clear()


def answerer_label(ws: Workspace) -> str:
    """How questions are answered in this workspace, as the answerer itself reports it (or why it cannot start)."""
    try:
        return str(ws.answerer.label)
    except Exception as error:  # e.g. an LLM provider configured without its package or key: say so, do not crash
        return f"not available: {error}"


def _html(value: str = "", *, js_on_load: str | None = None, **kwargs) -> gr.HTML:
    """Our own markup: without Gradio's prose styles (CSS styles everything), and with click events only where
    ``js_on_load`` asks for them (Gradio's default would send every click to the server)."""
    return gr.HTML(value, js_on_load=js_on_load, apply_default_css=False, **kwargs)


def _passage(ws: Workspace, links: views.Links, key: str) -> str | None:
    """Viewer HTML for a clicked link, a note when its document has been removed since, None for an unknown key."""
    found = views.linked_span(links, key)
    if found is None:
        return None
    span, label = found
    try:
        return views.passage_html(ws.read(span), label)
    except NotFoundError as error:
        return views.viewer_message(str(error), "gone")


def create_app(settings: Settings, *, insecure_no_auth: bool = False) -> gr.Blocks:
    """Build the UI. Nothing heavy happens here (workspaces open on first use), so the app starts fast.

    With accounts (or ``auth_users``, migrated into accounts here) every user signs in; without any, the app serves
    one local user, which ``start`` allows on a loopback address only, unless ``insecure_no_auth``."""
    team = Team(settings)
    team.migrate_auth_users()
    gate = Gate(team, open_access=not team.has_users())
    pool = WorkspacePool(settings, team)

    def who(request: gr.Request | None) -> Principal:
        """The request's principal; a session that ended (or an account removed) is told to sign in again."""
        principal = gate.principal(getattr(request, "username", None))
        if principal is None:
            raise user_error("Your session has ended: reload the page and sign in again.")
        return principal

    def ws_for(name: str, request: gr.Request | None) -> Workspace:
        try:
            return pool.get(name, who(request))
        except NotFoundError as error:
            raise user_error(str(error))

    def offer(path: str | Path, request: gr.Request | None) -> str:
        return gate.offer(path, getattr(request, "username", None))

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        exports = Path(demo.GRADIO_CACHE) / f"exports-{uuid.uuid4().hex}"  # served only to the user each file was made for
        exports.mkdir(parents=True, exist_ok=True, mode=0o700)
        session = gr.BrowserState({"workspace": "", "turns": []}, storage_key=SESSION_KEY)
        turns = gr.State([])
        chat_links = gr.State({})
        audit_results = gr.State([])
        summary_links = gr.State({})
        table_links = gr.State({})

        with gr.Sidebar(position="right", open=False, width=500, elem_id="viewer-panel") as viewer_panel:
            viewer = _html(views.viewer_message(VIEWER_HINT), js_on_load=SCROLL_TO_MARK_JS, elem_id="passage-viewer")
            close_viewer = gr.Button("Close", size="sm", elem_id="close-viewer")

        with gr.Row(elem_id="app-header"):
            with gr.Column(scale=3, min_width=240):
                _html(f"<div class='brand'><h1>{APP_TITLE}</h1><p>IT outsourcing contracts: ask with citations, audit clauses. "
                      "Everything stays on this server.</p></div>")
            with gr.Column(scale=4, min_width=400):
                with gr.Row(elem_id="ws-controls"):
                    workspace = gr.Dropdown(label="Workspace", choices=[], value=None, scale=3, allow_custom_value=True,
                                            min_width=140, elem_id="workspace-picker", interactive=True)
                    new_workspace = gr.Textbox(label="New workspace", placeholder="e.g. acme-renewal", scale=3,
                                               min_width=140, elem_id="new-workspace")
                    create_workspace = gr.Button("Create", scale=1, min_width=80, elem_id="create-workspace")
        status = _html(elem_id="workspace-status")

        with gr.Tabs(elem_id="main-tabs"):
            with gr.Tab("Documents", id="documents"):
                with gr.Row():
                    with gr.Column(scale=2, min_width=300):
                        uploads = gr.File(label="Add documents (PDF, DOCX, HTML, Markdown, text)", file_count="multiple",
                                          elem_id="uploads", height=170)
                        upload_deal = gr.Textbox(label="Deal (optional)", placeholder="Group these files into a deal, e.g. Harbourline / Veridian",
                                                 elem_id="upload-deal")
                        add_files = gr.Button("Add to workspace", variant="primary", elem_id="add-files")
                        ingest_out = _html(elem_id="ingest-results")
                    with gr.Column(scale=4, min_width=420):
                        documents = _html(elem_id="documents-table")
                        with gr.Row(equal_height=True):
                            remove_pick = gr.Dropdown(label="Remove documents", multiselect=True, choices=[], scale=4, elem_id="remove-pick")
                            remove_button = gr.Button("Remove\u2026", variant="stop", scale=1, min_width=100, elem_id="remove-docs")
                        with gr.Row(equal_height=True, visible=False, elem_id="remove-confirm") as remove_confirm:
                            remove_question = _html(elem_id="remove-question")
                            remove_yes = gr.Button("Yes, remove", variant="stop", scale=1, min_width=110, elem_id="remove-yes")
                            remove_no = gr.Button("Cancel", scale=1, min_width=90, elem_id="remove-no")

            with gr.Tab("Chat", id="chat"):
                transcript = _html(views.transcript_html([])[0], js_on_load=PASSAGE_LINKS_JS, elem_id="transcript",
                                   min_height=360, max_height=520, autoscroll=True, container=True, padding=True)
                chat_scope = gr.Dropdown(label="Answer from", multiselect=True, choices=[], elem_id="chat-scope",
                                         info="Deals or documents; empty = all (a question naming no contract that several "
                                              "answer gets a row per contract)")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(show_label=False, placeholder="Ask a question about the documents in this workspace\u2026",
                                          scale=6, lines=1, max_lines=4, elem_id="question", autofocus=True)
                    ask = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                    clear = gr.Button("New chat", scale=1, min_width=90, elem_id="new-chat")
                gr.Examples([[q] for q in EXAMPLE_QUESTIONS], inputs=[question], label="Examples")

            with gr.Tab("Audit", id="audit"):
                with gr.Row(equal_height=True):
                    audit_by = gr.Radio([("By document", "document"), ("By deal", "deal")], value="document", label="Audit",
                                        scale=2, elem_id="audit-by")
                    audit_docs = gr.Dropdown(label="Documents (empty = all)", multiselect=True, choices=[], scale=4, elem_id="audit-docs")
                    run_audit = gr.Button("Run audit", variant="primary", scale=1, min_width=110, elem_id="run-audit")
                audit_summary = _html(views.audit_summary_html([])[0], js_on_load=PASSAGE_LINKS_JS, elem_id="audit-summary")
                with gr.Row(equal_height=True):
                    f_status = gr.CheckboxGroup(list(STATUSES), label="Status", scale=3, elem_id="filter-status")
                    f_severity = gr.CheckboxGroup(list(SEVERITIES), label="Severity", scale=3, elem_id="filter-severity")
                    f_group = gr.Dropdown(label="Group", multiselect=True, choices=[], scale=2, elem_id="filter-group")
                    f_subject = gr.Dropdown(label="Document / deal", multiselect=True, choices=[], scale=3, elem_id="filter-subject")
                audit_caption = _html(elem_id="audit-caption")
                audit_table = _html(js_on_load=PASSAGE_LINKS_JS, elem_id="audit-table")
                with gr.Row():
                    download_buttons = [
                        gr.DownloadButton(f"Download {label}", interactive=False, size="md", elem_id=f"download-{fmt}")
                        for fmt, label in DOWNLOADS
                    ]

            with gr.Tab("Deals", id="deals"):
                _html("<p class='hint'>A deal groups the documents of one contract: the MSA with its schedules, SOWs "
                      "and DPA. Chat answers across all documents; the audit can treat a deal as one contract.</p>")
                deals_view = _html(elem_id="deals-view")
                with gr.Row(equal_height=True):
                    deal_docs = gr.Dropdown(label="Documents", multiselect=True, choices=[], scale=4, elem_id="deal-docs")
                    deal_name = gr.Dropdown(label="Deal", choices=[], allow_custom_value=True, scale=3, elem_id="deal-name")
                    set_deal = gr.Button("Put in deal", variant="primary", scale=1, min_width=110, elem_id="set-deal")
                    clear_deal = gr.Button("Take out of deal", scale=1, min_width=110, elem_id="clear-deal")

            manage = manage_tabs.layout(_html)

            with gr.Tab("Settings", id="settings"):
                settings_view = _html(elem_id="settings-view")
                with gr.Group(elem_id="sharing"):
                    sharing_view = _html(elem_id="sharing-view")
                    with gr.Row(equal_height=True):
                        share_user = gr.Textbox(label="User", placeholder="user name", scale=3, elem_id="share-user")
                        share_role = gr.Radio(list(ROLES), value="viewer", label="Role", scale=3, elem_id="share-role")
                        share_grant = gr.Button("Grant", variant="primary", scale=1, min_width=90, elem_id="share-grant")
                        share_revoke = gr.Button("Revoke", variant="stop", scale=1, min_width=90, elem_id="share-revoke")

        library_outputs = [status, documents, remove_pick, audit_docs, deals_view, deal_docs, deal_name, settings_view, sharing_view,
                           chat_scope]
        session_outputs = [turns, transcript, chat_links, audit_results, audit_summary, summary_links, audit_table, table_links,
                           audit_caption, *download_buttons, viewer, viewer_panel]

        def login_line(principal: Principal) -> str:
            if gate.open_access:
                return "off (one local user; add accounts with 'contract-assistant users add')"
            return f"signed in as {principal.name}{' (admin)' if principal.admin else ''}"

        def library(name: str, request: gr.Request | None) -> list:
            """Everything that lists the workspace's documents, refreshed together after any change."""
            if not name:
                empty = gr.Dropdown(choices=[], value=[])
                note = ("<p class='hint'>No workspace is shared with you yet: ask a workspace owner or an admin to grant you "
                        "a role.</p>")
                return [note, "", empty, empty, "", empty, gr.Dropdown(choices=[], value=None), "", "", empty]
            ws = ws_for(name, request)
            docs = ws.documents()
            choices = [(d.file_name, d.doc_id) for d in docs]
            deals = sorted({d.deal for d in docs if d.deal})
            playbook = f"{ws.playbook.name} ({len(ws.playbook)} clause types)"
            return [
                views.status_line(name, docs), views.documents_html(docs), gr.Dropdown(choices=choices, value=[]),
                gr.Dropdown(choices=choices, value=[]), views.deals_html(docs), gr.Dropdown(choices=choices, value=[]),
                gr.Dropdown(choices=deals, value=deals[0] if len(deals) == 1 else None),
                views.settings_html(ws.settings, docs, answerer_label(ws), playbook, login_line(ws.principal)),
                sharing_html(name, ws.principal),
                gr.Dropdown(choices=views.scope_choices(docs), value=[]),
            ]

        def sharing_html(name: str, principal: Principal) -> str:
            """Who holds which role here; the grant controls work for the workspace's owner or an admin only."""
            role = team.role(name, principal)
            if gate.open_access:
                return "<h3>Sharing</h3><p class='hint'>Sharing needs accounts: add users with <code>contract-assistant users add</code>.</p>"
            rows = "".join(f"<tr><td>{views.e(g.user)}</td><td>{views.e(g.role)}</td></tr>" for g in team.members(name, by=principal))
            hint = ("You own this workspace: grant a role by user name (viewer: ask, audit, read; editor: also add, remove and "
                    "group documents; owner: also share)." if role == "owner" else f"You are a {role} of this workspace; its owner shares it.")
            return (f"<h3>Sharing</h3><p class='hint'>{views.e(hint)}</p><table class='grid'><thead><tr><th>User</th><th>Role</th>"
                    f"</tr></thead><tbody>{rows}</tbody></table>")

        def session_view(name: str, history: list[Turn]) -> list:
            """The conversation (kept or new) and a cleared audit: the audit belongs to the documents on screen."""
            html, links = views.transcript_html(history, name)
            return [history, html, links, [], views.audit_summary_html([])[0], {}, "", {}, "",
                    *[gr.DownloadButton(value=None, interactive=False) for _ in DOWNLOADS],
                    views.viewer_message(VIEWER_HINT), gr.Sidebar(open=False)]

        def saved(name: str, history: list[Turn]) -> dict:
            return {"workspace": name, "turns": [t.to_dict() for t in history if t.pending is None]}

        def open_workspace(name: str, request: gr.Request) -> list:
            """Switch the whole UI to another workspace (a new conversation)."""
            if not name:
                raise user_error("Pick a workspace.")
            return library(name, request) + session_view(name, []) + [saved(name, [])]

        def load(stored: dict | None, request: gr.Request):
            """On page load: the workspaces this user may open, and the workspace and conversation this browser had open
            (if the user may still open it)."""
            principal = who(request)
            names = pool.names(principal)
            stored = stored or {}
            name = stored.get("workspace") or ""
            if name not in names:
                name, stored = (settings.workspace if settings.workspace in names else names[0] if names else ""), {}
            try:
                history = [Turn.from_dict(t) for t in stored.get("turns", [])]
            except (KeyError, TypeError, ValueError):
                history = []
            return ([gr.Dropdown(choices=names, value=name or None)] + library(name, request) + session_view(name, history)
                    + [saved(name, history)])

        def create(new_name: str, request: gr.Request):
            """Create (or just switch to) a workspace; the name rules come from Settings, the right to from the Team."""
            new_name = (new_name or "").strip()
            try:
                settings.with_workspace(new_name)
            except ValueError as error:
                raise user_error(str(error).splitlines()[-1] if new_name else "Type a name for the new workspace.")
            principal = who(request)
            try:
                pool.create(new_name, principal)
            except (AccessDeniedError, NotFoundError) as error:
                raise user_error(str(error))
            gr.Info(f"Workspace {new_name} is ready. Add documents to it on the Documents tab.", duration=4)
            return gr.Dropdown(choices=pool.names(principal), value=new_name), ""

        def share(name: str, user: str, role: str, request: gr.Request) -> str:
            """Grant a role (owners and admins; the Team checks)."""
            principal = who(request)
            try:
                team.grant(name, (user or "").strip(), role, by=principal)
            except (AccessDeniedError, AccountError, NotFoundError) as error:
                raise user_error(str(error))
            gr.Info(f"{user} is now {role} of {name}.", duration=4)
            return sharing_html(name, principal)

        def unshare(name: str, user: str, request: gr.Request) -> str:
            principal = who(request)
            try:
                team.revoke(name, (user or "").strip(), by=principal)
            except (AccessDeniedError, AccountError, NotFoundError) as error:
                raise user_error(str(error))
            gr.Info(f"{user} no longer has a role in {name}.", duration=4)
            return sharing_html(name, principal)

        def ingest(files: list[str] | None, deal: str, name: str, request: gr.Request, progress=gr.Progress()) -> Iterator[list]:
            """Index the uploaded files one by one, showing each file's result as soon as it is known."""
            if not files:
                raise user_error("Choose one or more files first.")
            ws = ws_for(name, request)
            if not ws.access.allows("write"):
                raise user_error(f"Adding documents to {name} needs the editor role; you are a {team.role(name, ws.principal)}.")
            paths = [str(f) for f in files]
            display = {p: Path(p).name for p in paths}
            events: queue.Queue = queue.Queue()
            outcome: dict[str, Any] = {}

            def work() -> None:
                try:
                    outcome["report"] = ws.ingest(paths, names=display, deal=(deal or "").strip(), progress=lambda n, t, r: events.put(r),
                                                  ocr_progress=events.put)
                except IngestRunError as error:  # the store failed: show what was done, and why it stopped
                    log.error("ingest stopped: %s", error)
                    outcome["error"], outcome["report"] = error, error.report
                except Exception as error:  # reported to the user below; the worker must always finish
                    log.exception("ingest failed")
                    outcome["error"] = error
                finally:
                    events.put(None)

            threading.Thread(target=work, name="ingest", daemon=True).start()
            done: list[FileResult] = []
            skip = [gr.skip()] * (len(library_outputs) + 2)
            progress((0, len(paths)), desc="Reading files")
            yield [views.ingest_html([], display.values()), *skip]
            while (result := events.get()) is not None:
                if isinstance(result, OcrProgress):  # a scanned page is being read: seconds a page
                    progress((len(done), len(paths)), desc=result.label())
                    continue
                done.append(result)
                progress((len(done), len(paths)), desc=f"{Path(result.path).name}: {result.status}")
                yield [views.ingest_html(done, list(display.values())[len(done):]), *skip]
            if "error" in outcome:
                if outcome.get("report") is not None:
                    yield [views.ingest_html(outcome["report"].files, summary=outcome["report"].summary()), *skip]
                raise gr.Error(f"Adding files stopped: {outcome['error']}")
            report = outcome["report"]
            failed = report.by_status("failed")
            if failed:
                gr.Warning(f"{len(failed)} of {len(paths)} file(s) could not be added; see the reasons in the list.", duration=8)
            yield [views.ingest_html(report.files, summary=report.summary()), None, "", *library(name, request)]

        def ask_remove(doc_ids: list[str], name: str, request: gr.Request) -> list:
            """Ask before removing: name the documents and what goes with them."""
            if not doc_ids:
                raise user_error("Pick the documents to remove.")
            names = [d.file_name for d in ws_for(name, request).documents() if d.doc_id in doc_ids]
            question = (f"<p class='hint'><b>Remove {views.e(', '.join(names))}?</b> Their passages leave the search index and the "
                        "audit; the files themselves are not touched.</p>")
            return [gr.Row(visible=True), question]

        def remove(doc_ids: list[str], name: str, request: gr.Request) -> list:
            """Remove the confirmed documents from the workspace (catalog, vectors and keyword index)."""
            if not doc_ids:
                raise user_error("Pick the documents to remove.")
            ws = ws_for(name, request)
            try:
                removed = [ws.remove(doc_id).file_name for doc_id in doc_ids]
            except (AccessDeniedError, NotFoundError) as error:
                raise user_error(str(error))
            gr.Info(f"Removed {', '.join(removed)}.", duration=4)
            return [gr.Row(visible=False), *library(name, request)]

        def move_to_deal(doc_ids: list[str], deal: str, name: str, request: gr.Request) -> list:
            """Put documents into a deal ('' takes them out)."""
            if not doc_ids:
                raise user_error("Pick one or more documents.")
            ws = ws_for(name, request)
            try:
                for doc_id in doc_ids:
                    ws.set_deal(doc_id, (deal or "").strip())
            except (AccessDeniedError, NotFoundError) as error:
                raise user_error(str(error))
            return library(name, request)

        def put_in_deal(doc_ids: list[str], deal: str, name: str, request: gr.Request) -> list:
            if not (deal or "").strip():
                raise user_error("Type or pick a deal name.")
            return move_to_deal(doc_ids, deal, name, request)

        def take_out_of_deal(doc_ids: list[str], name: str, request: gr.Request) -> list:
            return move_to_deal(doc_ids, "", name, request)

        def ask_question(text: str, name: str, history: list[Turn], scope: list[str] | None, request: gr.Request) -> Iterator[list]:
            """Stream the answer into the transcript, then replace it with the verified answer and its citations;
            ``scope`` holds the picked documents (ids) and deals (``deal:NAME``) the answer is limited to."""
            text = (text or "").strip()
            if not text:
                raise user_error("Type a question first.")
            ws = ws_for(name, request)
            if not ws.documents():
                raise user_error("This workspace has no documents yet. Add some on the Documents tab.")
            user = ws.principal.name
            current = [*history, Turn(text, pending="")]
            yield ["", views.transcript_html(current, name)[0], gr.skip(), current, gr.skip()]
            streamed = ""
            try:
                documents, deals = views.scope_of(scope or [])
                for item in ws.ask_stream(text, views.history_of(history), user=user, documents=documents, deals=deals):
                    if isinstance(item, Answer):
                        current[-1] = Turn(text, item)
                    else:
                        streamed += item
                        current[-1] = Turn(text, pending=streamed)
                        yield [gr.skip(), views.transcript_html(current, name)[0], gr.skip(), current, gr.skip()]
            except (AssistantError, ValueError) as error:
                log.info("could not answer: %s", error)
                current[-1] = Turn(text, error=f"Could not answer: {error}")
            if current[-1].answer is None and not current[-1].error:
                current[-1] = Turn(text, error="The answerer returned no answer.")
            html, links = views.transcript_html(current, name)
            yield [gr.skip(), html, links, current, saved(name, current)]

        def new_chat(name: str, request: gr.Request) -> list:
            ws_for(name, request)
            html, links = views.transcript_html([], name)
            return [[], html, links, saved(name, [])]

        def show_link(links: views.Links, name: str, evt: gr.EventData, request: gr.Request) -> list:
            """Open the clicked citation, evidence or key term in the side panel."""
            shown = _passage(ws_for(name, request), links, getattr(evt, "passage", ""))
            if shown is None:
                return [gr.skip(), gr.skip()]
            return [shown, gr.Sidebar(open=True)]

        def audit(name: str, by: str, doc_ids: list[str], request: gr.Request, progress=gr.Progress()) -> list:
            """Run the clause audit and reset the filters to show everything."""
            ws = ws_for(name, request)
            reset = [gr.CheckboxGroup(value=[]), gr.CheckboxGroup(value=[])]
            if not ws.documents():
                summary, _ = views.audit_summary_html([], empty="This workspace has no documents yet: add some on the Documents tab, then run the audit.")
                return [[], summary, {}, *reset, gr.Dropdown(choices=[], value=[]), gr.Dropdown(choices=[], value=[]),
                        "", {}, "", *[gr.DownloadButton(value=None, interactive=False) for _ in DOWNLOADS]]
            progress(None, desc="Auditing against the clause playbook")
            results = ws.audit(by=by, documents=doc_ids or None)
            rows = finding_rows(results, element_names(ws.playbook), worst_first=True)
            summary, links = views.audit_summary_html(results)
            return [results, summary, links, *reset, gr.Dropdown(choices=sorted({r.group for r in rows if r.group}), value=[]),
                    gr.Dropdown(choices=[r.subject for r in results], value=[]), *audit_view(results, [], [], [], [], name, by, request)]

        def audit_view(results: list[AuditResult], statuses, severities, groups, subjects, name: str, by: str, request: gr.Request) -> list:
            """Table, its links, caption and download files for the current filters."""
            if not results:
                return ["", {}, "", *[gr.DownloadButton(value=None, interactive=False) for _ in DOWNLOADS]]
            ws = ws_for(name, request)
            names = element_names(ws.playbook)
            rows = finding_rows(results, names, worst_first=True)
            shown = views.filter_rows(rows, statuses, severities, groups, subjects)
            folder = exports / uuid.uuid4().hex
            stem = f"audit-{name}-{by}-{time.strftime('%Y%m%d-%H%M')}"
            files = views.write_downloads(views.filtered_results(results, shown), folder, stem, names)
            counts = {s: sum(1 for r in shown if r.status == s) for s in STATUSES}
            caption = (f"<p class='hint'>Showing {len(shown)} of {len(rows)} findings: {counts['present']} present, {counts['weak']} weak, "
                       f"{counts['missing']} missing. Click an evidence link to read the passage. Downloads contain the rows shown.</p>")
            table, links = views.audit_table_html(shown, show_subject=len(results) > 1)
            return [table, links, caption, *[gr.DownloadButton(value=offer(files[fmt], request), interactive=True) for fmt, _ in DOWNLOADS]]

        workspace_change = [*library_outputs, *session_outputs, session]
        demo.load(load, inputs=[session], outputs=[workspace, *workspace_change])
        workspace.input(open_workspace, inputs=[workspace], outputs=workspace_change)
        create_workspace.click(create, inputs=[new_workspace], outputs=[workspace, new_workspace]).success(
            open_workspace, inputs=[workspace], outputs=workspace_change)
        new_workspace.submit(create, inputs=[new_workspace], outputs=[workspace, new_workspace]).success(
            open_workspace, inputs=[workspace], outputs=workspace_change)

        add_files.click(ingest, inputs=[uploads, upload_deal, workspace], outputs=[ingest_out, uploads, upload_deal, *library_outputs],
                        show_progress="minimal")
        remove_button.click(ask_remove, inputs=[remove_pick, workspace], outputs=[remove_confirm, remove_question])
        remove_yes.click(remove, inputs=[remove_pick, workspace], outputs=[remove_confirm, *library_outputs])
        remove_no.click(lambda: gr.Row(visible=False), outputs=[remove_confirm], show_progress="hidden")
        share_grant.click(share, inputs=[workspace, share_user, share_role], outputs=[sharing_view])
        share_revoke.click(unshare, inputs=[workspace, share_user], outputs=[sharing_view])
        set_deal.click(put_in_deal, inputs=[deal_docs, deal_name, workspace], outputs=library_outputs)
        clear_deal.click(take_out_of_deal, inputs=[deal_docs, workspace], outputs=library_outputs)

        for trigger in (ask.click, question.submit):
            trigger(ask_question, inputs=[question, workspace, turns, chat_scope], outputs=[question, transcript, chat_links, turns, session],
                    show_progress="hidden")
        clear.click(new_chat, inputs=[workspace], outputs=[turns, transcript, chat_links, session])
        close_viewer.click(lambda: gr.Sidebar(open=False), outputs=[viewer_panel], show_progress="hidden")
        transcript.click(show_link, inputs=[chat_links, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")

        filters = [f_status, f_severity, f_group, f_subject]
        view_outputs = [audit_table, table_links, audit_caption, *download_buttons]
        run_audit.click(audit, inputs=[workspace, audit_by, audit_docs],
                        outputs=[audit_results, audit_summary, summary_links, *filters, *view_outputs])
        for component in filters:
            component.input(audit_view, inputs=[audit_results, *filters, workspace, audit_by], outputs=view_outputs,
                            show_progress="hidden")
        audit_summary.click(show_link, inputs=[summary_links, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")
        audit_table.click(show_link, inputs=[table_links, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")

        manage_tabs.wire(manage, ws_for, offer, workspace, exports, show_link, viewer, viewer_panel)

    # Gradio runs one request of each event at a time unless told otherwise: one user's audit would wait for every
    # other user's, a citation click behind them. The API is safe to call from many threads (eval.load), so every
    # event runs up to server_concurrency at once.
    demo.queue(default_concurrency_limit=settings.server_concurrency)
    demo.pool = pool  # type: ignore[attr-defined]  # serve() closes the workspaces on shutdown
    demo.gate = gate  # type: ignore[attr-defined]  # launch_options() puts it in front of every route
    demo.insecure_no_auth = insecure_no_auth  # type: ignore[attr-defined]
    weakref.finalize(demo, shutil.rmtree, exports, True)
    return demo


# ---------------------------------------------------------------------------------------------- running


def launch_options(settings: Settings, demo: gr.Blocks, *, open_browser: bool = False, prevent_thread_lock: bool = False) -> dict[str, Any]:
    """``Blocks.launch`` arguments for this deployment: host/port, the sign-in and the gate of ``demo`` (made by
    ``create_app``) in front of every route, offline theme and CSS."""
    from starlette.middleware import Middleware

    gate: Gate = demo.gate  # type: ignore[attr-defined]
    login = not gate.open_access
    return {
        "server_name": settings.server_host,
        "server_port": settings.server_port,
        "auth": gate.auth if login else None,
        "auth_message": f"{APP_TITLE}: sign in with the account your administrator gave you." if login else None,
        "app_kwargs": {"middleware": [Middleware(gate.middleware)]},
        "inbrowser": open_browser,
        "prevent_thread_lock": prevent_thread_lock,
        "theme": THEME,
        "css": CSS,
        "footer_links": [],
        "ssr_mode": False,
        "share": False,
        "show_error": False,
        "enable_monitoring": False,
        "mcp_server": False,
        "run_history": False,  # Gradio would keep every question and answer in the browser's run history
        "pwa": False,
        "quiet": True,
        "max_file_size": f"{settings.max_file_mb:g}mb",
    }


def check_exposure(settings: Settings, demo: gr.Blocks, insecure_no_auth: bool) -> None:
    """Refuse to serve a non-loopback address with no accounts (anyone on the network would be every user),
    unless the operator asked for it for a demo."""
    gate: Gate = demo.gate  # type: ignore[attr-defined]
    if gate.open_access and settings.server_host not in LOOPBACK:
        if not insecure_no_auth:
            raise AssistantError(f"refusing to listen on {settings.server_host} with no user accounts: add one with "
                                 "'contract-assistant users add NAME --admin', or pass --insecure-no-auth for a demo")
        log.warning("listening on %s without a login (--insecure-no-auth): anyone who reaches it can read every workspace",
                    settings.server_host)


def start(settings: Settings, *, open_browser: bool = False, insecure_no_auth: bool = False) -> gr.Blocks:
    """Build and launch the app without blocking (tests and embedding); returns the running Blocks.

    A port already in use is a ``PortInUseError`` that says which option picks another; a non-loopback address
    without accounts is refused (``check_exposure``)."""
    demo = create_app(settings, insecure_no_auth=insecure_no_auth)
    check_exposure(settings, demo, insecure_no_auth)
    try:
        demo.launch(**launch_options(settings, demo, open_browser=open_browser, prevent_thread_lock=True))
    except OSError as error:
        demo.pool.close()  # type: ignore[attr-defined]
        if "port" in str(error).lower() or "address" in str(error).lower():
            raise PortInUseError(f"port {settings.server_port} on {settings.server_host} is in use by another program; "
                                 "pick another with --port N (setting server_port)") from None
        raise
    log.info("%s running on %s", APP_TITLE, demo.local_url)
    return demo


def serve(settings: Settings, *, open_browser: bool = False, insecure_no_auth: bool = False) -> None:
    """Run the app until interrupted (Ctrl+C); a sign-in when the deployment has accounts."""
    demo = start(settings, open_browser=open_browser, insecure_no_auth=insecure_no_auth)
    try:
        demo.block_thread()
    finally:
        demo.close()
        demo.pool.close()  # type: ignore[attr-defined]
