"""The audit trail: one JSON record per question asked, and per access event, of one workspace.

Embedded deployments keep it in ``<workspace_dir>/trail.jsonl``; with a Chroma server it is a collection of the
server (``contract-assistant-trail``, one record per entry, keyed by workspace and time), so every app server of a
team deployment writes to and reads the same trail, and an owner sees what was done through any of them.

Access events (``event``: ingest, remove, deal, grant, revoke, denied, ...) record who did what, whether it was
allowed (``ok``) and a short ``detail``; question records carry no ``event`` key (older trails read the same).

Each line records when (UTC), where (workspace), who, what was asked (and the standalone question
used for retrieval), what was answered, the key value, every citation (document, page, section,
offsets, quote) and which answerer and model produced it. The file is append-only and survives
restarts; appends are serialised by a lock per file within the process and an OS file lock across
processes, so concurrent users never interleave lines, and a record that a crash cut short is ended before the
next one is written, so it never swallows it. The file is readable by its owner only.
"""

from __future__ import annotations

import csv
import json
import os
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..access.records import TRAIL_COLLECTION, server_records
from ..answer.types import Answer, Citation
from ..core.privacy import private_dir, private_file
from ..core.settings import Settings

TRAIL_FILE = "trail.jsonl"
FORMATS = ("jsonl", "csv")
CSV_FIELDS = ("time", "workspace", "user", "question", "rewritten_question", "answered", "key_value", "answer",
              "answerer", "model", "seconds", "citations", "event", "ok", "detail")
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()

try:  # POSIX; elsewhere the in-process lock still serialises this process's writers
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def trail_path(settings: Settings) -> Path:
    return settings.workspace_dir / TRAIL_FILE


def _lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(path.resolve()), threading.Lock())


def model_of(answerer: str) -> str:
    """The model part of an answerer label ("llm:openai/gpt-4o-mini" -> "gpt-4o-mini"; extractive -> "")."""
    return answerer.split("/", 1)[1] if answerer.startswith("llm:") and "/" in answerer else ""


def entry(answer: Answer, *, workspace: str, user: str, when: datetime | None = None) -> dict[str, Any]:
    """The trail record of one answer (a plain dict, as written to the file)."""
    moment = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return {
        "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "workspace": workspace,
        "user": user,
        "question": answer.question,
        "rewritten_question": answer.rewritten_question,
        "answered": answer.answered,
        "key_value": answer.key_value,
        "answer": answer.text,
        "answerer": answer.answerer,
        "model": model_of(answer.answerer),
        "seconds": round(answer.seconds, 4),
        "citations": [c.to_dict() for c in answer.citations],
    }


def record(settings: Settings, answer: Answer, user: str = "") -> dict[str, Any]:
    """Append one answer to the workspace's trail; returns the record written."""
    item = entry(answer, workspace=settings.workspace, user=user)
    _append(settings, item)
    return item


def record_event(settings: Settings, event: str, user: str, detail: str = "", ok: bool = True) -> dict[str, Any]:
    """Append who did what (``event``), whether it was allowed, and a short detail (document names, the role granted)."""
    moment = datetime.now(timezone.utc)
    item = {"time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "workspace": settings.workspace,
            "user": user, "event": event, "ok": ok, "detail": detail}
    _append(settings, item)
    return item


def _server_key(workspace: str) -> str:
    """``workspace:<ns since epoch>-<random>``: the workspace is the record kind, and keys sort in time order."""
    return f"{workspace}:{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"


def _append(settings: Settings, item: dict[str, Any]) -> None:
    if settings.chroma_host:
        server_records(settings, TRAIL_COLLECTION).put(_server_key(settings.workspace), item)
        return
    line = json.dumps(item, ensure_ascii=False) + "\n"
    path = trail_path(settings)
    private_dir(path.parent)
    with _lock(path), path.open("a", encoding="utf-8") as handle:
        private_file(path)
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            if _torn(path):  # a crash cut the last record short: end it, so this record is a line of its own
                line = "\n" + line
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _torn(path: Path) -> bool:
    """Whether the file's last line has no newline (a write cut short)."""
    with path.open("rb") as raw:
        raw.seek(0, os.SEEK_END)
        if raw.tell() == 0:
            return False
        raw.seek(-1, os.SEEK_END)
        return raw.read(1) != b"\n"


def read_trail(settings: Settings, events: bool = False) -> list[dict[str, Any]]:
    """Every question record of the workspace's trail, oldest first (empty when nothing was asked yet); ``events=True``
    adds the access events.

    A line cut short by a crash mid-write is skipped rather than failing the whole read.
    """
    if settings.chroma_host:
        found = server_records(settings, TRAIL_COLLECTION).scan(settings.workspace)
        return [item for _, item in sorted(found.items()) if events or "event" not in item]
    path = trail_path(settings)
    if not path.is_file():
        return []
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if events or "event" not in item:
                records.append(item)
    return records


def _cell(value: Any) -> str:
    """A CSV cell that spreadsheets show as text: a leading = + - @ would otherwise run as a formula."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _citations_cell(citations: list[dict[str, Any]]) -> str:
    """One line per citation; reads the records of older trails too (``Citation.from_dict`` knows their keys)."""
    lines = []
    for c in map(Citation.from_dict, citations):
        s = c.span
        lines.append(f"[{c.number}] {s.file_name} p.{s.page}{s.ocr_note} {s.section_path} [{s.start}:{s.end}] \"{s.text}\"")
    return "\n".join(lines)


def export_trail(settings: Settings, path: str | Path, fmt: str = "jsonl", events: bool = False) -> Path:
    """Write the trail to ``path`` as JSON lines or CSV (one row per question, citations in one cell; ``events``
    adds a row per access event)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown trail export format {fmt!r}; valid: {', '.join(FORMATS)}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    records = read_trail(settings, events=events)
    if fmt == "jsonl":
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return target
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for r in records:
            row = {**r, "citations": _citations_cell(r.get("citations", []))}
            writer.writerow([_cell(row.get(field, "")) for field in CSV_FIELDS])
    return target
