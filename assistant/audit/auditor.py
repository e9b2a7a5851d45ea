"""Clause audit: for each playbook clause type, is it present, weak (named elements missing) or
missing in a document or a whole deal, with evidence (document, page, section, exact offsets).

Hidden and instruction-like text (``Document.flags``) is in no chunk, so it is never evidence; the result lists it
(``AuditResult.flags``) for the reviewer. Deterministic and explainable. Three signals per passage, all visible in
the result:
- heading: the section path contains one of the clause's heading phrases;
- lexical: the passage matches the clause's signal patterns;
- semantic: cosine similarity of the passage to the clause's exemplar sentences (same embedding
  model as the index, vectors from the embedding cache).
A clause is a candidate only with a heading or lexical signal (similarity alone ranks evidence but never creates a
finding). Its elements are then checked on the evidence and its neighbours, and each element that is met points at
the passage that meets it. Whether the candidate is present is decided by the hand-written rule (``_addressed``), or by a
``presence.PresenceModel`` when one is given (a scored combination of the same signals fitted by eval/fit_presence.py;
on the development contracts it did no better than the rule on the checking part, so the rule is the default).
"""

from __future__ import annotations

import bisect
import itertools
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from ..core.documents import Chunk, DocumentInfo
from ..index.embeddings import CachedEmbedder
from ..index.store import Index
from ..text.normalise import collapse_whitespace
from .findings import AuditResult, ClauseFinding, Evidence
from .keyterms import extract_key_terms
from .patterns import PatternSet
from .playbook import ClauseType, Playbook
from .presence import RULE_ONLY, PresenceFeatures, PresenceModel

HEADING_WEIGHT = 0.45
SIGNAL_WEIGHT = 0.4
SIMILARITY_WEIGHT = 0.25
SIMILARITY_FLOOR = 0.35
SIMILARITY_SPAN = 0.35
EVIDENCE_MIN = 0.4
MAX_EVIDENCE = 3
ELEMENT_CONTEXT = 8
MIN_SIGNALS_WITHOUT_HEADING = 2
HEADING_ONLY_MET_SHARE = 0.5
SINGLE_SIGNAL_MET_SHARE = 0.5
SINGLE_SIGNAL_SIMILARITY = 0.55
SEVERAL_SIGNALS_BONUS = 0.15
ELEMENTS_BONUS = 0.2
CORE_ELEMENT_BONUS = 0.15
GROUPINGS = ("document", "deal")


@dataclass(frozen=True)
class _AuditInput:
    """What every clause type reads, prepared once per audit: the chunks, their vectors, their text as the
    playbook's patterns expect it (hard-wrapped EDGAR/PDF lines collapsed), their section paths normalised and
    lowercased as ``ClauseType.matches_heading`` reads a heading, and which of the playbook's signal patterns
    (numbered across all clause types) each chunk matches."""

    chunks: list[Chunk]
    vectors: np.ndarray
    plain: list[str]
    paths: list[str]
    signal_hits: list[frozenset[int]]

    @classmethod
    def of(cls, chunks: list[Chunk], vectors: np.ndarray, signals: PatternSet) -> "_AuditInput":
        plain = [collapse_whitespace(c.text) for c in chunks]
        hits = [frozenset(signals.matching(text)) for text in plain]
        return cls(chunks, vectors, plain, [collapse_whitespace(c.section_path).lower() for c in chunks], hits)


@dataclass
class _ClauseScores:
    heading: np.ndarray
    signals: list[tuple[str, ...]]
    similarity: np.ndarray
    total: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        signal = np.array([1.0 if s else 0.0 for s in self.signals])
        semantic = np.clip((self.similarity - SIMILARITY_FLOOR) / SIMILARITY_SPAN, 0.0, 1.0)
        self.total = HEADING_WEIGHT * self.heading + SIGNAL_WEIGHT * signal + SIMILARITY_WEIGHT * semantic


class ClauseAuditor:
    """``run(doc_ids, subject)`` audits the documents together against the playbook."""

    def __init__(self, index: Index, embedder: CachedEmbedder, playbook: Playbook, presence: PresenceModel | None = None):
        self.index = index
        self.embedder = embedder
        self.playbook = playbook
        self.presence = presence or RULE_ONLY
        clauses = playbook.clauses
        exemplars = [e for c in clauses for e in c.exemplars]
        vectors = embedder.embed(exemplars) if exemplars else np.zeros((0, embedder.dimension), dtype=np.float32)
        starts = itertools.accumulate((len(c.exemplars) for c in clauses), initial=0)
        self._exemplars = {c.id: vectors[start : start + len(c.exemplars)] for c, start in zip(clauses, starts)}
        # every clause's signals in one set, so each chunk is scanned once; a clause's signals are numbered from its offset
        self._signals = PatternSet([p for c in clauses for p in c.signals])
        self._signal_offsets = dict(zip((c.id for c in clauses), itertools.accumulate((len(c.signals) for c in clauses), initial=0)))

    def run(self, doc_ids: list[str], subject: str, kind: str = "document") -> AuditResult:
        started = time.perf_counter()
        documents = [self.index.document(d) for d in doc_ids]
        flags = tuple(f for d in documents for f in d.flags)
        inputs = self._inputs(doc_ids, flags)
        chunks = inputs.chunks
        names = tuple(dict.fromkeys(c.file_name for c in chunks)) or tuple(d.file_name for d in documents)
        findings = tuple(self._audit_clause(clause, inputs) for clause in self.playbook.clauses)
        terms = extract_key_terms(chunks, findings, dict(self.playbook.key_terms))
        return AuditResult(subject, kind, tuple(doc_ids), names, findings, tuple(terms), seconds=time.perf_counter() - started, flags=flags)

    def candidates(self, doc_ids: list[str]) -> dict[str, tuple[ClauseFinding, PresenceFeatures] | None]:
        """Per clause type, the finding it gets if its candidate is judged present, with the candidate's presence
        features; None when nothing anchors it. What ``eval/fit_presence.py`` fits the presence model on."""
        flags = tuple(f for d in doc_ids for f in self.index.document(d).flags)
        inputs = self._inputs(doc_ids, flags)
        out: dict[str, tuple[ClauseFinding, PresenceFeatures] | None] = {}
        for clause in self.playbook.clauses:
            candidate = self._candidate(clause, inputs)
            out[clause.id] = (candidate[0], candidate[1]) if candidate else None
        return out

    def _inputs(self, doc_ids: list[str], flags: tuple) -> _AuditInput:
        chunks = [c for d in doc_ids for c in self.index.chunks(d)]
        chunks = [c for c in chunks if not any(f.span.doc_id == c.doc_id and f.covers(c.start, c.end) for f in flags)]  # never, by chunking
        vectors = self.embedder.embed([c.embed_text for c in chunks]) if chunks else np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return _AuditInput.of(chunks, vectors, self._signals)

    def _scores(self, clause: ClauseType, inputs: _AuditInput) -> _ClauseScores:
        heading = np.array([1.0 if any(h in path for h in clause.headings) else 0.0 for path in inputs.paths])
        first = self._signal_offsets[clause.id]
        signals = [tuple(p.pattern for k, p in enumerate(clause.signals, first) if k in hits) for hits in inputs.signal_hits]
        exemplars = self._exemplars[clause.id]
        n = len(inputs.chunks)
        similarity = (inputs.vectors @ exemplars.T).max(axis=1) if n and len(exemplars) else np.zeros(n)
        return _ClauseScores(heading, signals, similarity)

    def _audit_clause(self, clause: ClauseType, inputs: _AuditInput) -> ClauseFinding:
        if not inputs.chunks:
            return _finding(clause, "missing", 0.0, (), (), ())
        candidate = self._candidate(clause, inputs)
        if candidate is None:
            return _missing(clause, self._scores(clause, inputs))
        finding, features, scores = candidate
        return finding if self.presence.decides(clause.id, features) else _missing(clause, scores)

    def _candidate(self, clause: ClauseType, inputs: _AuditInput) -> tuple[ClauseFinding, PresenceFeatures, _ClauseScores] | None:
        """The finding the clause gets if present, the features its presence is decided on, and the passage scores;
        None when no passage anchors it (no heading or signal with enough score)."""
        chunks, plain = inputs.chunks, inputs.plain
        if not chunks:
            return None
        scores = self._scores(clause, inputs)
        anchored = [i for i in range(len(chunks)) if (scores.signals[i] or scores.heading[i] > 0) and scores.total[i] >= EVIDENCE_MIN]
        if not anchored:
            return None
        by_score = sorted(anchored, key=lambda i: -scores.total[i])
        context = _element_context(inputs, by_score)
        hits = _element_hits(clause, plain, set(anchored) | set(context))
        rank = {j: _evidence_rank(scores, j, met) for j, met in hits.items()}
        ranked = sorted(anchored, key=lambda i: -rank[i])
        evidence = tuple(_evidence(chunks[i], scores, i) for i in ranked[:MAX_EVIDENCE])
        where = _element_passages(clause, plain, context, hits, rank)
        met = tuple(e for e, j in where.items() if j is not None)
        missing = tuple(e for e, j in where.items() if j is None)
        met_share = len(met) / max(1, len(clause.elements))
        features = PresenceFeatures(
            rule=_addressed(evidence, met_share), heading=any(e.heading for e in evidence),
            signals=len({s for e in evidence for s in e.signals}), similarity=max((e.similarity for e in evidence), default=0.0),
            met_share=met_share, core=bool(clause.elements) and clause.elements[0].id in met)
        status = "weak" if missing else "present"
        confidence = float(min(1.0, 0.35 + scores.total[by_score[0]] * 0.65))  # the strongest passage, whatever leads the evidence
        per_element = tuple((e, _evidence(chunks[j], scores, j)) for e, j in where.items() if j is not None)
        return _finding(clause, status, round(confidence, 3), missing, met, evidence, per_element), features, scores


def _element_hits(clause: ClauseType, plain: list[str], indices: set[int]) -> dict[int, tuple[bool, ...]]:
    """Which of the clause's elements each passage meets on its own (in playbook order), worked out once."""
    return {j: tuple(any(p.search(plain[j]) for p in e.patterns) for e in clause.elements) for j in indices}


def _evidence_rank(scores: _ClauseScores, i: int, met: tuple[bool, ...]) -> float:
    """Order of evidence: the passage score, plus a bonus for the operative language itself (several of the
    clause's phrasings, its adequacy elements ``met`` by the passage, above all its core element) over a passage
    that only sits under the right heading."""
    several = SEVERAL_SIGNALS_BONUS if len(scores.signals[i]) > 1 else 0.0
    core = CORE_ELEMENT_BONUS if met and met[0] else 0.0  # the playbook lists a clause's core element first
    return float(scores.total[i]) + several + ELEMENTS_BONUS * sum(met) / max(1, len(met)) + core


def _missing(clause: ClauseType, scores: _ClauseScores) -> ClauseFinding:
    """A missing finding; confident in proportion to how far the best passage is from the exemplars."""
    best = float(scores.similarity.max())
    return _finding(clause, "missing", round(1.0 - max(0.0, best - SIMILARITY_FLOOR), 3), (), (), ())


def _addressed(evidence: tuple[Evidence, ...], met_share: float) -> bool:
    """A provision about the topic, not a passing mention: under its own heading (with a signal or half
    its elements), signalled by several distinct phrasings, or by one phrasing with half its elements or close to the exemplars."""
    distinct = {s for e in evidence for s in e.signals}
    if any(e.heading for e in evidence) and (distinct or met_share >= HEADING_ONLY_MET_SHARE):
        return True
    if len(distinct) >= MIN_SIGNALS_WITHOUT_HEADING:
        return True
    similar = max((e.similarity for e in evidence), default=0.0) >= SINGLE_SIGNAL_SIMILARITY
    return len(distinct) == 1 and (met_share >= SINGLE_SIGNAL_MET_SHARE or similar)


def _element_context(inputs: _AuditInput, ranked: list[int]) -> list[int]:
    """Evidence passages and their immediate neighbours in the same document: elements often sit in the next subclause."""
    chunks = inputs.chunks
    picked: set[int] = set()
    for i in ranked[:ELEMENT_CONTEXT]:
        picked.add(i)
        clause = _top_section(chunks[i])
        for j in (i - 1, i + 1):
            if clause and 0 <= j < len(chunks) and chunks[j].doc_id == chunks[i].doc_id and _top_section(chunks[j]) == clause:
                picked.add(j)
    return sorted(picked)


def _element_passages(
    clause: ClauseType, plain: list[str], context: list[int], hits: dict[int, tuple[bool, ...]], rank: dict[int, float]
) -> dict[str, int | None]:
    """For each element, the context passage that meets it: the best-ranked passage that meets it on its own, else
    the passage where a match begins that runs on into the next subclause (a sentence split between chunks);
    ``None`` when no passage of the context meets it."""
    order = sorted(context, key=lambda j: -rank[j])
    joined = "\n".join(plain[j] for j in context)
    starts = list(itertools.accumulate((len(plain[j]) + 1 for j in context[:-1]), initial=0))
    where: dict[str, int | None] = {}
    for k, element in enumerate(clause.elements):
        where[element.id] = next((j for j in order if hits[j][k]), None)
        if where[element.id] is None:
            begins = [m.start() for p in element.patterns if (m := p.search(joined))]
            if begins:
                where[element.id] = context[bisect.bisect_right(starts, min(begins)) - 1]
    return where


def _top_section(chunk: Chunk) -> str:
    """The top-level clause a chunk belongs to ('' for a preamble)."""
    return chunk.section_path.split(" > ", 1)[0]


def _evidence(chunk: Chunk, scores: _ClauseScores, i: int) -> Evidence:
    """The whole chunk as evidence (its span starts and ends on the chunk's first page, as reports cite it)."""
    return Evidence(chunk.sub_span(0, len(chunk.text), chunk.page_start, chunk.page_start), round(float(scores.total[i]), 4),
                    bool(scores.heading[i]), scores.signals[i], round(float(scores.similarity[i]), 4))


def _finding(
    clause: ClauseType, status: str, confidence: float, missing: tuple, met: tuple, evidence: tuple, per_element: tuple = ()
) -> ClauseFinding:
    return ClauseFinding(
        clause.id, clause.name, clause.group, clause.severity, status, confidence,
        tuple(missing), tuple(met), evidence, clause.fallback, clause.why, per_element,
    )


class AuditCache:
    """Audit results for documents and deals, kept until the index changes: answers ask the audit about the
    same documents again and again ("does the NDA have ...", "which contracts lack ...")."""

    def __init__(self, index: Index, auditor: ClauseAuditor):
        self.index = index
        self.auditor = auditor
        self._generation = -1
        self._results: dict[tuple, AuditResult] = {}
        self._lock = threading.RLock()

    def _fresh(self) -> None:
        generation = self.index.generation
        if generation != self._generation:
            self._results, self._generation = {}, generation

    def document(self, doc_id: str) -> AuditResult:
        with self._lock:
            self._fresh()
            key = ("document", doc_id)
            if key not in self._results:
                self._results[key] = self.auditor.run([doc_id], self.index.document(doc_id).file_name, "document")
            return self._results[key]

    def grouped(self, infos: list[DocumentInfo], by: str) -> list[AuditResult]:
        """One result per document (``by='document'``), or per deal with the documents in no deal audited alone."""
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}; valid: {', '.join(GROUPINGS)}")
        if by == "document":
            return [self.document(info.doc_id) for info in infos]
        deals: dict[str, list[DocumentInfo]] = {}
        for info in infos:
            deals.setdefault(info.deal or f"\0{info.doc_id}", []).append(info)
        return [self.document(members[0].doc_id) if deal.startswith("\0") else self.deal(deal, tuple(m.doc_id for m in members))
                for deal, members in deals.items()]

    def deal(self, name: str, doc_ids: tuple[str, ...]) -> AuditResult:
        with self._lock:
            self._fresh()
            key = ("deal", name, doc_ids)
            if key not in self._results:
                self._results[key] = self.auditor.run(list(doc_ids), name, "deal")
            return self._results[key]
