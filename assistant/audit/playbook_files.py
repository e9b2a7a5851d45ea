"""Reading a playbook file: load it, or list every problem in it, each naming the file, the entry (clause id and
position, element id and position), the field and, where known, the line.

People write these files by hand, so all problems are reported at once, duplicate YAML keys included
(plain PyYAML silently keeps the last), and every regex is compiled and screened for nested repeats that
could backtrack catastrophically, so a bad pattern fails at load time instead of hanging a review.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .keyterms import KEY_TERM_IDS
from .playbook import (
    DEFAULT_PLAYBOOK,
    REGEX_FLAGS,
    SCHEMA_VERSION,
    SEVERITIES,
    ClauseType,
    Element,
    Playbook,
    PlaybookError,
    Severity,
    display_path,
)

try:  # The regex parser is private API; only the optional backtracking screen uses it.
    from re import _parser as _sre_parse  # Python >= 3.11
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_LARGE_REPEAT = 10  # a repeat allowing more than this many iterations may not contain a variable repeat

# field -> (kind, required). Order is the documented order, used when listing valid fields.
_TOP_FIELDS: dict[str, tuple[str, bool]] = {
    "schema_version": ("schema_version", True),
    "name": ("text", True),
    "description": ("text", False),
    "clauses": ("clauses", True),
    "key_terms": ("key_terms", False),
}
_CLAUSE_FIELDS: dict[str, tuple[str, bool]] = {
    "id": ("id", True),
    "name": ("text", True),
    "group": ("text", True),
    "description": ("text", True),
    "why": ("text", True),
    "severity": ("severity", True),
    "headings": ("texts", False),
    "signals": ("regexes", False),
    "exemplars": ("texts", True),
    "elements": ("elements", True),
    "fallback": ("text", True),
}
_ELEMENT_FIELDS: dict[str, tuple[str, bool]] = {
    "id": ("id", True),
    "name": ("text", True),
    "description": ("text", True),
    "patterns": ("regexes", True),
}


def load_playbook(path: str | Path | None = None) -> Playbook:
    """Load and validate a playbook (the default one when ``path`` is None).

    Raises ``PlaybookError`` listing every problem (``.problems``), each naming file, entry and field.
    """
    playbook, problems = read_playbook(path)
    if problems or playbook is None:
        raise PlaybookError(problems)
    return playbook


def validate_playbook(path: str | Path | None = None) -> list[str]:
    """Every problem in a playbook file, in file order; an empty list means it is valid."""
    return read_playbook(path)[1]


def read_playbook(path: str | Path | None) -> tuple[Playbook | None, list[str]]:
    """The playbook (None when it has problems) and every problem found, in file order."""
    file = Path(path) if path is not None else DEFAULT_PLAYBOOK
    shown = str(path) if path is not None else display_path(file)  # the user's own spelling of the path
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{shown}: playbook file not found"]
    except IsADirectoryError:
        return None, [f"{shown}: is a directory, not a playbook file"]
    except UnicodeDecodeError as exc:
        return None, [f"{shown}: not valid UTF-8 text ({exc.reason} at byte {exc.start})"]
    except OSError as exc:
        return None, [f"{shown}: cannot read playbook file ({exc.strerror or exc})"]

    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [f"{shown}: YAML syntax error{_mark(exc)}: {_yaml_problem(exc)}"]
    except yaml.YAMLError as exc:
        return None, [f"{shown}: YAML error: {exc}"]
    finally:
        loader.dispose()

    checker = _Checker(shown, loader)
    problems = [f"{shown}: line {line}: duplicate key {key!r} (YAML keeps only the last value)" for key, line in loader.duplicates]
    playbook = checker.playbook(data, file)
    problems += checker.problems
    return (None if problems else playbook), problems


def _mark(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return ", ".join(parts) if parts else str(exc)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers line numbers of mapping keys and list items, and notes duplicate keys.

    Plain PyYAML silently keeps the last of two equal keys, which hides mistakes such as two ``signals:`` lists.
    Lines are keyed by ``id()`` of the constructed container, which stays alive as long as the loaded data.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.key_lines: dict[int, dict[Any, int]] = {}
        self.start_lines: dict[int, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in seen:
                loader.duplicates.append((key_node.value, key_node.start_mark.line + 1))
            seen.add(key_node.value)
    loader.flatten_mapping(node)
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=False)
        lines[key] = key_node.start_mark.line + 1
    loader.key_lines[id(data)] = lines
    loader.start_lines[id(data)] = node.start_mark.line + 1


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[list[Any]]:
    data: list[Any] = []
    yield data
    data.extend(loader.construct_sequence(node))
    loader.key_lines[id(data)] = {i: child.start_mark.line + 1 for i, child in enumerate(node.value)}
    loader.start_lines[id(data)] = node.start_mark.line + 1


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# ---------------------------------------------------------------------------------------------- validation


class _Checker:
    """Walks the loaded YAML, collecting problems and building typed objects for the parts that are valid."""

    def __init__(self, shown: str, loader: _LineLoader):
        self.shown = shown
        self.loader = loader
        self.problems: list[str] = []

    # -- reporting

    def _line(self, container: Any, key: Any = None) -> int | None:
        if key is not None:
            line = self.loader.key_lines.get(id(container), {}).get(key)
            if line is not None:
                return line
        return self.loader.start_lines.get(id(container))

    def _report(self, where: str, message: str, line: int | None) -> None:
        prefix = f"{self.shown}: {where}: " if where else f"{self.shown}: "
        suffix = f" (line {line})" if line else ""
        self.problems.append(f"{prefix}{message}{suffix}")

    # -- structure

    def playbook(self, data: Any, file: Path) -> Playbook | None:
        if data is None:
            self._report("", "the file is empty; a playbook needs 'schema_version', 'name' and 'clauses'", None)
            return None
        if not isinstance(data, dict):
            self._report("", f"the top level must be a mapping with 'schema_version', 'name' and 'clauses' (got {_type(data)})", self._line(data))
            return None
        self._fields(data, _TOP_FIELDS, "", "top-level")
        self._schema_version(data)
        name = self._text(data, "name", "", required=True)
        description = self._text(data, "description", "", required=False)
        clauses = self._clauses(data)
        key_terms = self._key_terms(data, clauses)
        if clauses is None or name is None or description is None or key_terms is None:
            return None
        return Playbook(name=name, description=description, clauses=clauses, path=file, key_terms=key_terms)

    def _key_terms(self, data: dict[Any, Any], clauses: tuple[ClauseType, ...] | None) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        """``key_terms``: key term id -> the clause ids whose evidence states it (each id known, each clause defined)."""
        value = data.get("key_terms")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self._report("key_terms", f"must be a mapping of key term id to a list of clause ids (got {_type(value)})", self._line(data, "key_terms"))
            return None
        known = {c.id for c in clauses or ()}
        out: dict[str, tuple[str, ...]] = {}
        ok = True
        for term, ids in value.items():
            line = self._line(value, term)
            if term not in KEY_TERM_IDS:
                close = difflib.get_close_matches(str(term), KEY_TERM_IDS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self._report("key_terms", f"unknown key term {str(term)!r}{hint}; valid key terms: {', '.join(KEY_TERM_IDS)}", line)
                ok = False
                continue
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                self._report(f"key_terms: {term}", f"must be a non-empty list of clause ids (got {_type(ids)} {ids!r})", line)
                ok = False
                continue
            unknown = [i for i in ids if clauses is not None and i not in known]
            if unknown:
                self._report(f"key_terms: {term}", f"unknown clause id(s) {', '.join(map(repr, unknown))}; valid ids: {', '.join(sorted(known))}", line)
                ok = False
                continue
            out[term] = tuple(ids)
        return tuple(out.items()) if ok else None

    def _fields(self, data: dict[Any, Any], spec: dict[str, tuple[str, bool]], where: str, what: str) -> None:
        """Report unknown and missing fields of one mapping."""
        valid = ", ".join(spec)
        for key in data:
            if key not in spec:
                close = difflib.get_close_matches(str(key), list(spec), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self._report(where, f"unknown field {str(key)!r}{hint}; valid {what} fields: {valid}", self._line(data, key))
        for key, (_, required) in spec.items():
            if required and key not in data:
                self._report(where, f"field {key!r} is required", self._line(data))

    def _schema_version(self, data: dict[Any, Any]) -> None:
        if "schema_version" not in data:
            return
        value = data["schema_version"]
        if value != SCHEMA_VERSION or isinstance(value, bool):
            self._report("", f"field 'schema_version' must be {SCHEMA_VERSION} (got {value!r}); this assistant reads schema version {SCHEMA_VERSION}", self._line(data, "schema_version"))

    def _clauses(self, data: dict[Any, Any]) -> tuple[ClauseType, ...] | None:
        items = self._list(data, "clauses", "", min_items=1, noun="clause")
        if items is None:
            return None
        clauses: list[ClauseType] = []
        first_seen: dict[str, int] = {}
        ok = True
        for index, item in enumerate(items, start=1):
            where = _entry("clause", item, index)
            if not isinstance(item, dict):
                self._report(where, f"must be a mapping of clause fields (got {_type(item)})", self._line(items, index - 1))
                ok = False
                continue
            clause_id = item.get("id")
            if isinstance(clause_id, str) and clause_id in first_seen:
                self._report(where, f"duplicate clause id {clause_id!r} (first used by clause #{first_seen[clause_id]})", self._line(item, "id"))
                ok = False
            elif isinstance(clause_id, str):
                first_seen[clause_id] = index
            clause = self._clause(item, where)
            if clause is None:
                ok = False
            else:
                clauses.append(clause)
        return tuple(clauses) if ok else None

    def _clause(self, data: dict[Any, Any], where: str) -> ClauseType | None:
        self._fields(data, _CLAUSE_FIELDS, where, "clause")
        values = {
            "id": self._id(data, where),
            "name": self._text(data, "name", where),
            "group": self._text(data, "group", where),
            "description": self._text(data, "description", where),
            "why": self._text(data, "why", where),
            "severity": self._severity(data, where),
            "headings": self._texts(data, "headings", where, min_items=0),
            "signals": self._regexes(data, "signals", where, min_items=0),
            "exemplars": self._texts(data, "exemplars", where, min_items=1),
            "elements": self._elements(data, where),
            "fallback": self._text(data, "fallback", where),
        }
        headings, signals = values["headings"], values["signals"]
        if headings is not None and signals is not None and not headings and not signals:
            self._report(where, "fields 'headings' and 'signals' are both empty or missing; give at least one heading or signal so the clause can be found", self._line(data))
            return None
        if any(v is None for v in values.values()):
            return None
        values["headings"] = tuple(h.strip().lower() for h in headings)
        return ClauseType(**values)

    def _elements(self, data: dict[Any, Any], where: str) -> tuple[Element, ...] | None:
        items = self._list(data, "elements", where, min_items=1, noun="element")
        if items is None:
            return None
        elements: list[Element] = []
        first_seen: dict[str, int] = {}
        ok = True
        for index, item in enumerate(items, start=1):
            here = f"{where}: {_entry('element', item, index)}"
            if not isinstance(item, dict):
                self._report(here, f"must be a mapping with id, name, description and patterns (got {_type(item)})", self._line(items, index - 1))
                ok = False
                continue
            element_id = item.get("id")
            if isinstance(element_id, str) and element_id in first_seen:
                self._report(here, f"duplicate element id {element_id!r} (first used by element #{first_seen[element_id]})", self._line(item, "id"))
                ok = False
            elif isinstance(element_id, str):
                first_seen[element_id] = index
            self._fields(item, _ELEMENT_FIELDS, here, "element")
            values = {
                "id": self._id(item, here),
                "name": self._text(item, "name", here),
                "description": self._text(item, "description", here),
                "patterns": self._regexes(item, "patterns", here, min_items=1),
            }
            if any(v is None for v in values.values()):
                ok = False
                continue
            elements.append(Element(**values))
        return tuple(elements) if ok else None

    # -- leaf fields; each returns None after reporting a problem

    def _text(self, data: dict[Any, Any], key: str, where: str, required: bool = True) -> str | None:
        if key not in data:
            return None if required else ""  # missing required fields are reported by _fields
        value = data[key]
        if not isinstance(value, str):
            self._report(where, f"field {key!r} must be a string (got {_type(value)} {value!r})", self._line(data, key))
            return None
        if not value.strip():
            self._report(where, f"field {key!r} must not be empty", self._line(data, key))
            return None
        return value.strip()

    def _id(self, data: dict[Any, Any], where: str) -> str | None:
        value = self._text(data, "id", where)
        if value is not None and not _SNAKE_CASE.match(value):
            self._report(where, f"field 'id' must be snake_case (lowercase letters, digits and single underscores, starting with a letter), got {value!r}", self._line(data, "id"))
            return None
        return value

    def _severity(self, data: dict[Any, Any], where: str) -> Severity | None:
        if "severity" not in data:
            return None
        value = data["severity"]
        if value not in SEVERITIES:
            self._report(where, f"field 'severity' must be one of {', '.join(SEVERITIES)} (got {value!r})", self._line(data, "severity"))
            return None
        return value  # type: ignore[return-value]

    def _list(self, data: dict[Any, Any], key: str, where: str, min_items: int, noun: str = "item") -> list[Any] | None:
        if key not in data:
            return [] if min_items == 0 else None
        value = data[key]
        if value is None and min_items == 0:
            return []
        if not isinstance(value, list):
            self._report(where, f"field {key!r} must be a list (got {_type(value)})", self._line(data, key))
            return None
        if len(value) < min_items:
            self._report(where, f"field {key!r} must contain at least {min_items} {noun}{'s' if min_items > 1 else ''} (got an empty list)", self._line(data, key))
            return None
        return value

    def _texts(self, data: dict[Any, Any], key: str, where: str, min_items: int, strip: bool = True) -> tuple[str, ...] | None:
        items = self._list(data, key, where, min_items)
        if items is None:
            return None
        out: list[str] = []
        ok = True
        for index, item in enumerate(items, start=1):
            line = self._line(items, index - 1)
            if not isinstance(item, str):
                self._report(where, f"field {key!r} item #{index} must be a string (got {_type(item)} {item!r})", line)
                ok = False
            elif not item.strip():
                self._report(where, f"field {key!r} item #{index} must not be empty", line)
                ok = False
            else:
                out.append(item.strip() if strip else item)
        return tuple(out) if ok else None

    def _regexes(self, data: dict[Any, Any], key: str, where: str, min_items: int) -> tuple[re.Pattern[str], ...] | None:
        texts = self._texts(data, key, where, min_items, strip=False)  # a regex's spaces are significant
        if texts is None:
            return None
        items = data.get(key) or []
        compiled: list[re.Pattern[str]] = []
        ok = True
        for index, text in enumerate(texts, start=1):
            line = self._line(items, index - 1)
            try:
                pattern = re.compile(text, REGEX_FLAGS)
            except re.error as exc:
                self._report(where, f"field {key!r} item #{index} is not a valid regex {text!r}: {exc}", line)
                ok = False
                continue
            if _nested_repeat(text):
                self._report(
                    where,
                    f"field {key!r} item #{index} {text!r} nests a variable repeat inside an unbounded or long repeat "
                    "(like (a+)+ or (?:\\w+\\s?)*), which can backtrack catastrophically; bound it, e.g. [^.]{0,80} or {0,3}",
                    line,
                )
                ok = False
                continue
            if pattern.search("") is not None:
                self._report(where, f"field {key!r} item #{index} {text!r} matches empty text, so it would match everything", line)
                ok = False
                continue
            compiled.append(pattern)
        return tuple(compiled) if ok else None


def _entry(noun: str, item: Any, index: int) -> str:
    """``clause 'some_id' (#2)`` when the entry has a string id, else ``clause #2``."""
    entry_id = item.get("id") if isinstance(item, dict) else None
    return f"{noun} {entry_id!r} (#{index})" if isinstance(entry_id, str) and entry_id.strip() else f"{noun} #{index}"


def _type(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def _nested_repeat(pattern: str) -> bool:
    """Whether a variable-length repeat sits inside a repeat that may run more than ``_LARGE_REPEAT`` times.

    That shape - ``(a+)+``, ``(?:\\w+\\s?)*``, ``(?:[^.]{0,80})*`` - is what makes backtracking exponential.
    Possessive repeats cannot backtrack and are allowed as the outer repeat.
    """
    try:
        tree = _sre_parse.parse(pattern, REGEX_FLAGS)
    except Exception:  # pragma: no cover - compile() already accepted it; never block on the screen itself
        return False
    return _walk(tree, inside_large=False)


def _walk(items: Any, inside_large: bool) -> bool:
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            if inside_large and high > 1 and high != low:
                return True
            large = high > _LARGE_REPEAT and name != "POSSESSIVE_REPEAT"
            if _walk(sub, inside_large or large):
                return True
        else:
            for child in _subpatterns(av):
                if _walk(child, inside_large):
                    return True
    return False


def _subpatterns(av: Any) -> Iterator[Any]:
    if isinstance(av, _sre_parse.SubPattern):
        yield av
    elif isinstance(av, (tuple, list)):
        for part in av:
            yield from _subpatterns(part)


