"""Clause-audit playbooks: load a YAML playbook into frozen, typed objects, or list every problem in it.

The playbook is the assistant's domain knowledge - which clause types an IT outsourcing contract should
contain, how to spot them (headings, regex signals, exemplar sentences), what makes each one adequate
(elements) and what to propose when it is missing (fallback language). It is kept as data so that lawyers
can edit it and users can bring their own (schema: ``assistant/prompts/playbooks/SCHEMA.md``).

Because people write these files by hand, reading one (``playbook_files``) reports *all* problems at once,
each naming the file, the entry, the field and the line. Regexes are compiled once, with ``re.IGNORECASE``,
and screened for nested repeats that could backtrack catastrophically.

Check a playbook from the shell with ``contract-assistant playbook validate FILE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal

from ..core.errors import AssistantError
from ..text.normalise import collapse_whitespace

SCHEMA_VERSION = 1
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")  # most serious first: the one severity order
Severity = Literal["high", "medium", "low"]
REGEX_FLAGS = re.IGNORECASE
DEFAULT_PLAYBOOK: Path = Path(str(files("assistant.prompts").joinpath("playbooks", "outsourcing.yaml")))

class PlaybookError(AssistantError, ValueError):
    """A playbook file is unreadable or invalid. ``problems`` lists every problem found, one per line of the message."""

    def __init__(self, problems: str | list[str]):
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UnknownClauseError(PlaybookError, KeyError):
    """``Playbook.get`` was asked for a clause id the playbook does not define; also catchable as ``KeyError``."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return "\n".join(self.problems)


@dataclass(frozen=True)
class Element:
    """One thing an adequate clause must contain; it is met when any pattern matches the clause's evidence text."""

    id: str
    name: str
    description: str
    patterns: tuple[re.Pattern[str], ...]

    def is_met(self, text: str) -> bool:
        """Whether any pattern matches ``text`` (normalised first)."""
        text = collapse_whitespace(text)
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class ClauseType:
    """A clause the playbook looks for: how to find it, what makes it adequate, and what to propose instead."""

    id: str
    name: str
    group: str
    description: str
    why: str
    severity: Severity
    headings: tuple[str, ...]  # lower-cased phrases, matched as substrings of a heading or section path
    signals: tuple[re.Pattern[str], ...]
    exemplars: tuple[str, ...]
    elements: tuple[Element, ...]
    fallback: str

    def matches_heading(self, heading: str) -> bool:
        """Whether a section heading (or ``" > "``-joined section path) contains one of the heading phrases."""
        heading = collapse_whitespace(heading).lower()
        return any(h in heading for h in self.headings)

    def matching_signals(self, text: str) -> list[re.Pattern[str]]:
        """The signals that match ``text`` (normalised first), in playbook order."""
        text = collapse_whitespace(text)
        return [p for p in self.signals if p.search(text)]

    def element(self, element_id: str) -> Element:
        """The element with this id; ``KeyError`` if the clause has none."""
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(f"clause {self.id!r} has no element {element_id!r}; valid: {', '.join(e.id for e in self.elements)}")


@dataclass(frozen=True)
class Playbook:
    """A loaded, validated playbook. ``path`` is the file it came from (None when built in code)."""

    name: str
    description: str
    clauses: tuple[ClauseType, ...]
    path: Path | None = None
    key_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key term id, the clause ids whose evidence states it)

    @property
    def ids(self) -> tuple[str, ...]:
        """Clause ids in playbook order."""
        return tuple(c.id for c in self.clauses)

    def get(self, clause_id: str) -> ClauseType:
        """The clause type with this id; ``UnknownClauseError`` (a ``PlaybookError`` and ``KeyError``) naming the valid ids otherwise."""
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        where = f" ({display_path(self.path)})" if self.path else ""
        raise UnknownClauseError(f"unknown clause id {clause_id!r} in playbook {self.name!r}{where}; valid ids: {', '.join(self.ids)}")

    def key_term_clauses(self, term_id: str) -> tuple[str, ...] | None:
        """The clauses whose evidence a key term is read from; None when the playbook does not declare the term."""
        return dict(self.key_terms).get(term_id)

    def __iter__(self) -> Iterator[ClauseType]:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)


def severity_rank(severity: str) -> int:
    """0 for the most serious severity; unknown severities sort last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def element_names(playbook: Playbook) -> dict[str, dict[str, str]]:
    """clause id -> element id -> readable name."""
    return {c.id: {e.id: e.name for e in c.elements} for c in playbook.clauses}


def display_path(path: Path | None) -> str:
    """A path the user will recognise: relative to the working directory when inside it, else as it is."""
    if path is None:
        return "<playbook>"
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return str(path)
