"""Hidden text: what a reader of the file cannot see, marked by the format readers and cut out here.

A reader that finds text a person would not see (``display:none`` in HTML, a vanished or white run in Word, white,
tiny, off-page or clipped text in a PDF: see ``hidden_pdf``) wraps it with ``hide(text, detail)``: two Unicode
noncharacters around it and a third naming why. ``take_marks`` then cuts the marked text out of the reader's text,
moves the page starts and heading hints to match, and returns one zero-width ``TextFlag`` per cut, holding the
hidden text. Readers keep
returning plain ``(text, page_starts, headings)``; the marks are the only hook they need.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
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


def detail_of(text: str) -> str:
    """Why ``text`` (one piece marked by ``hide``) is hidden; "" for an unmarked piece."""
    if len(text) >= 2 and text[0] == START and text[1] in _DETAIL:
        return _DETAIL[text[1]]
    return ""


def strip_marks(text: str) -> str:
    """Text with any marks (or stray noncharacters from the file itself) removed."""
    return MARKS.sub("", text)


def take_marks(text: str, page_starts: Iterable[int], headings: Iterable[HeadingHint]) -> tuple[str, list[int], list[HeadingHint], list[TextFlag]]:
    """Take the hidden text out: (text, page starts, heading hints, hidden flags), every offset into the text left.

    Hidden text is cut from the document text, so the text is what a reader of the file sees and chunks, sections
    and sentences are exactly those of the same file without it; each cut becomes a zero-width flag at the place
    where the hidden text was, holding that text. The whitespace on one side of a cut goes with it (a hidden line
    between two paragraphs leaves one paragraph break, not two). Stray marks are dropped."""
    if not MARKS.search(text):
        return text, list(page_starts), list(headings), []
    remove = [bool(MARKS.match(ch)) for ch in text]
    regions: list[tuple[int, int, str]] = []  # [start, end] of each outermost marked region, with its detail
    depth, open_at, detail = 0, -1, ""
    for i, ch in enumerate(text):
        if ch == START and i + 1 < len(text) and text[i + 1] in _DETAIL:
            if depth == 0:
                open_at, detail = i, _DETAIL[text[i + 1]]
            depth += 1
        elif ch == END and depth:
            depth -= 1
            if depth == 0:
                regions.append((open_at, i, detail))
    contents: list[tuple[int, str, str]] = []  # (index in the marked text where the region was, content, detail)
    for start, end, why in regions:
        content = MARKS.sub("", text[start : end + 1])
        for i in range(start, end + 1):
            remove[i] = True
        before, after = start - 1, end + 1
        while before >= 0 and remove[before] and MARKS.match(text[before]):
            before -= 1
        if before >= 0 and text[before].isspace() and (after >= len(text) or text[after].isspace()):
            while before >= 0 and text[before].isspace() and not remove[before]:
                remove[before] = True
                before -= 1
        elif before < 0:
            while after < len(text) and text[after].isspace():
                remove[after] = True
                after += 1
        if content.strip():
            contents.append((start, " ".join(content.split()), why))
    removed = [i for i, gone in enumerate(remove) if gone]
    cleaned = "".join(ch for ch, gone in zip(text, remove) if not gone)

    def moved(offset: int) -> int:
        return offset - bisect.bisect_left(removed, offset)

    flags: list[TextFlag] = []
    for at, content, why in contents:
        where = moved(at)
        if flags and flags[-1].start == where and flags[-1].detail == why:
            flags[-1] = TextFlag(where, where, "hidden", why, flags[-1].content + "\n" + content)
        else:
            flags.append(TextFlag(where, where, "hidden", why, content))
    starts = [moved(p) for p in page_starts]
    hints = [replace(h, start=moved(h.start), end=moved(h.end)) for h in headings if moved(h.end) > moved(h.start)]
    return cleaned, starts, hints, flags


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
