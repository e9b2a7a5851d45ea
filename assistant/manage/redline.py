"""The Word redline: a copy of a DOCX contract with the planned changes as tracked insertions (author "Contract
assistant", dated) and a Word comment on each change and on each weak clause. The original paragraphs, runs,
styles and numbering are left as they are: text is only ever added in new paragraphs between existing blocks, and
a weak clause's comment only adds the comment's range marks around its runs."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx

from ..core.documents import Document
from .changes import Change
from .docx_map import DocxMap
from .revisions import AUTHOR, Reviser


@dataclass(frozen=True)
class RedlineResult:
    """What was written: ``kind`` is "redline" (a DOCX with tracked changes) or "memo" (a review memo DOCX)."""

    document: str
    kind: str
    path: str
    changes: tuple[Change, ...]
    author: str = AUTHOR
    date: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "kind": self.kind, "path": self.path, "changes": [c.to_dict() for c in self.changes],
                "author": self.author, "date": self.date, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RedlineResult":
        return cls(data["document"], data["kind"], data["path"], tuple(Change.from_dict(c) for c in data["changes"]),
                   data.get("author", AUTHOR), data.get("date", ""), float(data.get("seconds", 0.0)))


def write_redline(source: Path, document: Document, changes: list[Change], out: Path, *, author: str = AUTHOR,
                  date: dt.datetime | None = None) -> RedlineResult:
    """Write ``out``: ``source`` (the DOCX that was ingested as ``document``) with ``changes`` tracked."""
    started = time.perf_counter()
    parsed = docx.Document(str(source))
    blocks = DocxMap(parsed, document)
    reviser = Reviser(parsed, author, date)
    last_inserted: dict[int, Any] = {}  # anchor block start -> the last paragraph inserted after it (keeps their order)
    commented: set[int] = set()
    for change in changes:
        anchor = blocks.last_block_before(change.after)
        like = anchor.paragraph if anchor.paragraph is not None and anchor.heading_level is None else None
        after = last_inserted.get(anchor.start, anchor.element)
        runs = []
        if change.heading:
            heading_like = _heading_like(blocks, change, anchor)
            paragraph, run = reviser.insert_paragraph_after(after, change.heading, like=heading_like, bold=heading_like is None)
            after = paragraph._p
            runs.append(run)
        paragraph, run = reviser.insert_paragraph_after(after, change.text, like=like)
        runs.append(run)
        last_inserted[anchor.start] = paragraph._p
        reviser.comment(runs, change.comment)
        if change.evidence is not None and change.evidence.start not in commented:
            commented.add(change.evidence.start)
            weak = blocks.block_at(change.evidence.start)
            target = weak.paragraph if weak.paragraph is not None else None
            if target is not None and target.runs:
                reviser.comment(list(target.runs), f"{change.clause} is weak ({change.severity} severity): missing "
                                f"{', '.join(change.missing_elements)}. See the suggested language inserted after this clause.")
    out.parent.mkdir(parents=True, exist_ok=True)
    parsed.save(str(out))
    return RedlineResult(document.file_name, "redline", str(out), tuple(changes), author, reviser.stamp, time.perf_counter() - started)


def _heading_like(blocks: DocxMap, change: Change, anchor) -> Any:
    """A heading paragraph of the level a new clause takes (the deepest heading before the anchor), if the file has one."""
    for block in reversed([b for b in blocks.blocks if b.start <= anchor.start]):
        if block.heading_level and block.paragraph is not None:
            return block.paragraph
    return None
