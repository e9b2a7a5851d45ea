"""Contract review assistant for IT outsourcing: ingest, retrieve, audit, answer. Offline by default.

The public API is what this module exports: ``Workspace`` (everything the CLI and the web app do), its
``Settings``, and the data types it returns. The stages behind it, in the order data flows through them:
``core`` (settings, errors, types) -> ``text`` (pure text functions) -> ``ingest`` -> ``index`` ->
``retrieval`` -> ``answer`` / ``audit`` -> ``api`` -> ``shells`` (CLI, web app, reports).
"""

from .answer.rendering import markdown_html
from .answer.rendering import to_html as answer_html
from .answer.types import REFUSAL_TEXT, Answer, Citation, TableRow
from .api.workspace import SpanView, Workspace, list_workspaces
from .audit.findings import (
    STATUSES,
    AuditResult,
    ClauseFinding,
    Evidence,
    failing,
    status_rank,
)
from .audit.keyterms import KeyTerm
from .audit.playbook import (
    SEVERITIES,
    Playbook,
    PlaybookError,
    element_names,
    severity_rank,
)
from .audit.playbook_files import load_playbook, validate_playbook
from .core.documents import Chunk, Document, DocumentInfo, Passage
from .core.errors import (
    AmbiguousNameError,
    AssistantError,
    IngestError,
    NotFoundError,
    PortInUseError,
)
from .core.settings import ENV_PREFIX, Settings
from .core.spans import Span
from .index.store import IndexStats
from .ingest.files import SUPPORTED_SUFFIXES
from .ingest.ocr import OcrProgress
from .ingest.pipeline import FileResult, IngestReport
from .manage.changes import Change
from .manage.compare import PAIR_STATUSES, ClausePair, Comparison, Flag
from .manage.deadlines import Deadline
from .manage.grid import (
    NOT_FOUND,
    Grid,
    GridCell,
    GridQuestion,
    GridQuestionsError,
    GridRow,
)
from .manage.lifecycle import LifecycleItem, LifecycleView
from .manage.redline import RedlineResult
from .retrieval.focus import Focus
from .retrieval.hybrid import RetrievalResult

__all__ = [
    "Answer", "AmbiguousNameError", "Change", "ClausePair", "Comparison", "Deadline", "LifecycleItem", "LifecycleView", "Flag", "Grid", "GridCell", "GridQuestion", "GridQuestionsError", "GridRow",
    "NOT_FOUND", "PAIR_STATUSES", "PlaybookError", "RedlineResult", "AssistantError", "AuditResult", "Chunk", "Citation", "ClauseFinding", "Document", "DocumentInfo",
    "ENV_PREFIX", "Evidence", "FileResult", "Focus", "IndexStats", "IngestError", "IngestReport", "KeyTerm", "NotFoundError", "OcrProgress", "Passage",
    "Playbook", "PortInUseError", "REFUSAL_TEXT", "RetrievalResult", "SEVERITIES", "STATUSES", "SUPPORTED_SUFFIXES", "Settings",
    "Span", "SpanView", "TableRow", "Workspace", "answer_html", "element_names", "failing", "list_workspaces", "load_playbook",
    "markdown_html", "severity_rank", "status_rank", "validate_playbook",
]
