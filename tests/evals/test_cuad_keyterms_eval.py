"""How the key-term eval (eval.cuad_keyterms) compares a liability cap with CUAD's Cap on Liability label."""

from assistant.audit.keyterms import KeyTerm
from assistant.core.spans import Span
from eval.cuad_keyterms import verdict

EXCLUSION = "In no event shall either party be liable for indirect or consequential damages, including but not limited to lost profits."
CAP = "Each party's aggregate liability shall not exceed the fees paid in the twelve months before the claim."
SOURCE = f"{EXCLUSION} {CAP}"


class Document:  # the eval reads only where a span is in the file's text
    def source_span(self, start, end):
        return start, end


def label(*sentences: str) -> dict:
    spans = [{"start": SOURCE.index(s), "end": SOURCE.index(s) + len(s)} for s in sentences]
    return {"present": True, "answer": "Yes", "spans": spans}


def cap_term(sentence: str, value: str = "the fees paid in the twelve months before the claim") -> KeyTerm:
    start = SOURCE.index(sentence)
    return KeyTerm("liability_cap", "Liability cap", value, Span("doc", "c.txt", start, start + len(sentence), sentence, 1, 1, ""))


def test_a_label_that_only_excludes_kinds_of_damages_has_no_amount_to_compare():
    assert verdict("cap", label(EXCLUSION), KeyTerm("liability_cap", "Liability cap", ""), Document(), SOURCE) is None
    assert verdict("span", label(EXCLUSION), KeyTerm("liability_cap", "Liability cap", ""), Document(), SOURCE) is False  # as CUAD counts


def test_a_labelled_cap_is_matched_by_the_sentence_that_states_it():
    assert verdict("cap", label(EXCLUSION, CAP), cap_term(CAP), Document(), SOURCE) is True
    assert verdict("cap", label(EXCLUSION, CAP), KeyTerm("liability_cap", "Liability cap", ""), Document(), SOURCE) is False
    assert verdict("cap", None, cap_term(CAP), Document(), SOURCE) is False  # a cap stated where CUAD labels none


def test_an_exclusion_read_as_no_amount_counts_for_any_label_but_not_as_an_amount():
    no_amount = cap_term(EXCLUSION, "no amount (excludes indirect, consequential damages)")
    assert verdict("span", label(EXCLUSION, CAP), no_amount, Document(), SOURCE) is True  # CUAD's Cap on Liability
    assert verdict("cap", label(EXCLUSION, CAP), no_amount, Document(), SOURCE) is False  # the span limits an amount
