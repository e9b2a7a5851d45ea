"""Fit the extractive answerer's evidence weights and refusal threshold on the tuning part of the CUAD contracts.

    python -m eval.fit_answer_selection --data ../shared/evaldata --work DIR [--features FILE.json] [--limit N]

For every contract of both parts (``eval.splits``) and every phrasing of every topic of eval/cuad_questions.yaml,
the question goes the way the answerer sends it (questions the clause audit answers are left out: the audit
decides those); for the passages route, the ranker's best ``selection.RESCORED`` candidate sentences are
described by ``selection.features`` and labelled 1 when the sentence overlaps a span CUAD labels for the topic's
category in that contract, else 0 (every sentence of a contract without the clause is a 0).

A logistic regression (L2, numpy) is fitted on the tuning part's candidates only. The threshold is then chosen on
the tuning part's questions as the answerer decides them (``decide``): the first of the ranker's best candidates whose
evidence reaches the threshold (for a question asking for a value, the first of those stating a value, else that first
one when it says what the question names) answers, refused when none reaches it;
the threshold is the one that maximises the share of labelled questions answered plus the share of unlabelled ones
refused (both errors weigh alike), among those that refuse at most ``--max-false-refusals`` of the labelled ones.
The weights, the threshold and the question-level figures on both parts are printed (the check part is only
looked at, never fitted on); paste the weights into assistant/answer/selection.py.

``--features FILE`` caches the candidates' features (re-fitting then needs no index).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from eval.cuad import load_labels, overlaps, spans_of
from eval.cuad_answers import QUESTIONS, load_topics, phrasings
from eval.splits import first_of_each_part, in_part


def collect(data: Path, work: Path, questions: Path, limit: int, parts: tuple[str, ...], count: int) -> list[dict]:
    """One row per question asked: its part, whether CUAD labels the category, and its candidates' features
    (the first ``count`` phrasings of each topic; all when 0; the one ``eval.cuad_answers`` asks each contract when -1)."""
    from assistant import Settings, Workspace
    from assistant.answer.questions import checked, question_kind
    from assistant.answer.routing import route
    from assistant.answer.selection import (
        RESCORED,
        features,
        question_clause,
        states_what_is_named,
    )

    labels = load_labels(data)
    corpus = data / "corpus" / "cuad"
    contracts = first_of_each_part([c for c in {c for c, _ in labels} if (corpus / c).is_file()], limit)
    ws = Workspace(Settings(data_dir=work, workspace="cuad", llm_provider="none"))
    ws.ingest([corpus / c for c in contracts], names={str(corpus / c): f"cuad/{c}" for c in contracts})
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    answerer = ws.answerer
    topics = load_topics(questions)
    rows = []
    for part in parts:
        chosen = [c for c in contracts if in_part(c, part) and f"cuad/{c}" in docs]
        for number, contract in enumerate(chosen, 1):
            print(f"  {part} {number}/{len(chosen)}", file=sys.stderr, flush=True)
            doc_id = docs[f"cuad/{contract}"]
            document = ws.document(doc_id)
            for topic in topics:
                label = labels.get((contract, topic.category))
                gold = spans_of(label) if label and label.get("present") else []
                asked = topic.questions[:count or None] if count >= 0 else phrasings(topic, contract, False)
                for question in asked:
                    rewrite, _ = answerer._rewrite(checked(question), (), (doc_id,))
                    if route(rewrite.question, rewrite.doc_ids, answerer.playbook).kind != "passages":
                        continue
                    passages = answerer.passages.run(rewrite.question, rewrite.doc_ids)
                    kind = question_kind(rewrite.question)
                    clause = question_clause(rewrite.question, answerer.playbook)
                    candidates = answerer.extractive.ranker.rank(rewrite.question, passages, kind, rewrite.doc_ids)[:RESCORED]
                    rows.append({"part": part, "contract": contract, "topic": topic.id, "question": question, "present": bool(gold),
                                 "candidates": [{"x": features(c, kind, clause), "named": states_what_is_named(c, clause),
                                                 "y": int(bool(gold) and overlaps(document.source_span(c.chunk.start + c.start, c.chunk.start + c.end), gold))}
                                                for c in candidates]})
    ws.close()
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000, rate: float = 0.5) -> np.ndarray:
    """Logistic regression by gradient descent, classes weighted to balance; returns [bias, weights...]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    positive = max(1, int(y.sum()))
    sample = np.where(y == 1, len(y) / (2 * positive), len(y) / (2 * max(1, len(y) - positive)))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (sample * (p - y)) / len(y) + l2 * np.r_[0, w[1:]]
        w -= rate * grad
    return w


def decide(rows: list[dict], weights: dict[str, float], threshold: float, fallback: str = "clause") -> dict:
    """Question-level figures when the answerer decides as ``extractive.answering`` does: the first of the ranker's best
    candidates that reaches ``threshold`` answers; for a question asking for a value, the first of those stating a value,
    else (``fallback``) that first candidate itself when it says what the question names
    (``selection.states_what_is_named``: "clause"), whenever ("any"), or never ("none")."""
    from assistant.answer.selection import evidence

    present = absent = refused_present = refused_absent = hits = 0
    for row in rows:
        scored = [(evidence(c["x"], weights), c["y"], c["x"], c["named"]) for c in row["candidates"]]
        enough = [t for t in scored if t[0] >= threshold]
        best = enough[0] if enough else None  # the first of the ranker's best with enough evidence: the sentence the answer quotes
        if best is not None and any(x["value_missing"] for _, _, x, _ in scored):  # it asks for a value
            stating = [t for t in enough if t[2]["value"]]
            if stating:
                best = stating[0]
            elif fallback == "none" or (fallback == "clause" and not best[3]):
                best = None
        answered = best is not None
        if row["present"]:
            present += 1
            refused_present += not answered
            hits += answered and best[1]
        else:
            absent += 1
            refused_absent += not answered
    return {"questions": len(rows), "present": present, "absent": absent,
            "false_refusals": refused_present / present if present else 0.0,
            "correct_refusals": refused_absent / absent if absent else 0.0,
            "hit_of_present": hits / present if present else 0.0,
            "hit_of_answered": hits / max(1, present - refused_present)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--features", type=Path, help="cache of the candidates' features (read when it exists, else written)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--max-false-refusals", type=float, default=1.0, help="only thresholds that refuse at most this share of labelled questions")
    parser.add_argument("--parts", default="tune,check", help="parts whose questions are collected (the fit uses tune only)")
    parser.add_argument("--fallback", default="clause", choices=("clause", "any", "none"),
                        help="how a value question with no sentence stating one is decided (see decide; the answerer's: clause)")
    parser.add_argument("--phrasings", type=int, default=0, help="the first N phrasings of each topic (default all; -1: the one eval.cuad_answers asks each contract)")
    args = parser.parse_args(argv)
    if not (args.data / "cuad" / "labels.jsonl").is_file():
        print(f"skipped: {args.data}/cuad/labels.jsonl not found (the benchmark data is not on this machine)")
        return 0
    from assistant.answer.selection import FEATURES

    if args.features and args.features.is_file():
        rows = json.loads(args.features.read_text(encoding="utf-8"))
    else:
        rows = collect(args.data, args.work or Path(tempfile.mkdtemp(prefix="fit-answers-")), args.questions, args.limit,
                       tuple(args.parts.split(",")), args.phrasings)
        if args.features:
            args.features.write_text(json.dumps(rows), encoding="utf-8")
    tune = [r for r in rows if r["part"] == "tune"]
    x = np.array([[c["x"][f] for f in FEATURES] for r in tune for c in r["candidates"]])
    y = np.array([c["y"] for r in tune for c in r["candidates"]], dtype=float)
    w = fit(x, y)
    weights = {"bias": float(w[0]), **{f: float(v) for f, v in zip(FEATURES, w[1:])}}
    best = None
    for threshold in np.arange(0.02, 0.98, 0.01):
        s = decide(tune, weights, float(threshold), args.fallback)
        if s["false_refusals"] <= args.max_false_refusals:
            value = (1 - s["false_refusals"]) + s["correct_refusals"]  # answered when labelled + refused when not
            if best is None or value > best[0] + 1e-9:
                best = (value, float(threshold))
    threshold = best[1] if best else 0.02
    print(f"tuning candidates: {len(y)} ({int(y.sum())} in a labelled span), questions {len(tune)}")
    print("WEIGHTS = {" + ", ".join(f'"{k}": {v:.3f}' for k, v in weights.items()) + "}")
    print(f"THRESHOLD = {threshold:.2f}")
    for part in sorted({r["part"] for r in rows}, reverse=True):
        s = decide([r for r in rows if r["part"] == part], weights, threshold, args.fallback)
        print(f"{part:5}: {s['questions']} questions ({s['present']} labelled): false refusals {100 * s['false_refusals']:.1f}%, "
              f"correct refusals {100 * s['correct_refusals']:.1f}%, hit {100 * s['hit_of_answered']:.1f}% of answered "
              f"({100 * s['hit_of_present']:.1f}% of labelled)")
    print("trade-off on tune (threshold: false refusals / correct refusals / hit of answered):")
    for threshold_ in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        s = decide(tune, weights, threshold_, args.fallback)
        print(f"  {threshold_:.1f}: {100 * s['false_refusals']:.1f}% / {100 * s['correct_refusals']:.1f}% / {100 * s['hit_of_answered']:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
