"""Real-contract answer eval: lawyers' questions asked of one CUAD contract at a time, judged by CUAD's labels.

    python -m eval.cuad_answers --data ../shared/evaldata --work DIR --part tune|check|all [--out FILE.json]
        [--questions FILE] [--docs DIR] [--limit N] [--phrasings one|all] [--no-lbr] [--threshold P]

Ingests the contracts (DATA/corpus/cuad, or ``--docs DIR``; named ``cuad/<file>`` as ``eval.cuad`` names them, so
one ``--work`` index serves both) and asks each topic of ``--questions`` (default eval/cuad_questions.yaml) of every
contract of the part, scoped to that contract (``Answerer.run(question, scope=(doc_id,))``). A contract's part is
``eval.splits.part_of`` of its file name: fit on ``tune``, look at ``check`` only through these totals.

Per topic and overall, on the contracts where CUAD labels the category:
- key fact: the answer's key value states CUAD's normalised answer (``eval.cuad_facts``: same day, same length,
  same place, the parties named), over the questions whose gold answer is a comparable value; a refusal is wrong;
- citation hit: of the answered questions, the share with a citation overlapping a labelled span (our offsets are
  mapped back to the file's text with ``Document.source_span``);
- false refusals: the share refused (or answered "No") although the category is labelled;
and on the contracts where it is not: correct refusals (refused, or answered "No"). A phrasing whose answer, when
the clause is there, is "No" ("can a party assign the agreement without consent?") names the answer a contract
without the clause gets (``absent: "Yes"``): that answer, not "No", then counts as the refusal.
Also: verbatim citations (every quote is the document text at its offsets), latency p50/p95 after each contract's
audit and a warm-up question (so timings are a warm process, not a first load), and the LegalBench-RAG CUAD queries
of the same part asked of their document (hit: a citation overlaps a gold snippet).

``--out`` writes every question with its contract, part, answer text, key value, the verdicts and each citation's
file, span (offsets into the file) and quote.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from eval.cuad import load_labels, overlaps, spans_of
from eval.cuad_facts import compare
from eval.splits import first_of_each_part, in_part

QUESTIONS = Path(__file__).resolve().parent / "cuad_questions.yaml"
COMPARES = ("date", "law", "period", "renewal", "parties", "none")


@dataclass(frozen=True)
class Topic:
    id: str
    category: str
    compare: str
    questions: tuple[str, ...]
    absent: tuple[tuple[str, str], ...] = ()  # (phrasing, the yes/no answer that says the clause is missing) when not "No"

    def absent_answer(self, question: str) -> str:
        return dict(self.absent).get(question, "No")


def load_topics(path: Path = QUESTIONS) -> list[Topic]:
    topics = []
    for number, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [], 1):
        kind = item.get("compare", "none")
        if kind not in COMPARES:
            raise ValueError(f"{path}: topic {number}: unknown compare {kind!r}; valid: {', '.join(COMPARES)}")
        if not item.get("questions"):
            raise ValueError(f"{path}: topic {number}: no questions")
        questions = [q if isinstance(q, str) else q["question"] for q in item["questions"]]
        absent = tuple((q["question"], q["absent"]) for q in item["questions"] if not isinstance(q, str) and "absent" in q)
        topics.append(Topic(item["id"], item["category"], kind, tuple(questions), absent))
    return topics


def phrasings(topic: Topic, contract: str, every: bool) -> list[str]:
    """All of a topic's phrasings, or the one this contract is asked (a hash of contract and topic, stable)."""
    if every:
        return list(topic.questions)
    pick = hashlib.sha256(f"{contract}|{topic.id}".encode()).digest()[0] % len(topic.questions)
    return [topic.questions[pick]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def refused(answer, absent: str = "No") -> bool:
    """No answer, or the yes/no answer that says the contract does not have the clause ("No", unless the phrasing
    asks about the negated case: "can it be assigned without consent?" is "Yes" when nothing restricts it)."""
    return not answer.answered or answer.key_value.strip().lower() == absent.lower()


def judge(answer, document, label: dict | None, compare_kind: str, absent: str = "No") -> dict:
    """The verdicts of one answer against its CUAD label row."""
    cited = [document.source_span(c.span.start, c.span.end) for c in answer.citations]
    verbatim = [document.text[c.span.start : c.span.end] == c.span.text for c in answer.citations]
    present = bool(label and label.get("present") and spans_of(label))
    row = {"present": present, "refused": refused(answer, absent), "verbatim": verbatim, "cited": cited}
    if present:
        gold = spans_of(label)
        row["hit"] = None if row["refused"] else any(overlaps(span, gold) for span in cited)
        fact = compare(compare_kind, str(label.get("answer") or ""), answer.key_value) if compare_kind != "none" else None
        if fact is not None and row["refused"]:
            fact = False
        row["key_ok"] = fact
    return row


def summarise(rows: list[dict]) -> dict:
    present = [r for r in rows if r["present"]]
    absent = [r for r in rows if not r["present"]]
    facts = [r["key_ok"] for r in present if r.get("key_ok") is not None]
    hits = [r["hit"] for r in present if r.get("hit") is not None]
    verbatim = [v for r in rows for v in r["verbatim"]]

    def share(values) -> float | None:
        values = list(values)
        return sum(values) / len(values) if values else None

    return {"questions": len(rows), "present": len(present), "absent": len(absent),
            "key_fact": share(facts), "key_fact_n": len(facts), "citation_hit": share(hits), "citation_n": len(hits),
            "false_refusals": share(r["refused"] for r in present), "correct_refusals": share(r["refused"] for r in absent),
            "verbatim": share(verbatim), "citations": len(verbatim)}


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def print_table(title: str, topics: list[Topic], rows: list[dict]) -> dict:
    print(f"\n== {title}: {len({r['contract'] for r in rows})} contracts, {len(rows)} questions")
    print(f"{'topic':28} {'asked':>5} {'gold':>5} {'key fact':>9} {'cite hit':>9} {'false ref':>9} {'corr ref':>9}")
    per = {}
    for topic in topics:
        group = [r for r in rows if r["topic"] == topic.id]
        if not group:
            continue
        s = per[topic.id] = summarise(group)
        print(f"{topic.id:28} {s['questions']:5} {s['present']:5} {_pct(s['key_fact']):>9} {_pct(s['citation_hit']):>9} "
              f"{_pct(s['false_refusals']):>9} {_pct(s['correct_refusals']):>9}")
    total = summarise(rows)
    seconds = [r["seconds"] for r in rows]
    total["p50_ms"] = 1000 * statistics.median(seconds) if seconds else 0.0
    total["p95_ms"] = 1000 * percentile(seconds, 0.95)
    print(f"{'overall':28} {total['questions']:5} {total['present']:5} {_pct(total['key_fact']):>9} {_pct(total['citation_hit']):>9} "
          f"{_pct(total['false_refusals']):>9} {_pct(total['correct_refusals']):>9}")
    print(f"key fact on {total['key_fact_n']} questions with a comparable CUAD answer; citation hit on {total['citation_n']} answered; "
          f"verbatim citations {_pct(total['verbatim'])} of {total['citations']}; latency warm p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms")
    return {"overall": total, "per_topic": per}


def lbr_tests(data: Path, names: set[str], part: str) -> list[dict]:
    """LegalBench-RAG's CUAD queries whose documents are ingested, in the part of their first gold snippet's document."""
    path = data / "legalbenchrag" / "cuad.json"
    if not path.is_file():
        return []
    tests = json.loads(path.read_text(encoding="utf-8"))["tests"]
    return [t for t in tests if t["snippets"] and all(s["file_path"] in names for s in t["snippets"])
            and in_part(t["snippets"][0]["file_path"], part)]


def run_lbr(ws, tests: list[dict], docs: dict[str, str]) -> tuple[dict, list[dict]]:
    rows = []
    for test in tests:
        scope = tuple(dict.fromkeys(docs[s["file_path"]] for s in test["snippets"]))
        started = time.perf_counter()
        answer = ws.answerer.run(test["query"], scope=scope)
        seconds = time.perf_counter() - started
        gold: dict[str, list[tuple[int, int]]] = {}
        for s in test["snippets"]:
            gold.setdefault(s["file_path"], []).append(tuple(s["span"]))
        cited = []
        for c in answer.citations:
            document = ws.document(c.span.doc_id)
            cited.append((c.span.file_name, document.source_span(c.span.start, c.span.end)))
        hit = answer.answered and any(overlaps(span, gold.get(name, [])) for name, span in cited)
        rows.append({"query": test["query"], "category": test.get("category", ""), "answered": answer.answered, "hit": hit,
                     "key_value": answer.key_value, "seconds": seconds,
                     "citations": [{"file_path": n, "span": list(s)} for n, s in cited]})
    answered = [r for r in rows if r["answered"]]
    summary = {"queries": len(rows), "answered": len(answered),
               "citation_hit": sum(r["hit"] for r in answered) / len(answered) if answered else None,
               "hit_of_all": sum(r["hit"] for r in rows) / len(rows) if rows else None,
               "p95_ms": 1000 * percentile([r["seconds"] for r in rows], 0.95)}
    return summary, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder in CUAD's layout: corpus/cuad/*.txt, cuad/labels.jsonl")
    parser.add_argument("--docs", type=Path, help="the contracts (default DATA/corpus/cuad)")
    parser.add_argument("--labels", type=Path, help="label rows (default DATA/cuad/labels.jsonl)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--part", default="all", choices=("tune", "check", "all"))
    parser.add_argument("--work", type=Path, help="keep the index here (re-runs reuse it)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N contracts of each part (sorted by name): ingested and asked")
    parser.add_argument("--phrasings", default="one", choices=("one", "all"), help="ask one phrasing per contract and topic, or all")
    parser.add_argument("--no-lbr", action="store_true", help="skip the LegalBench-RAG queries")
    parser.add_argument("--threshold", type=float, help="answer at this evidence threshold instead of the fitted one (what-if)")
    args = parser.parse_args(argv)
    if args.threshold is not None:
        from assistant.answer import selection

        selection.THRESHOLD = args.threshold
    labels_path = args.labels or args.data / "cuad" / "labels.jsonl"
    docs_dir = args.docs or args.data / "corpus" / "cuad"
    if not labels_path.is_file() or not docs_dir.is_dir():
        print(f"skipped: {labels_path} or {docs_dir} not found (the benchmark data is not on this machine)")
        return 0

    from assistant import Settings, Workspace

    topics = load_topics(args.questions)
    labels = load_labels(labels_path.parent.parent) if args.labels is None else {
        (r["contract"], r["category"]): r for r in map(json.loads, labels_path.read_text(encoding="utf-8").splitlines()) if r.strip()}
    contracts = first_of_each_part([c for c in {c for c, _ in labels} if (docs_dir / c).is_file()], args.limit)
    work = args.work or Path(tempfile.mkdtemp(prefix="cuad-answers-"))
    ws = Workspace(Settings(data_dir=work, workspace="cuad", llm_provider="none"))
    names = {str(docs_dir / c): f"cuad/{c}" for c in contracts}
    started = time.perf_counter()
    report = ws.ingest([docs_dir / c for c in contracts], names=names,
                       progress=lambda n, t, r: print(f"  ingest {n}/{t}", file=sys.stderr, flush=True) if n % 20 == 0 or n == t else None)
    print(f"ingest: {len(contracts)} contracts, {report.summary()} ({time.perf_counter() - started:.0f}s)", flush=True)
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    parts = ("tune", "check") if args.part == "all" else (args.part,)
    every = args.phrasings == "all"
    summary: dict = {}
    rows_out: list[dict] = []
    lbr_out: list[dict] = []
    for part in parts:
        chosen = [c for c in contracts if in_part(c, part) and f"cuad/{c}" in docs]
        rows = []
        for contract in chosen:
            doc_id = docs[f"cuad/{contract}"]
            document = ws.document(doc_id)
            ws.answerer.clauses.audits.document(doc_id)  # warm: the clause audit a yes/no question reads
            ws.answerer.run("What is this agreement about?", scope=(doc_id,))
            for topic in topics:
                label = labels.get((contract, topic.category))
                for question in phrasings(topic, contract, every):
                    began = time.perf_counter()
                    answer = ws.answerer.run(question, scope=(doc_id,))
                    seconds = time.perf_counter() - began
                    row = judge(answer, document, label, topic.compare, topic.absent_answer(question))
                    row.update({"contract": f"cuad/{contract}", "part": part, "topic": topic.id, "category": topic.category,
                                "question": question, "gold_answer": (label or {}).get("answer"), "answered": answer.answered,
                                "key_value": answer.key_value, "answer": answer.text, "seconds": seconds,
                                "citations": [{"file_path": f"cuad/{contract}", "span": list(span), "quote": c.span.text}
                                              for c, span in zip(answer.citations, row.pop("cited"))]})
                    rows.append(row)
        summary[part] = print_table(f"part {part}", topics, rows)
        rows_out += rows
        tests = [] if args.no_lbr else lbr_tests(args.data, set(docs), part)
        if args.limit:
            tests = [t for t in tests if t["snippets"][0]["file_path"] in {f"cuad/{c}" for c in chosen}]
        if tests:
            lbr, lbr_rows = run_lbr(ws, tests, docs)
            for r in lbr_rows:
                r["part"] = part
            lbr_out += lbr_rows
            summary[part]["legalbench_rag"] = lbr
            print(f"LegalBench-RAG cuad queries ({part}): {lbr['queries']} asked of their contract, {lbr['answered']} answered, "
                  f"citation hit {_pct(lbr['citation_hit'])} of answered ({_pct(lbr['hit_of_all'])} of all), p95 {lbr['p95_ms']:.0f} ms")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "questions": rows_out, "legalbench_rag": lbr_out}, indent=1,
                                       ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}")
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
