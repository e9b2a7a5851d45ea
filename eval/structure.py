"""Structure benchmark: the headings the assistant finds in real contracts against hand-labelled gold.

    python -m eval.structure --data ../shared/evaldata [--verbose] [--split tune|check]

Gold: eval/structure_gold/*.yaml (24 CUAD contracts, 12 read from their PDFs and 12 from the texts, split
into a tuning and a checking half; see its README for what counts as a heading) and
eval/structure_gold_heldout/*.yaml (12 more, labelled by someone else after the rules were fitted, only ever
reported in total). For each contract the
file is loaded as a user would load it, and:
- heading precision: detected headings (numbered or titled sections, articles, schedules; lettered items and
  numbered paragraphs without a title are not headings) that match a gold heading, in document order;
- heading recall: gold headings matched;
- preamble share: of the chunks after the first gold heading, the share with no section path;
- title: whether the document title is the contract's own title.
A detected heading matches when its number equals the gold number, or, for unnumbered headings, its title
does (case, punctuation and spacing ignored).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

GOLD = Path(__file__).resolve().parent / "structure_gold"
HELDOUT = Path(__file__).resolve().parent / "structure_gold_heldout"  # labelled after the detector was tuned; never printed in detail
SPLITS = ("tune", "check", "heldout")


@dataclass(frozen=True)
class Heading:
    number: str
    title: str


def norm_number(number: str) -> str:
    number = re.sub(r"(?i)^(?:section|article|clause|schedule|exhibit|annex|appendix)\s+", "", number.strip())
    return re.sub(r"[\s.]+", ".", number).strip(".").lower()


def norm_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def detected_headings(document) -> list[tuple[int, Heading]]:
    """(offset, heading) of the sections detected that carry a title (a numbered paragraph whose "title" is the
    start of its prose, or a lettered item without a title of its own, is not a heading)."""
    from assistant.ingest.structure import detect_sections

    out = []
    for section in detect_sections(document):
        title = section.title
        if title.endswith("..."):
            continue
        if section.number and title.lower().startswith(section.number.lower()):
            title = title[len(section.number):]
        title = re.sub(r"(?i)^(?:article|section|clause)\s+[ivxlc\d.]+\s*", "", title.strip())
        title = re.sub(r"^\(?[a-z]{1,4}\)\s*|^[ivxlc]+\.\s+", "", title, flags=re.I) if "(" in section.number or re.match(r"^[IVXLC]+$", section.number) else title
        if "(" in section.number and not title.strip(" .:"):
            continue
        out.append((section.start, Heading(norm_number(section.number), norm_title(title))))
    return out


def matches(found: Heading, gold: Heading) -> bool:
    """The same heading: the same number, or the same title (the text layer of a PDF may not carry a number the page shows)."""
    if found.number and gold.number and found.number == gold.number:
        return True
    title, wanted = found.title, re.sub(r"^[a-z]{1,4} ", "", gold.title) if re.match(r"^\(?[a-z]{1,4}\)", gold.title) else gold.title
    return bool(wanted) and (title == wanted or len(wanted) > 8 and len(title) > 8 and (title.startswith(wanted) or wanted.startswith(title)))


def align(found: list[tuple[int, Heading]], gold: list[Heading]) -> list[tuple[int, int]]:
    """(gold index, found index) pairs: the largest set of matches that keeps both in document order."""
    n, m = len(gold), len(found)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for g in range(n - 1, -1, -1):
        for f in range(m - 1, -1, -1):
            best[g][f] = max(best[g + 1][f], best[g][f + 1], best[g + 1][f + 1] + 1 if matches(found[f][1], gold[g]) else 0)
    pairs, g, f = [], 0, 0
    while g < n and f < m:
        if matches(found[f][1], gold[g]) and best[g][f] == best[g + 1][f + 1] + 1:
            pairs.append((g, f))
            g, f = g + 1, f + 1
        elif best[g + 1][f] >= best[g][f + 1]:
            g += 1
        else:
            f += 1
    return pairs


def evaluate(data: Path, entry: dict) -> dict:
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loading import load_document

    path = data / entry["file"]
    document = load_document(path, name=path.name)
    gold = [Heading(norm_number(str(h.get("number", ""))), norm_title(str(h.get("title", "")))) for h in entry.get("headings") or []]
    found = detected_headings(document)
    pairs = align(found, gold)
    matched = {f for _, f in pairs}
    first = found[pairs[0][1]][0] if pairs else 0
    chunks = [c for c in chunk_document(document, 160, 24) if c.start >= first]
    preamble = sum(1 for c in chunks if not c.section_path)
    title = norm_title(str(entry.get("title", "")))
    return {
        "file": entry["file"], "split": entry.get("split", ""), "read_as": entry.get("read_as", ""),
        "gold": len(gold), "found": len(found), "tp": len(pairs),
        "chunks_after": len(chunks), "preamble_chunks": preamble,
        "title_ok": bool(title) and norm_title(document.title) == title, "title": document.title,
        "missed": [gold[g] for g in range(len(gold)) if g not in {g for g, _ in pairs}],
        "extra": [found[f][1] for f in range(len(found)) if f not in matched],
    }


def summarise(rows: list[dict]) -> str:
    tp, gold, found = sum(r["tp"] for r in rows), sum(r["gold"] for r in rows), sum(r["found"] for r in rows)
    chunks, pre = sum(r["chunks_after"] for r in rows), sum(r["preamble_chunks"] for r in rows)
    precision, recall = tp / max(1, found), tp / max(1, gold)
    titles = sum(r["title_ok"] for r in rows)
    return (f"{len(rows):2} contracts  precision {precision:.3f}  recall {recall:.3f}  preamble after first heading {pre / max(1, chunks):.1%}"
            f"  titles {titles}/{len(rows)}  (gold {gold}, found {found}, matched {tp})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the evaldata folder (../shared/evaldata)")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra headings (tuning half unless --split)")
    parser.add_argument("--split", choices=SPLITS, help="only this part")
    args = parser.parse_args(argv)
    entries = [yaml.safe_load(p.read_text(encoding="utf-8")) for folder in (GOLD, HELDOUT) for p in sorted(folder.glob("*.yaml"))]
    entries = [e for e in entries if (args.data / e["file"]).is_file()]
    if not entries:
        print(f"skipped: no gold contract found under {args.data}")
        return 0
    rows = [evaluate(args.data, e) for e in entries if not args.split or e.get("split") == args.split]
    for split in SPLITS:
        for read_as in ("pdf", "text"):
            part = [r for r in rows if r["split"] == split and r["read_as"] == read_as]
            if part:
                print(f"{split:5} {read_as:4}  " + summarise(part))
        part = [r for r in rows if r["split"] == split]
        if part:
            print(f"{split:5} all   " + summarise(part))
    print("all   all   " + summarise(rows))
    if args.verbose:
        for r in rows:
            if r["split"] != (args.split or "tune") or r["split"] == "heldout":
                continue
            print(f"\n{r['file']}  P {r['tp']}/{r['found']}  R {r['tp']}/{r['gold']}  preamble {r['preamble_chunks']}/{r['chunks_after']}  title {r['title']!r}{'' if r['title_ok'] else ' (wrong)'}")
            print("  missed: " + "; ".join(f"{h.number} {h.title}".strip() for h in r["missed"][:25]))
            print("  extra:  " + "; ".join(f"{h.number} {h.title}".strip() for h in r["extra"][:25]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
