"""The one sentence splitter and its readings: offsets always index the text given."""

from assistant.text.sentences import (
    join_wrapped_lines,
    sentence_spans,
    sentence_units,
    split_statements,
    unit_at,
)

WRAPPED = (
    "12.3 Termination for convenience\n(a) The Customer may terminate this Agreement for convenience at any time by giving the\n"
    "Supplier not less than six (6) months' written notice.\n(b) No other compensation is payable."
)


def _texts(text, spans):
    return [text[a:b] for a, b in spans]


def test_spans_cut_at_sentence_ends_lines_and_list_items_but_not_abbreviations():
    text = "The fee is payable by Acme Inc. on demand. See Sec. 4 and No. 7; Either party may terminate.\n(a) first item"
    assert _texts(text, sentence_spans(text)) == [
        "The fee is payable by Acme Inc. on demand.", "See Sec. 4 and No. 7;", "Either party may terminate.", "(a) first item"]


def test_units_join_pdf_wrapped_lines_and_drop_page_numbers():
    text = WRAPPED.replace("\n(b)", "\n\nPage 4 of 40\n\n(b)")
    units = _texts(text, sentence_units(text))
    assert units[0] == "12.3 Termination for convenience"
    assert units[1].startswith("(a) The Customer") and units[1].endswith("written notice.") and "by giving the\nSupplier" in units[1]
    assert units[-1] == "(b) No other compensation is payable." and not any("Page 4" in u for u in units)


def test_units_join_a_number_written_across_a_line_break():
    text = "The initial term is twelve\n(12) months from the Effective Date."
    assert _texts(text, sentence_units(text)) == [text]


def test_focus_units_join_a_bare_clause_number_and_open_ended_lines():
    text = "12.\nGOVERNING LAW\n\nThis Agreement is governed by the laws\nof England."
    joined = _texts(text, join_wrapped_lines(text, sentence_spans(text)))
    assert joined == ["12.\nGOVERNING LAW", "This Agreement is governed by the laws\nof England."]


def test_unit_at_finds_the_sentence_holding_an_offset():
    units = sentence_units(WRAPPED)
    at = WRAPPED.index("six (6)")
    start, end = unit_at(units, at)
    assert WRAPPED[start:end].startswith("(a) The Customer") and unit_at(units, len(WRAPPED) + 5) is None


def test_model_drafts_split_into_statements_without_cutting_quotes_or_markers():
    draft = "The cap is \u201c150%. Of the Charges\u201d [1]. Notice is six months [2][3].\n- A list item [3]"
    assert split_statements(draft) == ['The cap is "150%. Of the Charges" [1].', "Notice is six months [2][3].", "- A list item [3]"]


CAPS_CLAUSE = (
    "10. LIMITATION OF LIABILITY\n"
    "IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, INCIDENTAL, SPECIAL OR\n"
    "OTHER SIMILAR DAMAGES ARISING OUT OF THIS AGREEMENT, EVEN IF ADVISED OF THE\n"
    "POSSIBILITY OF SUCH DAMAGES.\n"
    "11. GOVERNING LAW\n"
    "This Agreement is governed by the laws of England."
)


def test_a_wrapped_sentence_in_capitals_is_one_sentence_verbatim_in_a_loaded_pdf(tmp_path):
    from assistant.ingest.loading import load_document

    from ..documents import make_pdf

    document = load_document(make_pdf(tmp_path / "caps.pdf", [CAPS_CLAUSE]), name="caps.pdf")
    text = document.text
    units = sentence_units(text)
    sentence = next((a, b) for a, b in units if text[a:b].startswith("IN NO EVENT"))
    words = " ".join(text[sentence[0] : sentence[1]].split())
    assert words == ("IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, INCIDENTAL, SPECIAL OR OTHER SIMILAR DAMAGES "
                     "ARISING OUT OF THIS AGREEMENT, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGES.")
    assert text[sentence[0] : sentence[1]] == text[text.index("IN NO EVENT") : text.index("DAMAGES.") + len("DAMAGES.")]
    # the headings in capitals stay units of their own
    assert "LIMITATION OF LIABILITY" in _texts(text, units) and "GOVERNING LAW" in _texts(text, units)


def test_a_heading_in_capitals_before_a_sentence_in_capitals_stays_apart():
    text = "ENTIRE AGREEMENT\nTHIS AGREEMENT IS THE WHOLE AGREEMENT OF THE PARTIES AND SUPERSEDES ALL PRIOR\nAGREEMENTS."
    assert _texts(text, sentence_units(text)) == [
        "ENTIRE AGREEMENT", "THIS AGREEMENT IS THE WHOLE AGREEMENT OF THE PARTIES AND SUPERSEDES ALL PRIOR\nAGREEMENTS."]


def test_a_sentence_opening_with_a_name_written_with_a_small_first_letter():
    """"... SUCH DAMAGES. eGain's entire liability ..." is two sentences (a filing's cap sentence was lost inside the
    exclusion before it); "e.g. eBay" is still one."""
    text = "IN NO EVENT SHALL eGAIN BE LIABLE FOR SUCH DAMAGES. eGain's entire liability shall not exceed the fees. See e.g. eBay."
    assert _texts(text, sentence_spans(text)) == [
        "IN NO EVENT SHALL eGAIN BE LIABLE FOR SUCH DAMAGES.", "eGain's entire liability shall not exceed the fees.", "See e.g. eBay."]
