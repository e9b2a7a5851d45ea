"""The index: idempotent re-ingest, replace on change, remove, crash safety, embedded and server Chroma."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Settings, Workspace

from ..documents import make_docx, make_pdf

CLAUSES = {
    "msa.txt": "1. Term\nThis Agreement lasts five (5) years.\n2. Termination for convenience\nThe Customer may terminate for convenience on six (6) months' notice.\n3. Governing law\nThis Agreement is governed by the laws of England and Wales.\n",
    "sla.txt": "1. Service levels\nAvailability of the hosting service shall be at least 99.95% in each month.\n2. Service credits\nA service credit of 5% of the monthly charges applies to each failure.\n",
}


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name, text in CLAUSES.items():
        (folder / name).write_text(text, encoding="utf-8")
    make_pdf(folder / "master.pdf")
    make_docx(folder / "sow.docx")
    return folder


def counts(ws: Workspace) -> tuple[int, int, int]:
    stats = ws.stats()
    return stats.documents, stats.chunks, stats.vectors


def test_reingest_unchanged_adds_nothing(workspace, folder):
    first = workspace.ingest([folder])
    assert {f.status for f in first.files} == {"added"} and len(first.files) == 4
    before = counts(workspace)
    assert before[1] == before[2] > 0
    second = workspace.ingest([folder])
    assert {f.status for f in second.files} == {"unchanged"}
    assert second.chunks == 0 and counts(workspace) == before
    os.utime(folder / "msa.txt")  # touched, same bytes: hashed, still unchanged
    third = workspace.ingest([folder / "msa.txt"])
    assert third.files[0].status == "unchanged" and counts(workspace) == before


def test_changed_file_replaces_old_chunks(workspace, folder):
    workspace.ingest([folder])
    docs_before, chunks_before, _ = counts(workspace)
    (folder / "msa.txt").write_text(CLAUSES["msa.txt"].replace("six (6) months'", "ninety (90) days'"), encoding="utf-8")
    report = workspace.ingest([folder / "msa.txt"])
    assert report.files[0].status == "replaced"
    docs, chunks, vectors = counts(workspace)
    assert docs == docs_before and chunks == vectors
    texts = " ".join(workspace.document(d.doc_id).text for d in workspace.documents())
    assert "ninety (90) days'" in texts and "six (6) months'" not in texts
    top = workspace.search("notice period to terminate for convenience", k=1, documents=["msa.txt"])[0]
    assert "ninety (90) days'" in top.text


def test_remove_document_everywhere(workspace, folder):
    workspace.ingest([folder])
    removed = workspace.remove("sla.txt")
    assert removed.file_name.endswith("sla.txt")
    assert all(not d.file_name.endswith("sla.txt") for d in workspace.documents())
    assert counts(workspace)[1] == counts(workspace)[2]
    assert all("service credit" not in p.text for p in workspace.search("service credits for availability failures", k=10))
    with pytest.raises(Exception, match="no document 'sla.txt'"):
        workspace.remove("sla.txt")


def test_batch_goes_on_past_bad_files(workspace, folder):
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "notes.xyz").write_text("not a contract")
    report = workspace.ingest([folder, folder / "missing.docx"])
    status = {Path(f.path).name: (f.status, f.reason) for f in report.files}
    assert status["broken.pdf"] == ("failed", "corrupt")
    assert status["notes.xyz"] == ("skipped", "unsupported")
    assert status["missing.docx"][0] == "failed"
    assert status["msa.txt"] == ("added", "")
    assert report.summary().startswith("4 added, 1 skipped, 2 failed")


def test_crash_mid_ingest_leaves_usable_store(workspace, folder, monkeypatch):
    workspace.ingest([folder / "msa.txt"])
    good = counts(workspace)
    catalog = workspace.index.catalog

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut after the vectors were written")

    monkeypatch.setattr(catalog, "put_document", crash)
    with pytest.raises(KeyboardInterrupt):
        workspace.ingest([folder / "sla.txt"])
    monkeypatch.undo()
    assert counts(workspace)[:2] == good[:2]
    assert workspace.stats().vectors > good[2]  # stray vectors exist...
    hits = workspace.search("service credits", k=5)
    assert hits and all(h.chunk.file_name.endswith("msa.txt") for h in hits)  # ...but are never returned
    report = workspace.ingest([folder / "sla.txt"])
    assert report.files[0].status == "added"
    docs, chunks, vectors = counts(workspace)
    assert chunks == vectors and docs == 2
    assert workspace.search("service credits", k=1)[0].chunk.file_name.endswith("sla.txt")


def test_workspaces_are_separate(settings, folder):
    a = Workspace(settings.with_workspace("alpha"))
    b = Workspace(settings.with_workspace("beta"))
    a.ingest([folder / "msa.txt"])
    assert len(a.documents()) == 1 and b.documents() == []
    assert b.search("governing law") == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI comes with the chromadb package"
    port = _free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield port
    process.terminate()
    process.wait(timeout=20)


def test_chroma_server_mode(tmp_path, cache_dir, folder, chroma_server):
    settings = Settings(data_dir=tmp_path / "client", cache_dir=cache_dir, workspace="team", chroma_host="127.0.0.1", chroma_port=chroma_server)
    ws = Workspace(settings)
    ws.ingest([folder])
    assert not (settings.workspace_dir / "chroma").exists(), "server mode must not create an embedded store"
    assert ws.stats().vectors == ws.stats().chunks > 0
    top = ws.search("which law governs the agreement", k=1)[0]
    assert "England and Wales" in top.text
    assert ws.ingest([folder]).chunks == 0
    ws.remove("msa.txt")
    assert ws.stats().consistent


def test_bm25s_debug_lines_stay_out_of_the_cli_output():
    """bm25s sets its own logger to DEBUG; under the CLI's INFO logging every index rebuild printed 'DEBUG bm25s: ...'."""
    import logging

    import assistant.index.bm25  # noqa: F401  (importing the BM25 side is what quiets it)

    assert not logging.getLogger("bm25s").isEnabledFor(logging.INFO)
