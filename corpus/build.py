#!/usr/bin/env python3
"""Render the contract corpus from its plain-text sources.

Every entry of ``corpus/manifest.yaml`` names a source file (``_src/<name>.txt``,
written in the small line format described in ``corpus/_src/README.md``) and an
output path whose extension selects the renderer: ``.pdf``, ``.docx``, ``.md``,
``.txt`` or ``.html``.

Usage::

    python corpus/build.py               # render every entry into corpus/
    python corpus/build.py --out DIR     # render into DIR instead
    python corpus/build.py --check       # rebuild into a temp dir and compare the
                                         # extracted text with the committed files

Outputs are deterministic: PDF and DOCX carry a fixed creation date, so a
rebuild with the same library versions is byte-identical.
"""

from __future__ import annotations

import argparse
import difflib
import html
import io
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Union

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
MANIFEST = CORPUS_DIR / "manifest.yaml"
FIXED_DATE = datetime(2025, 3, 1, 9, 0, 0, tzinfo=timezone.utc)
# "(a) ", "(iv) " and similar list paragraphs are indented in PDF and DOCX.
LIST_ITEM = re.compile(r"^\([a-z]{1,5}\)\s")


# --------------------------------------------------------------------------- model


@dataclass
class Heading:
    """A heading line: ``level`` 2 for ``##``, 3 for ``###`` and so on."""

    level: int
    text: str


@dataclass
class Paragraph:
    """One paragraph of body text (a single source line)."""

    text: str


@dataclass
class Table:
    """A pipe table; ``rows[0]`` is the header row."""

    rows: list[list[str]]


Block = Union[Heading, Paragraph, Table]


@dataclass
class Document:
    """A parsed source document."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Entry:
    """One manifest entry (paths already resolved)."""

    source: Path
    output: str
    title: str


# --------------------------------------------------------------------------- parsing


def _split_row(line: str) -> list[str]:
    """Split ``| a | b |`` into ``["a", "b"]``."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _is_separator(cells: list[str]) -> bool:
    """True for a Markdown separator row such as ``|---|:--:|``."""
    return all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) and any(cells)


def parse(text: str, fallback_title: str = "") -> Document:
    """Parse the source format into a :class:`Document`.

    Each non-blank line is one block: ``# Title``, a ``##``/``###`` heading, a
    pipe-table row (consecutive rows form one table) or a paragraph.
    """
    doc = Document(title=fallback_title)
    table: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            cells = _split_row(line)
            if table is None:
                table = []
                doc.blocks.append(Table(table))
            if not _is_separator(cells):
                table.append(cells)
            continue
        table = None
        if not line:
            continue
        match = re.match(r"^(#{1,6})\s+(.*)$", line)
        if match and len(match.group(1)) == 1:
            doc.title = match.group(2).strip()
        elif match:
            doc.blocks.append(Heading(len(match.group(1)), match.group(2).strip()))
        else:
            doc.blocks.append(Paragraph(line))
    for block in doc.blocks:  # pad ragged rows so every renderer sees a rectangle
        if isinstance(block, Table):
            width = max(len(r) for r in block.rows)
            for row in block.rows:
                row.extend([""] * (width - len(row)))
    return doc


# --------------------------------------------------------------------------- renderers


def render_pdf(doc: Document, path: Path) -> None:
    """Render an A4 PDF with core Helvetica, bold headings and real table cells."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")

    for text in _texts(doc):  # core fonts only cover Latin-1
        try:
            text.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise ValueError(f"non Latin-1 character in {text[:60]!r}") from exc

    pdf = _PDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(doc.title)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, doc.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for block in doc.blocks:
        if isinstance(block, Heading):
            if pdf.get_y() > pdf.page_break_trigger - 25:  # keep heading with text
                pdf.add_page()
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 12 if block.level <= 2 else 10.5)
            pdf.multi_cell(0, 6, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font("Helvetica", "", 10)
            indent = 8 if LIST_ITEM.match(block.text) else 0
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 5, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        else:
            pdf.set_font("Helvetica", "", 9)
            widths = _column_weights(block.rows)
            with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, padding=1) as table:
                for row in block.rows:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
            pdf.ln(3)
    pdf.output(str(path))


def _texts(doc: Document) -> list[str]:
    """Every string of a document: title, headings, paragraphs and table cells."""
    texts = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Table):
            texts.extend(cell for row in block.rows for cell in row)
        else:
            texts.append(block.text)
    return texts


def _column_weights(rows: list[list[str]]) -> tuple[float, ...]:
    """Relative column widths: longest cell (capped), but never narrower than its longest word."""
    weights = []
    for i in range(len(rows[0])):
        cells = [r[i] for r in rows]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        weights.append(max(min(max(len(c) for c in cells), 50), 2.2 * longest_word) + 3.0)
    return tuple(weights)


def render_docx(doc: Document, path: Path) -> None:
    """Render a Word document: Title style, Heading 1/2 styles, real tables."""
    import docx
    from docx.shared import Cm

    word = docx.Document()
    props = word.core_properties
    props.title = doc.title
    props.author = "Contract corpus build"
    props.last_modified_by = "Contract corpus build"
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1
    word.add_heading(doc.title, level=0)
    for block in doc.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level - 1, 9))
        elif isinstance(block, Paragraph):
            para = word.add_paragraph(block.text)
            if LIST_ITEM.match(block.text):
                para.paragraph_format.left_indent = Cm(1)
        else:
            table = word.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = text
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            word.add_paragraph("")
    buffer = io.BytesIO()
    word.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed timestamps so rebuilds are byte-stable."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _pipe_rows(rows: list[list[str]]) -> list[str]:
    """Pipe-table lines with a separator after the header row."""
    lines = ["|" + "|".join(f" {cell} " if cell else " " for cell in row) + "|" for row in rows]
    return [lines[0], "|" + "|".join("---" for _ in rows[0]) + "|", *lines[1:]]


def to_markdown(doc: Document) -> str:
    """Markdown text: ``#`` title, headings as written, pipe tables."""
    parts = [f"# {doc.title}"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.append("\n".join(_pipe_rows(block.rows)))
    return "\n\n".join(parts) + "\n"


def to_text(doc: Document) -> str:
    """Plain text: headings without ``#`` marks, tables as pipe rows."""
    parts = [doc.title + "\n" + "=" * len(doc.title)]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.append("\n".join(_pipe_rows(block.rows)))
    return "\n\n".join(parts) + "\n"


def to_html(doc: Document) -> str:
    """A small standalone HTML page."""
    esc = html.escape
    body = [f"<h1>{esc(doc.title)}</h1>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            body.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{esc(block.text)}</p>")
        else:
            head = "".join(f"<th>{esc(c)}</th>" for c in block.rows[0])
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>\n"
                for row in block.rows[1:]
            )
            body.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>")
    style = (
        "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #888;padding:.3em;text-align:left}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(doc.title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _text_writer(fn: Callable[[Document], str]) -> Callable[[Document, Path], None]:
    """Wrap a text renderer as a file writer (UTF-8, ``\\n`` line ends)."""

    def write(doc: Document, path: Path) -> None:
        path.write_text(fn(doc), encoding="utf-8", newline="\n")

    return write


RENDERERS: dict[str, Callable[[Document, Path], None]] = {
    ".pdf": render_pdf,
    ".docx": render_docx,
    ".md": _text_writer(to_markdown),
    ".txt": _text_writer(to_text),
    ".html": _text_writer(to_html),
}


# --------------------------------------------------------------------------- build / check


def load_manifest(path: Path = MANIFEST) -> list[Entry]:
    """Read the manifest; source paths are relative to the manifest's folder."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    entries = []
    for item in data:
        suffix = Path(item["output"]).suffix.lower()
        if suffix not in RENDERERS:
            raise ValueError(f"{item['output']}: unsupported output format {suffix!r}")
        entries.append(Entry(path.parent / item["source"], item["output"], item.get("title", "")))
    return entries


def build(out_dir: Path, entries: list[Entry]) -> list[Path]:
    """Render every entry into ``out_dir`` and return the written paths."""
    written = []
    for entry in entries:
        doc = parse(entry.source.read_text(encoding="utf-8"), entry.title)
        target = out_dir / entry.output
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            RENDERERS[target.suffix.lower()](doc, target)
        except ValueError as exc:
            raise SystemExit(f"{entry.source}: {exc}") from exc
        written.append(target)
    return written


def extract_text(path: Path) -> str:
    """Text of a rendered file as a reader would see it (pypdf / python-docx / plain)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    elif suffix == ".docx":
        import docx

        word = docx.Document(str(path))
        lines = [p.text for p in word.paragraphs]
        for table in word.tables:
            lines.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
        text = "\n".join(lines)
    else:
        text = path.read_text(encoding="utf-8")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


def check(committed_dir: Path, entries: list[Entry]) -> list[str]:
    """Rebuild into a temp dir; return a problem description per differing output."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), entries)
        for entry in entries:
            committed = committed_dir / entry.output
            if not committed.exists():
                problems.append(f"{entry.output}: missing (run corpus/build.py)")
                continue
            old, new = extract_text(committed), extract_text(Path(tmp) / entry.output)
            if old != new:
                diff = difflib.unified_diff(
                    old.splitlines(), new.splitlines(), "committed", "rebuilt", n=1, lineterm=""
                )
                problems.append(f"{entry.output}: text differs\n" + "\n".join(list(diff)[:20]))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="output folder (default: corpus/)")
    parser.add_argument("--check", action="store_true", help="verify committed outputs are up to date")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    entries = load_manifest(args.manifest)
    if args.check:
        problems = check(args.out, entries)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(entries) - len(problems)}/{len(entries)} outputs up to date")
        return 1 if problems else 0
    for path in build(args.out, entries):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
