"""Clause-detection benchmark on CUAD with the default playbook.

    python -m eval.cuad --data ../shared/evaldata --out cuad.json [--limit N] [--work DIR] [--part tune|check|all]

Ingests the CUAD contracts (DIR/corpus/cuad), audits each with the default playbook, maps clause
types to CUAD categories (eval/cuad_mapping.yaml; several clause types may share a category, which
is then present when any of them is found) and reports, per category: precision, recall and F1 of
presence per contract (present or weak counts as present), and evidence hit (share of true
positives whose top evidence passage, from the most confident clause found, overlaps a labelled
span). When the mapping names elements of a clause (the category is that part of the clause, e.g.
Renewal Term = the renewal element of term and renewal), the top evidence is the passage where a
named element was found (the one the clause's evidence ranks first); the JSON rows list it first.
Also audit time per contract. ``--part tune`` or ``check`` scores only that part of the contracts (eval/splits.py);
the default, ``all``, prints the table over every contract and then each part's table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from eval.splits import PARTS, in_part, part_of

MAPPING = Path(__file__).resolve().parent / "cuad_mapping.yaml"


def load_labels(data: Path) -> dict[tuple[str, str], dict]:
    labels = {}
    for line in (data / "cuad" / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[(row["contract"], row["category"])] = row
    return labels


def spans_of(row: dict) -> list[tuple[int, int]]:
    spans = []
    for span in row.get("spans") or []:
        if span.get("start") is not None:
            spans.append((span["start"], span["end"]))
        for piece in span.get("pieces") or []:
            start, end = piece if isinstance(piece, (list, tuple)) else (piece.get("start"), piece.get("end"))
            if start is not None:
                spans.append((start, end))
    return spans


def predicts(finding, elements: list[str] | None) -> bool:
    """A clause found (present or weak) and, when the mapping names elements, one of them met."""
    return finding.status != "missing" and (not elements or any(e in finding.met_elements for e in elements))


def category_evidence(finding, elements: list[str] | None) -> list:
    """The finding's evidence as the category sees it: when the mapping names elements, the passage where one of
    them was found comes first (of several, the one the clause's own evidence ranks highest), then the rest."""
    found = [ev for e in elements or [] if (ev := finding.evidence_for(e)) is not None]
    if not found:
        return list(finding.evidence)
    position = {(ev.span.doc_id, ev.span.start): k for k, ev in enumerate(finding.evidence)}
    top = min(found, key=lambda ev: position.get((ev.span.doc_id, ev.span.start), len(position)))
    return [top] + [ev for ev in finding.evidence if (ev.span.doc_id, ev.span.start) != (top.span.doc_id, top.span.start)]


def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def empty_counts(mapping: dict[str, str]) -> dict[str, dict[str, int]]:
    return {category: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "hit": 0} for category in mapping.values()}


def figures(counts: dict[str, dict[str, int]]) -> tuple[dict, float, float]:
    """Per category precision, recall, F1 and evidence hit (with the counts); macro F1; evidence hit over all true positives."""
    per = {}
    for category, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per[category] = {"precision": p, "recall": r, "f1": f1, "evidence_hit": c["hit"] / c["tp"] if c["tp"] else 0.0, **c}
    macro = statistics.mean(v["f1"] for v in per.values()) if per else 0.0
    hit_all = sum(c["hit"] for c in counts.values()) / max(1, sum(c["tp"] for c in counts.values()))
    return per, macro, hit_all


def report_table(counts: dict[str, dict[str, int]]) -> tuple[dict, float, float]:
    """Print the per-category table and the macro line; return ``figures(counts)``."""
    per, macro, hit_all = figures(counts)
    print(f"\n{'category':32} {'P':>6} {'R':>6} {'F1':>6} {'hit':>6}   tp  fp  fn  tn")
    for category, v in per.items():
        print(f"{category:32} {v['precision']:6.2f} {v['recall']:6.2f} {v['f1']:6.2f} {v['evidence_hit']:6.2f}  "
              f"{v['tp']:3} {v['fp']:3} {v['fn']:3} {v['tn']:3}")
    print(f"{'macro':32} {'':6} {'':6} {macro:6.3f} {hit_all:6.3f}")
    return per, macro, hit_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus/cuad and cuad/labels.jsonl")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N contracts (sorted by name); 0 = all")
    parser.add_argument("--work", type=Path, help="keep the index here (re-runs reuse it)")
    parser.add_argument("--playbook", type=Path, help="playbook file (default: the bundled outsourcing playbook)")
    parser.add_argument("--part", choices=("all", *PARTS), default="all",
                        help="only the tuning or the checking contracts (eval/splits.py); 'all' also prints each part's table")
    args = parser.parse_args(argv)
    if not (args.data / "cuad" / "labels.jsonl").is_file():
        print(f"skipped: {args.data}/cuad/labels.jsonl not found (the benchmark data is not on this machine)")
        return 0

    from assistant import Settings, Workspace

    entries = yaml.safe_load(MAPPING.read_text())
    mapping = {k: v["category"] for k, v in entries.items()}
    elements = {k: [v["element"]] if isinstance(v["element"], str) else v["element"] for k, v in entries.items() if v.get("element")}
    labels = load_labels(args.data)
    corpus = args.data / "corpus" / "cuad"
    contracts = sorted({c for c, _ in labels})
    if args.limit:
        contracts = contracts[: args.limit]
    contracts = [c for c in contracts if in_part(c, args.part)]
    work = args.work or Path(tempfile.mkdtemp(prefix="cuad-"))
    ws = Workspace(Settings(data_dir=work, workspace="cuad"), playbook=args.playbook)
    started = time.perf_counter()
    names = {str(corpus / c): f"cuad/{c}" for c in contracts}
    report = ws.ingest([corpus / c for c in contracts], names=names,
                       progress=lambda n, t, r: print(f"  ingest {n}/{t}", file=sys.stderr, flush=True) if n % 20 == 0 or n == t else None)
    print(f"ingest: {len(contracts)} contracts, {report.summary()} ({time.perf_counter() - started:.0f}s)", flush=True)
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    auditor = ws.auditor
    auditor.run([docs[f"cuad/{contracts[0]}"]], "warm-up")
    results, timings = [], []
    counts = empty_counts(mapping)
    by_part = {part: empty_counts(mapping) for part in PARTS}
    for contract in contracts:
        started = time.perf_counter()
        result = auditor.run([docs[f"cuad/{contract}"]], f"cuad/{contract}")
        document = ws.document(docs[f"cuad/{contract}"])  # labels are offsets into the file's text: map ours back to it
        timings.append(time.perf_counter() - started)
        found: dict[str, list] = {category: [] for category in counts}
        for finding in result.findings:
            category = mapping.get(finding.clause_id)
            row = {"contract": f"cuad/{contract}", "clause": finding.clause_id, "cuad_category": category, "status": finding.status,
                   "met_elements": list(finding.met_elements),
                   "confidence": finding.confidence, "missing_elements": list(finding.missing_elements),
                   "evidence": [{"file_path": f"cuad/{contract}", "span": list(document.source_span(e.span.start, e.span.end)), "section": e.span.section_path}
                                for e in category_evidence(finding, elements.get(finding.clause_id))]}
            results.append(row)
            if category is not None and predicts(finding, elements.get(finding.clause_id)):
                found[category].append(finding)
        for category, findings in found.items():
            label = labels[(contract, category)]
            predicted, gold = bool(findings), bool(label["present"])
            key = "tp" if predicted and gold else "fp" if predicted else "fn" if gold else "tn"
            best = max(findings, key=lambda f: f.confidence) if findings else None
            top = category_evidence(best, elements.get(best.clause_id))[:1] if best else []
            hit = key == "tp" and bool(top) and overlaps(document.source_span(top[0].span.start, top[0].span.end), spans_of(label))
            for table in (counts, by_part[part_of(contract)]):
                table[category][key] += 1
                table[category]["hit"] += int(hit)
    per, macro, hit_all = report_table(counts)
    if args.part == "all":
        for part in PARTS:
            print(f"\npart {part} ({sum(1 for c in contracts if part_of(c) == part)} contracts):")
            report_table(by_part[part])
    timings.sort()
    print(f"audit time per contract after ingest: mean {statistics.mean(timings):.2f}s, p95 {timings[int(0.95 * (len(timings) - 1))]:.2f}s, max {timings[-1]:.2f}s")
    if args.out:
        summary = {"part": args.part, "macro_f1": macro, "evidence_hit": hit_all, "per_category": per, "audit_seconds_mean": statistics.mean(timings)}
        if args.part == "all":
            summary["parts"] = {part: dict(zip(("per_category", "macro_f1", "evidence_hit"), figures(by_part[part]))) for part in PARTS}
        args.out.write_text(json.dumps({"summary": summary, "results": results}, indent=1))
        print(f"wrote {args.out}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
