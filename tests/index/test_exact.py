"""Exact dense search: the same ranking from every ingest of the same documents, ties in id order."""

from __future__ import annotations

import numpy as np

from assistant.index.exact import VectorMatrix


def test_rows_are_scored_exactly_and_ties_are_broken_by_id():
    vectors = np.eye(3, dtype=np.float32)[[0, 1, 1, 2]]  # rows b and c are the same vector
    matrix = VectorMatrix.of(["d", "c", "b", "a"], ["x", "y", "y", "z"], vectors)
    query = np.array([0.1, 0.9, 0.0], dtype=np.float32)
    assert [i for i, _ in matrix.search(query, 4)] == ["b", "c", "d", "a"]
    assert matrix.search(query, 1)[0] == ("b", float(np.float32(0.9)))
    assert [i for i, _ in matrix.search(query, 5, doc_ids=["x", "z"])] == ["d", "a"]
    assert matrix.search(query, 3, doc_ids=["nobody"]) == [] and VectorMatrix.of([], [], []).search(query, 3) == []


def test_two_ingests_of_the_same_documents_rank_passages_alike(settings, tmp_path):
    """Chroma's HNSW graph was not built the same way twice: the dense ranking, and with it answers, varied."""
    from assistant import Workspace

    from ..paths import CORPUS

    questions = ["How much notice is needed to terminate for convenience?", "What is the liability cap?", "Which law governs?",
                 "How long is the termination assistance period?", "What are the service credits?", "Who owns the deliverables?"]
    runs = []
    for name in ("first", "second"):
        ws = Workspace(settings.with_workspace(name))
        ws.ingest([CORPUS])
        runs.append([[i for i, _ in ws.index.dense_search(ws.index.embedder.embed_query(q), 100)] for q in questions])
        ws.close()
    assert runs[0] == runs[1] and all(len(r) == 100 for r in runs[0])
