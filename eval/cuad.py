"""Clause-detection benchmark on CUAD with the default playbook.

    python -m eval.cuad --data ../shared/evaldata --out cuad.json [--limit N] [--work DIR] [--part tune|check|all]
                        [--source text|pdf|both]

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
``--source pdf`` reads the contracts from their original PDFs (DIR/pdf/<type>/, matched through
DIR/cuad/contracts.json) instead; ``both`` reads each contract that has its PDF both ways and prints presence
F1 side by side (evidence hit only from the texts: the labels' offsets are on them).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from eval.splits import PARTS, in_part, part_of

MAPPING = Path(__file__).resolve().parent / "cuad_mapping.yaml"
SOURCES = ("text", "pdf", "both")


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


def load_mapping(path: Path = MAPPING) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(clause type -> CUAD category, clause type -> the elements the category needs) from the mapping file."""
    entries = yaml.safe_load(path.read_text())
    mapping = {k: v["category"] for k, v in entries.items()}
    elements = {k: [v["element"]] if isinstance(v["element"], str) else v["element"] for k, v in entries.items() if v.get("element")}
    return mapping, elements


def new_counts(mapping: dict[str, str]) -> dict[str, dict[str, int]]:
    return {cat: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "hit": 0} for cat in mapping.values()}


def presence(result, mapping: dict[str, str], elements: dict[str, list[str]], categories) -> dict[str, list]:
    """Category -> the findings of an audit result that predict it (none: predicted absent)."""
    found: dict[str, list] = {category: [] for category in categories}
    for finding in result.findings:
        category = mapping.get(finding.clause_id)
        if category is not None and predicts(finding, elements.get(finding.clause_id)):
            found[category].append(finding)
    return found


def outcome(predicted: bool, gold: bool) -> str:
    return "tp" if predicted and gold else "fp" if predicted else "fn" if gold else "tn"


def category_scores(counts: dict[str, dict[str, int]]) -> dict[str, dict]:
    """Precision, recall, F1 of presence and evidence hit per category, with the counts."""
    per = {}
    for category, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        hit = c["hit"] / c["tp"] if c["tp"] else 0.0
        per[category] = {"precision": p, "recall": r, "f1": f1, "evidence_hit": hit, **c}
    return per


def macro_f1(per: dict[str, dict]) -> float:
    return statistics.mean(row["f1"] for row in per.values()) if per else 0.0


def figures(counts: dict[str, dict[str, int]]) -> tuple[dict, float, float]:
    """Per category scores; macro F1; evidence hit over all true positives."""
    per = category_scores(counts)
    hit_all = sum(c["hit"] for c in counts.values()) / max(1, sum(c["tp"] for c in counts.values()))
    return per, macro_f1(per), hit_all


def report_table(counts: dict[str, dict[str, int]]) -> tuple[dict, float, float]:
    """Print the per-category table and the macro line; return ``figures(counts)``."""
    per, macro, hit_all = figures(counts)
    print(f"\n{'category':32} {'P':>6} {'R':>6} {'F1':>6} {'hit':>6}   tp  fp  fn  tn")
    for category, v in per.items():
        print(f"{category:32} {v['precision']:6.2f} {v['recall']:6.2f} {v['f1']:6.2f} {v['evidence_hit']:6.2f}  "
              f"{v['tp']:3} {v['fp']:3} {v['fn']:3} {v['tn']:3}")
    print(f"{'macro':32} {'':6} {'':6} {macro:6.3f} {hit_all:6.3f}")
    return per, macro, hit_all


def pdf_path(data: Path, entry: dict) -> Path | None:
    """The original PDF of a contracts.json entry: pdf/<type>/<pdf_name>, else any type folder, any letter case."""
    path = data / "pdf" / entry["type"] / entry["pdf_name"]
    if path.is_file():
        return path
    wanted = entry["pdf_name"].lower()
    found = sorted(p for p in (data / "pdf").glob("*/*") if p.name.lower() == wanted)
    return found[0] if found else None


def pdf_files(data: Path, contracts: list[str]) -> dict[str, Path]:
    """Contract (its text file name) -> its original PDF, for those that have one."""
    index = data / "cuad" / "contracts.json"
    entries = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else []
    wanted = set(contracts)
    return {e["txt"]: path for e in entries if e["txt"] in wanted and (path := pdf_path(data, e)) is not None}


@dataclass
class Run:
    """One source's audit of the contracts: counts over all and per part, the JSON rows, timings, predictions."""

    counts: dict
    by_part: dict
    results: list = field(default_factory=list)
    timings: list = field(default_factory=list)
    predicted: dict = field(default_factory=dict)  # (contract, category) -> predicted present


def audit_source(ws, files: dict[str, Path], prefix: str, labels: dict, mapping: dict, elements: dict, hits: bool) -> Run:
    """Ingest ``files`` (contract -> path) as ``prefix/contract``, audit each, count presence per category; evidence
    hit only when ``hits`` (the labels' offsets are on the texts, so a PDF's passages cannot be checked against them)."""
    started = time.perf_counter()
    shown = {contract: f"{prefix}/{contract}" if path.name == contract else f"{prefix}/{path.name}" for contract, path in files.items()}
    names = {str(path): shown[contract] for contract, path in files.items()}  # the suffix picks the reader
    report = ws.ingest(list(files.values()), names=names,
                       progress=lambda n, t, r: print(f"  ingest {prefix} {n}/{t}", file=sys.stderr, flush=True) if n % 20 == 0 or n == t else None)
    print(f"ingest {prefix}: {len(files)} contracts, {report.summary()} ({time.perf_counter() - started:.0f}s)", flush=True)
    for failed in report.by_status("failed"):
        print(f"  failed: {failed.detail}", flush=True)
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    run = Run(new_counts(mapping), {part: new_counts(mapping) for part in PARTS})
    contracts = [c for c in files if shown[c] in docs]
    if not contracts:
        return run
    auditor = ws.auditor
    auditor.run([docs[shown[contracts[0]]]], "warm-up")
    for contract in contracts:
        doc_id = docs[shown[contract]]
        started = time.perf_counter()
        result = auditor.run([doc_id], shown[contract])
        run.timings.append(time.perf_counter() - started)
        document = ws.document(doc_id)  # labels are offsets into the file's text: map ours back to it
        for finding in result.findings:
            run.results.append({
                "contract": f"{prefix}/{contract}", "file_path": shown[contract], "clause": finding.clause_id, "cuad_category": mapping.get(finding.clause_id),
                "status": finding.status, "met_elements": list(finding.met_elements), "confidence": finding.confidence,
                "missing_elements": list(finding.missing_elements),
                "evidence": [{"file_path": shown[contract], "span": list(document.source_span(e.span.start, e.span.end)),
                              "section": e.span.section_path} for e in category_evidence(finding, elements.get(finding.clause_id))]})
        for category, findings in presence(result, mapping, elements, run.counts).items():
            label = labels[(contract, category)]
            key = outcome(bool(findings), bool(label["present"]))
            run.predicted[(contract, category)] = bool(findings)
            best = max(findings, key=lambda f: f.confidence) if findings else None
            top = category_evidence(best, elements.get(best.clause_id))[:1] if best else []
            hit = hits and key == "tp" and bool(top) and overlaps(document.source_span(top[0].span.start, top[0].span.end), spans_of(label))
            for table in (run.counts, run.by_part[part_of(contract)]):
                table[category][key] += 1
                table[category]["hit"] += int(hit)
    return run


def report_side_by_side(text: Run, pdf: Run, contracts: list[str]) -> dict:
    """Presence F1 per category read from the texts and from the PDFs, the macro figures and what differs."""
    text_per, text_macro, _ = figures(text.counts)
    pdf_per, pdf_macro, _ = figures(pdf.counts)
    print(f"\n{'CUAD category':32} {'F1 text':>8} {'F1 PDF':>8}")
    for category in text_per:
        print(f"{category:32} {text_per[category]['f1']:8.2f} {pdf_per[category]['f1']:8.2f}")
    print(f"{'macro':32} {text_macro:8.3f} {pdf_macro:8.3f}")
    differing = sorted(k for k in text.predicted if pdf.predicted.get(k) != text.predicted[k])
    parts = {}
    for part in PARTS:
        if not any(part_of(c) == part for c in contracts):
            continue
        t, p = figures(text.by_part[part])[1], figures(pdf.by_part[part])[1]
        parts[part] = {"macro_f1_text": t, "macro_f1_pdf": p}
        print(f"part {part} ({sum(1 for c in contracts if part_of(c) == part)} contracts): macro-F1 text {t:.3f}, PDF {p:.3f}, difference {p - t:+.3f}")
    print(f"presence macro-F1 from the PDFs {pdf_macro:.3f}, from the texts {text_macro:.3f}, difference {pdf_macro - text_macro:+.3f}; "
          f"{len(differing)} of {len(text.predicted)} contract x category predictions differ")
    return {"macro_f1_text": text_macro, "macro_f1_pdf": pdf_macro, "difference": pdf_macro - text_macro, "parts": parts,
            "per_category_pdf": pdf_per, "predictions_differing": [list(k) for k in differing]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus/cuad and cuad/labels.jsonl")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N contracts (sorted by name); 0 = all")
    parser.add_argument("--work", type=Path, help="keep the index here (re-runs reuse it)")
    parser.add_argument("--playbook", type=Path, help="playbook file (default: the bundled outsourcing playbook)")
    parser.add_argument("--part", choices=("all", *PARTS), default="all",
                        help="only the tuning or the checking contracts (eval/splits.py); 'all' also prints each part's table")
    parser.add_argument("--source", choices=SOURCES, default="text",
                        help="read the texts (corpus/cuad), the original PDFs (pdf/, through cuad/contracts.json), or both side by side")
    args = parser.parse_args(argv)
    if not (args.data / "cuad" / "labels.jsonl").is_file():
        print(f"skipped: {args.data}/cuad/labels.jsonl not found (the benchmark data is not on this machine)")
        return 0

    from assistant import Settings, Workspace

    mapping, elements = load_mapping()
    labels = load_labels(args.data)
    corpus = args.data / "corpus" / "cuad"
    contracts = sorted({c for c, _ in labels})
    if args.limit:
        contracts = contracts[: args.limit]
    contracts = [c for c in contracts if in_part(c, args.part)]
    pdfs: dict[str, Path] = {}
    if args.source != "text":
        pdfs = pdf_files(args.data, contracts)
        print(f"{len(pdfs)} of {len(contracts)} contracts have their original PDF", flush=True)
        if args.source == "both":
            contracts = [c for c in contracts if c in pdfs]  # side by side on the same contracts
    work = args.work or Path(tempfile.mkdtemp(prefix="cuad-"))
    ws = Workspace(Settings(data_dir=work, workspace="cuad"), playbook=args.playbook)
    runs: dict[str, Run] = {}
    if args.source != "pdf":
        runs["text"] = audit_source(ws, {c: corpus / c for c in contracts}, "cuad", labels, mapping, elements, hits=True)
    if args.source != "text":
        pdf_ws = Workspace(Settings(data_dir=work, workspace="cuad-pdf"), playbook=args.playbook)
        runs["pdf"] = audit_source(pdf_ws, {c: pdfs[c] for c in contracts if c in pdfs}, "cuad-pdf", labels, mapping, elements, hits=False)
    main_run = runs.get("text") or runs["pdf"]
    if "text" not in runs:
        print("(evidence hit is not measured on the PDFs: the labels' offsets are on the texts)")
    per, macro, hit_all = report_table(main_run.counts)
    if args.part == "all":
        for part in PARTS:
            print(f"\npart {part} ({sum(1 for c in contracts if part_of(c) == part)} contracts):")
            report_table(main_run.by_part[part])
    side = report_side_by_side(runs["text"], runs["pdf"], contracts) if len(runs) == 2 else None
    timings = sorted(main_run.timings) or [0.0]
    print(f"audit time per contract after ingest: mean {statistics.mean(timings):.2f}s, p95 {timings[int(0.95 * (len(timings) - 1))]:.2f}s, max {timings[-1]:.2f}s")
    if args.out:
        summary = {"part": args.part, "source": args.source, "macro_f1": macro, "evidence_hit": hit_all, "per_category": per,
                   "audit_seconds_mean": statistics.mean(timings)}
        if args.part == "all":
            summary["parts"] = {part: dict(zip(("per_category", "macro_f1", "evidence_hit"), figures(main_run.by_part[part]))) for part in PARTS}
        if side is not None:
            summary["pdf_side_by_side"] = side
        results = [row for run in runs.values() for row in run.results]
        args.out.write_text(json.dumps({"summary": summary, "results": results}, indent=1))
        print(f"wrote {args.out}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
