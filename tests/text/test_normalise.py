"""The one normaliser: same-length typography, collapsed whitespace, and the way back to exact offsets."""

from assistant.text.normalise import (
    collapse_whitespace,
    collapsed_with_offsets,
    locate,
    plain,
)


def test_plain_keeps_length_so_offsets_survive():
    text = "Customer\u2019s \u201cnotice\u201d \u2013 six\u00a0months"
    assert plain(text) == "Customer's \"notice\" - six months" and len(plain(text)) == len(text)


def test_collapse_and_map_back():
    text = "ninety\n (90)  days\u2019\u00a0notice"
    assert collapse_whitespace(text) == "ninety (90) days' notice"
    collapsed, where = collapsed_with_offsets(text)
    assert collapsed == "ninety (90) days' notice" and text[where[collapsed.index("(90)")]] == "("


def test_locate_finds_a_quote_written_on_one_line_in_wrapped_text():
    text = "by giving the\nSupplier not less than six (6) months\u2019 written notice."
    start, end = locate("the Supplier not less than six (6) months' written", text, start=100)
    assert text[start - 100 : end - 100] == "the\nSupplier not less than six (6) months\u2019 written"
    assert locate("seven (7) months", text) is None
