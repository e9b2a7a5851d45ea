"""An answer as Markdown (what ``Answer.text`` holds, what the CLI prints) and as HTML (what the web app shows),
in one place: the key value first, each quote with its ``[n]`` and where it is, a cross-document table once.

``drop_citations`` removes a citation from rendered text (its quote block, marker and table reference), so
verification can take out anything that fails without re-rendering.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Callable, Sequence

from markdown_it import MarkdownIt

from ..text.sentences import PAGE_FURNITURE
from .types import REFUSAL_TEXT, Answer, Citation, TableRow

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").disable(["image", "link", "autolink"])
SHOWN_NAMES = 4
_CITE_GROUP = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


# ------------------------------------------------------------------------------------------ Markdown


def display(quote: str) -> str:
    """A quote on one line for Markdown, without page footers (the citation keeps the exact text)."""
    return " ".join(PAGE_FURNITURE.sub(" ", quote).split())


def where(citation: Citation) -> str:
    span = citation.span
    section = f", {span.section_path.split(' > ')[-1]}" if span.section_path else ""
    return f"{span.file_name}, {span.page_label}{section}"


def quote_block(citation: Citation) -> str:
    return f"> \"{display(citation.span.text)}\" [{citation.number}]  \n> — *{where(citation)}*"


def quote_blocks(citations: Sequence[Citation]) -> str:
    return "\n\n".join(quote_block(c) for c in citations)


def article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


def markdown_table(rows: Sequence[TableRow], headers: tuple[str, str]) -> str:
    def cell(text) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"| {headers[0]} | {headers[1]} | Evidence |", "|---|---|---|"]
    for row in rows:
        lines.append(f"| {cell(row.document)} | {cell(row.value)} | {'[' + str(row.citation) + ']' if row.citation else ''} |")
    return "\n".join(lines)


def compose(value: str, citations: Sequence[Citation]) -> str:
    """The answer's Markdown: the key value first, in bold, then each quote with its [n] and where it is."""
    quotes = quote_blocks(citations)
    if value:
        return f"**{value[:1].upper() + value[1:]}**\n\n{quotes}"
    return f"The documents say:\n\n{quotes}"


def sources_note(answer: Answer) -> str:
    """The line that says which documents answered ("Answered from: msa.pdf, schedule_2.pdf"), and the scope the
    question was asked in when it was limited; "" when there is nothing to say."""
    def names(files) -> str:
        files = list(files)
        return ", ".join(files) if len(files) <= SHOWN_NAMES else f"{', '.join(files[:SHOWN_NAMES - 1])} and {len(files) - SHOWN_NAMES + 1} more"

    scope = f" (asked of {names(answer.scope)})" if answer.scope else ""
    if answer.answered and answer.answered_from:
        return f"*Answered from: {names(answer.answered_from)}{scope}*"
    if answer.scope:
        return f"*Searched: {names(answer.scope)}*"
    return ""


def refusal_text(citations: Sequence[Citation], note: str = "") -> str:
    """A plain refusal, then the closest passages (which do not answer) when there are any."""
    text = REFUSAL_TEXT + note
    if citations:
        text += "\n\nClosest passages (they do not answer the question):\n\n" + quote_blocks(citations)
    return text


def drop_citations(answer: Answer, numbers: set[int]) -> Answer:
    """The answer without the citations numbered ``numbers``: their quote blocks, markers and table references go too."""
    if not numbers:
        return answer
    text = answer.text
    for number in numbers:
        # the quote block (which may span lines, never a blank one) up to its marker, and its "> — where" line
        text = re.sub(rf"\n*^> (?:(?!\n\n)[\s\S])*?\[{number}\][^\n]*(?:\n> [^\n]*)*", "", text, flags=re.MULTILINE)
        text = text.replace(f"[{number}]", "")
    citations = tuple(c for c in answer.citations if c.number not in numbers)
    table = tuple(replace(row, citation=None) if row.citation in numbers else row for row in answer.table)
    if answer.answered and not citations and not answer.table and answer.key_value not in ("No",):
        return replace(answer, text=REFUSAL_TEXT, citations=(), table=(), answered=False, key_value="")
    return replace(answer, text=text.strip(), citations=citations, table=table)


# ------------------------------------------------------------------------------------------ HTML


def link_citations(rendered: str, citations: Sequence[Citation], key: Callable[[Citation], str]) -> str:
    """Each [n] (or [n, m]) in rendered answer HTML as a link to the cited passage (``data-passage`` = ``key(citation)``).

    Numbers without a matching citation stay plain text, so a marker can never open the wrong passage.
    """
    e = html.escape
    known = {c.number: c for c in citations}

    def one(number: str) -> str:
        c = known.get(int(number))
        if c is None:
            return number
        title = f"{c.span.file_name}, {c.span.page_label}, {c.span.section_path or 'preamble'}"
        return f"<a href='#' class='cite' data-passage='{e(key(c))}' title='{e(title)}'>{number}</a>"

    def group(match: re.Match) -> str:
        numbers = [n.strip() for n in match.group(1).split(",")]
        if not any(int(n) in known for n in numbers):
            return match.group(0)
        return "[" + ", ".join(one(n) for n in numbers) + "]"

    return _CITE_GROUP.sub(group, rendered)


def markdown_html(text: str) -> str:
    """Markdown as HTML with raw HTML, links and images disabled (answer text quotes contracts: it is data)."""
    return _MARKDOWN.render(text or "")


def to_html(answer: Answer, key: Callable[[Citation], str], pending: bool = False) -> str:
    """An answer for the browser: the Markdown body (its table included, once) with linked citations, the key
    value when the body does not already state it, and the list of sources. ``pending``: still streaming."""
    e = html.escape
    parts: list[str] = []
    if answer.key_value and not pending and answer.key_value.lower() not in (answer.text or "").lower():
        parts.append(f"<div class='key-value'>{e(answer.key_value)}</div>")
    body = link_citations(markdown_html(answer.text), answer.citations, key)
    if not answer.answered and not pending:
        body = f"<div class='not-answered'>{body}</div>"
    parts.append(f"<div class='typing'>{body}</div>" if pending else body)
    if answer.citations and not pending:
        items = []
        for c in answer.citations:
            quote = " ".join(c.span.text.split())
            quote = quote if len(quote) <= 180 else quote[:177] + "\u2026"
            items.append(
                f"<li><a href='#' class='source' data-passage='{e(key(c))}'><span class='num'>{c.number}</span>"
                f"{e(c.span.file_name)} &middot; {c.span.page_label} &middot; {e(c.span.section_path or 'preamble')}</a>"
                f"<span class='q'>\u201c{e(quote)}\u201d</span></li>"
            )
        parts.append(f"<div class='sources'><div class='title'>Sources</div><ol>{''.join(items)}</ol></div>")
    if answer.answerer and not pending:
        parts.append(f"<div class='meta-line'>{e(answer.answerer)} &middot; {answer.seconds:.1f} s</div>")
    return "".join(parts)
