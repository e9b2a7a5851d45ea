"""The CUAD benchmark script on a small CUAD-layout folder written here: its JSON rows and its figures."""

from __future__ import annotations

import json

import yaml

from assistant import ClauseFinding, Evidence, Span
from eval.cuad import MAPPING, category_evidence, main, overlaps, predicts

RESELLER = """RESELLER AGREEMENT
This Reseller Agreement is made between Alder Systems Inc. and Birch Retail LLC.
1. APPOINTMENT
1.1 Alder appoints Birch as a non-exclusive reseller of the Products in the Territory.
8. TERM
8.1 The initial term of this Agreement is two (2) years from the Effective Date.
8.2 Either party may end this Agreement early only as set out in clause 10.
8.3 The parties may extend this Agreement for a further period of one (1) year by written agreement signed by both of them.
9. GOVERNING LAW
9.1 This Agreement is governed by the laws of the State of Delaware.
"""

SUPPLY = """SUPPLY AGREEMENT
This Supply Agreement is made between Cedar Foods Corp. and Dune Packaging Ltd.
1. SUPPLY
1.1 Dune shall supply the packaging described in Exhibit A at the prices in Exhibit B.
2. RECORDS AND AUDIT
2.1 Cedar may, on thirty (30) days' prior written notice, inspect and audit the books and records of Dune relating to the prices charged.
3. TERM
3.1 This Agreement has a fixed term of three (3) years and then expires.
4. GOVERNING LAW
4.1 This Agreement is governed by the laws of the State of New York.
"""


def _span(text: str, sentence: str) -> dict:
    start = text.index(sentence)
    return {"start": start, "end": start + len(sentence)}


def _write_dataset(root, supply: str = "supply.txt"):
    """CUAD's layout: contracts in corpus/cuad, one label row per contract and category (the supply agreement
    under the file name ``supply``: supply.txt is in the checking part with reseller.txt, hosting.txt in the tuning part)."""
    (root / "corpus" / "cuad").mkdir(parents=True)
    (root / "cuad").mkdir()
    (root / "corpus" / "cuad" / "reseller.txt").write_text(RESELLER, encoding="utf-8")
    (root / "corpus" / "cuad" / supply).write_text(SUPPLY, encoding="utf-8")
    renewal = "The parties may extend this Agreement for a further period of one (1) year"
    spans = {
        ("reseller.txt", "Renewal Term"): [_span(RESELLER, renewal)],
        ("reseller.txt", "Governing Law"): [_span(RESELLER, "This Agreement is governed by the laws of the State of Delaware.")],
        (supply, "Governing Law"): [_span(SUPPLY, "This Agreement is governed by the laws of the State of New York.")],
        (supply, "Audit Rights"): [_span(SUPPLY, "inspect and audit the books and records of Dune")],
    }
    categories = sorted({entry["category"] for entry in yaml.safe_load(MAPPING.read_text()).values()})
    rows = [{"contract": c, "category": cat, "present": (c, cat) in spans, "spans": spans.get((c, cat), [])}
            for c in ("reseller.txt", supply) for cat in categories]
    (root / "cuad" / "labels.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def test_benchmark_rows_and_figures(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    _write_dataset(tmp_path / "data")
    assert main(["--data", str(tmp_path / "data"), "--out", str(tmp_path / "cuad.json"), "--work", str(tmp_path / "work")]) == 0
    printed = capsys.readouterr().out
    assert "macro" in printed and "audit time per contract after ingest" in printed
    report = json.loads((tmp_path / "cuad.json").read_text())
    rows = {(r["contract"], r["clause"]): r for r in report["results"]}
    assert len(rows) == 2 * 31  # every clause type of every contract, mapped or not
    term = rows[("cuad/reseller.txt", "term_and_renewal")]
    assert term["cuad_category"] == "Renewal Term" and term["status"] in ("present", "weak") and "renewal" in term["met_elements"]
    # the category's top evidence is where the renewal was found, not the initial term that leads the clause's evidence
    start, end = term["evidence"][0]["span"]
    assert term["evidence"][0]["file_path"] == "cuad/reseller.txt" and "may extend this Agreement" in RESELLER[start:end]
    assert rows[("cuad/supply.txt", "exit_management")]["cuad_category"] is None
    per = report["summary"]["per_category"]
    assert (per["Governing Law"]["tp"], per["Governing Law"]["evidence_hit"]) == (2, 1.0)
    assert (per["Renewal Term"]["tp"], per["Renewal Term"]["fp"], per["Renewal Term"]["evidence_hit"]) == (1, 0, 1.0)
    assert (per["Audit Rights"]["tp"], per["Audit Rights"]["fp"], per["Audit Rights"]["evidence_hit"]) == (1, 0, 1.0)


def test_benchmark_parts(tmp_path, cache_dir, monkeypatch, capsys):
    """Each part is scored on its own contracts only: the tuning part's supply agreement, the checking part's reseller."""
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    _write_dataset(tmp_path / "data", supply="hosting.txt")
    common = ["--data", str(tmp_path / "data"), "--work", str(tmp_path / "work")]
    assert main([*common, "--out", str(tmp_path / "all.json")]) == 0
    assert "part tune (1 contracts)" in capsys.readouterr().out
    parts = json.loads((tmp_path / "all.json").read_text())["summary"]["parts"]
    assert parts["tune"]["per_category"]["Audit Rights"]["tp"] == 1 and parts["check"]["per_category"]["Audit Rights"]["tn"] == 1
    assert parts["check"]["per_category"]["Renewal Term"]["tp"] == 1 and parts["tune"]["per_category"]["Renewal Term"]["tn"] == 1
    assert main([*common, "--part", "tune", "--out", str(tmp_path / "tune.json")]) == 0
    tune = json.loads((tmp_path / "tune.json").read_text())
    assert {r["contract"] for r in tune["results"]} == {"cuad/hosting.txt"}
    assert tune["summary"]["per_category"]["Governing Law"]["tp"] == 1 and "parts" not in tune["summary"]


def _evidence(start: int) -> Evidence:
    return Evidence(Span("d", "x.txt", start, start + 10, "text", 1, 1, "7 TERM"), 0.5, True, (), 0.5)


def test_category_evidence_leads_with_the_mapped_element():
    first, second, third, elsewhere = _evidence(0), _evidence(100), _evidence(200), _evidence(900)
    finding = ClauseFinding("term_and_renewal", "Term", "Legal", "medium", "present", 0.9, (), ("term", "renewal"),
                            (first, second, third), "", "", (("term", first), ("renewal", third)))
    assert category_evidence(finding, ["renewal"]) == [third, first, second]
    assert category_evidence(finding, None) == [first, second, third]
    assert category_evidence(finding, ["notice"]) == [first, second, third]  # not met: the clause's own order
    aside = ClauseFinding("term_and_renewal", "Term", "Legal", "medium", "present", 0.9, (), ("renewal",),
                          (first, second), "", "", (("renewal", elsewhere),))
    assert category_evidence(aside, ["renewal"]) == [elsewhere, first, second]
    assert predicts(finding, ["renewal"]) and not predicts(finding, ["notice"]) and predicts(finding, None)
    assert overlaps((5, 15), [(10, 20)]) and not overlaps((0, 10), [(10, 20)])
