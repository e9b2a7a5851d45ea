"""Hidden text: what a reader of the file cannot see, marked by the format readers and turned into flags here.

A reader that finds text a person would not see (``display:none`` in HTML, a vanished or white run in Word, white,
tiny, off-page or clipped text in a PDF: see ``hidden_pdf``) wraps it with ``hide(text, detail)``: two Unicode
noncharacters around it and a third naming why. ``take_marks`` then removes the marks from the reader's text,
moves the page starts and heading hints to match, and returns the hidden ranges as ``TextFlag``s. Readers keep
returning plain ``(text, page_starts, headings)``; the marks are the only hook they need.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from ..core.documents import HeadingHint
from ..core.flags import TextFlag

START, END = "\ufdd0", "\ufdd1"  # noncharacters: never part of real text, kept by whitespace normalisation
DETAILS = (
    "white text", "tiny text", "text outside the page", "clipped text", "invisible text", "transparent text",
    "display:none", "visibility:hidden", "zero-size text", "hidden attribute", "hidden run", "white run", "tiny run",
)
_CODE = {detail: chr(0xFDD2 + i) for i, detail in enumerate(DETAILS)}
_DETAIL = {code: detail for detail, code in _CODE.items()}
MARKS = re.compile("[\ufdd0-\ufdef]")


def hide(text: str, detail: str) -> str:
    """``text`` marked as hidden for ``detail`` (one of ``DETAILS``); empty text stays empty."""
    if not text:
        return text
    return START + _CODE[detail] + MARKS.sub("", text) + END


def strip_marks(text: str) -> str:
    """Text with any marks (or stray noncharacters from the file itself) removed."""
    return MARKS.sub("", text)


def take_marks(text: str, page_starts: Iterable[int], headings: Iterable[HeadingHint]) -> tuple[str, list[int], list[HeadingHint], list[TextFlag]]:
    """Remove the marks: (text, page starts, heading hints, hidden ranges), every offset into the clean text.
    Hidden ranges separated only by whitespace are joined (a hidden block of several lines is one flag)."""
    if not MARKS.search(text):
        return text, list(page_starts), list(headings), []
    removed: list[int] = []  # offsets (in the marked text) of every mark character
    parts: list[str] = []
    ranges: list[tuple[int, int, str]] = []
    open_at: int | None = None
    detail = ""
    depth = 0
    clean = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == START and i + 1 < len(text) and text[i + 1] in _DETAIL:
            removed += [i, i + 1]
            if depth == 0:
                open_at, detail = clean, _DETAIL[text[i + 1]]
            depth += 1
            i += 2
            continue
        if MARKS.match(ch):
            removed.append(i)
            if ch == END and depth:
                depth -= 1
                if depth == 0 and open_at is not None and clean > open_at:
                    ranges.append((open_at, clean, detail))
            i += 1
            continue
        parts.append(ch)
        clean += 1
        i += 1
    cleaned = "".join(parts)

    def moved(offset: int) -> int:
        return offset - bisect.bisect_left(removed, offset)

    flags = _joined(cleaned, ranges)
    starts = [moved(p) for p in page_starts]
    hints = [HeadingHint(moved(h.start), moved(h.end), h.level) for h in headings if moved(h.end) > moved(h.start)]
    return cleaned, starts, hints, flags


def _joined(text: str, ranges: list[tuple[int, int, str]]) -> list[TextFlag]:
    flags: list[TextFlag] = []
    for start, end, detail in ranges:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if flags and flags[-1].detail == detail and not text[flags[-1].end : start].strip():
            flags[-1] = TextFlag(flags[-1].start, end, "hidden", detail)
        else:
            flags.append(TextFlag(start, end, "hidden", detail))
    return flags


# ------------------------------------------------------------------------------------------- HTML

HIDING_STYLE = (
    (re.compile(r"display\s*:\s*none", re.I), "display:none"),
    (re.compile(r"visibility\s*:\s*(?:hidden|collapse)", re.I), "visibility:hidden"),
    (re.compile(r"(?<![-\w])font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)", re.I), "zero-size text"),
    (re.compile(r"(?<![-\w])opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)", re.I), "transparent text"),
    (re.compile(r"(?<![-\w])color\s*:\s*(?:transparent|#fff(?:fff)?\b|white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:\)|,\s*(?:1|0?\.\d+)\)))", re.I), "white text"),
    (re.compile(r"(?:^|;)\s*(?:height|max-height|width|max-width)\s*:\s*0(?:px)?\s*;(?=.*overflow\s*:\s*hidden)", re.I), "zero-size text"),
    (re.compile(r"(?:left|top|text-indent|margin-left)\s*:\s*-\d{4,}", re.I), "text outside the page"),
    (re.compile(r"clip(?:-path)?\s*:\s*(?:rect\(\s*0[^)]*\)|inset\(\s*(?:50|100)%)", re.I), "clipped text"),
)
CSS_RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")


def html_hiding(style: str) -> str | None:
    """Why an inline style or CSS declaration block hides its element (``None`` when it does not)."""
    for pattern, detail in HIDING_STYLE:
        if pattern.search(style):
            return detail
    return None


def mark_hidden_html(soup) -> None:
    """Wrap the text of every element a browser would not show (inline styles, ``hidden``, simple ``<style>`` rules)."""
    hidden: list[tuple[object, str]] = []
    for element in soup.find_all(True):
        if element.has_attr("hidden"):
            hidden.append((element, "hidden attribute"))
        elif element.has_attr("style") and (why := html_hiding(str(element["style"]))):
            hidden.append((element, why))
    for style in soup.find_all("style"):
        for selectors, body in CSS_RULE.findall(style.get_text()):
            why = html_hiding(body)
            if not why:
                continue
            for selector in (s.strip() for s in selectors.split(",")):
                try:
                    hidden += [(element, why) for element in soup.select(selector)]
                except Exception:  # a selector soupsieve does not support: that rule is not applied
                    continue
    for element, why in hidden:
        for string in list(element.find_all(string=True)):
            if type(string).__name__ in ("NavigableString", "CData") and string.strip() and START not in string:
                string.replace_with(hide(str(string), why))


# ------------------------------------------------------------------------------------------- DOCX

WHITE = {"FFFFFF", "FEFEFE", "FDFDFD", "FCFCFC", "FAFAFA", "F8F8F8", "F5F5F5", "F0F0F0"}
TINY_HALF_POINTS = 3  # w:sz is in half-points: under 1.5 pt nobody reads it


def docx_run_hiding(run_element) -> str | None:
    """Why Word would not show a run (``w:vanish``, white font without shading or highlight, a tiny size)."""
    properties = run_element.rPr
    if properties is None:
        return None
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for tag in ("vanish", "specVanish", "webHidden"):
        node = properties.find(ns + tag)
        if node is not None and node.get(ns + "val", "true").lower() not in ("0", "false", "off"):
            return "hidden run"
    color = properties.find(ns + "color")
    shaded = properties.find(ns + "shd") is not None or properties.find(ns + "highlight") is not None
    if color is not None and (color.get(ns + "val") or "").upper() in WHITE and not shaded:
        return "white run"
    size = properties.find(ns + "sz")
    if size is not None and (size.get(ns + "val") or "").isdigit() and int(size.get(ns + "val")) < TINY_HALF_POINTS:
        return "tiny run"
    return None


def docx_paragraph_text(paragraph) -> str:
    """A paragraph's text as ``paragraph.text`` reads it, with the runs Word would not show marked as hidden."""
    element = paragraph._p
    runs = element.xpath("./w:r | ./w:hyperlink/w:r")  # what CT_P.text reads
    if not any(docx_run_hiding(r) for r in runs):
        return strip_marks(paragraph.text)
    pieces = []
    for child in element.xpath("./w:r | ./w:hyperlink"):
        for run in ([child] if child.tag.endswith("}r") else child.xpath("./w:r")):
            why = docx_run_hiding(run)
            pieces.append(hide(run.text, why) if why else strip_marks(run.text))
    return "".join(pieces)
