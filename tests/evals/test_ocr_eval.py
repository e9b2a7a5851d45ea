"""The OCR benchmark script on a small CUAD-layout folder written here: a PDF scanned and read back, its figures."""

from __future__ import annotations

import json

import yaml

from eval.cuad import MAPPING
from eval.ocr import accuracy, main, normalised, typographic

from ..documents import make_pdf

SUPPLY = ("SUPPLY AGREEMENT\n1. SUPPLY\n1.1 Dune shall supply the packaging described in Exhibit A.\n2. RECORDS AND AUDIT\n"
          "2.1 Cedar may, on thirty (30) days' prior written notice, inspect and audit the books and records of Dune.\n"
          "3. GOVERNING LAW\n3.1 This Agreement is governed by the laws of the State of New York.")


def _write_dataset(root):
    """CUAD's layout: the original PDF by contract type, the contracts list and one label row per category."""
    (root / "pdf" / "Supply").mkdir(parents=True)
    (root / "cuad").mkdir()
    make_pdf(root / "pdf" / "Supply" / "supply.pdf", [SUPPLY])
    (root / "cuad" / "contracts.json").write_text(json.dumps([{"txt": "supply.txt", "pdf_name": "supply.pdf", "type": "Supply", "chars": 300}]))
    categories = sorted({entry["category"] for entry in yaml.safe_load(MAPPING.read_text()).values()})
    rows = [{"contract": "supply.txt", "category": c, "present": c in ("Governing Law", "Audit Rights"), "spans": []} for c in categories]
    (root / "cuad" / "labels.jsonl").write_text("\n".join(json.dumps(r) for r in rows))


def test_skips_cleanly_without_the_data(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 0
    assert capsys.readouterr().out.startswith("skipped:")


def test_accuracy_is_edit_distance_over_the_original_length():
    assert accuracy(normalised("The  Customer\nshall pay."), normalised("The Customer shall pay.")) == (0, 23)
    assert accuracy("Tbe Customer", "The Customer") == (1, 12)
    assert typographic("the \u201cServices\u201d \u2013 Supplier\u2019s") == typographic('the "Services" - Supplier\'s')
    assert typographic("By: ____________ Date: --------") == "By: Date:"


def test_benchmark_reads_a_scan_back_and_scores_it_next_to_the_text_layer(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.setenv("CONTRACT_ASSISTANT_CACHE_DIR", str(cache_dir))
    _write_dataset(tmp_path / "data")
    args = ["--data", str(tmp_path / "data"), "--out", str(tmp_path / "ocr.json"), "--work", str(tmp_path / "work")]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "1 CUAD contracts of at most 4 pages (1 pages)" in printed and "(c) OCR throughput" in printed and "timed in this run" in printed
    report = json.loads((tmp_path / "ocr.json").read_text())
    summary = report["summary"]
    assert summary["pages"] == 1 and summary["character_accuracy"] > 0.97
    assert report["pages"][0]["contract"] == "supply.txt" and report["pages"][0]["chars"] > 250
    assert report["ingest"]["ocr"]["files"][0]["ocr_pages"] == [1] and report["ingest"]["text_layer"]["files"][0]["ocr_pages"] == []
    law = report["per_category"]["Governing Law"]
    assert law["ocr"]["tp"] == law["text_layer"]["tp"] == 1
    assert summary["macro_f1_ocr"] == summary["macro_f1_text_layer"] and summary["predictions_differing"] == 0
    assert main(args) == 0  # again: the pages read and both workspaces are reused
    assert "timed in an earlier run kept in --work" in capsys.readouterr().out
