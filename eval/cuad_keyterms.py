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
| liability_cap | Cap on Liability (yes/no) | an amount is stated and its sentence overlaps a labelled span (labels that limit an amount); "no amount (excludes ...)" is wrong there |
| liability_cap_any | Cap on Liability (yes/no) | the same, over every labelled contract |

A contract where CUAD labels no such clause counts as correct when the key term is not found (a stated value
there is a false positive). Gold answers that cannot be compared (a blank date "[]/[]/2004", no normalised
answer) are left out and counted apart.

The liability cap key term is an amount ("$1,000,000", "the fees paid in the preceding twelve months"). CUAD's Cap on
Liability also counts exclusions of kinds of damages ("in no event shall either party be liable for indirect or
consequential damages") and time limits for bringing claims, which set no amount. A contract whose labelled spans
only do that has no amount to compare with: the ``liability_cap`` row leaves it out (not compared) rather than
counting a missing amount as wrong or as right; a labelled span limits an amount when it says so (``AMOUNT_LIMIT``:
"exceed", "limited to", "not more than", "maximum", "cap", ...). The ``liability_cap_any`` row is the comparison
with every labelled contract, as CUAD counts them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from assistant.audit.keyterms import NO_AMOUNT
from eval.cuad import load_labels, overlaps, spans_of
from eval.cuad_facts import PERPETUAL, compare
from eval.splits import first_of_each_part, in_part

TERMS = (  # (row, key term id, CUAD category, comparison)
    ("parties", "parties", "Parties", "parties"),
    ("agreement_date", "agreement_date", "Agreement Date", "date"),
    ("effective_date", "effective_date", "Effective Date", "date"),
    ("expiration_date", "expiration_date", "Expiration Date", "expiry"),
    ("renewal", "renewal", "Renewal Term", "renewal"),
    ("notice_to_prevent_renewal", "notice_to_prevent_renewal", "Notice Period to Terminate Renewal", "period"),
    ("governing_law", "governing_law", "Governing Law", "law"),
    ("liability_cap", "liability_cap", "Cap on Liability", "cap"),
    ("liability_cap_any", "liability_cap", "Cap on Liability", "span"),
)
# A labelled span that limits an amount (not only kinds of damages or the time to bring a claim).
AMOUNT_LIMIT = re.compile(r"\b(?:exceed\w*|in\s+excess\s+of|(?<!not\s)limit(?:ed)?\s+(?:to|of)|(?:no|not)\s+(?:be\s+)?(?:more|greater)\s+than|maximum"
                          r"|cap(?:ped|s)?\b|up\s+to|(?:lesser|greater)\s+of)", re.IGNORECASE)


def verdict(kind: str, label: dict | None, term, document, source: str = "") -> bool | None:
    """True / False for one key term of one contract, None when CUAD's answer cannot be compared. ``source`` is the
    contract's text as CUAD's offsets count it (for the cap: what its labelled spans say)."""
    present = bool(label and label.get("present") and spans_of(label))
    value = term.value if term is not None else ""
    if not present:
        return not value
    gold = str(label.get("answer") or "")
    if kind == "cap":
        if not any(AMOUNT_LIMIT.search(source[s:e]) for s, e in spans_of(label)):
            return None  # only exclusions of kinds of damages or time limits: no amount to compare with
        if value.startswith(NO_AMOUNT):
            return False  # a labelled span limits an amount, and only an exclusion of kinds of damages was read
        kind = "span"
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
        counts = {row: {"ok": 0, "n": 0, "uncompared": 0, "labelled_ok": 0, "labelled": 0} for row, _, _, _ in TERMS}
        for contract in chosen:
            doc_id = docs[f"cuad/{contract}"]
            document = ws.document(doc_id)
            result = ws.audits.document(doc_id)
            terms = {t.id: t for t in result.key_terms}
            source = (corpus / contract).read_text(encoding="utf-8", errors="replace")
            for row, term_id, category, kind in TERMS:
                label = labels.get((contract, category))
                term = terms.get(term_id)
                ok = verdict(kind, label, term, document, source)
                present = bool(label and label.get("present") and spans_of(label))
                c = counts[row]
                if ok is None:
                    c["uncompared"] += 1
                else:
                    c["n"] += 1
                    c["ok"] += ok
                    if present:
                        c["labelled"] += 1
                        c["labelled_ok"] += ok
                out["rows"].append({"contract": f"cuad/{contract}", "part": part, "term": row, "value": term.value if term else "",
                                    "gold": (label or {}).get("answer") if present else None, "ok": ok,
                                    "span": list(document.source_span(term.span.start, term.span.end)) if term and term.span else None})
                if args.verbose and ok is False:
                    print(f"  {part} {row:26} {contract[:50]:50} ours {(term.value if term else '')[:60]!r} gold {(label or {}).get('answer') if present else None!r}")
        print(f"\n== key terms, part {part}: {len(chosen)} contracts")
        print(f"{'key term':28} {'accuracy':>9} {'n':>5} {'labelled':>9} {'n':>5} {'not compared':>13}")
        for row, c in counts.items():
            acc = c["ok"] / c["n"] if c["n"] else 0.0
            lab = c["labelled_ok"] / c["labelled"] if c["labelled"] else 0.0
            print(f"{row:28} {100 * acc:8.1f}% {c['n']:5} {100 * lab:8.1f}% {c['labelled']:5} {c['uncompared']:13}")
        out["summary"][part] = counts
    if args.out:
        args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}")
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
