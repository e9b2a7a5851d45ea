"""Word revision marks and comments written onto a python-docx document.

python-docx (1.2+) writes comments (``Document.add_comment``) but not tracked changes, so this module writes the
two OOXML revision marks a redline needs, as Word itself writes them (ECMA-376 Part 1, 17.13.5):
- ``w:ins`` around the runs of inserted text (author, date, a unique ``w:id``), and
- ``w:ins`` inside the paragraph mark's ``w:rPr`` of an inserted paragraph, so that rejecting the change removes
  the paragraph itself and leaves the document exactly as it was.
Nothing else in the document is touched: new paragraphs are added after an existing block, never in it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

AUTHOR = "Contract assistant"
INITIALS = "CA"


@dataclass
class Reviser:
    """Writes tracked insertions and comments by one author at one time, numbering revisions after the file's own."""

    document: object  # a python-docx Document
    author: str = AUTHOR
    date: dt.datetime | None = None

    def __post_init__(self) -> None:
        when = (self.date or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
        self.stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        body = self.document.element.body
        ids = [int(v) for v in body.xpath("//w:ins/@w:id | //w:del/@w:id") if str(v).isdigit()]
        self._next_id = max(ids, default=0) + 1

    def _mark(self, tag: str) -> OxmlElement:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self._next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.stamp)
        self._next_id += 1
        return element

    def insert_paragraph_after(self, anchor, text: str, like: Paragraph | None = None, bold: bool = False) -> tuple[Paragraph, Run]:
        """A new paragraph after ``anchor`` (a ``w:p`` or ``w:tbl`` element) holding ``text`` as a tracked insertion.

        ``like`` lends its paragraph style (not its list numbering, which would renumber the paragraphs after it)."""
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        if like is not None and like._p.pPr is not None and like._p.pPr.pStyle is not None:
            p_pr.append(copy.deepcopy(like._p.pPr.pStyle))
        r_pr = OxmlElement("w:rPr")
        r_pr.append(self._mark("w:ins"))  # the paragraph mark itself is inserted
        p_pr.append(r_pr)
        p.append(p_pr)
        ins = self._mark("w:ins")
        r = OxmlElement("w:r")
        if bold:
            run_pr = OxmlElement("w:rPr")
            run_pr.append(OxmlElement("w:b"))
            r.append(run_pr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        ins.append(r)
        p.append(ins)
        anchor.addnext(p)
        paragraph = Paragraph(p, like._parent if like is not None else self.document._body)
        return paragraph, Run(r, paragraph)

    def comment(self, runs: list[Run], text: str) -> int:
        """A Word comment on ``runs`` (first to last); returns its id."""
        lines = text.split("\n")
        comment = self.document.add_comment(runs, text=lines[0], author=self.author, initials=INITIALS)
        comment._comment_elm.date = dt.datetime.strptime(self.stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        for line in lines[1:]:
            comment.add_paragraph(line)
        return comment.comment_id
