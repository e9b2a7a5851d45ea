"""Headings and inline labels (assistant.text.headings): what names a clause rather than stating it."""

import pytest

from assistant.text.headings import is_heading, is_label


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Section 14.2 Cap.", True),
        ("5.2 Termination for Convenience.", True),
        ("Liability Cap.", True),  # the number left in the heading path
        ("Limitation on Liability.", True),
        ("Term and Termination.", True),
        ("Customer agrees.", False),  # a statement: a lower-case verb
        ("Payment is due.", False),
        ("Each Party Shall Comply With All Laws Of Every Nation.", False),  # too long for a label
        ("Survival.", False),  # one word: a heading, skipped as before
    ],
)
def test_inline_labels(sentence, label):
    assert is_label(sentence) is label


def test_a_one_word_heading_is_a_heading_not_a_label():
    assert is_heading("Survival.") and not is_label("Survival.")
