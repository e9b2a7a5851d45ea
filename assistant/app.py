"""The web app: a thin Gradio shell over :class:`assistant.Workspace` for legal and procurement staff.

Tabs: Documents (upload several files, per-file results, list and remove), Chat (streamed answers whose
[n] citations open the cited passage), Audit (present / weak / missing table with filters and downloads),
Deals (documents grouped into one deal) and Settings (what is in use, read-only). A right-hand panel shows
any cited passage or audit evidence with the exact quote highlighted.

Everything is served from this process: system fonts only, no CDN, no analytics, so it works offline.
``serve(settings)`` runs it (with a password login when ``settings.auth_users`` is set).
"""

from __future__ import annotations

import html
import os
import queue
import re
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from .audit import STATUSES, AuditResult  # noqa: E402
from .catalog import DocumentInfo  # noqa: E402
from .config import ENV_PREFIX, Settings  # noqa: E402
from .errors import AssistantError  # noqa: E402
from .ingest import FileResult  # noqa: E402
from .models import Document  # noqa: E402
from .playbook import SEVERITIES, Playbook, load_playbook  # noqa: E402
from .reports import write_report  # noqa: E402
from .workspace import Workspace, list_workspaces  # noqa: E402

APP_TITLE = "Contract review assistant"
CONTEXT_CHARS = 600
EXPORT_MAX_AGE_S = 24 * 3600
DOWNLOADS = (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON"), ("md", "Markdown"))
FILE_STATUS_PILLS = {"added": "ok", "replaced": "info", "unchanged": "muted", "skipped": "warn", "failed": "bad"}
AUDIT_STATUS_PILLS = {"present": "ok", "weak": "warn", "missing": "bad", "error": "muted"}
EXAMPLE_QUESTIONS = (
    "How much notice is needed to terminate for convenience?",
    "What is the cap on each party's liability?",
    "Which law governs the agreement?",
    "How long is the termination assistance period?",
)

THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)

# Clicks on anything with data-passage="<key>" inside the component become one Python click event.
PASSAGE_LINKS_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('[data-passage]');
  if (!link || !element.contains(link)) return;
  event.preventDefault();
  trigger('click', {passage: link.dataset.passage});
});
"""
# The viewer brings the highlighted quote into view whenever it shows a new passage.
SCROLL_TO_MARK_JS = """
watch('value', () => {
  const mark = element.querySelector('mark');
  if (mark) mark.scrollIntoView({block: 'center'});
});
"""

CSS = """
.gradio-container { max-width: 1320px !important; }
#app-header { align-items: center; margin-bottom: 0; }
#ws-controls { align-items: flex-end; }
#create-workspace { margin-bottom: 10px; }
.brand h1 { font-size: 1.4rem; margin: 0; font-weight: 700; letter-spacing: -0.01em; }
.brand p { margin: 2px 0 0; color: var(--body-text-color-subdued); font-size: 0.9rem; }
.ws-status { color: var(--body-text-color-subdued); font-size: 0.88rem; margin: 0 2px 6px; }
.ws-status b { color: var(--body-text-color); font-weight: 600; }
.hint { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 2px 0 8px; }
.empty { color: var(--body-text-color-subdued); padding: 18px 4px; text-align: center; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.78rem; font-weight: 600; white-space: nowrap; }
.pill.ok { background: #dcfce7; color: #166534; }
.pill.warn { background: #fef3c7; color: #92400e; }
.pill.bad { background: #fee2e2; color: #991b1b; }
.pill.info { background: #dbeafe; color: #1e40af; }
.pill.muted { background: var(--background-fill-secondary); color: var(--body-text-color-subdued); }
.sev { font-size: 0.78rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
.sev.high { color: #b91c1c; } .sev.medium { color: #b45309; } .sev.low { color: var(--body-text-color-subdued); }
.dark .sev.high { color: #fca5a5; } .dark .sev.medium { color: #fcd34d; }
table.grid { width: 100%; border-collapse: collapse; font-size: 0.88rem; }
table.grid th { text-align: left; font-weight: 600; font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em;
  color: var(--body-text-color-subdued); border-bottom: 1px solid var(--border-color-primary); padding: 8px 10px; position: sticky; top: 0;
  background: var(--background-fill-primary); z-index: 1; }
table.grid td { border-bottom: 1px solid var(--border-color-primary); padding: 8px 10px; vertical-align: top; overflow-wrap: anywhere; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.grid .sub { color: var(--body-text-color-subdued); font-size: 0.8rem; }
table.grid .detail { color: #991b1b; font-size: 0.82rem; }
.dark table.grid .detail { color: #fca5a5; }
table.audit tr.present td:first-child { box-shadow: inset 4px 0 0 #22c55e; }
table.audit tr.weak td:first-child { box-shadow: inset 4px 0 0 #f59e0b; }
table.audit tr.missing td:first-child { box-shadow: inset 4px 0 0 #ef4444; }
table.audit tr.present { background: rgba(34, 197, 94, 0.06); }
table.audit tr.weak { background: rgba(245, 158, 11, 0.09); }
table.audit tr.missing { background: rgba(239, 68, 68, 0.08); }
table.audit details summary { cursor: pointer; color: var(--color-accent); font-size: 0.82rem; }
table.audit details p { margin: 6px 0 0; font-size: 0.84rem; line-height: 1.45; }
.conf { display: inline-block; width: 44px; height: 5px; border-radius: 3px; background: var(--background-fill-secondary); vertical-align: middle; margin-left: 6px; overflow: hidden; }
.conf i { display: block; height: 100%; background: var(--color-accent); }
a.ev, a.source, a.cite, a.term, a.el { color: var(--color-accent); text-decoration: none; cursor: pointer; }
a.ev:hover, a.source:hover, a.cite:hover, a.term:hover, a.el:hover { text-decoration: underline; }
a.ev { display: block; max-width: 260px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 0.84rem; line-height: 1.6; }
a:focus { outline: none; } a:focus-visible { outline: 2px solid var(--color-accent); border-radius: 3px; }
table.audit { table-layout: fixed; min-width: 1000px; }
a.cite { font-weight: 600; font-size: 0.85em; padding: 0 4px; border-radius: 4px; background: var(--color-accent-soft); }
.table-scroll { max-height: 620px; overflow: auto; border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); }
.summary-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 10px; margin-bottom: 4px; align-items: start; }
#audit-summary .summary-cards { max-height: 380px; overflow: auto; }
.card { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); padding: 12px 14px; background: var(--background-fill-primary); }
.card details summary { cursor: pointer; color: var(--color-accent); font-size: 0.84rem; margin-top: 4px; }
.card h4 { margin: 0 0 6px; font-size: 0.95rem; font-weight: 600; overflow-wrap: anywhere; }
.card .counts { display: flex; gap: 6px; margin-bottom: 6px; flex-wrap: wrap; }
.card ul { margin: 4px 0 0; padding-left: 18px; font-size: 0.84rem; }
.card details.gaps summary { color: #b91c1c; }
.dark .card details.gaps summary { color: #fca5a5; }
.chat { display: flex; flex-direction: column; gap: 14px; padding: 6px 4px; }
.msg { display: flex; }
.msg.user { justify-content: flex-end; }
.bubble { max-width: 85%; border-radius: 14px; padding: 10px 14px; line-height: 1.5; font-size: 0.93rem; }
.msg.user .bubble { background: var(--color-accent); color: white; border-bottom-right-radius: 4px; }
.msg.bot .bubble { background: var(--background-fill-primary); border: 1px solid var(--border-color-primary); border-bottom-left-radius: 4px; }
.bubble p { margin: 0 0 8px; } .bubble p:last-child { margin-bottom: 0; }
.bubble table { border-collapse: collapse; margin: 6px 0; font-size: 0.86rem; }
.bubble th, .bubble td { border: 1px solid var(--border-color-primary); padding: 3px 8px; }
.key-value { display: inline-block; margin-bottom: 8px; padding: 3px 10px; border-radius: 8px; background: var(--color-accent-soft); font-weight: 600; }
.not-answered { color: var(--body-text-color-subdued); font-style: italic; }
.sources { margin-top: 10px; padding-top: 8px; border-top: 1px dashed var(--border-color-primary); font-size: 0.84rem; }
.sources .title { font-weight: 600; font-size: 0.76rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.sources ol { margin: 0; padding-left: 0; list-style: none; }
.sources li { margin: 3px 0; }
.sources .num { display: inline-block; min-width: 20px; text-align: center; border-radius: 5px; background: var(--color-accent-soft); font-weight: 600; margin-right: 4px; }
.sources .q { display: block; color: var(--body-text-color-subdued); margin-left: 26px; font-size: 0.8rem; }
.meta-line { margin-top: 6px; font-size: 0.75rem; color: var(--body-text-color-subdued); }
.typing::after { content: "\u258d"; animation: blink 1s steps(2) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.chat-empty { text-align: center; color: var(--body-text-color-subdued); padding: 60px 20px; }
.chat-empty h3 { color: var(--body-text-color); margin-bottom: 4px; }
.passage h3 { margin: 0 0 2px; font-size: 1.05rem; word-break: break-all; }
.passage .where { font-size: 0.86rem; margin-bottom: 2px; }
.passage .where b { font-weight: 600; }
.passage .label { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--body-text-color-subdued); }
.passage .offsets { font-size: 0.76rem; color: var(--body-text-color-subdued); margin-bottom: 10px; }
.passage .body { white-space: pre-wrap; font-size: 0.86rem; line-height: 1.55; border: 1px solid var(--border-color-primary);
  border-radius: var(--radius-lg); padding: 12px; background: var(--background-fill-primary); max-height: 70vh; overflow: auto; }
.passage mark { background: #fde68a; color: inherit; padding: 1px 0; border-radius: 2px; box-shadow: 0 0 0 2px #fde68a; }
.dark .passage mark { background: #a16207; box-shadow: 0 0 0 2px #a16207; }
.passage .gone { color: #991b1b; }
.settings { max-width: 980px; }
.settings h3 { font-size: 1rem; margin: 14px 0 8px; font-weight: 600; }
.settings-table td:first-child { width: 34%; color: var(--body-text-color-subdued); }
.settings-table code, .env code { font-family: var(--font-mono); font-size: 0.84rem; }
.deal h4 .sub { font-weight: 400; }
footer { display: none !important; }
"""

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").disable(["image", "link", "autolink"])
_CITE_GROUP = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
e = html.escape
DASH = "<span class='sub'>\u2014</span>"


# ---------------------------------------------------------------------------------------------- passages


@dataclass(frozen=True)
class PassageRef:
    """A span to show in the viewer. Citations, audit evidence and key terms all reduce to this."""

    doc_id: str
    file_name: str
    start: int
    end: int
    page: int = 0
    section_path: str = ""
    label: str = ""


def passage_html(document: Document, ref: PassageRef, context: int = CONTEXT_CHARS) -> str:
    """The viewer: document, page, section and ``context`` characters around the quote, which is ``<mark>``-ed.

    Offsets index ``document.text``, so the marked text is exactly what was cited; the window is widened to
    whole words so the reader never sees a cut-off word at either edge.
    """
    text = document.text
    start = max(0, min(ref.start, len(text)))
    end = max(start, min(ref.end, len(text)))
    low, high = max(0, start - context), min(len(text), end + context)
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space != -1 else low
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space != -1 else high
    before = ("\u2026" if low > 0 else "") + text[low:start]
    after = text[end:high] + ("\u2026" if high < len(text) else "")
    page = ref.page or document.page_at(start)
    section = ref.section_path or "(before the first heading)"
    label = f"<div class='label'>{e(ref.label)}</div>" if ref.label else ""
    return (
        f"<div class='passage'>{label}<h3>{e(ref.file_name or document.file_name)}</h3>"
        f"<div class='where'><b>Page {page}</b> of {document.pages} &middot; Section <b>{e(section)}</b></div>"
        f"<div class='offsets'>characters {start:,}\u2013{end:,}</div>"
        f"<div class='body'>{e(before)}<mark>{e(text[start:end])}</mark>{e(after)}</div></div>"
    )


def viewer_message(message: str, css_class: str = "empty") -> str:
    """A one-line note in the viewer (nothing selected yet, or the document has since been removed)."""
    return f"<div class='passage'><p class='{css_class}'>{e(message)}</p></div>"


# ---------------------------------------------------------------------------------------------- chat


@dataclass(frozen=True)
class Turn:
    """One question and its answer as the transcript shows it; ``citations`` are ``answering.Citation``."""

    question: str
    text: str = ""
    citations: tuple = ()
    answered: bool = True
    answerer: str = ""
    seconds: float = 0.0
    key_value: str = ""
    table: tuple = ()
    pending: bool = False
    error: str = ""

    @classmethod
    def from_answer(cls, question: str, answer: Any) -> "Turn":
        return cls(question, answer.text, tuple(answer.citations), answer.answered, answer.answerer, answer.seconds,
                   answer.key_value, tuple(answer.table))


def cite_key(turn: int, number: int) -> str:
    return f"c{turn}-{number}"


def citation_ref(citation: Any) -> PassageRef:
    return PassageRef(citation.doc_id, citation.file_name, citation.start, citation.end, citation.page,
                      citation.section_path, f"Citation [{citation.number}]")


def link_citations(rendered: str, citations: Iterable[Any], turn: int) -> str:
    """Turn each [n] (or [n, m]) in rendered answer HTML into links to the cited passages.

    Numbers without a matching citation stay plain text, so a marker can never open the wrong passage.
    """
    known = {c.number: c for c in citations}

    def one(number: str) -> str:
        c = known.get(int(number))
        if c is None:
            return number
        title = f"{c.file_name}, p. {c.page}, {c.section_path or 'preamble'}"
        return f"<a href='#' class='cite' data-passage='{cite_key(turn, c.number)}' title='{e(title)}'>{number}</a>"

    def group(match: re.Match) -> str:
        numbers = [n.strip() for n in match.group(1).split(",")]
        if not any(int(n) in known for n in numbers):
            return match.group(0)
        return "[" + ", ".join(one(n) for n in numbers) + "]"

    return _CITE_GROUP.sub(group, rendered)


def answer_html(turn: Turn, index: int) -> str:
    """An answer bubble: Markdown body with linked citations, optional key value and table, then its sources."""
    parts: list[str] = []
    if turn.error:
        return f"<p class='not-answered'>{e(turn.error)}</p>"
    if turn.key_value and not turn.pending and turn.key_value.lower() not in (turn.text or "").lower():
        parts.append(f"<div class='key-value'>{e(turn.key_value)}</div>")
    body = link_citations(_MARKDOWN.render(turn.text or ""), turn.citations, index)
    if not turn.answered and not turn.pending:
        body = f"<div class='not-answered'>{body}</div>"
    parts.append(f"<div class='typing'>{body}</div>" if turn.pending else body)
    if turn.table and not turn.pending:
        columns = list(dict.fromkeys(k for row in turn.table for k in row))
        head = "".join(f"<th>{e(str(c))}</th>" for c in columns)
        rows = "".join("<tr>" + "".join(f"<td>{e(str(row.get(c, '')))}</td>" for c in columns) + "</tr>" for row in turn.table)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if turn.citations and not turn.pending:
        items = []
        for c in turn.citations:
            quote = " ".join(c.quote.split())
            quote = quote if len(quote) <= 180 else quote[:177] + "\u2026"
            items.append(
                f"<li><a href='#' class='source' data-passage='{cite_key(index, c.number)}'><span class='num'>{c.number}</span>"
                f"{e(c.file_name)} &middot; p. {c.page} &middot; {e(c.section_path or 'preamble')}</a>"
                f"<span class='q'>\u201c{e(quote)}\u201d</span></li>"
            )
        parts.append(f"<div class='sources'><div class='title'>Sources</div><ol>{''.join(items)}</ol></div>")
    if turn.answerer and not turn.pending:
        parts.append(f"<div class='meta-line'>{e(turn.answerer)} &middot; {turn.seconds:.1f} s</div>")
    return "".join(parts)


def transcript_html(turns: list[Turn], workspace: str = "") -> str:
    """The whole conversation (user bubbles right, answers left), or a short how-to when it is empty."""
    if not turns:
        where = f" in <b>{e(workspace)}</b>" if workspace else ""
        return (
            "<div class='chat-empty'><h3>Ask about your contracts</h3>"
            f"<p>Questions are answered from the documents{where} only. Every statement carries a citation "
            "[n]: click it to see the exact passage, its page and section.</p></div>"
        )
    bubbles = []
    for index, turn in enumerate(turns):
        bubbles.append(f"<div class='msg user'><div class='bubble'>{e(turn.question)}</div></div>")
        bubbles.append(f"<div class='msg bot'><div class='bubble'>{answer_html(turn, index)}</div></div>")
    return f"<div class='chat'>{''.join(bubbles)}</div>"


def find_citation(turns: list[Turn], key: str) -> Any | None:
    """The citation behind a ``c<turn>-<n>`` key from a click, or None when it no longer exists."""
    match = re.fullmatch(r"c(\d+)-(\d+)", key or "")
    if not match or int(match.group(1)) >= len(turns):
        return None
    number = int(match.group(2))
    return next((c for c in turns[int(match.group(1))].citations if c.number == number), None)


# ---------------------------------------------------------------------------------------------- audit


@dataclass(frozen=True)
class AuditRow:
    """One table row: a clause finding for one subject (a document or a deal), with a stable key for its evidence."""

    key: str
    subject: str
    kind: str
    clause: str
    group: str
    severity: str
    status: str
    confidence: float
    missing: tuple[str, ...]
    evidence: tuple
    suggested: str
    why: str
    error: str = ""
    found: tuple[tuple[str, object], ...] = ()  # (element name, the Evidence that meets it)


def element_names(playbook: Playbook) -> dict[str, dict[str, str]]:
    """clause id -> element id -> readable name, the mapping the report writers take."""
    return {c.id: {el.id: el.name for el in c.elements} for c in playbook.clauses}


def audit_rows(results: list[AuditResult], playbook: Playbook) -> list[AuditRow]:
    """Flatten audit results into rows, highest severity and worst status first within each subject."""
    names = element_names(playbook)
    status_rank = {"missing": 0, "weak": 1, "present": 2}
    severity_rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows: list[AuditRow] = []
    for r_index, result in enumerate(results):
        if result.error:
            rows.append(AuditRow(f"{r_index}-x", result.subject, result.kind, "(audit failed)", "", "", "error", 0.0, (), (), "", "", result.error))
            continue
        ordered = sorted(enumerate(result.findings), key=lambda p: (status_rank.get(p[1].status, 3), severity_rank.get(p[1].severity, 9)))
        for f_index, f in ordered:
            rows.append(AuditRow(
                f"{r_index}-{f_index}", result.subject, result.kind, f.name, f.group, f.severity, f.status, f.confidence,
                tuple(names.get(f.clause_id, {}).get(m, m) for m in f.missing_elements), tuple(f.evidence),
                f.fallback.strip() if f.status != "present" else "", f.why,
                found=tuple((names.get(f.clause_id, {}).get(m, m), ev) for m, ev in f.element_evidence),
            ))
    return rows


def filter_rows(rows: list[AuditRow], statuses=None, severities=None, groups=None, subjects=None) -> list[AuditRow]:
    """Rows matching every filter; an empty or missing filter means "any" (error rows always stay visible)."""
    def ok(value: str, allowed) -> bool:
        return not allowed or value in allowed

    return [r for r in rows if r.status == "error" or (ok(r.status, statuses) and ok(r.severity, severities)
                                                        and ok(r.group, groups) and ok(r.subject, subjects))]


def filtered_results(results: list[AuditResult], rows: list[AuditRow]) -> list[AuditResult]:
    """The results cut down to the rows shown, so downloads contain exactly what the table shows."""
    keep: dict[int, set[int]] = {}
    for row in rows:
        r_index, f_index = row.key.split("-")
        keep.setdefault(int(r_index), set()).update(() if f_index == "x" else (int(f_index),))
    return [replace(results[i], findings=tuple(f for j, f in enumerate(results[i].findings) if j in found))
            for i, found in sorted(keep.items())]


def evidence_ref(results: list[AuditResult], key: str, names: dict[str, dict[str, str]] | None = None) -> PassageRef | None:
    """The passage behind an audit click: ``e<result>-<finding>-<n>`` (evidence), ``m<result>-<finding>-<n>`` (where
    the finding's n-th met element was found, titled with its name from ``names``, see ``element_names``) or
    ``k<result>-<term>`` (key term)."""
    try:
        if key[:1] in ("e", "m"):
            r_index, f_index, e_index = (int(p) for p in key[1:].split("-"))
            finding = results[r_index].findings[f_index]
            if key.startswith("e"):
                ev, label = finding.evidence[e_index], f"Evidence: {finding.name}"
            else:
                element_id, ev = finding.element_evidence[e_index]
                label = f"{finding.name}: {(names or {}).get(finding.clause_id, {}).get(element_id, element_id.replace('_', ' '))}"
            return PassageRef(ev.doc_id, ev.file_name, ev.start, ev.end, ev.page, ev.section_path, label)
        if key.startswith("k"):
            r_index, t_index = (int(p) for p in key[1:].split("-"))
            term = results[r_index].key_terms[t_index]
            return PassageRef(term.doc_id, term.file_name, term.start, term.end, term.page, term.section_path, f"Key term: {term.name}")
    except (ValueError, IndexError):
        return None
    return None


def _pill(status: str, mapping: dict[str, str]) -> str:
    return f"<span class='pill {mapping.get(status, 'muted')}'>{e(status)}</span>"


def audit_table_html(rows: list[AuditRow], show_subject: bool = True) -> str:
    """The findings table: status colour, severity, confidence, missing elements (and links to where each met element
    was found), evidence links, suggested language."""
    if not rows:
        return "<div class='empty'>No findings match these filters.</div>"
    widths = ([14] if show_subject else []) + [17, 8, 8, 9, 14, 19, 0]
    widths[-1] = 100 - sum(widths)
    cols = "".join(f"<col style='width:{w}%'>" for w in widths)
    head = f"<colgroup>{cols}</colgroup><thead><tr>" + ("<th>Document / deal</th>" if show_subject else "") + (
        "<th>Clause</th><th>Status</th><th>Severity</th><th>Confidence</th><th>Missing elements</th><th>Evidence</th>"
        "<th>Suggested language</th></tr></thead>")
    body = []
    for row in rows:
        kind = "<div class='sub'>deal</div>" if row.kind == "deal" else ""
        subject = f"<td>{e(row.subject)}{kind}</td>" if show_subject else ""
        if row.status == "error":
            body.append(f"<tr class='error'>{subject}<td colspan='7'>{_pill('error', AUDIT_STATUS_PILLS)} <span class='detail'>{e(row.error)}</span></td></tr>")
            continue
        links = []
        for n, ev in enumerate(row.evidence):
            section = ev.section_path.split(" > ")[-1] if ev.section_path else "preamble"
            where = f"{ev.file_name} p.{ev.page}" if row.kind == "deal" else f"p.{ev.page}"
            links.append(f"<a href='#' class='ev' data-passage='e{row.key}-{n}' title='{e(ev.file_name)}: {e(ev.section_path)}'>"
                         f"{e(where)} &middot; {e(section)}</a>")
        evidence = "".join(links) or "<span class='sub'>none found</span>"
        teaser = " ".join(row.suggested.split()[:9]) + "\u2026"
        suggested = f"<details><summary>{e(teaser)}</summary><p>{e(row.suggested)}</p></details>" if row.suggested else ""
        confidence = f"{row.confidence:.0%}<span class='conf'><i style='width:{row.confidence * 100:.0f}%'></i></span>"
        missing = e(", ".join(row.missing)) if row.missing else DASH
        found = [f"<a href='#' class='el' data-passage='m{row.key}-{n}' title='{e(ev.file_name)}: {e(ev.section_path)}'>{e(name)}</a>"
                 for n, (name, ev) in enumerate(row.found)]
        if found:
            missing += f"<div class='sub found'>found: {', '.join(found)}</div>"
        body.append(
            f"<tr class='{row.status}'>{subject}<td><b>{e(row.clause)}</b><div class='sub'>{e(row.group)}</div></td>"
            f"<td>{_pill(row.status, AUDIT_STATUS_PILLS)}</td><td><span class='sev {row.severity}'>{e(row.severity)}</span></td>"
            f"<td class='num'>{confidence}</td><td>{missing}</td><td>{evidence}</td><td>{suggested}</td></tr>"
        )
    return f"<div class='table-scroll'><table class='grid audit'>{head}<tbody>{''.join(body)}</tbody></table></div>"


def audit_summary_html(results: list[AuditResult]) -> str:
    """One card per subject: status counts, missing high-severity clauses and key terms (each opening its evidence)."""
    if not results:
        return "<div class='empty'>Run the audit to check every document against the clause playbook.</div>"
    cards = []
    for r_index, r in enumerate(results):
        if r.error:
            cards.append(f"<div class='card'><h4>{e(r.subject)}</h4><p class='detail'>{e(r.error)}</p></div>")
            continue
        counts = {s: sum(1 for f in r.findings if f.status == s) for s in STATUSES}
        pills = "".join(f"<span class='pill {AUDIT_STATUS_PILLS[s]}'>{counts[s]} {s}</span>" for s in STATUSES)
        gaps = [f.name for f in r.gaps("high")]
        gap_line = (f"<details class='gaps'><summary>{len(gaps)} high-severity clause{'s' if len(gaps) != 1 else ''} missing</summary>"
                    f"<ul>{''.join(f'<li>{e(g)}</li>' for g in gaps)}</ul></details>") if gaps else ""
        terms = "".join(
            f"<li>{e(t.name)}: <a href='#' class='term' data-passage='k{r_index}-{t_index}'>{e(t.value)}</a></li>"
            for t_index, t in enumerate(r.key_terms) if t.value
        )
        count = sum(1 for t in r.key_terms if t.value)
        terms = f"<details><summary>Key terms ({count})</summary><ul>{terms}</ul></details>" if terms else ""
        files = f"<div class='sub'>{e(', '.join(r.file_names))}</div>" if r.kind == "deal" else ""
        cards.append(f"<div class='card'><h4>{e(r.subject)} <span class='sub'>({e(r.kind)})</span></h4>{files}"
                     f"<div class='counts'>{pills}</div>{gap_line}{terms}</div>")
    return f"<div class='summary-cards'>{''.join(cards)}</div>"


def write_downloads(results: list[AuditResult], folder: Path, stem: str, names: dict[str, dict[str, str]]) -> dict[str, Path]:
    """Write the four report formats into ``folder`` (one per run, so concurrent users never share files).

    Sibling folders older than a day are deleted first: a long-running server would otherwise keep every export.
    """
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for old in folder.parent.glob("*") if folder.parent.is_dir() else ():
        if old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return {fmt: write_report(results, fmt, folder / f"{stem}.{fmt}", names) for fmt, _ in DOWNLOADS}


# ---------------------------------------------------------------------------------------------- documents


def ingest_html(files: list[FileResult], waiting: Iterable[str] = (), summary: str = "") -> str:
    """Per-file outcome of an upload (errors named per file), with files still waiting listed below."""
    rows = []
    for f in files:
        detail = f"<div class='detail'>{e(f.detail)}</div>" if f.status in ("failed", "skipped") and f.detail else ""
        rows.append(f"<tr><td><b>{e(Path(f.path).name)}</b>{detail}</td><td>{_pill(f.status, FILE_STATUS_PILLS)}</td>"
                    f"<td class='num'>{f.pages or ''}</td><td class='num'>{f.chunks or ''}</td><td class='num'>{f.seconds:.1f} s</td></tr>")
    for name in waiting:
        rows.append(f"<tr><td>{e(name)}</td><td><span class='pill muted'>waiting</span></td><td></td><td></td><td></td></tr>")
    if not rows:
        return ""
    caption = f"<p class='hint'>{e(summary)}</p>" if summary else ""
    return (f"{caption}<table class='grid'><thead><tr><th>File</th><th>Result</th><th>Pages</th><th>Chunks</th><th>Time</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def documents_html(docs: list[DocumentInfo]) -> str:
    """The workspace's documents as a table."""
    if not docs:
        return "<div class='empty'>No documents yet. Add PDF, Word, HTML, Markdown or text files on the left.</div>"
    rows = "".join(
        f"<tr><td><b>{e(d.file_name)}</b><div class='sub'>{e(d.title[:90])}</div></td><td>{e(d.kind)}</td>"
        f"<td class='num'>{d.pages}</td><td class='num'>{d.chunks}</td><td>{e(d.deal) or DASH}</td>"
        f"<td class='num'>{_size(d.size_bytes)}</td><td class='num' title='{datetime.fromtimestamp(d.ingested_at):%Y-%m-%d %H:%M}'>{datetime.fromtimestamp(d.ingested_at):%d %b %H:%M}</td></tr>"
        for d in docs
    )
    return (f"<div class='table-scroll'><table class='grid docs'><thead><tr><th>Document</th><th>Type</th><th>Pages</th><th>Chunks</th>"
            f"<th>Deal</th><th>Size</th><th>Added</th></tr></thead><tbody>{rows}</tbody></table></div>")


def deals_html(docs: list[DocumentInfo]) -> str:
    """Documents grouped by deal (one card each), then the documents in no deal."""
    if not docs:
        return "<div class='empty'>No documents yet.</div>"
    groups: dict[str, list[DocumentInfo]] = {}
    for d in docs:
        groups.setdefault(d.deal, []).append(d)
    cards = []
    for deal in sorted(groups, key=lambda name: (name == "", name.lower())):
        members = groups[deal]
        title = e(deal) if deal else "Not in a deal"
        items = "".join(f"<li><b>{e(d.file_name)}</b> <span class='sub'>{e(d.kind)}, {d.pages} p.</span></li>" for d in members)
        cards.append(f"<div class='card deal'><h4>{title} <span class='sub'>&middot; {len(members)} document{'s' if len(members) != 1 else ''}</span></h4><ul>{items}</ul></div>")
    return f"<div class='summary-cards'>{''.join(cards)}</div>"


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def status_line(workspace: str, docs: list[DocumentInfo]) -> str:
    deals = len({d.deal for d in docs if d.deal})
    return (f"<div class='ws-status'>Workspace <b>{e(workspace)}</b> &middot; {len(docs)} document{'s' if len(docs) != 1 else ''}"
            f" &middot; {sum(d.chunks for d in docs):,} passages indexed &middot; {deals} deal{'s' if deals != 1 else ''}</div>")


# ---------------------------------------------------------------------------------------------- settings


def llm_env_help() -> list[tuple[str, str]]:
    """(environment variable, what it does) for every LLM setting, read from Settings so it never drifts."""
    out = []
    for name, info in Settings.model_fields.items():
        if name.startswith("llm_"):
            hint = info.description or ""
            if info.annotation is not None and "Literal" in str(info.annotation):
                hint = "one of: " + ", ".join(getattr(info.annotation, "__args__", ()))
            out.append((ENV_PREFIX + name.upper(), hint))
    return out


def settings_html(settings: Settings, docs: list[DocumentInfo], answerer: str) -> str:
    """What this deployment uses, read-only, plus how to switch on an LLM answerer."""
    chroma = (f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
              else f"embedded, {settings.workspace_dir / 'chroma'}")
    rows = [
        ("Answerer", answerer),
        ("Embedding model", f"{settings.embedding_model} (max {settings.embedding_max_tokens} tokens, bundled, offline)"),
        ("Chunk size", f"{settings.chunk_min_tokens}\u2013{settings.chunk_max_tokens} tokens (cl100k)"),
        ("Retrieval", f"hybrid BM25 + embeddings, top {settings.retrieval_k}"),
        ("Vector store (Chroma)", chroma),
        ("Data folder", str(settings.data_dir)),
        ("Workspace", settings.workspace),
        ("Documents / passages", f"{len(docs)} / {sum(d.chunks for d in docs):,}"),
        ("Largest file accepted", f"{settings.max_file_mb:g} MB"),
        ("Login", f"{len(settings.auth_users)} configured user(s)" if settings.auth_users else "off (single-user, local)"),
    ]
    table = "".join(f"<tr><td>{e(k)}</td><td><code>{e(v)}</code></td></tr>" for k, v in rows)
    env = "".join(f"<tr><td><code>{e(k)}</code></td><td>{e(v)}</td></tr>" for k, v in llm_env_help())
    return (
        f"<div class='settings'><h3>In use</h3><table class='grid settings-table'><tbody>{table}</tbody></table>"
        "<h3>Connecting an LLM</h3><p class='hint'>Without an LLM the assistant answers extractively: it quotes the best "
        "matching sentences, which is fully offline. To let a language model write answers (still verified against the "
        "cited passages), set these environment variables (or the same keys in <code>contract-assistant.toml</code>) "
        f"and restart:</p><table class='grid env'><tbody>{env}</tbody></table>"
        f"<p class='hint'>Example: <code>{ENV_PREFIX}LLM_PROVIDER=ollama {ENV_PREFIX}LLM_MODEL=llama3.1:8b</code>. "
        "The API key itself is read from the variable named by <code>LLM_API_KEY_ENV</code> and is never shown here.</p></div>"
    )


# ---------------------------------------------------------------------------------------------- the app


class WorkspacePool:
    """Open workspaces shared by every session: opening one starts a Chroma client, so each name is opened once."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._open: dict[str, Workspace] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Workspace:
        with self._lock:
            if name not in self._open:
                self._open[name] = Workspace(self.settings.with_workspace(name))
            return self._open[name]

    def names(self) -> list[str]:
        return sorted(set(list_workspaces(self.settings)) | {self.settings.workspace} | set(self._open))

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


def _doc_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    return [(d.file_name, d.doc_id) for d in docs]


def _html(value: str = "", *, js_on_load: str | None = None, **kwargs) -> gr.HTML:
    """Our own markup: without Gradio's prose styles (CSS above styles everything), and with click events only
    where ``js_on_load`` asks for them (Gradio's default would send every click to the server)."""
    return gr.HTML(value, js_on_load=js_on_load, apply_default_css=False, **kwargs)


def create_app(settings: Settings) -> gr.Blocks:
    """Build the UI. Nothing heavy happens here (workspaces open on first use), so the app starts fast."""
    pool = WorkspacePool(settings)
    playbook = load_playbook()
    names = element_names(playbook)
    exports = Path(tempfile.mkdtemp(prefix="contract-assistant-exports-"))

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        turns = gr.State([])
        audit_results = gr.State([])

        with gr.Sidebar(position="right", open=False, width=500, elem_id="viewer-panel") as viewer_panel:
            viewer = _html(viewer_message("Click a citation [n] or an evidence link to see the passage here."),
                           js_on_load=SCROLL_TO_MARK_JS, elem_id="passage-viewer")
            close_viewer = gr.Button("Close", size="sm", elem_id="close-viewer")

        with gr.Row(elem_id="app-header"):
            with gr.Column(scale=3, min_width=240):
                _html(f"<div class='brand'><h1>{APP_TITLE}</h1><p>IT outsourcing contracts: ask with citations, audit clauses. "
                      "Everything stays on this server.</p></div>")
            with gr.Column(scale=4, min_width=400):
                with gr.Row(elem_id="ws-controls"):
                    workspace = gr.Dropdown(label="Workspace", choices=pool.names(), value=settings.workspace, scale=3,
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
                            remove_button = gr.Button("Remove", variant="stop", scale=1, min_width=100, elem_id="remove-docs")

            with gr.Tab("Chat", id="chat"):
                transcript = _html(transcript_html([], settings.workspace), js_on_load=PASSAGE_LINKS_JS, elem_id="transcript",
                                   min_height=360, max_height=520, autoscroll=True, container=True, padding=True)
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
                audit_summary = _html(audit_summary_html([]), js_on_load=PASSAGE_LINKS_JS, elem_id="audit-summary")
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

            with gr.Tab("Settings", id="settings"):
                settings_view = _html(elem_id="settings-view")

        library_outputs = [status, documents, remove_pick, audit_docs, deals_view, deal_docs, deal_name, settings_view]

        def library(name: str) -> list:
            """Everything that lists the workspace's documents, refreshed together after any change."""
            ws = pool.get(name)
            docs = ws.documents()
            choices = _doc_choices(docs)
            deals = sorted({d.deal for d in docs if d.deal})
            return [
                status_line(name, docs), documents_html(docs), gr.Dropdown(choices=choices, value=[]),
                gr.Dropdown(choices=choices, value=[]), deals_html(docs), gr.Dropdown(choices=choices, value=[]),
                gr.Dropdown(choices=deals, value=deals[0] if len(deals) == 1 else None), settings_html(ws.settings, docs, answerer_label(ws)),
            ]

        def reset_session(name: str) -> list:
            """A new workspace starts a new conversation and clears the audit: both belong to the old documents."""
            return [[], transcript_html([], name), [], audit_summary_html([]), "", "",
                    *[gr.DownloadButton(value=None, interactive=False) for _ in DOWNLOADS],
                    viewer_message("Click a citation [n] or an evidence link to see the passage here."), gr.Sidebar(open=False)]

        session_outputs = [turns, transcript, audit_results, audit_summary, audit_table, audit_caption, *download_buttons, viewer, viewer_panel]

        def open_workspace(name: str) -> list:
            """Switch the whole UI to another workspace."""
            if not name:
                raise gr.Error("Pick a workspace.")
            return library(name) + reset_session(name)

        def load(name: str):
            """On page load: current workspace list (others may have created some) and this workspace's contents."""
            return [gr.Dropdown(choices=pool.names(), value=name)] + open_workspace(name)

        def create(new_name: str):
            """Create (or just switch to) a workspace; the name rules come from Settings."""
            new_name = (new_name or "").strip()
            try:
                settings.with_workspace(new_name)
            except ValueError as error:
                raise gr.Error(str(error).splitlines()[-1] if new_name else "Type a name for the new workspace.")
            pool.get(new_name)
            gr.Info(f"Workspace {new_name} is ready. Add documents to it on the Documents tab.", duration=4)
            return gr.Dropdown(choices=pool.names(), value=new_name), ""

        def ingest(files: list[str] | None, deal: str, name: str, progress=gr.Progress()) -> Iterator[list]:
            """Index the uploaded files one by one, showing each file's result as soon as it is known."""
            if not files:
                raise gr.Error("Choose one or more files first.")
            ws = pool.get(name)
            paths = [str(f) for f in files]
            display = {p: Path(p).name for p in paths}
            events: queue.Queue = queue.Queue()
            outcome: dict[str, Any] = {}

            def work() -> None:
                try:
                    outcome["report"] = ws.ingest(paths, names=display, deal=deal.strip(), progress=lambda n, t, r: events.put(r))
                except Exception as error:  # reported to the user below; the worker must always finish
                    outcome["error"] = error
                finally:
                    events.put(None)

            threading.Thread(target=work, name="ingest", daemon=True).start()
            done: list[FileResult] = []
            skip = [gr.skip()] * (len(library_outputs) + 1)
            progress((0, len(paths)), desc="Reading files")
            yield [ingest_html([], display.values()), *skip]
            while (result := events.get()) is not None:
                done.append(result)
                progress((len(done), len(paths)), desc=f"{Path(result.path).name}: {result.status}")
                yield [ingest_html(done, list(display.values())[len(done):]), *skip]
            if "error" in outcome:
                raise gr.Error(f"Adding files stopped: {outcome['error']}")
            report = outcome["report"]
            failed = report.by_status("failed")
            if failed:
                gr.Warning(f"{len(failed)} of {len(paths)} file(s) could not be added; see the reasons in the list.", duration=8)
            yield [ingest_html(report.files, summary=report.summary()), None, *library(name)]

        def remove(doc_ids: list[str], name: str) -> list:
            """Remove documents from the workspace (catalog, vectors and keyword index)."""
            if not doc_ids:
                raise gr.Error("Pick the documents to remove.")
            ws = pool.get(name)
            removed = [ws.remove(doc_id).file_name for doc_id in doc_ids]
            gr.Info(f"Removed {', '.join(removed)}.", duration=4)
            return library(name)

        def move_to_deal(doc_ids: list[str], deal: str, name: str) -> list:
            """Put documents into a deal ('' takes them out)."""
            if not doc_ids:
                raise gr.Error("Pick one or more documents.")
            ws = pool.get(name)
            for doc_id in doc_ids:
                ws.set_deal(doc_id, (deal or "").strip())
            return library(name)

        def put_in_deal(doc_ids: list[str], deal: str, name: str) -> list:
            if not (deal or "").strip():
                raise gr.Error("Type or pick a deal name.")
            return move_to_deal(doc_ids, deal, name)

        def take_out_of_deal(doc_ids: list[str], name: str) -> list:
            return move_to_deal(doc_ids, "", name)

        def ask_question(text: str, name: str, history: list[Turn], request: gr.Request) -> Iterator[list]:
            """Stream the answer into the transcript, then replace it with the verified answer and its citations."""
            text = (text or "").strip()
            if not text:
                raise gr.Error("Type a question first.")
            ws = pool.get(name)
            if not ws.documents():
                raise gr.Error("This workspace has no documents yet. Add some on the Documents tab.")
            answerer = ws.answerer
            past = [(t.question, t.text) for t in history if not t.pending and not t.error]
            current = [*history, Turn(text, pending=True)]
            yield ["", transcript_html(current, name), current]
            streamed, answer = "", None
            try:
                for item in answerer.stream(text, past):
                    if isinstance(item, str):
                        streamed += item
                        current[-1] = Turn(text, streamed, pending=True)
                        yield [gr.skip(), transcript_html(current, name), current]
                    else:
                        answer = item
            except AssistantError as error:
                current[-1] = Turn(text, error=f"Could not answer: {error}")
                yield [gr.skip(), transcript_html(current, name), current]
                return
            if answer is None:
                current[-1] = Turn(text, error="The answerer returned no answer.")
            else:
                _record(ws, answer, getattr(request, "username", None) or "")
                current[-1] = Turn.from_answer(text, answer)
            yield [gr.skip(), transcript_html(current, name), current]

        def new_chat(name: str) -> list:
            return [[], transcript_html([], name)]

        def show_citation(history: list[Turn], name: str, evt: gr.EventData) -> list:
            """Open the clicked citation in the side panel."""
            citation = find_citation(history, getattr(evt, "passage", ""))
            if citation is None:
                return [gr.skip(), gr.skip()]
            return [_passage(pool.get(name), citation_ref(citation)), gr.Sidebar(open=True)]

        def show_evidence(results: list[AuditResult], name: str, evt: gr.EventData) -> list:
            """Open clicked audit evidence or key term in the side panel."""
            ref = evidence_ref(results, getattr(evt, "passage", ""), names)
            if ref is None:
                return [gr.skip(), gr.skip()]
            return [_passage(pool.get(name), ref), gr.Sidebar(open=True)]

        def audit(name: str, by: str, doc_ids: list[str], progress=gr.Progress()) -> list:
            """Run the clause audit and reset the filters to show everything."""
            ws = pool.get(name)
            if not ws.documents():
                raise gr.Error("This workspace has no documents yet. Add some on the Documents tab.")
            progress(None, desc="Auditing against the clause playbook")
            results = ws.audit(by=by, documents=doc_ids or None, playbook=playbook)
            rows = audit_rows(results, playbook)
            groups = sorted({r.group for r in rows if r.group})
            subjects = [r.subject for r in results]
            view = audit_view(results, [], [], [], [], name, by)
            return [results, audit_summary_html(results), gr.CheckboxGroup(value=[]), gr.CheckboxGroup(value=[]),
                    gr.Dropdown(choices=groups, value=[]), gr.Dropdown(choices=subjects, value=[]), *view]

        def audit_view(results: list[AuditResult], statuses, severities, groups, subjects, name: str, by: str) -> list:
            """Table, caption and download files for the current filters."""
            if not results:
                return ["", "", *[gr.DownloadButton(value=None, interactive=False) for _ in DOWNLOADS]]
            rows = audit_rows(results, playbook)
            shown = filter_rows(rows, statuses, severities, groups, subjects)
            folder = exports / uuid.uuid4().hex[:12]
            stem = f"audit-{name}-{by}-{time.strftime('%Y%m%d-%H%M')}"
            files = write_downloads(filtered_results(results, shown), folder, stem, names)
            counts = {s: sum(1 for r in shown if r.status == s) for s in STATUSES}
            caption = (f"<p class='hint'>Showing {len(shown)} of {len(rows)} findings: {counts['present']} present, {counts['weak']} weak, "
                       f"{counts['missing']} missing. Click an evidence link to read the passage. Downloads contain the rows shown.</p>")
            show_subject = len(results) > 1
            return [audit_table_html(shown, show_subject), caption,
                    *[gr.DownloadButton(value=str(files[fmt]), interactive=True) for fmt, _ in DOWNLOADS]]

        demo.load(load, inputs=[workspace], outputs=[workspace, *library_outputs, *session_outputs])
        workspace.input(open_workspace, inputs=[workspace], outputs=[*library_outputs, *session_outputs])
        create_workspace.click(create, inputs=[new_workspace], outputs=[workspace, new_workspace]).success(
            open_workspace, inputs=[workspace], outputs=[*library_outputs, *session_outputs])
        new_workspace.submit(create, inputs=[new_workspace], outputs=[workspace, new_workspace]).success(
            open_workspace, inputs=[workspace], outputs=[*library_outputs, *session_outputs])

        add_files.click(ingest, inputs=[uploads, upload_deal, workspace], outputs=[ingest_out, uploads, *library_outputs],
                        show_progress="minimal")
        remove_button.click(remove, inputs=[remove_pick, workspace], outputs=library_outputs)
        set_deal.click(put_in_deal, inputs=[deal_docs, deal_name, workspace], outputs=library_outputs)
        clear_deal.click(take_out_of_deal, inputs=[deal_docs, workspace], outputs=library_outputs)

        for trigger in (ask.click, question.submit):
            trigger(ask_question, inputs=[question, workspace, turns], outputs=[question, transcript, turns],
                    show_progress="hidden", concurrency_limit=4)
        clear.click(new_chat, inputs=[workspace], outputs=[turns, transcript])
        close_viewer.click(lambda: gr.Sidebar(open=False), outputs=[viewer_panel], show_progress="hidden")
        transcript.click(show_citation, inputs=[turns, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")

        filters = [f_status, f_severity, f_group, f_subject]
        view_outputs = [audit_table, audit_caption, *download_buttons]
        run_audit.click(audit, inputs=[workspace, audit_by, audit_docs],
                        outputs=[audit_results, audit_summary, *filters, *view_outputs])
        for component in filters:
            component.input(audit_view, inputs=[audit_results, *filters, workspace, audit_by], outputs=view_outputs,
                            show_progress="hidden")
        for component in (audit_table, audit_summary):
            component.click(show_evidence, inputs=[audit_results, workspace], outputs=[viewer, viewer_panel], show_progress="hidden")

    demo.pool = pool  # type: ignore[attr-defined]  # serve() closes the workspaces on shutdown
    weakref.finalize(demo, shutil.rmtree, exports, True)
    return demo


def _passage(ws: Workspace, ref: PassageRef) -> str:
    """Viewer HTML for a reference, or a clear note when its document has been removed since."""
    try:
        document = ws.index.document(ref.doc_id)
    except KeyError:
        return viewer_message(f"{ref.file_name} is no longer in this workspace.", "gone")
    return passage_html(document, ref)


def _record(ws: Workspace, answer: Any, user: str) -> None:
    """Append a streamed answer to the audit trail (``Workspace.ask`` does this itself for non-streamed answers)."""
    from .trail import record

    record(ws.settings, answer, user=user)


# ---------------------------------------------------------------------------------------------- running


def launch_options(settings: Settings, *, port: int | None = None, open_browser: bool = False,
                   prevent_thread_lock: bool = False) -> dict[str, Any]:
    """``Blocks.launch`` arguments for this deployment: host/port and login from settings, offline theme and CSS."""
    users = list(settings.auth_users.items())
    return {
        "server_name": settings.server_host,
        "server_port": port or settings.server_port,
        "auth": users or None,
        "auth_message": f"{APP_TITLE}: sign in with the account your administrator gave you." if users else None,
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
        "pwa": False,
        "quiet": True,
        "max_file_size": f"{settings.max_file_mb:g}mb",
    }


def start(settings: Settings, *, port: int | None = None, open_browser: bool = False) -> gr.Blocks:
    """Build and launch the app without blocking (tests and embedding); returns the running Blocks."""
    if not settings.auth_users and settings.server_host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {settings.server_host} without a login; set auth_users for a shared deployment")
    demo = create_app(settings)
    demo.launch(**launch_options(settings, port=port, open_browser=open_browser, prevent_thread_lock=True))
    print(f"{APP_TITLE} running on {demo.local_url}")
    return demo


def serve(settings: Settings, *, port: int | None = None, open_browser: bool = False) -> None:
    """Run the app until interrupted (Ctrl+C); password login when ``settings.auth_users`` is non-empty."""
    demo = start(settings, port=port, open_browser=open_browser)
    try:
        demo.block_thread()
    finally:
        demo.close()
        demo.pool.close()  # type: ignore[attr-defined]
