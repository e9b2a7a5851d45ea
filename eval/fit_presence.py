"""Fit the audit's presence decision (assistant/audit/presence.py) on the tuning part of the CUAD contracts.

    python -m eval.fit_presence --data ../shared/evaldata --work DIR [--dump rows.json] [--rows rows.json] [--write]

Audits every development contract once (``ClauseAuditor.candidates``: per clause type, the finding it would get and
the features its presence is decided on), labels each candidate of a clause type that maps to a CUAD category
(eval/cuad_mapping.yaml) with CUAD's ``present``, and fits one logistic model (shared weights, a bias per clause type)
on the ``tune`` contracts only (eval/splits.py). A clause type mapped through an element (Renewal Term = the renewal
element of term and renewal) is labelled only where that element is met: elsewhere its presence does not decide the
category, and its CUAD label says nothing about the clause as a whole. The ridge strengths are chosen by 5-fold
cross-validation over the tuning contracts (macro-F1 of the categories). Prints, for the hand-written rule and for
the fit, the category macro-F1 and evidence hit the CUAD benchmark would report on each part; ``--write FILE`` stores
the fit, which ``python -m eval.cuad --presence FILE`` scores through the real audit. ``--work`` is the index folder of ``eval.cuad --work``
(the contracts are ingested there if they are not yet).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np
import yaml

from assistant.audit.presence import RULE_ONLY, PresenceFeatures, PresenceModel, fit
from eval.cuad import (
    MAPPING,
    category_evidence,
    load_labels,
    overlaps,
    predicts,
    spans_of,
)
from eval.splits import PARTS, part_of

GRID = ((0.3, 1.0), (1.0, 1.0), (1.0, 4.0), (3.0, 4.0), (3.0, 10.0), (10.0, 10.0))  # (weight_l2, bias_l2)
FOLDS = 5


def dump_rows(data: Path, work: Path) -> list[dict]:
    """One row per contract and mapped clause type: part, category, label, and the candidate (features, whether the
    mapping's element is met, confidence, whether its top evidence overlaps a labelled span) or None."""
    from assistant import Settings, Workspace

    entries = yaml.safe_load(MAPPING.read_text())
    labels = load_labels(data)
    corpus = data / "corpus" / "cuad"
    contracts = sorted({c for c, _ in labels})
    ws = Workspace(Settings(data_dir=work, workspace="cuad"))
    ws.ingest([corpus / c for c in contracts], names={str(corpus / c): f"cuad/{c}" for c in contracts})
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    auditor = ws.auditor
    rows = []
    for n, contract in enumerate(contracts, 1):
        doc_id = docs[f"cuad/{contract}"]
        document = ws.document(doc_id)
        for clause, (finding, features) in ((k, v) for k, v in auditor.candidates([doc_id]).items() if v and k in entries):
            entry = entries[clause]
            elements = [entry["element"]] if isinstance(entry.get("element"), str) else entry.get("element")
            label = labels[(contract, entry["category"])]
            top = category_evidence(finding, elements)[:1]
            rows.append({"contract": contract, "part": part_of(contract), "clause": clause, "category": entry["category"],
                         "element": bool(elements), "present": bool(label["present"]), "features": features.to_dict(),
                         "element_met": predicts(finding, elements), "confidence": finding.confidence,
                         "hit": bool(top) and overlaps(document.source_span(top[0].span.start, top[0].span.end), spans_of(label))})
        if n % 50 == 0:
            print(f"  audited {n}/{len(contracts)}", file=sys.stderr, flush=True)
    categories = sorted({e["category"] for e in entries.values()})
    for contract in contracts:  # every contract x category, so absent candidates count as negatives
        rows.append({"contract": contract, "part": part_of(contract), "clause": None, "categories": {
            c: bool(labels[(contract, c)]["present"]) for c in categories}})
    return rows


def examples(rows: list[dict], contracts: set[str]) -> list[tuple[str, PresenceFeatures, bool]]:
    """Training examples: a candidate of a mapped clause type with its CUAD label (element-mapped ones where the element is met)."""
    return [(r["clause"], PresenceFeatures.from_dict(r["features"]), r["present"]) for r in rows
            if r["clause"] and r["contract"] in contracts and (r["element_met"] or not r["element"])]


def evaluate(model: PresenceModel, rows: list[dict], contracts: set[str]) -> tuple[float, float, dict[str, float]]:
    """Macro-F1 over the categories and evidence hit, as eval.cuad counts them, had the audit decided with ``model``."""
    gold = {r["contract"]: r["categories"] for r in rows if r["clause"] is None and r["contract"] in contracts}
    found: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["clause"] and r["contract"] in contracts and r["element_met"] and model.decides(r["clause"], PresenceFeatures.from_dict(r["features"])):
            found.setdefault((r["contract"], r["category"]), []).append(r)
    categories = sorted({c for g in gold.values() for c in g})
    f1s, hits, tps = {}, 0, 0
    for category in categories:
        tp = fp = fn = 0
        for contract, labels in gold.items():
            predicted, present = bool(found.get((contract, category))), labels[category]
            tp, fp, fn = tp + (predicted and present), fp + (predicted and not present), fn + (present and not predicted)
            if predicted and present:
                hits += max(found[(contract, category)], key=lambda r: r["confidence"])["hit"]
        f1s[category] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        tps += tp
    return statistics.mean(f1s.values()), hits / max(1, tps), f1s


def cross_validate(rows: list[dict], tune: list[str]) -> tuple[float, float]:
    """The (weight_l2, bias_l2) of ``GRID`` with the best mean macro-F1 over folds of the tuning contracts."""
    folds = [set(tune[k::FOLDS]) for k in range(FOLDS)]
    best, best_f1 = GRID[0], -1.0
    for weight_l2, bias_l2 in GRID:
        scores = [evaluate(fit(examples(rows, set(tune) - held), weight_l2, bias_l2), rows, held)[0] for held in folds]
        print(f"  cv weight_l2 {weight_l2:5.1f} bias_l2 {bias_l2:5.1f}: macro-F1 {statistics.mean(scores):.3f}", flush=True)
        if statistics.mean(scores) > best_f1:
            best, best_f1 = (weight_l2, bias_l2), statistics.mean(scores)
    return best


def shift_for_f1(model: PresenceModel, rows: list[dict], contracts: set[str], steps: int = 13, sweeps: int = 2) -> PresenceModel:
    """Each clause type's bias moved (within +-1.5) to the value with the best macro-F1 on ``contracts``, one clause at a
    time: a per-category threshold fitted to the metric itself (reported to show how much of it is fitting)."""
    bias = dict(model.bias)
    for _ in range(sweeps):
        for clause in sorted(bias):
            trials = [model.bias[clause] + d for d in np.linspace(-1.5, 1.5, steps)]
            scored = [(evaluate(PresenceModel(model.weights, {**bias, clause: b}), rows, contracts)[0], -abs(b - bias[clause]), b) for b in trials]
            bias[clause] = max(scored)[2]
    return PresenceModel(model.weights, bias, model.common_bias, model.fitted_on + ", biases shifted for tune F1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus/cuad and cuad/labels.jsonl")
    parser.add_argument("--work", type=Path, help="index folder (as eval.cuad --work); needed unless --rows is given")
    parser.add_argument("--rows", type=Path, help="read the audited candidates from this dump instead of auditing")
    parser.add_argument("--dump", type=Path, help="write the audited candidates here (JSON)")
    parser.add_argument("--f1-thresholds", action="store_true", help="also report per-category thresholds fitted to tune macro-F1")
    parser.add_argument("--write", type=Path, help="store the fit here (YAML; score it with python -m eval.cuad --presence FILE)")
    args = parser.parse_args(argv)
    if args.rows:
        rows = json.loads(args.rows.read_text())
    elif not (args.data / "cuad" / "labels.jsonl").is_file():
        print(f"skipped: {args.data}/cuad/labels.jsonl not found (the benchmark data is not on this machine)")
        return 0
    elif not args.work:
        parser.error("--work (or --rows) is required")
    else:
        rows = dump_rows(args.data, args.work)
    if args.dump:
        args.dump.write_text(json.dumps(rows))
    contracts = sorted({r["contract"] for r in rows})
    parts = {p: {c for c in contracts if part_of(c) == p} for p in PARTS}
    weight_l2, bias_l2 = cross_validate(rows, sorted(parts["tune"]))
    model = fit(examples(rows, parts["tune"]), weight_l2, bias_l2)
    model = PresenceModel(model.weights, model.bias, model.common_bias,
                          f"eval/fit_presence.py on the tune part ({len(parts['tune'])} CUAD contracts), weight_l2 {weight_l2}, bias_l2 {bias_l2}")
    print("weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in model.weights.items()) + f"; common bias {model.common_bias:+.2f}")
    print("bias: " + ", ".join(f"{k} {v:+.2f}" for k, v in sorted(model.bias.items())))
    candidates = [("rule", RULE_ONLY), ("fit", model)] + ([("fit+F1", shift_for_f1(model, rows, parts["tune"]))] if args.f1_thresholds else [])
    for name, candidate in candidates:
        for part in PARTS:
            macro, hit, per = evaluate(candidate, rows, parts[part])
            print(f"{name:5} {part:5}: macro-F1 {macro:.3f}, evidence hit {hit:.3f}  " + " ".join(f"{c[:14]} {f:.2f}" for c, f in per.items()))
    if args.write:
        model.save(args.write)
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
