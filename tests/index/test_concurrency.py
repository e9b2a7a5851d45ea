"""One writer at a time, repair that only repairs, and readers that recover after another process wrote."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from assistant import Workspace

CONTRACT = "1. Term\nThis Agreement lasts five (5) years.\n2. Termination\nThe Customer may terminate for convenience on {notice} notice.\n"


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)


def test_a_reader_sees_another_process_s_writes_without_errors(settings, tmp_path):
    (tmp_path / "first.txt").write_text(CONTRACT.format(notice="ninety (90) days'"), encoding="utf-8")
    (tmp_path / "second.txt").write_text(CONTRACT.format(notice="six (6) months'") + "3. Escrow\nSource code escrow with NCC.\n", encoding="utf-8")
    reader = Workspace(settings)
    reader.ingest([tmp_path / "first.txt"])
    assert reader.search("termination for convenience", k=3)  # the embedded client is open and has loaded its vectors
    done = _run(f"""
        from assistant import Settings, Workspace
        ws = Workspace(Settings(data_dir={str(settings.data_dir)!r}, cache_dir={str(settings.cache_dir)!r}, workspace="test"))
        print(ws.ingest([{str(tmp_path / 'second.txt')!r}]).summary())
    """)
    assert done.returncode == 0, done.stderr
    found = reader.search("source code escrow", k=3)  # an embedded client that did not reopen fails: "Error finding id"
    assert found and found[0].chunk.file_name == "second.txt"
    assert reader.stats().consistent


def test_repair_restores_missing_vectors_and_deletes_strays(workspace, tmp_path):
    (tmp_path / "a.txt").write_text(CONTRACT.format(notice="ninety (90) days'"), encoding="utf-8")
    workspace.ingest([tmp_path])
    index = workspace.index
    chunks = index.chunks()
    index.vectors.delete_ids([chunks[0].id])  # a vector lost
    index.vectors.upsert([chunks[0].__class__(**{**chunks[0].__dict__, "id": "stray-00001"})], index.embedder.embed(["stray"]))
    before = index.consistency()
    assert before["missing_vectors"] == 1 and before["stray_vectors"] == 1
    repaired = index.repair()
    assert (repaired.strays, repaired.restored) == (1, 1)
    after = index.consistency()
    assert after["missing_vectors"] == after["stray_vectors"] == 0 and after["catalog"] == after["chroma"]


def test_a_repair_in_another_process_waits_for_a_write_in_progress(workspace, tmp_path):
    """Vectors are upserted before the catalog commits; a repair that ran in between deleted them as strays."""
    (tmp_path / "a.txt").write_text(CONTRACT.format(notice="ninety (90) days'"), encoding="utf-8")
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loading import load_document

    document = load_document(tmp_path / "a.txt")
    chunks = chunk_document(document, 160, 24)
    index = workspace.index
    settings = workspace.settings
    with index.writing():
        index.vectors.upsert(chunks, index.embedder.embed([c.embed_text for c in chunks]))
        repair = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            from assistant import Settings, Workspace
            ws = Workspace(Settings(data_dir={str(settings.data_dir)!r}, cache_dir={str(settings.cache_dir)!r}, workspace="test"))
            print(ws.index.repair().strays)
        """)], stdout=subprocess.PIPE, text=True)
        import time

        time.sleep(3)  # the repair is started and waits for the lock
        assert repair.poll() is None
        index.catalog.put_document(document, chunks, "a.txt", 0.0)
    out, _ = repair.communicate(timeout=120)
    assert out.strip() == "0"
    assert workspace.index.consistency()["missing_vectors"] == 0 and workspace.stats().chunks == len(chunks)
