"""Retrieval regression eval over the project's own corpus.

    python -m eval.retrieval [--k 3]

Questions come from eval/corpus_facts/*.yaml (each with the expected document, section and an
exact quote). A question is a hit at rank r when the r-th passage is from the expected document
and contains the quote (whitespace and table separators normalised, since PDF and DOCX text wraps).
The focus (the best-answering sentences) is a hit when it is from the expected document and holds
the quote or lies inside it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "eval" / "corpus_facts"


@dataclass(frozen=True)
class Fact:
    document: str
    section: str
    question: str
    answer: str
    quote: str


def load_facts(folder: Path = FACTS) -> list[Fact]:
    facts = []
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            facts.append(Fact(item["document"], str(item.get("section", "")), item["question"], str(item["answer"]), item["quote"]))
    return facts


def normalise(text: str) -> str:
    return " ".join(re.sub(r"\s*\|\s*", " ", text).split()).lower()


def quote_in(quote: str, text: str) -> bool:
    """The quote is in the text, or (for a quote cut across a chunk boundary) its first 60 characters are."""
    q, t = normalise(quote), normalise(text)
    return q in t or (len(q) > 80 and q[:60] in t)


def rank_of(fact: Fact, passages) -> int | None:
    """1-based rank of the first passage from the expected document holding the quote."""
    name = Path(fact.document).name
    for rank, passage in enumerate(passages, 1):
        if Path(passage.chunk.file_name).name == name and quote_in(fact.quote, passage.chunk.text):
            return rank
    return None


def focus_hit(fact: Fact, focus) -> bool:
    if focus is None or Path(focus.span.file_name).name != Path(fact.document).name:
        return False
    return quote_in(fact.quote, focus.span.text) or normalise(focus.span.text) in normalise(fact.quote)


def evaluate(workspace, facts: list[Fact], k: int = 5) -> dict:
    results = [workspace.retrieve(f.question, k=k) for f in facts]
    ranks = [rank_of(f, r.passages) for f, r in zip(facts, results)]
    hits = {n: sum(1 for r in ranks if r is not None and r <= n) / len(facts) for n in (1, 3, k)}
    mrr = sum(1 / r for r in ranks if r) / len(facts)
    focus = sum(focus_hit(f, r.focus) for f, r in zip(facts, results)) / len(facts)
    return {"questions": len(facts), "hit": hits, "mrr": mrr, "focus_hit": focus,
            "misses": [f for f, r in zip(facts, ranks) if r is None]}


def main(argv: list[str] | None = None) -> int:
    from assistant import Settings, Workspace

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp), workspace="eval"))
        ws.ingest([REPO / "corpus"])
        result = evaluate(ws, load_facts(), args.k)
    print(f"{result['questions']} questions: hit@1 {result['hit'][1]:.1%}, hit@3 {result['hit'][3]:.1%}, hit@{args.k} {result['hit'][args.k]:.1%}, MRR {result['mrr']:.3f}, "
          f"focus hit {result['focus_hit']:.1%}")
    for fact in result["misses"]:
        print(f"  miss: {fact.question} -> {fact.document} {fact.section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
