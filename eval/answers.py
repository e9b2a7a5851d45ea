"""Answers eval: the answerer over the project's own corpus, measured the way a reviewer would check it.

    python -m eval.answers [--questions FILE] [--docs DIR] [--out FILE.json]

Ingests DIR (default corpus/) into a temporary workspace, asks every question of FILE (default
eval/answer_questions.yaml; follow-ups are asked after their history, in order) and reports:

- key-fact accuracy: answerable questions answered with the expected key fact in the text (any of the
  listed alternatives; all of ``key_facts`` for tables) and the expected ``key_value`` for yes/no;
- citation precision: share of citations (single-answer questions) whose document is an expected
  evidence document and whose span overlaps where an expected quote is in that document (the quote is
  located by whitespace-normalised search, table separators ignored);
- verbatim rate: share of all citations whose quote is exactly the document text at their offsets;
- correct refusals on unanswerable questions, answer rate on answerable ones;
- latency p50/p95: every question once to warm up (embedding cache, audit), then timed; the cold
  first pass is reported too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "eval" / "answer_questions.yaml"
DOCS = REPO / "corpus"
KINDS = ("single", "follow_up", "audit", "cross_document")


@dataclass(frozen=True)
class Evidence:
    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class Question:
    question: str
    answerable: bool
    kind: str = "single"
    key_fact: tuple[str, ...] = ()  # any of
    key_facts: tuple[str, ...] = ()  # all of
    key_value: str = ""
    evidence: tuple[Evidence, ...] = ()
    history: tuple[str, ...] = ()


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions = []
    for number, item in enumerate(items, 1):
        kind = item.get("kind", "single")
        if kind not in KINDS:
            raise ValueError(f"{path}: question {number}: unknown kind {kind!r}; valid: {', '.join(KINDS)}")
        fact = item.get("key_fact", ())
        questions.append(Question(
            question=item["question"],
            answerable=bool(item["answerable"]),
            kind=kind,
            key_fact=tuple([fact] if isinstance(fact, str) else fact),
            key_facts=tuple(item.get("key_facts", ())),
            key_value=str(item.get("key_value", "")),
            evidence=tuple(Evidence(e["document"], str(e.get("section", "")), e["quote"]) for e in item.get("evidence", ()) or ()),
            history=tuple(item.get("history", ())),
        ))
    return questions


def normalised(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with table separators and whitespace runs collapsed to one space, and each kept character's offset."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "|":
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        out.append(ch.lower())
        where.append(i)
    return "".join(out), where


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text`` (offsets in ``text``), ignoring case, whitespace and table separators."""
    needle = normalised(quote)[0].strip()
    haystack, where = normalised(text)
    at = haystack.find(needle)
    if not needle or at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1


def has_fact(fact: str, text: str) -> bool:
    return normalised(fact)[0].strip() in normalised(text)[0]


@dataclass
class Result:
    question: Question
    answer: object
    seconds: float
    key_ok: bool = False
    citation_hits: list[bool] = field(default_factory=list)
    verbatim: list[bool] = field(default_factory=list)


def file_paths(docs: Path) -> dict[str, str]:
    """Ingested file name -> path as the user knows it (relative to the repository when inside it)."""
    paths = {}
    for path in sorted(docs.rglob("*")):
        if path.is_file() and not any(part.startswith("_") for part in path.relative_to(docs).parts):
            try:
                paths[path.name] = str(path.resolve().relative_to(REPO))
            except ValueError:
                paths[path.name] = str(path)
    return paths


def ask(answerer, question: Question):
    """Answer a question after its history (earlier questions answered first, their answers fed back)."""
    history: list[tuple[str, str]] = []
    for earlier in question.history:
        history.append((earlier, answerer.run(earlier, history).text))
    started = time.perf_counter()
    answer = answerer.run(question.question, history)
    return answer, time.perf_counter() - started


def score(workspace, question: Question, answer, seconds: float) -> Result:
    result = Result(question, answer, seconds)
    texts: dict[str, str] = {}

    def text_of(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = workspace.document(doc_id).text
        return texts[doc_id]

    result.verbatim = [text_of(c.span.doc_id)[c.span.start : c.span.end] == c.span.text for c in answer.citations]
    if not question.answerable:
        return result
    facts_ok = True
    if question.key_fact:
        facts_ok = any(has_fact(f, answer.text) for f in question.key_fact)
    if question.key_facts:
        facts_ok = facts_ok and all(has_fact(f, answer.text) for f in question.key_facts)
    value_ok = not question.key_value or answer.key_value.lower() == question.key_value.lower()
    result.key_ok = bool(answer.answered and facts_ok and value_ok)
    if question.kind != "cross_document" and question.evidence:
        gold: dict[str, list[tuple[int, int]]] = {}
        for evidence in question.evidence:
            info = workspace.find(Path(evidence.document).name)
            span = locate(evidence.quote, text_of(info.doc_id))
            if span is None:
                raise ValueError(f"evidence quote not found in {evidence.document}: {evidence.quote!r}")
            gold.setdefault(info.doc_id, []).append(span)
        result.citation_hits = [
            any(c.span.start < e and s < c.span.end for s, e in gold.get(c.span.doc_id, [])) for c in answer.citations
        ] if answer.answered else []
    return result


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * (len(ordered) - 1)))))]


def evaluate(workspace, questions: list[Question], answerer=None) -> dict:
    """Run every question twice (cold, then timed after the warm-up) and compute the figures."""
    answerer = answerer or workspace.answerer
    cold = [ask(answerer, q)[1] for q in questions]
    results = [score(workspace, q, *ask(answerer, q)) for q in questions]
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]
    hits = [h for r in results for h in r.citation_hits]
    verbatim = [v for r in results for v in r.verbatim]
    seconds = [r.seconds for r in results]
    by_kind = {}
    for kind in KINDS:
        group = [r for r in answerable if r.question.kind == kind]
        if group:
            by_kind[kind] = {"questions": len(group), "key_fact_accuracy": sum(r.key_ok for r in group) / len(group)}
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "key_fact_accuracy": sum(r.key_ok for r in answerable) / max(1, len(answerable)),
        "citation_precision": sum(hits) / max(1, len(hits)),
        "citations_scored": len(hits),
        "verbatim_rate": sum(verbatim) / max(1, len(verbatim)),
        "citations": len(verbatim),
        "refusal_rate": sum(not r.answer.answered for r in unanswerable) / max(1, len(unanswerable)),
        "answer_rate": sum(r.answer.answered for r in answerable) / max(1, len(answerable)),
        "latency_p50_ms": 1000 * statistics.median(seconds) if seconds else 0.0,
        "latency_p95_ms": 1000 * percentile(seconds, 0.95),
        "cold_p50_ms": 1000 * statistics.median(cold) if cold else 0.0,
        "cold_p95_ms": 1000 * percentile(cold, 0.95),
        "by_kind": by_kind,
        "results": results,
    }


def report(figures: dict) -> str:
    lines = [
        f"{figures['questions']} questions ({figures['answerable']} answerable, {figures['unanswerable']} unanswerable)",
        f"key-fact accuracy     {figures['key_fact_accuracy']:.1%}",
        f"citation precision    {figures['citation_precision']:.1%}  ({figures['citations_scored']} citations on single-answer questions)",
        f"verbatim citations    {figures['verbatim_rate']:.1%}  ({figures['citations']} citations)",
        f"correct refusals      {figures['refusal_rate']:.1%}  of unanswerable",
        f"answer rate           {figures['answer_rate']:.1%}  of answerable",
        f"latency after warm-up p50 {figures['latency_p50_ms']:.0f} ms, p95 {figures['latency_p95_ms']:.0f} ms  (cold first pass: p50 {figures['cold_p50_ms']:.0f} ms, p95 {figures['cold_p95_ms']:.0f} ms)",
        "by kind: " + ", ".join(f"{k} {v['key_fact_accuracy']:.0%} of {v['questions']}" for k, v in figures["by_kind"].items()),
    ]
    for r in figures["results"]:
        q = r.question
        if q.answerable and not r.key_ok:
            lines.append(f"  wrong: {q.question}  -> {'answered' if r.answer.answered else 'refused'}, key value {r.answer.key_value!r}")
        elif not q.answerable and r.answer.answered:
            lines.append(f"  should refuse: {q.question}  -> key value {r.answer.key_value!r}")
        if r.citation_hits and not all(r.citation_hits):
            lines.append(f"  imprecise citations ({sum(r.citation_hits)}/{len(r.citation_hits)}): {q.question}")
    return "\n".join(lines)


def dump(figures: dict, paths: dict[str, str]) -> dict:
    """The per-question record written by --out."""
    items = []
    for r in figures["results"]:
        a = r.answer
        items.append({
            "question": r.question.question,
            "history": list(r.question.history),
            "kind": r.question.kind,
            "answerable": r.question.answerable,
            "answered": a.answered,
            "key_value": a.key_value,
            "key_fact_ok": r.key_ok,
            "rewritten_question": a.rewritten_question,
            "answer": a.text,
            "answerer": a.answerer,
            "ms": round(r.seconds * 1000, 1),
            "citations": [
                {"number": c.number, "file_path": paths.get(c.span.file_name, c.span.file_name), "page": c.span.page, "section": c.span.section_path,
                 "span": [c.span.start, c.span.end], "quote": c.span.text, "on_evidence": (r.citation_hits[i] if i < len(r.citation_hits) else None)}
                for i, c in enumerate(a.citations)
            ],
            "table": [row.to_dict() for row in a.table],
        })
    summary = {k: v for k, v in figures.items() if k != "results"}
    return {"summary": summary, "questions": items}


def main(argv: list[str] | None = None) -> int:
    from assistant import Settings, Workspace

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--out", type=Path, default=None, help="write every question with its answer and citations as JSON")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache (default: the settings' cache folder)")
    parser.add_argument("--threshold", type=float, help="answer at this evidence threshold instead of the fitted one (what-if)")
    args = parser.parse_args(argv)
    if args.threshold is not None:
        from assistant.answer import selection

        selection.THRESHOLD = args.threshold
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        overrides = {"data_dir": Path(tmp), "workspace": "eval", "llm_provider": "none"}
        if args.cache_dir:
            overrides["cache_dir"] = args.cache_dir
        ws = Workspace(Settings(**overrides))
        report_ = ws.ingest([args.docs])
        failed = report_.by_status("failed")
        if failed:
            print(f"{len(failed)} files failed to ingest: " + "; ".join(f.detail for f in failed), file=sys.stderr)
        figures = evaluate(ws, questions)
        print(report(figures))
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(dump(figures, file_paths(args.docs)), indent=2, ensure_ascii=False), encoding="utf-8")
            print(f"wrote {args.out}")
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
