"""The one split of the development contracts into a tuning part and a checking part, by document.

Everything fitted on real contracts (answer selection, refusal thresholds, audit presence decisions, focus
settings) is fitted on ``tune`` documents only and reported on both parts; ``check`` documents are looked at
only through the figures a benchmark prints. The split is a hash of the document's file name, so it is the same
in every script and on every machine, needs no list to maintain, and a document keeps its part when others are
added. LegalBench-RAG queries take the part of the document their first gold snippet is in (a CUAD contract is in
the same part in both benchmarks).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

PARTS = ("tune", "check")


def part_of(file_name: str) -> str:
    """``tune`` or ``check`` for a document, by its file name (any folder prefix is ignored)."""
    name = PurePath(file_name).name
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return PARTS[digest[0] % 2]


def in_part(file_name: str, part: str | None) -> bool:
    """Whether the document belongs to ``part`` (always, when ``part`` is None or "all")."""
    if part in (None, "", "all"):
        return True
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; valid: {', '.join(PARTS)}, all")
    return part_of(file_name) == part


def first_of_each_part(names, limit: int) -> list[str]:
    """The first ``limit`` names (sorted) of each part, sorted; all of them when ``limit`` is 0. A quick run ingests
    and asks only these, and still reports both parts."""
    ordered = sorted(names)
    if not limit:
        return ordered
    return sorted(n for part in PARTS for n in [m for m in ordered if part_of(m) == part][:limit])
