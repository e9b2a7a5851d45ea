"""The web app's views: pure functions from the API's types to HTML, with the passages each view links to.

A view that has clickable passages returns ``(html, links)``: ``links`` maps each link's ``data-passage`` key
to the span it opens (``Span.to_dict()``) and a label, so a click is looked up, never parsed.
"""

from __future__ import annotations

import html
import shutil
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from assistant import (
    ENV_PREFIX,
    STATUSES,
    Answer,
    AuditResult,
    DocumentInfo,
    FileResult,
    Settings,
    Span,
    SpanView,
    answer_html,
)

from ..reports import FindingRow, write_report

EXPORT_MAX_AGE_S = 24 * 3600
DOWNLOADS = (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON"), ("md", "Markdown"))
FILE_STATUS_PILLS = {"added": "ok", "replaced": "info", "unchanged": "muted", "skipped": "warn", "failed": "bad"}
AUDIT_STATUS_PILLS = {"present": "ok", "weak": "warn", "missing": "bad", "error": "muted"}
VIEWER_HINT = "Click a citation [n] or an evidence link to see the passage here."
OCR_NOTE = "This text was read by OCR from a scanned page: it may contain recognition errors, so check it against the original."
e = html.escape
DASH = "<span class='sub'>\u2014</span>"
Links = dict[str, dict[str, Any]]


def _link(links: Links, key: str, span: Span, label: str) -> str:
    links[key] = {"span": span.to_dict(), "label": label}
    return key


def linked_span(links: Links, key: str) -> tuple[Span, str] | None:
    """The span and label behind a clicked link, or None for a key this view did not make."""
    entry = links.get(key or "")
    return (Span.from_dict(entry["span"]), entry["label"]) if entry else None


# ---------------------------------------------------------------------------------------------- passages


def passage_html(view: SpanView, label: str = "") -> str:
    """The viewer: document, page, section and the context around the quote, which is ``<mark>``-ed; a note when the
    text was read by OCR from a scanned page.

    Offsets index the document text, so the marked text is exactly what was cited."""
    span = view.span
    section = span.section_path or "(before the first heading)"
    pages = f"Pages {view.page}\u2013{span.page_end}" if span.page_end > view.page else f"Page {view.page}"
    head = f"<div class='label'>{e(label)}</div>" if label else ""
    ocr = (f"<div class='ocr-note'>{OCR_NOTE}</div>") if span.ocr else ""
    return (
        f"<div class='passage'>{head}<h3>{e(span.file_name)}</h3>"
        f"<div class='where'><b>{pages}</b>{span.ocr_note} of {view.pages} &middot; Section <b>{e(section)}</b></div>"
        f"<div class='offsets'>characters {span.start:,}\u2013{span.end:,}</div>{ocr}"
        f"<div class='body'>{e(view.before)}<mark>{e(view.text)}</mark>{e(view.after)}</div></div>"
    )


def viewer_message(message: str, css_class: str = "empty") -> str:
    """A one-line note in the viewer (nothing selected yet, or the document has since been removed)."""
    return f"<div class='passage'><p class='{css_class}'>{e(message)}</p></div>"


# ---------------------------------------------------------------------------------------------- chat


@dataclass(frozen=True)
class Turn:
    """One question and what the transcript shows for it: the answer, the text streamed so far, or an error."""

    question: str
    answer: Answer | None = None
    pending: str | None = None  # streaming: the text so far
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer.to_dict(passages=False) if self.answer else None, "error": self.error}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Turn":
        return cls(data["question"], Answer.from_dict(data["answer"]) if data.get("answer") else None, None, data.get("error", ""))


def history_of(turns: list[Turn]) -> list[tuple[str, str]]:
    """(question, answer text) of the answered turns, for follow-up questions."""
    return [(t.question, t.answer.text) for t in turns if t.answer is not None]


def transcript_html(turns: list[Turn], workspace: str = "") -> tuple[str, Links]:
    """The whole conversation (user bubbles right, answers left), or a short how-to when it is empty."""
    links: Links = {}
    if not turns:
        where = f" in <b>{e(workspace)}</b>" if workspace else ""
        return ("<div class='chat-empty'><h3>Ask about your contracts</h3>"
                f"<p>Questions are answered from the documents{where} only. Every statement carries a citation "
                "[n]: click it to see the exact passage, its page and section.</p></div>"), links
    bubbles = []
    for index, turn in enumerate(turns):
        bubbles.append(f"<div class='msg user'><div class='bubble'>{e(turn.question)}</div></div>")
        if turn.error:
            body = f"<p class='not-answered'>{e(turn.error)}</p>"
        elif turn.answer is None:
            body = answer_html(Answer(turn.question, turn.pending or "", (), True), lambda c: "", pending=True)
        else:
            body = answer_html(turn.answer, lambda c, i=index: _link(links, f"c{i}-{c.number}", c.span, f"Citation [{c.number}]"))
        bubbles.append(f"<div class='msg bot'><div class='bubble'>{body}</div></div>")
    return f"<div class='chat'>{''.join(bubbles)}</div>", links


# ---------------------------------------------------------------------------------------------- audit


def filter_rows(rows: list[FindingRow], statuses=None, severities=None, groups=None, subjects=None) -> list[FindingRow]:
    """Rows matching every filter; an empty or missing filter means "any" (error rows always stay visible)."""
    def ok(value: str, allowed) -> bool:
        return not allowed or value in allowed

    return [r for r in rows if r.status == "error" or (ok(r.status, statuses) and ok(r.severity, severities)
                                                        and ok(r.group, groups) and ok(r.subject, subjects))]


def filtered_results(results: list[AuditResult], rows: list[FindingRow]) -> list[AuditResult]:
    """The results cut down to the rows shown, so downloads contain exactly what the table shows."""
    keep: dict[int, set[int]] = {}
    for row in rows:
        keep.setdefault(row.result, set()).update(() if row.finding < 0 else (row.finding,))
    return [replace(results[i], findings=tuple(f for j, f in enumerate(results[i].findings) if j in found))
            for i, found in sorted(keep.items())]


def _pill(status: str, mapping: dict[str, str]) -> str:
    return f"<span class='pill {mapping.get(status, 'muted')}'>{e(status)}</span>"


def audit_table_html(rows: list[FindingRow], show_subject: bool = True) -> tuple[str, Links]:
    """The findings table: status colour, severity, confidence, missing elements (and links to where each met element
    was found), evidence links, suggested language."""
    links: Links = {}
    if not rows:
        return "<div class='empty'>No findings match these filters.</div>", links
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
        key = f"{row.result}-{row.finding}"
        evidence = []
        for n, ev in enumerate(row.evidence):
            s = ev.span
            where = f"{s.file_name} {s.page_label}{s.ocr_note}" if row.kind == "deal" else f"{s.page_label}{s.ocr_note}"
            ref = _link(links, f"e{key}-{n}", s, f"Evidence: {row.clause}")
            evidence.append(f"<a href='#' class='ev' data-passage='{ref}' title='{e(s.file_name)}: {e(s.section_path)}'>{e(where)} &middot; {e(s.section)}</a>")
        teaser = " ".join(row.suggested.split()[:9]) + "\u2026"
        suggested = f"<details><summary>{e(teaser)}</summary><p>{e(row.suggested)}</p></details>" if row.suggested else ""
        confidence = f"{row.confidence:.0%}<span class='conf'><i style='width:{row.confidence * 100:.0f}%'></i></span>"
        missing = e(", ".join(row.missing)) if row.missing else DASH
        found = []
        for n, (name, ev) in enumerate(row.found):
            ref = _link(links, f"m{key}-{n}", ev.span, f"{row.clause}: {name}")
            found.append(f"<a href='#' class='el' data-passage='{ref}' title='{e(ev.span.file_name)}: {e(ev.span.section_path)}'>{e(name)}</a>")
        if found:
            missing += f"<div class='sub found'>found: {', '.join(found)}</div>"
        body.append(
            f"<tr class='{row.status}'>{subject}<td><b>{e(row.clause)}</b><div class='sub'>{e(row.group)}</div></td>"
            f"<td>{_pill(row.status, AUDIT_STATUS_PILLS)}</td><td><span class='sev {row.severity}'>{e(row.severity)}</span></td>"
            f"<td class='num'>{confidence}</td><td>{missing}</td><td>{''.join(evidence) or '<span class=sub>none found</span>'}</td><td>{suggested}</td></tr>"
        )
    return f"<div class='table-scroll'><table class='grid audit'>{head}<tbody>{''.join(body)}</tbody></table></div>", links


def audit_summary_html(results: list[AuditResult], empty: str = "Run the audit to check every document against the clause playbook.") -> tuple[str, Links]:
    """One card per subject: status counts, missing high-severity clauses and key terms (each opening its evidence)."""
    links: Links = {}
    if not results:
        return f"<div class='empty'>{e(empty)}</div>", links
    cards = []
    for r_index, r in enumerate(results):
        if r.error:
            cards.append(f"<div class='card'><h4>{e(r.subject)}</h4><p class='detail'>{e(r.error)}</p></div>")
            continue
        counts = r.counts()
        pills = "".join(f"<span class='pill {AUDIT_STATUS_PILLS[s]}'>{counts[s]} {s}</span>" for s in STATUSES)
        gaps = [f.name for f in r.gaps("high")]
        gap_line = (f"<details class='gaps'><summary>{len(gaps)} high-severity clause{'s' if len(gaps) != 1 else ''} missing</summary>"
                    f"<ul>{''.join(f'<li>{e(g)}</li>' for g in gaps)}</ul></details>") if gaps else ""
        terms = "".join(
            f"<li>{e(t.name)}: <a href='#' class='term' data-passage='{_link(links, f'k{r_index}-{t_index}', t.span, f'Key term: {t.name}')}'>{e(t.value)}</a></li>"
            for t_index, t in enumerate(r.key_terms) if t.value and t.span
        )
        count = sum(1 for t in r.key_terms if t.value and t.span)
        terms = f"<details><summary>Key terms ({count})</summary><ul>{terms}</ul></details>" if terms else ""
        files = f"<div class='sub'>{e(', '.join(r.file_names))}</div>" if r.kind == "deal" else ""
        cards.append(f"<div class='card'><h4>{e(r.subject)} <span class='sub'>({e(r.kind)})</span></h4>{files}"
                     f"<div class='counts'>{pills}</div>{flags_html(r, r_index, links)}{gap_line}{terms}</div>")
    return f"<div class='summary-cards'>{''.join(cards)}</div>", links


def write_downloads(results: list[AuditResult], folder: Path, stem: str, names: dict[str, dict[str, str]]) -> dict[str, Path]:
    """Write the report formats into ``folder`` (one per run, so concurrent users never share files).

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
    """Per-file outcome of an upload (errors named per file, pages read by OCR and its warnings), with files still
    waiting listed below."""
    rows = []
    for f in files:
        detail = f"<div class='detail'>{e(f.detail)}</div>" if f.status in ("failed", "skipped") and f.detail else ""
        if f.ocr_pages:
            detail += f"<div class='sub'>{_ocr_label(f.ocr_pages)}</div>"
        detail += "".join(f"<div class='detail warn'>\u26a0 {e(w)}</div>" for w in f.warnings)
        rows.append(f"<tr><td class='file'><b>{e(Path(f.path).name)}</b>{detail}</td><td>{_pill(f.status, FILE_STATUS_PILLS)}</td>"
                    f"<td class='num'>{f.pages or ''}</td><td class='num'>{f.chunks or ''}</td><td class='num'>{f.seconds:.1f} s</td></tr>")
    for name in waiting:
        rows.append(f"<tr><td class='file'>{e(name)}</td><td><span class='pill muted'>waiting</span></td><td></td><td></td><td></td></tr>")
    if not rows:
        return ""
    caption = f"<p class='hint'>{e(summary)}</p>" if summary else ""
    return (f"{caption}<table class='grid uploads'><thead><tr><th>File</th><th>Result</th><th>Pages</th><th>Chunks</th><th>Time</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _ocr_label(pages: tuple[int, ...]) -> str:
    listed = ", ".join(map(str, pages[:12])) + (", \u2026" if len(pages) > 12 else "")
    return f"read by OCR: page{'s' if len(pages) > 1 else ''} {listed}"


def documents_html(docs: list[DocumentInfo]) -> str:
    """The workspace's documents as a table."""
    if not docs:
        return "<div class='empty'>No documents yet. Add PDF, Word, HTML, Markdown or text files on the left.</div>"
    rows = "".join(
        f"<tr><td><b>{e(d.file_name)}</b><div class='sub'>{e(d.title[:90])}</div>{_document_notes(d)}</td><td>{e(d.kind)}</td>"
        f"<td class='num'>{d.pages}</td><td class='num'>{d.chunks}</td><td>{e(d.deal) or DASH}</td>"
        f"<td class='num'>{_size(d.size_bytes)}</td><td class='num' title='{datetime.fromtimestamp(d.ingested_at):%Y-%m-%d %H:%M}'>{datetime.fromtimestamp(d.ingested_at):%d %b %H:%M}</td></tr>"
        for d in docs
    )
    return (f"<div class='table-scroll'><table class='grid docs'><thead><tr><th>Document</th><th>Type</th><th>Pages</th><th>Chunks</th>"
            f"<th>Deal</th><th>Size</th><th>Added</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _document_notes(d: DocumentInfo) -> str:
    """Other names of the same file, flagged text (never used in answers or audits) and reading warnings."""
    notes = [f"<div class='sub'>also added as {e(', '.join(d.aliases))}</div>"] if d.aliases else []
    notes += [f"<div class='detail warn'>\u26a0 {e(label)}: left out of answers and audits</div>" for label in d.flags[:5]]
    if len(d.flags) > 5:
        notes.append(f"<div class='detail warn'>\u26a0 {len(d.flags) - 5} more flagged passages</div>")
    notes += [f"<div class='detail warn'>\u26a0 {e(w)}</div>" for w in d.warnings]
    return "".join(notes)


def flags_html(result: AuditResult, r_index: int, links: Links) -> str:
    """The hidden or instruction-like text of an audited subject, each opening the passage where it sits."""
    if not result.flags:
        return ""
    items = "".join(
        f"<li><a href='#' class='term' data-passage='{_link(links, f'f{r_index}-{i}', f.span, f'Flagged: {f.label}: “{f.text[:300]}”')}'>"
        f"{e(f.span.file_name)}: {e(f.label)}</a></li>"
        for i, f in enumerate(result.flags)
    )
    return (f"<details class='flags' open><summary>\u26a0 {len(result.flags)} flagged passage{'s' if len(result.flags) != 1 else ''}: "
            f"hidden or instruction-like text, not used as evidence</summary><ul>{items}</ul></details>")


DEAL_PREFIX = "deal:"  # a scope choice that stands for every document of a deal


def scope_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    """What a question can be limited to: each deal (its documents together), then each document."""
    deals = sorted({d.deal for d in docs if d.deal})
    return [(f"Deal: {deal}", DEAL_PREFIX + deal) for deal in deals] + [(d.file_name, d.doc_id) for d in docs]


def scope_of(picked: list[str]) -> tuple[list[str], list[str]]:
    """(document ids, deal names) from the picked scope choices."""
    deals = [p[len(DEAL_PREFIX):] for p in picked if p.startswith(DEAL_PREFIX)]
    return [p for p in picked if not p.startswith(DEAL_PREFIX)], deals


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


def settings_html(settings: Settings, docs: list[DocumentInfo], answerer: str, playbook: str, login: str = "") -> str:
    """What this deployment uses, read-only, plus how to switch on an LLM answerer."""
    chroma = (f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
              else f"embedded, {settings.workspace_dir / 'chroma'}")
    rows = [
        ("Answerer", answerer),
        ("Playbook", playbook),
        ("Embedding model", f"{settings.embedding_model} (max {settings.embedding_max_tokens} tokens, bundled, offline)"),
        ("Chunk size", f"{settings.chunk_min_tokens}\u2013{settings.chunk_max_tokens} tokens (cl100k)"),
        ("Retrieval", f"hybrid BM25 + embeddings, top {settings.retrieval_k}"),
        ("Vector store (Chroma)", chroma),
        ("Data folder", str(settings.data_dir)),
        ("Workspace", settings.workspace),
        ("Documents / passages", f"{len(docs)} / {sum(d.chunks for d in docs):,}"),
        ("Largest file accepted", f"{settings.max_file_mb:g} MB"),
        ("Login", login or "off (single-user, local)"),
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
