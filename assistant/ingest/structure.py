"""Find a contract's own structure: schedules, articles, numbered clauses, lettered paragraphs.

Works on text with line breaks (DOCX, Markdown, most PDFs) and on text where clauses run inline
("... 1. Services. 1.1 Provision of Services. (a) Provider agrees ..."), as many EDGAR exhibits do.
Numbered markers found inline are only accepted when they continue the numbering seen so far,
which keeps cross-references and amounts out of the outline.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from ..core.documents import Document, HeadingHint, Section
from ..text.values import MONTHS
from .toc import toc_regions

ANNEX_WORDS = "SCHEDULE|ANNEX|EXHIBIT|APPENDIX|ATTACHMENT|ADDENDUM"
SCHEDULE_LINE = re.compile(rf"(?:{ANNEX_WORDS})\s+(?:[A-Z]{{1,2}}|\d{{1,2}}(?:\.\d{{1,2}})?|[IVX]{{1,5}})\b(?![.,]\d)", re.IGNORECASE)
SCHEDULE_INLINE = re.compile(rf"\b(?:{ANNEX_WORDS})\s+(?:[A-Z]{{1,2}}|\d{{1,2}}|[IVX]{{1,5}})\b(?![.,]\d)")
SPELLED = ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN",
           "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN", "TWENTY")
SPELLED_NUMBER = rf"(?:{'|'.join(SPELLED)}|{'|'.join(w.title() for w in SPELLED)})"  # "SECTION FOUR. REMUNERATION", "Article Two"
ARTICLE = re.compile(rf"\bARTICLE\s+(?:[IVXLC]{{1,6}}|\d{{1,3}}|{SPELLED_NUMBER})\b|^Article\s+(?:[IVXLC]{{1,6}}|\d{{1,3}}|{SPELLED_NUMBER})\b", re.MULTILINE)
SECTION_BEFORE = re.compile(r"(?:SECTION|Section|CLAUSE|Clause)[ \t]+$")  # a number's own word in a run-in heading
PROSE_END = re.compile(r"\b[a-z]+[ \t]*$")  # "... of this Section 3.1": a sentence running on into a reference
RUN_IN_TEXT = re.compile(r"[ \t]*[\"\u201c(]?[A-Z]")  # the sentence a run-in title leads into
SECTION_WORD = re.compile(rf"^(?:SECTION|Section|CLAUSE|Clause)\s+(\d{{1,3}}(?:\.\d{{1,3}}){{0,3}}|[IVX]{{1,5}}|{SPELLED_NUMBER})\.?(?=\s)", re.MULTILINE)
NUMBERED = re.compile(r"(?<![\w.,/$%-])(\d{1,2}(?:\.[ ]?\d{1,2}){0,3})(\.?)(?:[ \t]+|(?<=\d)(?=[A-Z][a-z]|[A-Z]{3,}\b))(?=(?:\*[ \t]*)*[\"'(\[\u201c]?[A-Z]|[a-z])")
ROMAN_LINE = re.compile(r"^[ \t]*([IVX]{1,5})\.(?:[ \t]+(?=[A-Z])|[ \t]*$)", re.MULTILINE)  # "II. PAYMENT", or "II." over its title
ROMAN_INLINE = re.compile(r"(?<=[.:;][ \t])[ \t]*([IVX]{1,5})\.[ \t]+(?=[A-Z]{2})")  # flattened text: "... hereto. II. PAYMENT. ..."
REDACTION_LEAD = re.compile(r"[ \t]*\.?(?:[ \t]*(?:\*|\[\*+\]))+[ \t]*|[ \t]*[.:\u2013\u2014-][ \t]+(?=\S)")  # "ARTICLE I.  * * * VITAMIN SPONSOR", "ARTICLE 1: TERM"
DEFINES_TERM = re.compile(r"\((?:the|each|a|an|together|collectively)?[ \t]*[\"\u201c]")  # 'Each Party (the "Receiving Party") undertakes:': prose
CROSS_REFERENCE = re.compile(r"\s*\(\s*[\"\u201c]")
LETTERED_BARE = re.compile(r"(?<![\w.(])([a-z]|[ivx]{1,5})([.)])[ \t]+(?=[\"\u201c(]?[A-Z])")  # "a. Distributor Warranty.", "ii) Meetings"
ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")
LETTERED = re.compile(r"(?<![\w)])\(([a-z]{1,2}|[ivx]{1,5})\)[ \t]+(?=\S)")
NUMBER_LETTER = re.compile(r"^[ \t]*((\d{1,2})\.([A-Z]))\.?[ \t]+(?=[\"\u201c(]?[A-Z])", re.MULTILINE)  # "19.E.  EVENTS OF DEFAULT"
CAPITAL_ITEM = re.compile(r"(?<![\w.(])(\()?([A-Z])(?(1)\)|\.)[ \t]+(?=[\"\u201c]?[A-Z])")  # "(B) Security.", "E. ENTIRE AGREEMENT."
CAPS_LINE = re.compile(r"^[ \t]*([A-Z][A-Z0-9&,'/() -]{2,78}[A-Z)])[.:]?[ \t]*$", re.MULTILINE)
REFERENCE_WORDS = re.compile(r"(?:section|sections|clause|clauses|paragraph|paragraphs|article|articles|schedule|exhibit|annex|item|items|no|rule|and|or|to|of|than|under|in|per|at|by|with|within|from)\s*$", re.IGNORECASE)
REFERENCE_NOUN = re.compile(r"\b(?:section|sections|clause|clauses|paragraph|paragraphs|article|articles|schedule|schedules|exhibit|annex|appendix)\s*$",
                            re.IGNORECASE)  # a line ending "... Schedule" continues with its number
CAPS_BEFORE = re.compile(r"\b[A-Z]{2,}[,;&]?\s+[A-Z]{2,}\s+$")  # after an inline heading in capitals: "ARTICLE 2 PRODUCT SALES 2.1"
PARAGRAPH_BREAK_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")  # a blank line: after a signature block, a page or a table
SENTENCE_END_BEFORE = re.compile(r"(?:[.:;!?\"')\]]|^)\s*$")
TITLE_END = re.compile(r"[.:]\s|\n|\s(?=\d{1,2}\.\d{1,2}\.?\s)|\s(?=\([a-z]\)\s)")
PREAMBLE_CHARS = 300
ROMAN = re.compile(r"^[ivx]+$")
MAX_TITLE_WORDS = 10
HEADING_LINE = re.compile(r"^[ \t]*([A-Z][^\n.;!?]{1,70}?:?)[ \t]*$", re.MULTILINE)
RUN_IN = re.compile(r"^[ \t]*([A-Z][\w'\u2019&/-]*(?:(?:[ \t]+|[,;][ \t]+(?=[A-Z]|and\b|or\b))(?:[A-Z][\w'\u2019&/-]*|of|and|or|the|for|to|in|on|a|an|by|with|upon|under|&)){0,8})\.(?:[ \t]+(?=[A-Z\u201c\"(])|[ \t]*$)", re.MULTILINE)
# topics listed in a run-in title: "Binding Nature, Assignment, and Subcontracting.", "Defective Products; Warranty; Support."
ABBREVIATIONS = {"Inc", "Ltd", "Co", "Corp", "No", "Nos", "Mr", "Ms", "Mrs", "Dr", "St", "U.S", "L.L.C", "LLC", "N.A", "S.A", "Jr", "Sr"}
EXHIBIT_LABEL = re.compile(r"^\s*(?:EX-?\s*\d|Exhibit\s+[\dA-Z]+(?:[.(]\s*[\w.]+\)?)*\s*$|EXHIBIT\s+[\dA-Z]+(?:[.(]\s*[\w.]+\)?)*\s*$)", re.IGNORECASE)
LEGEND = re.compile(r"\b(?:CONFIDENTIAL\s+TREATMENT|OMITTED|REDACTED|\*\*\*|\[\*+\]|FILED\s+SEPARATELY|EXECUTION\s+(?:COPY|VERSION)|SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION|RULE\s+24B-2)", re.IGNORECASE)
OPENING_CHARS = 2500
AGREEMENT_WORDS = re.compile(r"\b(?:AGREEMENT|CONTRACT|TERMS\s+AND\s+CONDITIONS|ADDENDUM|AMENDMENT|LICEN[CS]E|LEASE|MEMORANDUM\s+OF\s+UNDERSTANDING|DEED|INDENTURE|STATEMENT\s+OF\s+WORK|ORDER\s+FORM|SCHEDULE)\b", re.IGNORECASE)
SHORT_TITLE_WORDS = 6
LISTED_CHARS = 40  # text a contents entry leaves before the next one (a page number, dot leaders)
LONG_TITLE_WORDS = 25
DOT_LEADERS = re.compile(r"\.{4,}|(?:\. ){3,}")
RECITAL_WORDS = re.compile(r"^(?:WHEREAS|WITNESSETH|NOW[.,]?\s*THEREFORE|RECITALS?\s+OF)\b", re.IGNORECASE)
FORM_LABEL = re.compile(r"^(?:By|Name|Title|Date|Dated|Attention|Attn|Address|Tel|Telephone|Fax|Facsimile|E-?mail|Phone|Signature|Witness)\b", re.IGNORECASE)
CONTACT_DETAIL = re.compile(r"[@/\\]|\d{3,}|https?:")  # an e-mail, path, phone number or web address: not a title
ADDRESS = re.compile(r"[^\n]{0,40}\b(?:Street|Road|Avenue|Drive|Boulevard|Blvd|Lane|Suite|Floor|Parkway|Plaza|Highway)\b")
FRONT_KINDS = ("caps", "run-in", "numbered", "section", "line", "styled")
STYLED_LINES = 3  # a heading set in bold wraps onto at most this many lines
SENTENCE_WORDS = {"shall", "will", "may", "must", "should", "can", "could", "would", "is", "are", "was", "were", "be", "been", "has", "have",
                  "had", "means", "mean", "agrees", "agree", "agreed", "provides", "includes", "does", "do", "hereby", "herein", "hereto",
                  "hereunder", "thereof", "which", "that", "if", "unless", "whether"}
PARAGRAPH_END = ".;:!?)\"\u201d]"
TABLE_GAP = re.compile(r"\S[ \t]{3,}\S")
CLAUSE_START = re.compile(r"^\(?(?:\d{1,2}(?:\.\d{1,2}){0,3}|[a-z]{1,2}|[ivx]{1,5})[.)]\)?[ \t]*[A-Z\u201c\"(]")
LEGAL_FORM = re.compile(r"\b(?:INC|LLC|L\.L\.C|LTD|LIMITED|CORPORATION|CORP|COMPANY|CO|LP|L\.P|LLP|PLC|GMBH|AG|SA|S\.A|NV|BV|N\.A)\.?,?\s*$")
LEGAL_FORM_AFTER = re.compile(r"(?:INC|LLC|L\.L\.C|LTD|LIMITED|CORP|CORPORATION|PLC|GMBH|LLP)\b\.?", re.IGNORECASE)  # "ACME. INC.": a name
MONTH_AFTER = re.compile(rf"{MONTHS}\b", re.IGNORECASE)  # "30 September 1999" starting a wrapped line is a date
RUNNING_LINES = 3
CAPS_PARAGRAPH_WORDS = 7  # a heading in capitals is shorter; two such lines in a row are running text
CAPS_OPEN_ENDED = {"of", "to", "in", "by", "for", "on", "at", "the", "a", "an", "and", "or", "nor", "than", "with", "from", "is", "are", "be",
                   "shall", "may", "will", "not", "any", "such", "that"}  # a line in capitals ending so runs on into the next
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per", "the", "to", "with", "under", "upon", "its", "their", "&"}


@dataclass(frozen=True)
class Marker:
    start: int
    level: int
    number: str
    title: str
    kind: str


def detect_sections(document: Document) -> list[Section]:
    """Sections in reading order, each spanning from its heading to the next heading."""
    text = document.text
    found = sorted(
        _hint_markers(text, document.headings)
        + _annex_markers(text)
        + _article_markers(text)
        + _numbered_markers(text)
        + _number_letter_markers(text)
        + _roman_markers(text)
        + _run_in_markers(text)
        + _line_markers(text)
        + _styled_markers(text, document.headings)
        + _caps_markers(text),
        key=lambda m: (m.start, m.level),
    )
    toc, front = toc_regions(text), front_matter(text)
    markers = _dedupe([m for m in found if not any(a <= m.start < b for a, b in toc)
                       and not (m.kind in FRONT_KINDS and any(a <= m.start < b for a, b in front))])
    markers = _lettered_markers(text, _absorb_title_lines(text, _without_listed_twice(markers)))
    return _to_sections(markers, len(text))


def _without_listed_twice(markers: list[Marker]) -> list[Marker]:
    """A numbered heading that comes back later with the same number, and has next to no text of its own the
    first time, was an entry of a contents list the layout hid from ``toc_regions``: the later one is the heading."""
    def key(m: Marker) -> tuple[str, str, str]:
        return m.kind, m.number.lower(), " ".join(re.findall(r"[a-z]+", m.title.lower())[:4])

    later: dict[tuple[str, str, str], int] = {}
    for i, m in enumerate(markers):
        if m.number:
            later[key(m)] = i
    kept = []
    for i, m in enumerate(markers):
        last = later.get(key(m)) if m.number else None
        following = markers[i + 1].start if i + 1 < len(markers) else m.start + 10_000
        if last is not None and last > i and following - m.start - len(m.title) < LISTED_CHARS:
            continue
        kept.append(m)
    return kept


def front_matter(text: str) -> list[tuple[int, int]]:
    """The lines before the body that are not parts of the contract: the filing's exhibit label ("EXHIBIT 10.6",
    "Exhibit 99.1"), confidentiality legends, and the contract's own title (``document_title``) before the first prose (a
    contents list is not prose: a title restated after it is skipped too). A heading the file
    format marks (a Word title, an HTML h1) and a schedule's own title ("SCHEDULE 2 SERVICE LEVELS") stay: they
    say what the document is part of."""
    skip, body, previous = [], False, (0, 0, "")
    toc = [(a, b) for a, b in toc_regions(text[: 4 * OPENING_CHARS]) if a < OPENING_CHARS]
    for line_start, line_end, line in _opening_lines(text, OPENING_CHARS + sum(b - a for a, b in toc)):
        if any(a <= line_start < b for a, b in toc):
            continue  # a contents list is not the body: the title restated after it is still the title
        if EXHIBIT_LABEL.match(line) or LEGEND.search(line) or not body and line.strip() and is_title_line(line):
            if not body and is_title_line(line) and _title_first_line(previous[2], line) and previous[:2] not in skip:
                skip.append(previous[:2])  # "PHOTO RETOUCHING" / "OUTSOURCING AGREEMENT": one title over two lines
            skip.append((line_start, line_end))
        if line.strip():
            previous = (line_start, line_end, line)
        if not (skip and skip[-1][0] == line_start or line.isupper()):  # a legend, in capitals or not, is not the body yet
            body = body or _is_prose(line.strip())  # once the recitals have begun, an "AGREEMENT" line is a heading
    return skip


def _previous_line(text: str, pos: int) -> str:
    """The line before the one ``pos`` is on (without its line break), "" after a blank line or at the start."""
    line_start = text.rfind("\n", 0, pos)
    if line_start <= 0:
        return ""
    return text[text.rfind("\n", 0, line_start) + 1 : line_start]


def _line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[text.rfind("\n", 0, pos) + 1 : pos].strip() == ""


def looks_like_title(words: list[str]) -> bool:
    """A heading's words rather than the start of a sentence: no verb of a sentence ("shall", "means", "is"), the
    first word capitalised, and either all capitals, most words capitalised (small words aside), or short
    ("Termination for convenience")."""
    if not words or words[-1].endswith(","):
        return False
    bare = [w.lower().strip("(),;:.'\"\u201c\u201d") for w in words]
    if any(w in SENTENCE_WORDS for w in bare):
        return False
    words = [w.strip("[]") or w for w in words]  # "[DELETED]", "[Reserved]": a placeholder for an omitted clause's title
    first = next((w for w in words if w[:1].isalpha()), "")
    if not first or not first[:1].isupper():
        return False
    if all(w.isupper() or not w[:1].isalpha() for w in words):
        return True
    content = [w for w, b in zip(words, bare) if b not in SMALL_WORDS]
    capitalised = sum(1 for w in content if w[:1].isupper() or not w[:1].isalpha())
    return len(words) <= SHORT_TITLE_WORDS or bool(content) and capitalised >= 0.75 * len(content)


def strict_title(words: list[str]) -> bool:
    """All capitals, or title case: most words capitalised, small words aside."""
    if not looks_like_title(words):
        return False
    if all(w.isupper() or not w[:1].isalpha() for w in words):
        return True
    content = [w for w in words if w.lower().strip("(),;:.'\"") not in SMALL_WORDS]
    return bool(content) and sum(1 for w in content if w[:1].isupper() or not w[:1].isalpha()) >= 0.75 * len(content)


def _after_a_break(text: str, pos: int) -> bool:
    """Whether the line at ``pos`` starts a paragraph: the line before is blank or ends a sentence or a heading line.
    A line that carries on a sentence wrapped from the line before is never a heading."""
    line_start = text.rfind("\n", 0, pos) + 1
    if line_start == 0:
        return True
    previous_end = line_start - 1
    previous_start = text.rfind("\n", 0, previous_end) + 1
    previous = text[previous_start:previous_end].strip()
    return not previous or previous[-1] in PARAGRAPH_END or len(previous.split()) <= 4 and looks_like_title(previous.split())


def _title_after(text: str, start: int, end: int, prose_words: int = 6) -> str:
    """A short heading after a clause number: 'Termination for convenience.' -> that; long prose -> its first words."""
    lead = REDACTION_LEAD.match(text, end)
    end = lead.end() if lead else end
    window = text[end : end + 200]
    stop = TITLE_END.search(window)
    candidate = window[: stop.start()] if stop else window
    words = candidate.split()
    rest_of_line = window[stop.start() + 1 :].split("\n", 1)[0].strip() if stop is not None else ""
    before_number = stop is not None and window[stop.start()].isspace() and window[stop.start()] != "\n"  # "PRODUCT SALES 2.1 ..."
    heading_then_text = stop is not None and (window[stop.start()] in ".:" and rest_of_line != "" or before_number)
    heading_line = stop is not None and (window[stop.start()] == "\n" or window[stop.start()] in ".:" and not rest_of_line) or stop is None and len(window) < 200
    limit = LONG_TITLE_WORDS if heading_line and strict_title(words) else MAX_TITLE_WORDS
    if before_number and not strict_title(words):
        heading_then_text = False  # "The provisions of this paragraph 11.8 shall ...": prose that mentions a number
    if (0 < len(words) <= limit and (heading_then_text or (heading_line and not candidate.rstrip().endswith(".")))
            and looks_like_title(words) and not DOT_LEADERS.search(candidate) and "*" not in candidate):
        return " ".join(words).strip(" .:-")
    if not prose_words:
        return ""
    return " ".join(window.split()[:prose_words]).strip(" .:-,;") + "..."


def _next_line_title(text: str, end: int) -> str:
    """The title on the line after a bare 'ARTICLE IX' or 'SCHEDULE 2' line, when that line reads as a heading; blank
    lines between them (a page break) do not part them."""
    line_end = text.find("\n", end)
    if line_end < 0 or text[end:line_end].strip(" \t.:\u2013\u2014-"):  # "ARTICLE IX." / "MISCELLANEOUS"
        return ""
    following = _content_line(text, end, 1)[1][:120]
    words = following.split()
    return following.strip(" .:-") if 0 < len(words) <= MAX_TITLE_WORDS and looks_like_title(words) and not following.endswith(".") else ""


def _hint_markers(text: str, hints: tuple[HeadingHint, ...]) -> list[Marker]:
    markers = []
    for hint in hints:
        if hint.styled:
            continue
        line = text[hint.start : hint.end].lstrip("#").strip()
        number_match = re.match(r"(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+", line)
        number = number_match.group(1) if number_match else ""
        level = number.count(".") + 1 if number else hint.level
        if SCHEDULE_LINE.match(line):
            level = 0
        markers.append(Marker(hint.start, level, number, line[:120], "hint"))
    return markers


def _annex_markers(text: str) -> list[Marker]:
    markers = []
    for match in SCHEDULE_INLINE.finditer(text):
        if not (_line_start(text, match.start()) or match.group(0).isupper()):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if REFERENCE_WORDS.search(before) or not (SENTENCE_END_BEFORE.search(before) or PARAGRAPH_BREAK_BEFORE.search(before)):
            continue
        if _annex_in_prose(text, match.end()):
            continue
        title = " ".join(text[match.start() : match.start() + 120].split("\n")[0].split()[:8])
        if title == " ".join(match.group(0).split()):
            title = " ".join(f"{title} {_next_line_title(text, match.end())}".split())  # "EXHIBIT B" / "ACCEPTANCE CRITERIA"
        markers.append(_annex(match.start(), title))
    for match in SCHEDULE_LINE.finditer(text):
        if PROSE_END.search(_previous_line(text, match.start())):
            continue  # "... attached hereto as\nExhibit C and incorporated herein": a reference wrapped onto the line
        if _line_start(text, match.start()) and not match.group(0).isupper() and not _annex_in_prose(text, match.end()):
            line_end = text.find("\n", match.start())
            line = text[match.start() : line_end if line_end >= 0 else len(text)]
            if len(line) - len(match.group(0)) <= 60 and not re.search(r"\b(?:attached|hereto|sets? forth|describes?)\b", line):
                markers.append(_annex(match.start(), " ".join(line.split()[:8])))
    return markers


def _annex_in_prose(text: str, end: int) -> bool:
    """Whether a schedule name is the subject of a sentence rather than a heading: the next word on its line is in
    lower case ("APPENDIX C shall be updated accordingly.", "Exhibit B hereto sets out ..."); a title reads "EXHIBIT A -
    PRICING" or "Schedule 1 to the Master Services Agreement", so "to", "of" and "for" may follow."""
    following = re.match(r"[ \t]*([A-Za-z]+)", text[end : end + 40])
    return bool(following) and following.group(1)[0].islower() and following.group(1) not in ("to", "of", "for")


def _annex(start: int, title: str) -> Marker:
    """A schedule heading; one at the very top is the document's own label (e.g. an EDGAR exhibit number), not a part."""
    if start < PREAMBLE_CHARS:
        return Marker(start, 1, "", title, "caps")
    return Marker(start, 0, "", title, "annex")


def _article_markers(text: str) -> list[Marker]:
    markers = []
    for match in ARTICLE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not _line_start(text, match.start()) and (REFERENCE_WORDS.search(before) or not SENTENCE_END_BEFORE.search(before)):
            continue
        title = match.group(0) + " " + (_next_line_title(text, match.end()) or _title_after(text, match.start(), match.end()))
        markers.append(Marker(match.start(), 1, _numeral(match.group(0).split()[-1]), " ".join(title.split()), "article"))
    for match in SECTION_WORD.finditer(text):
        number = _numeral(match.group(1))
        markers.append(Marker(match.start(), number.count(".") + 1, number, f"{number} {_title_after(text, match.start(), match.end())}", "section"))
    return markers


def _list_entry(title: str) -> bool:
    """An item of a list run on into the next ("I. System implications; and"), not a part's title."""
    return bool(re.search(r"[;,]\s*(?:and|or)?$", title)) or title.split()[-1].lower() in SMALL_WORDS


def _numeral(number: str) -> str:
    """A spelled number as digits ("FOUR" -> "4"); any other number as written."""
    return str(SPELLED.index(number.upper()) + 1) if number.upper() in SPELLED else number


def _numbered_markers(text: str) -> list[Marker]:
    """Clause numbers that continue the document's numbering (1, 2, 2.1, 2.2, 3 ...). Inside a line (flattened text)
    a number is taken after the end of a sentence, or anywhere when it is the very next number and carries a run-in
    title ("... Attention: CEO 9.6 Amendment. No amendment ...", "... thereto. Section 9.3. Amendments. Neither ...")."""
    markers: list[Marker] = []
    last_top = 0
    for match in NUMBERED.finditer(text):
        number, dot = match.group(1).replace(" ", ""), match.group(2)
        parts = [int(p) for p in number.split(".")]
        at_line = _line_start(text, match.start())
        if " " in match.group(1) and not at_line or CROSS_REFERENCE.match(text, match.end() - 1):
            continue
        if any(p == 0 for p in parts[1:]) or parts[0] == 0:
            continue
        if text[match.end() : match.end() + 1].islower() and not _lower_case_clause(text, match, markers):
            continue
        start, run_in = match.start(), False
        if not at_line:
            before = text[max(0, match.start() - 30) : match.start()]
            word = SECTION_BEFORE.search(before)
            lead = before[: word.start()] if word else before  # "Section" is the heading's own word unless prose leads to it
            run_in = ((len(parts) > 1 or bool(dot and word)) and not REFERENCE_WORDS.search(lead) and not (word and PROSE_END.search(lead))
                      and _follows(markers[-1].number if markers else "", number) and _run_in_title(text, match.end()) != "")
            if not run_in and (REFERENCE_WORDS.search(before) or not (SENTENCE_END_BEFORE.search(before) or CAPS_BEFORE.search(before))):
                continue
            start -= len(word.group(0)) if run_in and word else 0
        if len(parts) == 1 and parts[0] <= 31 and MONTH_AFTER.match(text, match.end()):
            continue
        if at_line and REFERENCE_NOUN.search(_previous_line(text, match.start())):
            continue  # "... Schedule\n3 (Charges)": a reference wrapped onto the next line
        if run_in:
            pass  # the very next number: in order by construction
        elif at_line:
            # A clause number opening a line: accept forward jumps (omitted clauses) and restarts at 1 (a schedule).
            if not (parts[0] == 1 or parts[0] >= last_top or len(parts) > 1 and parts[0] >= last_top - 1):
                if not (len(markers) > 1 and _follows(markers[-2].number, number)):
                    continue
                markers.pop()  # "2.5 ... 4.8 (Right of ...) ... 2.6": the one number out of order was a reference
            if len(parts) == 1 and ADDRESS.match(text, match.end()):
                continue  # "80 Peachtree Park Drive": an address, not clause 80
            if len(parts) == 1 and _same_clause_again(markers, parts[0]) and not _after_a_break(text, match.start()):
                continue  # "... for a delay of 3 to\n5 Days.": inside clause 5, a sentence wrapped before a bare 5
        elif len(parts) == 1:
            if not dot or not (parts[0] == 1 or last_top < parts[0] <= last_top + 2):
                continue
        elif parts[0] > last_top + 2 or parts[0] < last_top or any(p > 60 for p in parts):
            continue
        last_top = parts[0]
        title = f"{number} {_title_after(text, match.start(), match.end())}"
        markers.append(Marker(start, len(parts), number, title, "numbered"))
    return markers


def _same_clause_again(markers: list[Marker], top: int) -> bool:
    """Whether the clause ``top`` is already open: the last top-level numbered clause is this number, so a bare ``top``
    opening a line that carries on a sentence is part of it, not clause ``top`` again."""
    last = next((m for m in reversed(markers) if m.kind == "numbered" and m.level == 1), None)
    return last is not None and last.number == str(top)


def _number_letter_markers(text: str) -> list[Marker]:
    """Clauses numbered by a number and a capital letter ("19.A.  EXACT AND COMPLETE PERFORMANCE", "23.B. Rights of
    Parties Are Cumulative."), as franchise agreements number them: at a line start, titled, in runs from A in order
    under one number, so a reference ("see 4.B") or a lone label is not one."""
    runs: list[list[Marker]] = []
    for match in NUMBER_LETTER.finditer(text):
        title = _title_after(text, match.start(1), match.end(), prose_words=0)
        if not title:
            continue
        marker = Marker(match.start(1), 2, match.group(1), f"{match.group(1)} {title}", "numbered")
        last = runs[-1][-1] if runs else None
        if last and last.number.split(".")[0] == match.group(2) and ord(last.number[-1]) == ord(match.group(3)) - 1:
            runs[-1].append(marker)
        elif match.group(3) == "A":
            runs.append([marker])
    return [m for run in runs if len(run) > 1 for m in run]


def _lower_case_clause(text: str, match: re.Match, markers: list[Marker]) -> bool:
    """A clause whose text starts in lower case ("1. mPhase may ...", "2.1.1 deliver the Material ..."): only at a line
    start and only as the very next number, so amounts and measures ("40 ms", "10 million") stay prose."""
    number = match.group(1).replace(" ", "")
    return (_line_start(text, match.start()) and " " not in match.group(1) and (bool(match.group(2)) or "." in number)
            and _follows(markers[-1].number if markers else "", number))


def _follows(previous: str, number: str) -> bool:
    """Whether ``number`` is the clause number right after ``previous``: its first sub-clause, the next clause at its
    level or at a level above, or that clause's first sub-clause (2.3 -> 2.3.1, 2.4, 3, 3.1); "" is before 1 and 1.1."""
    before = [int(p) for p in previous.split(".")] if previous else [0]
    after = [int(p) for p in number.split(".")]
    if after == before + [1]:
        return True
    for depth in range(len(before), 0, -1):
        following = before[: depth - 1] + [before[depth - 1] + 1]
        if after in (following, following + [1]):
            return True
    return False


def _run_in_title(text: str, end: int) -> str:
    """The short title a clause number at ``end`` runs into its text on the same line ("Governing Law. This
    Agreement ..."), or "" (prose, or a title alone on its line)."""
    lead = REDACTION_LEAD.match(text, end)
    line = text[lead.end() if lead else end :][:200].split("\n", 1)[0]
    stop = TITLE_END.search(line)
    if not stop or line[stop.start()] not in ".:" or not RUN_IN_TEXT.match(line, stop.end()):
        return ""
    words = line[: stop.start()].split()
    if not 0 < len(words) <= MAX_TITLE_WORDS or not looks_like_title(words) or "*" in line[: stop.start()] or any(w.isdigit() for w in words):
        return ""  # prose, a redaction, or contents entries run together ("DEFINITIONS 1 2. GOVERNANCE 10")
    return " ".join(words)


def _roman_markers(text: str) -> list[Marker]:
    """'I. GENERAL TERMS', 'IV. Payment' at a line start (or "IV." over its title line): article-level parts numbered
    in roman numerals; inside a flattened line only the next numeral in order, so "Schedule I. The ..." is not a part."""
    markers = []
    for match in ROMAN_LINE.finditer(text):
        title = _next_line_title(text, match.end()) if not text[match.end() : match.end() + 1].strip() else ""
        title = title or _title_after(text, match.start(1), match.end(), prose_words=0)
        if title and not _list_entry(title):
            markers.append(Marker(match.start(1), 1, match.group(1), f"{match.group(1)}. {title}", "article"))
    inline = [m for m in ROMAN_INLINE.finditer(text) if not _line_start(text, m.start(1))]
    for match in inline:
        number = match.group(1)
        previous = [m.number for m in markers if m.start < match.start()]
        if number.lower() not in ROMANS or (ROMANS.index(number.lower()) != (ROMANS.index(previous[-1].lower()) + 1 if previous else 0)):
            continue  # inside a line only the next part in order: "I." first, then "II." ...
        title = _run_in_title(text, match.end()) or _title_after(text, match.start(1), match.end(), prose_words=0)
        if title:
            markers.append(Marker(match.start(1), 1, number, f"{number}. {title}", "article"))
            markers.sort(key=lambda m: m.start)
    return markers


def _run_in_markers(text: str) -> list[Marker]:
    """A heading run into its paragraph at a line start: "Governing Law. This Agreement is governed ...",
    the way contracts without clause numbers (or whose numbers the PDF's text layer lost) title their sections."""
    markers = []
    for match in RUN_IN.finditer(text):
        words = match.group(1).split()
        if (words[-1].rstrip(".") in ABBREVIATIONS or LEGAL_FORM_AFTER.fullmatch(words[-1]) or _ends_in_initial(words) or not looks_like_title(words) or len(words) > MAX_TITLE_WORDS
                or len(match.group(1).strip()) < 3 or RECITAL_WORDS.match(text[match.start(1) : match.start(1) + 40]) or FORM_LABEL.match(match.group(1))
                or LEGAL_FORM_AFTER.match(text, match.end()) or LEGEND.search(text, match.start(), text.find("\n", match.start()) % len(text) or len(text))
                or not _after_a_break(text, match.start(1))):
            continue
        if not text[match.end() : match.end() + 1].strip() and not (strict_title(words) and _is_prose(_content_line(text, match.end(), 1)[1])):
            continue  # alone on its line ("Reimbursement for Termination Assistance."): a title over a paragraph
        markers.append(Marker(match.start(1), 2, "", match.group(1).strip(), "run-in"))
    return markers


def _ends_in_initial(words: list[str]) -> bool:
    """"Michael E." before "Vogel": a name's middle initial, not a title's end ("Survival of Article V" ends in a
    number)."""
    return len(words) > 1 and len(words[-1]) == 1 and words[-1].isupper() and words[-1] not in "IVX"


def _line_markers(text: str) -> list[Marker]:
    """An unnumbered heading alone on its line, not in capitals ("Governing Law And Arbitration:", "Records:"): a
    short, title-like line ending in a colon that stands between paragraphs (``_stands_alone``)."""
    markers = []
    for match in HEADING_LINE.finditer(text):
        line = match.group(1).strip()
        words = line.rstrip(":").split()
        if (line.isupper() or not 1 <= len(words) <= SHORT_TITLE_WORDS + 2 or not looks_like_title(words) or words[0].lower() in SMALL_WORDS
                or FORM_LABEL.match(line) or LEGAL_FORM.search(line) or LEGEND.search(line) or RECITAL_WORDS.match(line)
                or CONTACT_DETAIL.search(line) or DEFINES_TERM.search(line) or not _stands_alone(text, match.start(1), match.end())):
            continue
        markers.append(Marker(match.start(1), 2, "", line.rstrip(":"), "line"))
    return markers


def _styled_markers(text: str, hints: tuple[HeadingHint, ...]) -> list[Marker]:
    """An unnumbered heading a PDF sets apart by its font: one to ``STYLED_LINES`` lines each wholly in bold, whose
    words read as a title, standing between paragraphs like a colon-ended heading line
    (``_between_paragraphs``; the font stands in for the colon of ``_stands_alone``). A bold name, address or table cell is not followed by
    prose; a bold defined term is part of a line, not all of it."""
    lines = _styled_lines(text, hints)
    markers = []
    i = 0
    while i < len(lines):
        block = [lines[i]]
        while (len(block) < STYLED_LINES and i + len(block) < len(lines) and lines[i + len(block)][0] == block[-1][1] + 1
               and text[block[-1][1] - 1] not in PARAGRAPH_END):  # a wrapped heading; a line ending a sentence ends it
            block.append(lines[i + len(block)])
        i += len(block)
        start, end = block[0][0], block[-1][1]
        title = " ".join(text[start:end].split())
        words = title.rstrip(":").split()
        if (not 1 <= len(words) <= (LONG_TITLE_WORDS if strict_title(words) else MAX_TITLE_WORDS) or not looks_like_title(words)
                or words[0].lower() in SMALL_WORDS or title[:1].isdigit() or title.endswith((",", ";")) or FORM_LABEL.match(title) or LEGAL_FORM_AFTER.search(title)
                or LEGEND.search(title) or RECITAL_WORDS.match(title) or EXHIBIT_LABEL.match(title) or TABLE_GAP.search(text[start:end])
                or ADDRESS.match(title) or CONTACT_DETAIL.search(title) or not _between_paragraphs(text, start, end)):
            continue
        markers.append(Marker(start, 2, "", title.rstrip(":"), "styled"))
    return markers


def _styled_lines(text: str, hints: tuple[HeadingHint, ...]) -> list[tuple[int, int]]:
    """[start, end) of the lines whose every letter and digit is inside a styled hint, in order."""
    covered: dict[int, int] = {}  # line start -> characters of the line's words inside styled hints
    for hint in hints:
        if hint.styled:
            line_start = text.rfind("\n", 0, hint.start) + 1
            covered[line_start] = covered.get(line_start, 0) + sum(c.isalnum() for c in text[hint.start : hint.end])
    lines = []
    for line_start in sorted(covered):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if covered[line_start] == sum(c.isalnum() for c in text[line_start:line_end]) > 0:
            lines.append((line_start + len(text[line_start:line_end]) - len(text[line_start:line_end].lstrip()), line_end))
    return lines


def _content_line(text: str, pos: int, step: int) -> tuple[int, str]:
    """(start, stripped text) of the nearest line with text before (``step`` -1) or after (+1) the line ``pos`` is on;
    (-1, "") when there is none."""
    if step < 0:
        end = text.rfind("\n", 0, pos)
        while end > 0:
            start = text.rfind("\n", 0, end) + 1
            if text[start:end].strip():
                return start, text[start:end].strip()
            end = start - 1
        return -1, ""
    end = text.find("\n", pos)
    while 0 <= end < len(text):
        start, end = end + 1, text.find("\n", end + 1)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            return start, text[start:end].strip()
    return -1, ""


def _is_prose(line: str) -> bool:
    """A line of running text: a sentence (six words or more that do not read as a title) or a numbered clause; a
    table row (cells apart by a column gap) is not."""
    if TABLE_GAP.search(line):
        return False
    return bool(CLAUSE_START.match(line)) or len(line.split()) >= 6 and not looks_like_title(line.split()[:12])


def _ends_paragraph(text: str, pos: int) -> bool:
    """Whether the last line with text before the line at ``pos`` closes a paragraph: it ends a sentence, or it is a
    heading line that itself follows a paragraph ("Schedule" / "Definitions"). Short lines stacked deeper, or cells
    apart by a column gap, are a table, an address or a signature block."""
    start, previous = _content_line(text, pos, -1)
    if not previous or previous[-1] in PARAGRAPH_END:
        return True
    if TABLE_GAP.search(previous) or len(previous.split()) > MAX_TITLE_WORDS or not looks_like_title(previous.split()):
        return False
    before = _content_line(text, start, -1)[1]
    return not before or before[-1] in PARAGRAPH_END


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A line between paragraphs that marks itself a heading: the text before it closes a paragraph, the line ends in
    a colon and the first line with text after it is prose. A bare title-case line is as often a name, a caption or
    a table cell, and one followed by a clause number as often a running header (measured on the tuning part)."""
    return text[start:end].rstrip().endswith(":") and _between_paragraphs(text, start, end)


def _between_paragraphs(text: str, start: int, end: int) -> bool:
    """The text before [start, end) closes a paragraph and the first line with text after it is prose."""
    return _ends_paragraph(text, start) and _is_prose(_content_line(text, end, 1)[1])


def _caps_markers(text: str) -> list[Marker]:
    """Headings in capitals alone on their line; one wrapped on a joining word ("LIMITATION OF LIABILITY AND" /
    "INDEMNIFICATION") is one heading."""
    markers: list[Marker] = []
    lines = Counter(line.strip(" \t") for line in text.split("\n"))  # counted once, for ``_repeated``
    for match in CAPS_LINE.finditer(text):
        words = match.group(1).split()
        line = match.group(1)
        if markers and markers[-1].title.split()[-1].lower() in CAPS_OPEN_ENDED and text[markers[-1].start : match.start(1)].count("\n") == 1:
            previous = markers.pop()
            markers.append(Marker(previous.start, 1, "", f"{previous.title} {line.strip()}", "caps"))
            continue
        if (not 1 <= len(words) <= MAX_TITLE_WORDS or sum(c.isalpha() for c in line) < 4 or LEGEND.search(line)
                or LEGAL_FORM.search(line.rstrip(" )")) or re.search(r"\S\s{3,}\S", line) or RECITAL_WORDS.match(line)
                or _wrapped_caps(line) or not _after_a_break(text, match.start(1)) or _repeated(lines, line) or _caps_paragraph(text, match.end())):
            continue
        markers.append(Marker(match.start(1), 1, "", match.group(1).strip(), "caps"))
    return markers


def _caps_paragraph(text: str, end: int) -> bool:
    """A long line in capitals that wraps straight onto another long one ("EXCEPT WITH RESPECT TO FRANCHISEE'S
    OBLIGATION TO INDEMNIFY PRETZEL" / "TIME, THE PARTIES WAIVE ..."): the first line of a paragraph set in capitals."""
    line = text[text.rfind("\n", 0, end) + 1 : end]
    following = text[end + 1 : text.find("\n", end + 1) if text.find("\n", end + 1) >= 0 else len(text)]
    return (len(line.split()) >= CAPS_PARAGRAPH_WORDS and len(following.split()) >= CAPS_PARAGRAPH_WORDS
            and following.upper() == following and any(c.isalpha() for c in following))


def _repeated(lines: Counter, line: str) -> bool:
    """A line in capitals that comes back ``RUNNING_LINES`` times or more ("CONFIDENTIAL" on every page) is a running
    header or a marking, not a heading. ``lines``: the text's lines counted once, without their spaces and tabs."""
    return lines[line.strip()] >= RUNNING_LINES


def _wrapped_caps(line: str) -> bool:
    """A line in capitals that is not a title: a sentence stopping mid-way ("ALL QUESTIONS ... SHOULD BE"; a heading
    wrapped on "AND" has no verb), only joining words ("BETWEEN"), or closing a bracket it never opened (a signature
    column: "QIWI PLC )")."""
    words = [w.lower().strip(",;") for w in line.split()]
    sentence = any(w in SENTENCE_WORDS for w in words)
    return (sentence and (line.rstrip().endswith(",") or words[-1] in CAPS_OPEN_ENDED) or all(w in SMALL_WORDS | {"between", "among"} for w in words)
            or line.count(")") > line.count("("))


def _absorb_title_lines(text: str, markers: list[Marker]) -> list[Marker]:
    """An "ARTICLE IX" or "EXHIBIT B" line took the next line as its title: that line is not a heading of its own."""
    out: list[Marker] = []
    for marker in markers:
        if out and out[-1].kind in ("article", "annex") and marker.kind in ("caps", "run-in", "line", "styled"):
            line_end = text.find("\n", out[-1].start)
            if 0 <= line_end < marker.start and text[line_end:marker.start].strip() == "" and marker.title.strip(" .:") in out[-1].title:
                continue
        out.append(marker)
    return out


def _dedupe(markers: list[Marker]) -> list[Marker]:
    """One marker per heading: prefer the most specific kind when several start on the same line."""
    priority = {"hint": 0, "annex": 1, "article": 2, "section": 3, "numbered": 4, "run-in": 5, "caps": 6, "line": 7, "styled": 8}
    result: list[Marker] = []
    for marker in markers:
        if result and _same_heading(result[-1], marker):
            keep = min(result[-1], marker, key=lambda m: priority[m.kind])
            if keep.kind == "hint" and not keep.number:
                other = marker if keep is result[-1] else result[-1]
                keep = Marker(keep.start, other.level if other.kind != "caps" else keep.level, other.number, keep.title, "hint")
            result[-1] = keep
            continue
        result.append(marker)
    return result


def _same_heading(a: Marker, b: Marker) -> bool:
    return abs(a.start - b.start) <= 8


def _lettered_markers(text: str, markers: list[Marker]) -> list[Marker]:
    """(a), (b), (i) paragraphs nested under the clause they appear in; "a." / "a)" items too where the document uses
    them as a level (``_bare_items``)."""
    merged = list(markers)
    starts = [m.start for m in markers]

    previous_letter = ""
    items = sorted(list(LETTERED.finditer(text)) + _bare_items(text), key=lambda m: m.start())
    for match in items:
        before = text[max(0, match.start() - 30) : match.start()]
        if not (_line_start(text, match.start()) or re.search(r"[.:;]\s*$", before)):
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0:
            continue
        parent = markers[index]
        if parent.kind in ("caps",) or parent.level == 0:
            continue
        label = match.group(1)
        is_roman = bool(ROMAN.match(label)) and not (label == "i" and previous_letter == "h") and not (label in ("v", "x") and previous_letter in ("u", "w"))
        level = parent.level + (2 if is_roman else 1)
        if not is_roman:
            previous_letter = label
        number = f"{parent.number}({label})" if parent.number else f"({label})"
        short = _title_after(text, match.start(), match.end(), prose_words=0)
        if not _item_title(short):
            short = ""
        merged.append(Marker(match.start(), level, number, f"({label}) {short}".strip(), "lettered"))
    for start, label, title in _capital_items(text):
        index = bisect.bisect_right(starts, start) - 1
        if index >= 0 and start - markers[index].start <= 8:
            continue  # already a heading of another kind ("I." is an article too)
        parent = markers[index] if index >= 0 and markers[index].kind != "caps" and markers[index].level > 0 else None
        level = parent.level + 1 if parent else 1
        number = f"{parent.number}({label})" if parent and parent.number else f"({label})"
        merged.append(Marker(start, level, number, f"({label}) {title}", "lettered"))
    return sorted(merged, key=lambda m: m.start)


def _capital_items(text: str) -> list[tuple[int, str, str]]:
    """(start, letter, title) of items lettered in capitals ("(B) Security. ...", "E. ENTIRE AGREEMENT. ...") that
    carry a title of their own: at a line start or after a sentence, in runs of two or more in order (A, B, C ...) in
    one style. An item without a title (a recital "A. Licensee owns ...") or a name's initial ("J. Scott") is not one."""
    runs: dict[str, list[list[tuple[int, str, str]]]] = {}
    for match in CAPITAL_ITEM.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not (_line_start(text, match.start()) or re.search(r"[.:;][ \t]*$", before)):
            continue
        label, style = match.group(2), match.group(1) or "."
        title = _title_after(text, match.start(), match.end(), prose_words=0)
        titled = _item_title(title) and re.match(r"[\"\u201c]?[A-Za-z]{2}", title) and _leads_text(text, match.end() + len(title))
        item = (match.start(), label, title if titled else "")
        style_runs = runs.setdefault(style, [])
        if style_runs and ord(style_runs[-1][-1][1]) == ord(label) - 1:
            style_runs[-1].append(item)
        elif label == "A":
            style_runs.append([item])
    return sorted(item for style_runs in runs.values() for run in style_runs if len(run) > 1 for item in run if item[2])


def _bare_items(text: str) -> list[re.Match]:
    """Items labelled "a." / "b." or "i)" / "ii)" at a line start or after a sentence: only runs of two or more in order
    in one style (a, b, c ... or i, ii, iii ...), so a lone letter ending a sentence ("... Exhibit a. The ...") is not
    an item."""
    runs: dict[str, list[list[re.Match]]] = {}
    for match in LETTERED_BARE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not (_line_start(text, match.start()) or re.search(r"[.:;][ \t]*$", before)):
            continue
        label, style = match.group(1), match.group(2)
        style_runs = runs.setdefault(style, [])
        if style_runs and style_runs[-1][-1].group(1) in _previous_labels(label):
            style_runs[-1].append(match)
        elif label in ("a", "i"):
            style_runs.append([match])
    return [m for style_runs in runs.values() for run in style_runs if len(run) > 1 for m in run]


def _leads_text(text: str, end: int) -> bool:
    """Whether a title ending near ``end`` runs into text on its line, or stands over a paragraph of prose or a
    sub-clause: an entry of a list of titles ("Schedules:" / "A. Products ..." / "B. Records") does neither."""
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)].strip(" \t.:\"\u201d")
    following = _content_line(text, end, 1)[1]
    return bool(rest) or bool(CLAUSE_START.match(following)) or _is_prose(following) and not CAPITAL_ITEM.match(following)


def _previous_labels(label: str) -> set[str]:
    """The labels an item labelled ``label`` can follow: the letter before, the roman numeral before."""
    before = {chr(ord(label) - 1)} if len(label) == 1 and label > "a" else set()
    if label in ROMANS[1:]:
        before.add(ROMANS[ROMANS.index(label) - 1])
    return before


def _item_title(title: str) -> bool:
    """A lettered item's own title ("(a) Form of Payment:") is in title case or capitals and ends there; words that run
    on into a comma, a semicolon or the next item ("(i) Service Fees, (ii) commissions") are a list, and a verb phrase
    ("(ii) Work with GINARES as appropriate") the item's text."""
    return bool(title) and not re.search(r"[,;]|\([a-z]{1,4}\)", title) and strict_title(title.split())


def _to_sections(markers: list[Marker], length: int) -> list[Section]:
    sections: list[Section] = []
    stack: list[Marker] = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].start if i + 1 < len(markers) else length
        while stack and stack[-1].level >= marker.level:
            stack.pop()
        stack.append(marker)
        path = tuple(m.title for m in stack if m.kind != "lettered" or m is marker)
        sections.append(Section(marker.number, marker.title, marker.level, marker.start, end, path))
    return sections


def _opening_lines(text: str, chars: int = OPENING_CHARS):
    """(start, end, text) of the lines of the document's opening (its first ``chars`` characters)."""
    start = 0
    while start < min(len(text), chars):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, end, text[start:end]
        start = end + 1


def is_title_line(line: str) -> bool:
    """A contract's own title: a short line naming the kind of agreement ("MASTER SERVICES AGREEMENT"), in capitals
    or title case, not a sentence ("This Agreement is made ...") and not the filing's exhibit label."""
    words = line.split()
    if not 1 <= len(words) <= 14 or EXHIBIT_LABEL.match(line) or LEGEND.search(line) or not AGREEMENT_WORDS.search(line):
        return False
    if SCHEDULE_LINE.match(line.strip()):  # "SCHEDULE 2 SERVICE LEVELS" names a part of a deal: a heading, not a title
        return False
    if line.rstrip().endswith((".", ",", ";")) or re.search(r"\b(?:is|are|made|entered|dated|between|by\s+and)\b", line, re.I) and not line.isupper():
        return False
    return looks_like_title(words)


def _title_lead(line: str) -> str:
    """The title a flattened first line starts with: its leading words in capitals, up to the sentence that follows
    ("WALABOT-HOME RESELLER AGREEMENT This Walabot-HOME Reseller Agreement is made ...", a cover page joined into one
    line: "COOPERATION AGREEMENT made by and between ..."); "" when that lead is not a title."""
    words = line.split()
    lead = []
    for word in words:
        if not any(c.isalpha() for c in word) or word != word.upper() or word in ("THIS", "THE"):
            break
        lead.append(word)
    title = " ".join(lead)
    return title if lead and len(lead) < len(words) and is_title_line(title) else ""


def _title_first_line(previous: str, line: str) -> bool:
    """Whether ``previous`` is the first half of a title in capitals that ``line`` ends (``document_title`` joins them)."""
    previous, line = " ".join(previous.split()), " ".join(line.split())
    return (bool(previous) and previous.isupper() and line.isupper() and len((previous + " " + line).split()) <= 14
            and not is_title_line(previous) and not EXHIBIT_LABEL.match(previous) and not LEGEND.search(previous))


def document_title(text: str, headings: list[HeadingHint]) -> str:
    """The contract's own title line; else its first heading, else its first line (cut to a readable length).
    A title split over two capitalised lines ("MOBILE VIRTUAL NETWORK ENABLER" / "HOSTING AGREEMENT") is joined."""
    previous = ""
    for _, _, line in _opening_lines(text):
        stripped = " ".join(line.split())
        stripped = stripped if is_title_line(stripped) else _title_lead(stripped) or stripped
        if stripped and is_title_line(stripped):
            if _title_first_line(previous, stripped):
                stripped = f"{previous} {stripped}"
            return stripped.strip(" .:")[:160]
        if stripped:
            previous = stripped if not (EXHIBIT_LABEL.match(stripped) or LEGEND.search(stripped)) else ""
    for hint in (h for h in headings if not h.styled):
        title = text[hint.start : hint.end].lstrip("# ").strip()
        if title and not EXHIBIT_LABEL.match(title):
            return title[:160]
    for line in text.splitlines():
        if line.strip() and not EXHIBIT_LABEL.match(line):
            return line.strip()[:160]
    return ""
