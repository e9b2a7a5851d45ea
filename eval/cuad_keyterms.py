"""Key terms measured on CUAD: the audit's key terms of each contract against CUAD's normalised answers.

    python -m eval.cuad_keyterms --data ../shared/evaldata --work DIR --part tune|check|all [--out FILE.json] [--limit N]

Uses the same index as ``eval.cuad`` / ``eval.cuad_answers`` (``--work``). For each contract of the part
(``eval.splits``), the key terms of its audit are compared with CUAD (``eval.cuad_facts``):

| key term | CUAD category | correct when |
|---|---|---|
| parties | Parties | at least two of CUAD's parties are named |
| agreement_date / effective_date / expiration_date | Agreement / Effective / Expiration Date | the same day ("perpetual" for a term with no end) |
| renewal | Renewal Term | the same length (or both perpetual) |
| notice_to_prevent_renewal | Notice Period to Terminate Renewal | the same length |
| governing_law | Governing Law | the same place |
| liability_cap | Cap on Liability (yes/no) | a cap is stated and its sentence overlaps a labelled span |

A contract where CUAD labels no such clause counts as correct when the key term is not found (a stated value
there is a false positive). Gold answers that cannot be compared (a blank date "[]/[]/2004", no normalised
answer) are left out and counted apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from eval.cuad import load_labels, overlaps, spans_of
from eval.cuad_facts import PERPETUAL, compare
from eval.splits import first_of_each_part, in_part

TERMS = (  # (key term id, CUAD category, comparison)
    ("parties", "Parties", "parties"),
    ("agreement_date", "Agreement Date", "date"),
    ("effective_date", "Effective Date", "date"),
    ("expiration_date", "Expiration Date", "expiry"),
    ("renewal", "Renewal Term", "renewal"),
    ("notice_to_prevent_renewal", "Notice Period to Terminate Renewal", "period"),
    ("governing_law", "Governing Law", "law"),
    ("liability_cap", "Cap on Liability", "span"),
)


def verdict(kind: str, label: dict | None, term, document) -> bool | None:
    """True / False for one key term of one contract, None when CUAD's answer cannot be compared."""
    present = bool(label and label.get("present") and spans_of(label))
    value = term.value if term is not None else ""
    if not present:
        return not value
    gold = str(label.get("answer") or "")
    if kind == "span":
        if not value or term.span is None:
            return False
        return overlaps(document.source_span(term.span.start, term.span.end), spans_of(label))
    if kind == "expiry":
        if PERPETUAL.search(gold):
            return bool(PERPETUAL.search(value))
        result = compare("date", gold, value)
        return result if result is not None or not value else None
    result = compare(kind, gold, value)
    if result is None:
        return None
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--part", default="all", choices=("tune", "check", "all"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print each wrong key term")
    args = parser.parse_args(argv)
    if not (args.data / "cuad" / "labels.jsonl").is_file():
        print(f"skipped: {args.data}/cuad/labels.jsonl not found (the benchmark data is not on this machine)")
        return 0

    from assistant import Settings, Workspace

    labels = load_labels(args.data)
    corpus = args.data / "corpus" / "cuad"
    contracts = first_of_each_part([c for c in {c for c, _ in labels} if (corpus / c).is_file()], args.limit)
    work = args.work or Path(tempfile.mkdtemp(prefix="cuad-keyterms-"))
    ws = Workspace(Settings(data_dir=work, workspace="cuad", llm_provider="none"))
    ws.ingest([corpus / c for c in contracts], names={str(corpus / c): f"cuad/{c}" for c in contracts})
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    parts = ("tune", "check") if args.part == "all" else (args.part,)
    out: dict = {"summary": {}, "rows": []}
    for part in parts:
        chosen = [c for c in contracts if in_part(c, part) and f"cuad/{c}" in docs]
        counts = {t: {"ok": 0, "n": 0, "uncompared": 0, "labelled_ok": 0, "labelled": 0} for t, _, _ in TERMS}
        for contract in chosen:
            doc_id = docs[f"cuad/{contract}"]
            document = ws.document(doc_id)
            result = ws.audits.document(doc_id)
            terms = {t.id: t for t in result.key_terms}
            for term_id, category, kind in TERMS:
                label = labels.get((contract, category))
                term = terms.get(term_id)
                ok = verdict(kind, label, term, document)
                present = bool(label and label.get("present") and spans_of(label))
                c = counts[term_id]
                if ok is None:
                    c["uncompared"] += 1
                else:
                    c["n"] += 1
                    c["ok"] += ok
                    if present:
                        c["labelled"] += 1
                        c["labelled_ok"] += ok
                out["rows"].append({"contract": f"cuad/{contract}", "part": part, "term": term_id, "value": term.value if term else "",
                                    "gold": (label or {}).get("answer") if present else None, "ok": ok,
                                    "span": list(document.source_span(term.span.start, term.span.end)) if term and term.span else None})
                if args.verbose and ok is False:
                    print(f"  {part} {term_id:26} {contract[:50]:50} ours {(term.value if term else '')[:60]!r} gold {(label or {}).get('answer') if present else None!r}")
        print(f"\n== key terms, part {part}: {len(chosen)} contracts")
        print(f"{'key term':28} {'accuracy':>9} {'n':>5} {'labelled':>9} {'n':>5} {'not compared':>13}")
        for term_id, c in counts.items():
            acc = c["ok"] / c["n"] if c["n"] else 0.0
            lab = c["labelled_ok"] / c["labelled"] if c["labelled"] else 0.0
            print(f"{term_id:28} {100 * acc:8.1f}% {c['n']:5} {100 * lab:8.1f}% {c['labelled']:5} {c['uncompared']:13}")
        out["summary"][part] = counts
    if args.out:
        args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}")
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
