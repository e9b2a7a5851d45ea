"""Encodings: byte-order marks, UTF-16/32 without one, UTF-8, Windows-1252 and Latin-1 decoded right; a guess says so."""

from __future__ import annotations

import pytest

from assistant.core.errors import CorruptDocumentError, UnsupportedFileError
from assistant.ingest.encodings import decode

TEXT = "The Naïve Supplier’s fees – €1,000 “net” per month; café déjà vu.\nSecond line."


@pytest.mark.parametrize(("codec", "named"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16-le"), ("utf-32", "utf-32-le"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be"), ("cp1252", "cp1252"),
])
def test_each_encoding_is_decoded_exactly_and_confidently(codec, named):
    decoded = decode(TEXT.encode(codec), "x.txt")
    assert decoded.text == TEXT and decoded.encoding == named and not decoded.uncertain and decoded.warning() == ""


def test_latin1_without_windows_bytes_is_latin1():
    text = "Naïve café déjà vu, Größe, Ölfarbe."
    decoded = decode(text.encode("latin-1"), "x.txt")
    assert decoded.text == text and decoded.encoding == "latin-1"


def test_a_non_western_code_page_is_decoded_but_marked_as_a_guess():
    text = "Поставщик обязан оказать услуги в соответствии с договором. " * 3
    decoded = decode(text.encode("cp1251"), "x.txt")
    assert decoded.text == text and decoded.uncertain and "guessed as cp1251" in decoded.warning()


def test_binary_and_lying_marks_are_typed_errors():
    with pytest.raises(UnsupportedFileError, match="binary"):
        decode(b"\x89PNG\x00\x00\x00\rIHDR" * 50, "x.txt")
    with pytest.raises(CorruptDocumentError, match="byte-order mark"):
        decode(b"\xff\xfe" + b"\x00\xd8" * 4 + b"a", "x.txt")


def test_an_uncertain_guess_is_a_warning_on_the_ingested_file(workspace, tmp_path):
    path = tmp_path / "russian.txt"
    path.write_bytes(("Поставщик обязан оказать услуги в соответствии с договором. " * 5).encode("cp1251"))
    (result,) = workspace.ingest([path]).files
    assert result.status == "added" and any("guessed as cp1251" in w for w in result.warnings)
    document = workspace.document("russian.txt")
    assert document.encoding == "cp1251" and "Поставщик" in document.text and document.warnings == result.warnings
