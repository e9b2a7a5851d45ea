"""Integrity: content hashes decide what changed, every name of the same bytes finds it, removal is exact, the trail
survives a torn line, data files are private."""

from __future__ import annotations

import json
import os
import stat

import pytest

from assistant import AmbiguousNameError, NotFoundError
from assistant.api import trail

TEXT = "1. Term\nThis Agreement lasts five (5) years.\n2. Termination\nThe Customer may terminate on six (6) months' notice.\n"


def test_an_edit_that_keeps_size_and_mtime_is_seen(workspace, tmp_path):
    path = tmp_path / "msa.txt"
    path.write_text(TEXT, encoding="utf-8")
    workspace.ingest([path])
    info = path.stat()
    path.write_text(TEXT.replace("six (6)", "two (2)"), encoding="utf-8")  # same length
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    (result,) = workspace.ingest([path]).files
    assert result.status == "replaced"
    assert "two (2) months" in workspace.document("msa.txt").text


def test_the_same_bytes_under_a_second_name_are_found_by_it(workspace, tmp_path):
    (tmp_path / "msa.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "msa_copy_for_legal.txt").write_text(TEXT, encoding="utf-8")
    workspace.ingest([tmp_path])
    (info,) = workspace.documents()
    assert info.aliases == ("msa_copy_for_legal.txt",)
    assert workspace.find("msa_copy_for_legal.txt").doc_id == info.doc_id


def test_remove_matches_exactly_and_lists_the_candidates(workspace, tmp_path):
    for name in ("schedule_5_data_processing.txt", "schedule_4_exit.txt"):
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
    workspace.ingest([tmp_path])
    with pytest.raises(NotFoundError, match="did you mean: schedule_5_data_processing.txt"):
        workspace.remove("5")
    with pytest.raises(NotFoundError, match="schedule_4_exit.txt, schedule_5_data_processing.txt"):
        workspace.remove("schedule")
    assert len(workspace.documents()) == 2
    assert workspace.remove("schedule_4_exit.txt").file_name == "schedule_4_exit.txt"


def test_same_name_in_two_folders_is_ambiguous_with_ids(workspace, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "msa.txt").write_text(TEXT + folder, encoding="utf-8")
    workspace.ingest([tmp_path])
    with pytest.raises(AmbiguousNameError) as raised:
        workspace.remove("msa.txt")
    assert len(raised.value.candidates) == 2 and all("(" in c for c in raised.value.candidates)


def test_a_torn_last_line_of_the_trail_does_not_swallow_the_next_record(workspace, tmp_path):
    (tmp_path / "msa.txt").write_text(TEXT, encoding="utf-8")
    workspace.ingest([tmp_path])
    workspace.ask("How much notice to terminate?")
    path = trail.trail_path(workspace.settings)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-12-01T00:00:00Z", "question": "cut sh')  # a crash mid-write
    workspace.ask("How long does the Agreement last?")
    records = workspace.trail()
    assert [r["question"] for r in records] == ["How much notice to terminate?", "How long does the Agreement last?"]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[-1])["question"] == "How long does the Agreement last?"


def test_data_files_are_private_to_the_user(workspace, tmp_path):
    (tmp_path / "msa.txt").write_text(TEXT, encoding="utf-8")
    workspace.ingest([tmp_path])
    workspace.ask("How much notice to terminate?")
    folder = workspace.settings.workspace_dir
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (folder / "catalog.sqlite", trail.trail_path(workspace.settings)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(workspace.settings.cache_path.stat().st_mode) == 0o700
