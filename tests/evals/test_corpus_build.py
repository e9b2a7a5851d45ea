"""Tests for the corpus renderer (corpus/build.py) and the corpus gold-label files."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import docx
import pytest
import yaml
from pypdf import PdfReader

from ..paths import REPO as ROOT

CLAUSE_IDS_MD = ROOT / "assistant" / "prompts" / "playbooks" / "CLAUSE_IDS.md"
GOLD_DIR = ROOT / "eval" / "audit_gold"
FACTS_DIR = ROOT / "eval" / "corpus_facts"


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_build", ROOT / "corpus" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


build = _load_build()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _clause_ids() -> dict[str, list[str]]:
    """Clause id -> element ids, read from the playbook id table."""
    ids: dict[str, list[str]] = {}
    for line in CLAUSE_IDS_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "clause":
            ids[cells[0]] = [e.strip() for e in cells[3].split(",")]
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    build.build(out, build.load_manifest())
    return out


def test_every_manifest_output_exists(built: Path) -> None:
    entries = build.load_manifest()
    assert entries
    for entry in entries:
        assert entry.source.exists(), entry.source
        assert (built / entry.output).stat().st_size > 0, entry.output


def test_msa_pdf_is_multipage_and_readable(built: Path) -> None:
    reader = PdfReader(str(built / "harbourline_veridian" / "msa.pdf"))
    assert len(reader.pages) > 1
    text = _norm("\n".join(page.extract_text() for page in reader.pages))
    assert "12. TERMINATION" in text
    assert "12.3 Termination for convenience" in text
    assert "for convenience at any time by giving the Supplier not less than six (6) months' written notice" in text
    assert "Page 2" in text


def test_pdf_tables_are_rendered_as_text(built: Path) -> None:
    reader = PdfReader(str(built / "harbourline_veridian" / "schedule_2_service_levels.pdf"))
    text = _norm("\n".join(page.extract_text() for page in reader.pages))
    assert "Data-centre availability - Critical Services" in text
    assert "99.95%" in text


def test_docx_has_headings_and_table(built: Path) -> None:
    document = docx.Document(str(built / "harbourline_veridian" / "sow_01_service_desk.docx"))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title"
    assert "Heading 1" in styles
    assert len(document.tables) >= 1
    assert any("Priya Raman" in cell.text for row in document.tables[-1].rows for cell in row.cells)


def test_text_formats(built: Path) -> None:
    markdown = (built / "harbourline_veridian" / "sow_02_hosting.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Statement of Work 2")
    assert "\n## 7. MIGRATION PLAN\n" in markdown
    assert "|---|" in markdown
    plain = (built / "harbourline_veridian" / "schedule_3_charges.txt").read_text(encoding="utf-8")
    assert not re.search(r"^#", plain, re.M)
    assert "\nPART 4 - TERMINATION FEE\n" in plain


def test_html_renderer() -> None:
    doc = build.parse("# T\n## 1. H\nSome <text>.\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    page = build.to_html(doc)
    assert "<h1>T</h1>" in page and "<h2>1. H</h2>" in page
    assert "<p>Some &lt;text&gt;.</p>" in page
    assert "<th>a</th>" in page and "<td>2</td>" in page


def test_rebuild_is_byte_stable(built: Path, tmp_path: Path) -> None:
    entries = [e for e in build.load_manifest() if e.output.startswith("harbourline_veridian/")]
    build.build(tmp_path, entries)
    for entry in entries:
        assert (tmp_path / entry.output).read_bytes() == (built / entry.output).read_bytes(), entry.output


def test_check_passes_on_committed_outputs() -> None:
    assert build.main(["--check"]) == 0


def test_gold_labels_cover_every_clause_id() -> None:
    ids = _clause_ids()
    assert len(ids) == 31
    files = sorted(GOLD_DIR.glob("*.yaml"))
    assert files
    for path in files:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        scopes = {**(gold.get("documents") or {}), **(gold.get("deals") or {})}
        assert scopes, path
        for name, labels in scopes.items():
            assert set(labels) == set(ids), f"{path.name} {name}: {set(ids) ^ set(labels)}"
            for clause, label in labels.items():
                assert label["status"] in {"present", "weak", "missing"}, (path.name, name, clause)
                missing = label.get("missing", [])
                assert set(missing) <= set(ids[clause]), (path.name, name, clause, missing)
                assert bool(missing) == (label["status"] == "weak"), (path.name, name, clause)


def test_gold_documents_are_manifest_outputs() -> None:
    outputs = {entry.output for entry in build.load_manifest()}
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        for document in gold.get("documents") or {}:
            assert document in outputs, f"{path.name}: {document} is not an output in corpus/manifest.yaml"


def test_harbourline_deal_labels_are_union_of_documents() -> None:
    """Deal-level elements = union over every labelled file of the folder (any gold file)."""
    ids = _clause_ids()
    per_document: dict[str, dict] = {}
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        for document, labels in (gold.get("documents") or {}).items():
            if document.startswith("harbourline_veridian/"):
                per_document[document] = labels
    gold = yaml.safe_load((GOLD_DIR / "deal_harbourline_veridian.yaml").read_text(encoding="utf-8"))
    deal = gold["deals"]["harbourline_veridian"]
    for clause, elements in ids.items():
        found: set[str] = set()
        for labels in per_document.values():
            if labels[clause]["status"] != "missing":
                found |= set(elements) - set(labels[clause].get("missing", []))
        assert set(elements) - found == set(deal[clause].get("missing", [])), clause
    weak = sorted(c for c, label in deal.items() if label["status"] != "present")
    assert weak == ["benchmarking", "multi_sourcing_cooperation"]


def test_fact_quotes_are_exact_substrings_of_sources() -> None:
    sources = {e.output: e.source for e in build.load_manifest()}
    path = FACTS_DIR / "deal_harbourline_veridian.yaml"
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert 30 <= len(facts) <= 40
    for fact in facts:
        lines = sources[fact["document"]].read_text(encoding="utf-8").splitlines()
        assert any(fact["quote"] in line for line in lines), fact["quote"]
