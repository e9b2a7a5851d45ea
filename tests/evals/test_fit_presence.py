"""eval/fit_presence.py: which candidates it learns from, and the figures it reports, on rows written here."""

from __future__ import annotations

from assistant.audit.presence import RULE_ONLY, PresenceModel
from eval.fit_presence import evaluate, examples


def candidate(contract: str, clause: str, category: str, present: bool, rule: bool, signals: int, element: bool = False,
              element_met: bool = True, hit: bool = True) -> dict:
    return {"contract": contract, "part": "tune", "clause": clause, "category": category, "element": element, "present": present,
            "features": {"rule": rule, "heading": False, "signals": signals, "similarity": 0.5, "met_share": 0.5, "core": True},
            "element_met": element_met, "confidence": 0.7, "hit": hit}


def gold(contract: str, **categories: bool) -> dict:
    return {"contract": contract, "part": "tune", "clause": None, "categories": {c.replace("_", " "): v for c, v in categories.items()}}


ROWS = [
    candidate("a.txt", "audit_rights", "Audit Rights", True, rule=True, signals=2),
    candidate("b.txt", "audit_rights", "Audit Rights", False, rule=True, signals=1, hit=False),
    candidate("c.txt", "audit_rights", "Audit Rights", True, rule=False, signals=1),
    candidate("a.txt", "term_and_renewal", "Renewal Term", False, rule=True, signals=2, element=True, element_met=False),
    candidate("b.txt", "term_and_renewal", "Renewal Term", True, rule=True, signals=2, element=True, element_met=True, hit=False),
    gold("a.txt", Audit_Rights=True, Renewal_Term=False),
    gold("b.txt", Audit_Rights=False, Renewal_Term=True),
    gold("c.txt", Audit_Rights=True, Renewal_Term=False),
    gold("d.txt", Audit_Rights=False, Renewal_Term=True),  # no candidate at all: a miss whatever is decided
]


def test_an_element_mapped_clause_learns_only_where_its_element_is_met():
    learned = examples(ROWS, {"a.txt", "b.txt", "c.txt", "d.txt"})
    assert [(c, label) for c, _, label in learned] == [("audit_rights", True), ("audit_rights", False), ("audit_rights", True),
                                                      ("term_and_renewal", True)]
    assert examples(ROWS, {"c.txt"})[0][0] == "audit_rights" and len(examples(ROWS, {"c.txt"})) == 1


def test_the_figures_are_counted_as_the_cuad_benchmark_counts_them():
    everything = {"a.txt", "b.txt", "c.txt", "d.txt"}
    macro, hit, per = evaluate(RULE_ONLY, ROWS, everything)
    # Audit Rights: tp a, fp b, fn c -> F1 0.5; Renewal Term: tp b (element met), fn d -> F1 2/3
    assert per == {"Audit Rights": 0.5, "Renewal Term": 2 / 3}
    assert macro == (0.5 + 2 / 3) / 2 and hit == 0.5  # a's evidence hits, b's renewal evidence does not
    by_signals = PresenceModel({"signals": 3.0}, {"audit_rights": -1.5})  # present with two or more phrasings
    assert evaluate(by_signals, ROWS, everything)[2]["Audit Rights"] == 2 / 3  # tp a, fn c, b now rejected
