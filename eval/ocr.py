"""OCR benchmark: CUAD contracts printed to images and read back by OCR.

    python -m eval.ocr --data ../shared/evaldata --out ocr.json [--contracts 24] [--max-pages 4] [--dpi 150] [--work DIR]

Takes the CUAD development PDFs (DATA/pdf/<type>/, matched to their text through DATA/cuad/contracts.json) whose
every page has a text layer and which have at most --max-pages pages, sorted by name, the first --contracts of
them: OCR takes seconds a page on this 2-core machine, so shorter contracts keep a run near a quarter of an hour.
Each page is rendered to a grey image (pypdfium2, --scan-dpi, as a scanner would) and the images saved as a PDF
with no text layer. Then:
(a) character accuracy: each page as the ingest's OCR reads it against pypdf's text of the original page, both
    whitespace-normalised: 1 - edit distance / length of the original (rapidfuzz Levenshtein), per page and in
    total (all distances over all lengths); also "typographic": NFKC, one form of quotes, apostrophes and dashes, and
    no lines drawn with characters ("_____", "-----") on either side (a straight quote read for a curly one is not
    a misread word, and OCR sees a drawn line as a line);
(b) CUAD presence macro-F1 (eval/cuad.py's scoring) of the scans ingested through OCR, next to the original PDFs
    ingested from their text layer (OCR off);
(c) OCR throughput: pages per second of render + recognise in (a), with the machine's load average beside it.
--work keeps the scans, the pages read and both workspaces, so a re-run costs only the audits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from eval.cuad import (
    category_scores,
    load_labels,
    load_mapping,
    macro_f1,
    new_counts,
    outcome,
    pdf_path,
    presence,
)

RULE = re.compile(r"[-_=.*~]{3,}")  # a line drawn with characters: a signature line, a table rule, dot leaders
TYPOGRAPHIC = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def normalised(text: str) -> str:
    """Whitespace runs as one space, ends trimmed: line breaks and spacing are layout, not characters read."""
    return " ".join(text.split())


def typographic(text: str) -> str:
    """The text with one form of quotes, apostrophes and dashes and without lines drawn with characters: OCR sees a
    "_____" signature line or a "-----" table rule as a line, not as text."""
    return normalised(RULE.sub(" ", unicodedata.normalize("NFKC", text).translate(TYPOGRAPHIC)))


def accuracy(read: str, original: str) -> tuple[int, int]:
    """(edit distance, length of the original): accuracy is 1 - distance / length."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(read, original), len(original)


def choose(data: Path, labelled: set[str], count: int, max_pages: int) -> list[tuple[dict, Path, list[str]]]:
    """The first ``count`` contracts by name with a PDF of at most ``max_pages`` pages, each with a text layer."""
    from pypdf import PdfReader

    from assistant.ingest.formats.pdf import MIN_TEXT_CHARS_PER_PAGE

    entries = sorted(json.loads((data / "cuad" / "contracts.json").read_text(encoding="utf-8")), key=lambda e: e["pdf_name"])
    chosen = []
    for entry in entries:
        path = pdf_path(data, entry)
        if path is None or entry["txt"] not in labelled:
            continue
        reader = PdfReader(str(path))
        if len(reader.pages) > max_pages:
            continue
        texts = [page.extract_text() or "" for page in reader.pages]
        if all(len(t.strip()) >= MIN_TEXT_CHARS_PER_PAGE for t in texts):
            chosen.append((entry, path, texts))
        if len(chosen) == count:
            break
    return chosen


def scan(original: Path, target: Path, dpi: int) -> Path:
    """The PDF as a scanner gives it back: one grey image a page, no text layer."""
    import pypdfium2 as pdfium

    if target.is_file():
        return target
    document = pdfium.PdfDocument(str(original))
    try:
        images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(str(target), "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return target


def read_pages(path: Path, dpi: int, cache: dict) -> dict:
    """Each page of a scan as the ingest's OCR reads it, and how long that took (kept in ``cache``)."""
    from assistant.ingest.ocr import ScanReader, shared_engine

    data = path.read_bytes()
    key = f"{hashlib.sha256(data).hexdigest()}@{dpi}"
    if key not in cache:
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(data))
        started = time.perf_counter()
        texts, failures = ScanReader(shared_engine(), dpi).read(data, path.name, list(range(1, pages + 1)))
        cache[key] = {"pages": [texts.get(n, "") for n in range(1, pages + 1)], "failed": [str(f) for f in failures],
                      "seconds": time.perf_counter() - started, "load_average": os.getloadavg()[0]}
        cache[key]["fresh"] = True
    return cache[key]


def audit_presence(ws, names: dict[str, str], labels: dict, mapping: dict, elements: dict) -> tuple[dict, dict]:
    """CUAD presence counts over the documents ``names`` (file name -> CUAD contract), and each contract's predictions."""
    docs = {d.file_name: d.doc_id for d in ws.documents()}
    counts = new_counts(mapping)
    predicted = {}
    for file_name, contract in names.items():
        if file_name not in docs:
            continue
        found = presence(ws.auditor.run([docs[file_name]], file_name), mapping, elements, counts)
        predicted[contract] = {category: bool(findings) for category, findings in found.items()}
        for category, findings in found.items():
            counts[category][outcome(bool(findings), bool(labels[(contract, category)]["present"]))] += 1
    return counts, predicted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with pdf/, cuad/contracts.json and cuad/labels.jsonl")
    parser.add_argument("--out", type=Path, help="write the figures and every page's accuracy as JSON")
    parser.add_argument("--contracts", type=int, default=24, help="how many contracts (at least 20 for the reported figures)")
    parser.add_argument("--max-pages", type=int, default=4, help="only contracts with at most this many pages")
    parser.add_argument("--dpi", type=int, default=None, help="resolution OCR renders pages at (default: the setting ocr_dpi)")
    parser.add_argument("--scan-dpi", type=int, default=200, help="resolution the scans are made at")
    parser.add_argument("--work", type=Path, help="keep scans, pages read and workspaces here (re-runs reuse them)")
    args = parser.parse_args(argv)
    if not (args.data / "cuad" / "contracts.json").is_file() or not (args.data / "pdf").is_dir():
        print(f"skipped: {args.data}/cuad/contracts.json or {args.data}/pdf not found (the benchmark data is not on this machine)")
        return 0

    from assistant import Settings, Workspace

    dpi = args.dpi or Settings().ocr_dpi
    labels = load_labels(args.data)
    mapping, elements = load_mapping()
    chosen = choose(args.data, {c for c, _ in labels}, args.contracts, args.max_pages)
    work = (args.work or Path(tempfile.mkdtemp(prefix="ocr-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    scans = {entry["pdf_name"]: scan(path, work / "scans" / f"{Path(entry['pdf_name']).stem}.pdf", args.scan_dpi) for entry, path, _ in chosen}
    total_pages = sum(len(texts) for _, _, texts in chosen)
    print(f"{len(chosen)} CUAD contracts of at most {args.max_pages} pages ({total_pages} pages), scanned at {args.scan_dpi} dpi, "
          f"OCR at {dpi} dpi", flush=True)

    cache_path = work / f"pages-read-{dpi}.json"
    cache = json.loads(cache_path.read_text()) if cache_path.is_file() else {}
    pages, seconds, fresh, loads = [], 0.0, True, []
    for number, (entry, _, originals) in enumerate(chosen, 1):
        read = read_pages(scans[entry["pdf_name"]], dpi, cache)
        seconds += read["seconds"]
        loads.append(read.get("load_average", 0.0))
        fresh = fresh and read.pop("fresh", False)
        for page, (text, original) in enumerate(zip(read["pages"], originals), 1):
            strict, typo = accuracy(normalised(text), normalised(original)), accuracy(typographic(text), typographic(original))
            pages.append({"contract": entry["txt"], "page": page, "chars": strict[1], "distance": strict[0],
                          "accuracy": 1 - strict[0] / max(1, strict[1]), "typographic_distance": typo[0], "typographic_chars": typo[1]})
        print(f"  read {number}/{len(chosen)} {entry['pdf_name'][:70]}", file=sys.stderr, flush=True)
    cache_path.write_text(json.dumps(cache))
    strict_total = 1 - sum(p["distance"] for p in pages) / sum(p["chars"] for p in pages)
    typo_total = 1 - sum(p["typographic_distance"] for p in pages) / sum(p["typographic_chars"] for p in pages)

    started = time.perf_counter()
    ocr_ws = Workspace(Settings(data_dir=work, workspace="ocr", ocr_dpi=dpi))
    text_ws = Workspace(Settings(data_dir=work, workspace="text-layer", ocr=False))
    ocr_names = {f"scan/{e['pdf_name']}": e["txt"] for e, _, _ in chosen}
    text_names = {f"text/{e['pdf_name']}": e["txt"] for e, _, _ in chosen}
    ocr_report = ocr_ws.ingest(list(scans.values()), names={str(scans[e["pdf_name"]]): f"scan/{e['pdf_name']}" for e, _, _ in chosen},
                               ocr_progress=lambda p: print(f"  {p.label()}", file=sys.stderr, flush=True))
    text_report = text_ws.ingest([path for _, path, _ in chosen], names={str(path): f"text/{e['pdf_name']}" for e, path, _ in chosen})
    print(f"ingest: scans {ocr_report.summary()}; originals {text_report.summary()} ({time.perf_counter() - started:.0f}s)", flush=True)
    ocr_counts, ocr_predicted = audit_presence(ocr_ws, ocr_names, labels, mapping, elements)
    text_counts, text_predicted = audit_presence(text_ws, text_names, labels, mapping, elements)
    ocr_per, text_per = category_scores(ocr_counts), category_scores(text_counts)
    ocr_macro, text_macro = macro_f1(ocr_per), macro_f1(text_per)
    changed = sorted({(c, cat) for c in ocr_predicted for cat in ocr_predicted[c] if ocr_predicted[c][cat] != text_predicted.get(c, {}).get(cat)})

    by_contract: dict[str, list[dict]] = {}
    for p in pages:
        by_contract.setdefault(p["contract"], []).append(p)
    print(f"\n{'contract':64} {'pages':>5} {'chars':>7} {'accuracy':>9}")
    for contract, rows in by_contract.items():
        chars = sum(r["chars"] for r in rows)
        print(f"{contract[:64]:64} {len(rows):5} {chars:7} {1 - sum(r['distance'] for r in rows) / max(1, chars):9.2%}")
    per_page = sorted(p["accuracy"] for p in pages)
    print(f"\n(a) character accuracy, {len(pages)} pages, {sum(p['chars'] for p in pages):,} characters: total {strict_total:.2%} "
          f"(typographic {typo_total:.2%}); per page median {statistics.median(per_page):.2%}, worst {per_page[0]:.2%}, "
          f"{sum(a >= 0.98 for a in per_page)}/{len(per_page)} pages at 98% or more")
    print(f"\n{'CUAD category':32} {'F1 text':>8} {'F1 OCR':>8}")
    for category in text_per:
        print(f"{category:32} {text_per[category]['f1']:8.2f} {ocr_per[category]['f1']:8.2f}")
    print(f"{'macro':32} {text_macro:8.3f} {ocr_macro:8.3f}")
    print(f"(b) CUAD presence macro-F1: text layer {text_macro:.3f}, OCR {ocr_macro:.3f}, difference {ocr_macro - text_macro:+.3f}; "
          f"{len(changed)} of {len(ocr_predicted) * len(text_per)} contract x category predictions differ")
    load = statistics.mean(loads)  # while the pages were read: other work on the machine slows OCR
    source = "this run" if fresh else "an earlier run kept in --work"
    print(f"(c) OCR throughput: {total_pages / seconds:.2f} pages/s ({total_pages} pages in {seconds:.0f}s, render + recognise at {dpi} dpi, "
          f"2 cores, load average {load:.1f}; timed in {source})")
    if args.out:
        args.out.write_text(json.dumps({
            "summary": {"contracts": len(chosen), "pages": total_pages, "scan_dpi": args.scan_dpi, "ocr_dpi": dpi,
                        "character_accuracy": strict_total, "typographic_accuracy": typo_total,
                        "pages_at_98": sum(a >= 0.98 for a in per_page), "macro_f1_text_layer": text_macro, "macro_f1_ocr": ocr_macro,
                        "macro_f1_difference": ocr_macro - text_macro, "predictions_differing": len(changed),
                        "ocr_pages_per_second": total_pages / seconds, "ocr_seconds": seconds, "load_average": load},
            "per_category": {c: {"text_layer": text_per[c], "ocr": ocr_per[c]} for c in text_per},
            "differing": [{"contract": c, "category": cat, "ocr": ocr_predicted[c][cat], "text_layer": text_predicted.get(c, {}).get(cat)} for c, cat in changed],
            "pages": pages,
            "ingest": {"ocr": ocr_report.to_dict(), "text_layer": text_report.to_dict()},
        }, indent=1))
        print(f"wrote {args.out}")
    ocr_ws.close()
    text_ws.close()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
