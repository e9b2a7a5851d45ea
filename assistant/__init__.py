"""Contract review assistant for IT outsourcing: ingest, retrieve, audit, answer. Offline by default.

The public API is what this module exports: ``Workspace`` (everything the CLI and the web app do), its
``Settings``, and the data types it returns. The stages behind it, in the order data flows through them:
``core`` (settings, errors, types) -> ``text`` (pure text functions) -> ``ingest`` -> ``index`` ->
``retrieval`` -> ``answer`` / ``audit`` -> ``api`` -> ``shells`` (CLI, web app, reports).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core.offline import stay_offline

stay_offline()  # before onnxruntime, Chroma or Gradio can be imported

# name -> (module, attribute): imported on first use, so a worker process that reads files, or a command that only
# lists playbooks, does not load Chroma, numpy and the answer stage (PEP 562).
_EXPORTS: dict[str, tuple[str, str]] = {
    "AmbiguousNameError": (".core.errors", "AmbiguousNameError"),
    "Answer": (".answer.types", "Answer"),
    "answer_html": (".answer.rendering", "to_html"),
    "AssistantError": (".core.errors", "AssistantError"),
    "AuditResult": (".audit.findings", "AuditResult"),
    "Chunk": (".core.documents", "Chunk"),
    "Citation": (".answer.types", "Citation"),
    "ClauseFinding": (".audit.findings", "ClauseFinding"),
    "Document": (".core.documents", "Document"),
    "DocumentInfo": (".core.documents", "DocumentInfo"),
    "element_names": (".audit.playbook", "element_names"),
    "ENV_PREFIX": (".core.settings", "ENV_PREFIX"),
    "Evidence": (".audit.findings", "Evidence"),
    "Flag": (".core.flags", "Flag"),
    "failing": (".audit.findings", "failing"),
    "FileResult": (".ingest.pipeline", "FileResult"),
    "Focus": (".retrieval.focus", "Focus"),
    "IndexStats": (".index.store", "IndexStats"),
    "IngestError": (".core.errors", "IngestError"),
    "IngestRunError": (".core.errors", "IngestRunError"),
    "IngestReport": (".ingest.pipeline", "IngestReport"),
    "KeyTerm": (".audit.keyterms", "KeyTerm"),
    "OcrProgress": (".ingest.ocr", "OcrProgress"),
    "list_workspaces": (".api.workspace", "list_workspaces"),
    "load_playbook": (".audit.playbook_files", "load_playbook"),
    "markdown_html": (".answer.rendering", "markdown_html"),
    "NotFoundError": (".core.errors", "NotFoundError"),
    "Passage": (".core.documents", "Passage"),
    "Playbook": (".audit.playbook", "Playbook"),
    "PortInUseError": (".core.errors", "PortInUseError"),
    "REFUSAL_TEXT": (".answer.types", "REFUSAL_TEXT"),
    "private_dir": (".core.privacy", "private_dir"),
    "RetrievalResult": (".retrieval.hybrid", "RetrievalResult"),
    "Settings": (".core.settings", "Settings"),
    "SEVERITIES": (".audit.playbook", "SEVERITIES"),
    "severity_rank": (".audit.playbook", "severity_rank"),
    "Span": (".core.spans", "Span"),
    "SpanView": (".api.workspace", "SpanView"),
    "status_rank": (".audit.findings", "status_rank"),
    "STATUSES": (".audit.findings", "STATUSES"),
    "SUPPORTED_SUFFIXES": (".ingest.files", "SUPPORTED_SUFFIXES"),
    "TableRow": (".answer.types", "TableRow"),
    "validate_playbook": (".audit.playbook_files", "validate_playbook"),
    "Workspace": (".api.workspace", "Workspace"),
    "WorkspaceBusyError": (".core.errors", "WorkspaceBusyError"),
    "Change": (".manage.changes", "Change"),
    "ClauseImpact": (".manage.compare", "ClauseImpact"),
    "ClausePair": (".manage.compare", "ClausePair"),
    "Comparison": (".manage.compare", "Comparison"),
    "Deadline": (".manage.deadlines", "Deadline"),
    "Grid": (".manage.grid", "Grid"),
    "GridCell": (".manage.grid", "GridCell"),
    "GridQuestion": (".manage.grid", "GridQuestion"),
    "GridQuestionsError": (".manage.grid", "GridQuestionsError"),
    "GridRow": (".manage.grid", "GridRow"),
    "LifecycleItem": (".manage.lifecycle", "LifecycleItem"),
    "LifecycleView": (".manage.lifecycle", "LifecycleView"),
    "NOT_FOUND": (".manage.grid", "NOT_FOUND"),
    "PAIR_STATUSES": (".manage.compare", "PAIR_STATUSES"),
    "PlaybookError": (".audit.playbook", "PlaybookError"),
    "RedlineResult": (".manage.redline", "RedlineResult"),
    "AccessDeniedError": (".core.errors", "AccessDeniedError"),
    "AccountError": (".core.errors", "AccountError"),
    "LoginLockedError": (".core.errors", "LoginLockedError"),
    "Account": (".access.accounts", "Account"),
    "Grant": (".access.roles", "Grant"),
    "Principal": (".access.roles", "Principal"),
    "ROLES": (".access.roles", "ROLES"),
    "Team": (".api.team", "Team"),
}

if TYPE_CHECKING:  # what type checkers and IDEs see
    from .access.accounts import Account
    from .access.roles import ROLES, Grant, Principal
    from .answer.rendering import markdown_html
    from .answer.rendering import to_html as answer_html
    from .answer.types import REFUSAL_TEXT, Answer, Citation, TableRow
    from .api.team import Team
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
        AccessDeniedError,
        AccountError,
        AmbiguousNameError,
        AssistantError,
        IngestError,
        IngestRunError,
        LoginLockedError,
        NotFoundError,
        PortInUseError,
        WorkspaceBusyError,
    )
    from .core.flags import Flag
    from .core.privacy import private_dir
    from .core.settings import ENV_PREFIX, Settings
    from .core.spans import Span
    from .index.store import IndexStats
    from .ingest.files import SUPPORTED_SUFFIXES
    from .ingest.ocr import OcrProgress
    from .ingest.pipeline import FileResult, IngestReport
    from .manage.changes import Change
    from .manage.compare import PAIR_STATUSES, ClauseImpact, ClausePair, Comparison
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

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
