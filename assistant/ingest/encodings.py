"""Text encodings: which one a text or HTML file uses, how sure we are, and a warning when it is a guess.

In order: a byte-order mark (UTF-32 before UTF-16, whose mark is a prefix of UTF-32's), UTF-16/32 without a mark
(told by where the zero bytes fall), strict UTF-8, the charset an HTML file declares, then the single-byte code pages.
Contracts here are Western European, and a short accented text decodes "plausibly" in many code pages
(``Naïve`` is ``Naďve`` in cp1250 and ``Naļve`` in cp1257, which charset-normalizer may rank first), so Windows-1252
(which is ISO-8859-1 for every byte but 0x80-0x9F) is taken when it decodes to plausible text; otherwise
charset-normalizer's best match is taken and marked uncertain. An uncertain guess is recorded on the document and
reported as a warning rather than transcoded silently.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..core.errors import CorruptDocumentError, UnsupportedFileError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WESTERN_ACCENT_SHARE = 0.3  # in Western European text most letters are plain ASCII
UNCERTAIN = 0.8  # below this confidence a decoding is reported as a guess
SAMPLE = 65536
WESTERN_PUNCTUATION = set("\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u20ac\u00a3\u00a7\u00b0\u00a9\u00ae\u2122\u00ab\u00bb"
                          "\u00b7\u00a0\u2020\u2021\u00b4\u00a8\u00ba\u00aa\u00bd\u00bc\u00be\u00b1\u00d7\u00f7\u00b5\u00a2\u00a5")
DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """A file's text, the codec it was decoded with, and how sure that is (1.0: a byte-order mark or strict UTF-8)."""

    text: str
    encoding: str
    confidence: float

    @property
    def uncertain(self) -> bool:
        return self.confidence < UNCERTAIN

    def warning(self) -> str:
        """What to tell the reviewer about a guessed encoding ("" when it is not a guess)."""
        if not self.uncertain:
            return ""
        return (f"text encoding guessed as {self.encoding} ({self.confidence:.0%} confidence): check accented letters and "
                "symbols, or save the file as UTF-8 and add it again")


def decode(data: bytes, name: str) -> Decoded:
    """Decode a text or HTML file, or a typed error naming it (binary data, or a mark that lies)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), codec, 1.0)
            except UnicodeDecodeError as error:
                raise CorruptDocumentError(name, f"starts with a {codec} byte-order mark but is not valid {codec} ({error.reason} at byte {error.start})") from None
    wide = _wide_codec(data)
    if wide:
        try:
            return Decoded(data.decode(wide), wide, 0.9)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise UnsupportedFileError(name, "file looks binary (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8" if max(data, default=0) > 127 else "ascii", 1.0)
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared:
        try:
            return Decoded(data.decode(declared), declared, 0.9)
        except (UnicodeDecodeError, LookupError):
            pass
    western = _western(data)
    if western is not None:
        return western
    return _best_guess(data, name)


def _wide_codec(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by where the zero bytes of mostly-ASCII text fall."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    usable = len(sample) - len(sample) % 4
    zeros = [sum(1 for i in range(k, usable, 4) if sample[i] == 0) / (usable // 4) for k in range(4)]
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.3:
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] < 0.3:
        return "utf-32-be"
    odd, even = (zeros[1] + zeros[3]) / 2, (zeros[0] + zeros[2]) / 2
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def _declared(data: bytes) -> str | None:
    """The charset an HTML file declares in a <meta> tag, as a Python codec name."""
    match = DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _western(data: bytes) -> Decoded | None:
    """Windows-1252 (ISO-8859-1 when no byte is in 0x80-0x9F) when it decodes to plausible Western text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:SAMPLE]
    odd = [i for i, ch in enumerate(sample) if ord(ch) > 127]
    if not odd:
        return None
    good = 0
    for i in odd:
        ch = sample[i]
        if ch in WESTERN_PUNCTUATION:
            good += 1
        elif unicodedata.category(ch).startswith("L") and ("\u00c0" <= ch <= "\u00ff" or _in_word(sample, i)):
            good += 1  # an accented Latin-1 letter (French "à" is a word of its own); Œ, Š, Ž only inside words
    share = good / len(odd)
    letters = sum(1 for ch in sample if ch.isalpha())
    if share < 0.7 or len(odd) > WESTERN_ACCENT_SHARE * max(1, letters):  # Cyrillic or Greek read as accented Latin
        return None
    codec = "cp1252" if any(0x80 <= b <= 0x9F for b in data) else "latin-1"
    return Decoded(text, codec, 0.95 if share >= 0.95 else 0.7)


def _in_word(text: str, i: int) -> bool:
    """Whether the character at ``i`` sits next to a letter (accents live inside words, not between symbols)."""
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())


def _best_guess(data: bytes, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: SAMPLE * 4]).best()
    if best is None:
        raise CorruptDocumentError(name, "text encoding could not be detected (not UTF-8, UTF-16/32 or a known code page)")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    confidence = round(max(0.0, min(UNCERTAIN - 0.05, 1.0 - best.chaos - (0.2 if best.coherence < 0.2 else 0.0))), 2)
    return Decoded(text, best.encoding, confidence)
