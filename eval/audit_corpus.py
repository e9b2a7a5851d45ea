"""Clause-audit regression eval over the project's own corpus and its gold labels.

    python -m eval.audit_corpus [--verbose]

Gold labels: eval/audit_gold/*.yaml (`documents:` paths relative to corpus/, `deals:` folder
names under corpus/ audited as one deal). Reports status accuracy (present / weak / missing),
presence precision / recall (present or weak counts as "there"), and element accuracy on clauses
both sides call weak or present.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "eval" / "audit_gold"
CORPUS = REPO / "corpus"


@dataclass(frozen=True)
class Label:
    subject: str
    kind: str
    clause: str
    status: str
    missing: tuple[str, ...]


def load_gold(folder: Path = GOLD) -> list[Label]:
    labels = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, key in (("document", "documents"), ("deal", "deals")):
            for subject, clauses in (data.get(key) or {}).items():
                for clause, label in clauses.items():
                    labels.append(Label(subject, kind, clause, label["status"], tuple(label.get("missing") or ())))
    return labels


def audit_corpus(workspace) -> dict[tuple[str, str], object]:
    """Audit every corpus document alone and every deal folder as a whole; keyed by (kind, subject)."""
    deals = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")) and p.name != "standalone")
    for deal in deals:
        workspace.ingest([CORPUS / deal], deal=deal)
    workspace.ingest([CORPUS / "standalone"])
    results: dict[tuple[str, str], object] = {}
    for result in workspace.audit(by="document"):
        results[("document", result.subject)] = result
    for result in workspace.audit(by="deal"):
        if result.kind == "deal":
            results[("deal", result.subject)] = result
    return results


def subject_key(label: Label) -> tuple[str, str]:
    return (label.kind, label.subject if label.kind == "deal" else Path(label.subject).name)


def compare(labels: list[Label], results: dict) -> dict:
    by_name = {(k, Path(s).name if k == "document" else s): r for (k, s), r in results.items()}
    rows = []
    for label in labels:
        result = by_name.get(subject_key(label))
        if result is None:
            raise KeyError(f"gold subject {label.subject!r} was not audited")
        finding = result.finding(label.clause)
        rows.append((label, finding))
    status_ok = sum(1 for l, f in rows if l.status == f.status)
    there_gold = [(l.status != "missing", f.status != "missing") for l, f in rows]
    tp = sum(1 for g, p in there_gold if g and p)
    fp = sum(1 for g, p in there_gold if p and not g)
    fn = sum(1 for g, p in there_gold if g and not p)
    both = [(l, f) for l, f in rows if l.status != "missing" and f.status != "missing"]
    element_ok = sum(1 for l, f in both if set(l.missing) == set(f.missing_elements))
    return {
        "labels": len(rows),
        "status_accuracy": status_ok / len(rows),
        "presence_precision": tp / (tp + fp) if tp + fp else 0.0,
        "presence_recall": tp / (tp + fn) if tp + fn else 0.0,
        "element_accuracy": element_ok / len(both) if both else 0.0,
        "mismatches": [(l, f) for l, f in rows if l.status != f.status or (l.status == "weak" and set(l.missing) != set(f.missing_elements))],
    }


def main(argv: list[str] | None = None) -> int:
    from assistant import Settings, Workspace

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp), workspace="gold"))
        report = compare(load_gold(), audit_corpus(ws))
    print(f"{report['labels']} labels: status accuracy {report['status_accuracy']:.1%}, presence precision "
          f"{report['presence_precision']:.1%}, recall {report['presence_recall']:.1%}, element accuracy {report['element_accuracy']:.1%}")
    if args.verbose:
        for label, finding in report["mismatches"]:
            print(f"  {label.kind} {label.subject} {label.clause}: gold {label.status} {list(label.missing)} / got {finding.status} {list(finding.missing_elements)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
