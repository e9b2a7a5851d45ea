"""The Python API: what the shells rely on, through the public API only."""

from __future__ import annotations

import os

import pytest

from assistant import NotFoundError, Settings, Workspace, list_workspaces

from ..paths import PLAYBOOK

CONTRACT = """SERVICES AGREEMENT
1. TERM
1.1 This Agreement continues for an initial term of three (3) years.
2. TERMINATION
2.1 The Customer may terminate this Agreement for convenience on ninety (90) days' written notice.
3. GOVERNING LAW
3.1 This Agreement is governed by the laws of England and Wales.
"""


@pytest.fixture
def contract(workspace, tmp_path):
    path = tmp_path / "services.txt"
    path.write_text(CONTRACT, encoding="utf-8")
    workspace.ingest([path])
    return workspace


def test_opening_a_workspace_that_does_not_exist_lists_the_ones_that_do(settings, contract):
    with pytest.raises(NotFoundError, match=r"no workspace 'tset' .*; workspaces: test"):
        Workspace.open(settings.with_workspace("tset"), create=False)
    assert list_workspaces(settings) == ["test"]  # the typo created nothing
    assert Workspace.open(settings, create=False).documents()[0].file_name == "services.txt"


def test_open_takes_settings_as_keywords_and_validates_them(tmp_path, cache_dir):
    ws = Workspace.open(workspace="kw", data_dir=str(tmp_path / "data"), cache_dir=str(cache_dir))  # strings, as a script passes them
    try:
        assert ws.settings.workspace_dir == tmp_path / "data" / "workspaces" / "kw"
    finally:
        ws.close()
    with pytest.raises(ValueError, match="retrieval_k"):
        Workspace.open(workspace="kw", data_dir=str(tmp_path / "data"), retrieval_k="many")


def test_ask_stream_records_the_answer_once_it_is_complete(contract):
    *pieces, answer = list(contract.ask_stream("How much notice to terminate for convenience?", user="carol"))
    assert "".join(pieces) == answer.text and answer.key_value == "ninety (90) days' written notice"
    (record,) = contract.trail()
    assert record["user"] == "carol" and record["answer"] == answer.text


def test_a_cited_span_is_read_back_in_context_and_a_removed_document_says_so(contract):
    answer = contract.ask("Which law governs the agreement?")
    view = contract.read(answer.citations[0].span, context=20)
    assert view.text == answer.citations[0].span.text and "England and Wales" in view.text
    assert view.before.startswith("\u2026") and view.pages == 1
    contract.remove("services.txt")
    with pytest.raises(NotFoundError, match="services.txt is no longer in workspace 'test'"):
        contract.read(answer.citations[0].span)


def test_retrieval_k_is_honoured_by_the_answerer(settings, tmp_path):
    path = tmp_path / "services.txt"
    path.write_text(CONTRACT * 3, encoding="utf-8")
    few = Workspace(settings.model_copy(update={"retrieval_k": 2, "workspace": "few"}))
    few.ingest([path])
    answer = few.ask("How much notice to terminate for convenience?")
    assert 1 <= len(answer.passages) <= 4  # two searches of k=2, interleaved
    few.close()


def test_token_counts_write_nothing_and_change_no_environment(tmp_path, monkeypatch):
    from assistant.text import token_counts

    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    token_counts.encoding.cache_clear()
    assert token_counts.count_tokens("The Customer may terminate.") > 3
    assert "TIKTOKEN_CACHE_DIR" not in os.environ and list(tmp_path.iterdir()) == []


def test_a_playbook_without_key_terms_reads_them_from_the_whole_document(settings, tmp_path, cache_dir):
    custom = tmp_path / "mine.yaml"
    text = PLAYBOOK.read_text(encoding="utf-8")
    custom.write_text(text[: text.index("key_terms:")] + text[text.index("clauses:"):], encoding="utf-8")
    path = tmp_path / "services.txt"
    path.write_text(CONTRACT, encoding="utf-8")
    ws = Workspace(settings.with_workspace("custom"), playbook=custom)
    ws.ingest([path])
    (result,) = ws.audit()
    terms = {t.id: t.value for t in result.key_terms}
    assert terms["notice_to_terminate_for_convenience"] and terms["governing_law"] == "England and Wales"
    assert ws.playbook.key_terms == () and ws.playbook.path == custom
    ws.close()


def test_audit_paths_of_a_missing_file_is_not_found(workspace, tmp_path):
    with pytest.raises(NotFoundError, match="not found: .*nowhere.pdf"):
        workspace.audit_paths([tmp_path / "nowhere.pdf"])


def test_an_unknown_grouping_names_the_valid_ones(workspace):
    with pytest.raises(ValueError, match="valid: document, deal"):
        workspace.audit(by="matter")


def test_settings_choose_the_playbook(tmp_path, cache_dir):
    ws = Workspace(Settings(data_dir=tmp_path, cache_dir=cache_dir, playbook=PLAYBOOK))
    assert ws.playbook.path == PLAYBOOK and len(ws.playbook) == 31
    ws.close()


def test_scope_names_documents_and_deals_and_lists_the_deals_when_one_is_unknown(workspace):
    from ..paths import REPO

    charges = REPO / "corpus" / "harbourline_veridian" / "schedule_3_charges.txt"
    nda = REPO / "corpus" / "standalone" / "nda_harbourline_veridian.txt"
    workspace.ingest([charges], deal="Harbourline / Veridian")
    workspace.ingest([nda])
    by_name = {d.file_name: d.doc_id for d in workspace.documents()}
    assert workspace.scope() == ()
    assert workspace.scope(deals=["Harbourline / Veridian"]) == (by_name["schedule_3_charges.txt"],)
    assert workspace.scope(["nda_harbour"], ["Harbourline / Veridian"]) == (by_name["nda_harbourline_veridian.txt"], by_name["schedule_3_charges.txt"])
    assert workspace.scope(["schedule_3_charges.txt", "schedule_3"]) == (by_name["schedule_3_charges.txt"],)  # once
    with pytest.raises(NotFoundError, match="no deal 'Acme' in workspace 'test'; deals: Harbourline / Veridian"):
        workspace.scope(deals=["Acme"])
    with pytest.raises(NotFoundError):
        workspace.scope(["no_such_contract"])
