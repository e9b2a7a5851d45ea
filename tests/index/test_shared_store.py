"""One shared store for a team: two app server processes pointed at one ``chroma run`` server see the same workspaces.

Each "app server" is a separate process with its own data folder (its disk holds only caches), so nothing can pass
between them except through the Chroma server: documents, chunks, texts, deals, the generation, accounts and grants.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from eval.chroma_server import chroma_cli, chroma_server

MSA = ("1. Term\nThis Agreement lasts five (5) years.\n2. Governing law\n"
       "This Agreement is governed by the laws of England and Wales.\n")
SLA = "1. Service levels\nAvailability of the hosting service shall be at least 99.95% in each month.\n"


def app_server(data_dir: str, cache_dir: str, port: int, requests, replies) -> None:
    """A long-lived process holding one Workspace on the shared server, answering requests until told to stop."""
    from assistant import Settings, Workspace
    from assistant.api.team import Team
    from assistant.index.catalogs import list_workspaces

    # files read in-process: a multiprocessing child never runs atexit, so a worker pool of its own would keep it alive
    settings = Settings(data_dir=Path(data_dir), cache_dir=Path(cache_dir), workspace="team", chroma_host="127.0.0.1", chroma_port=port,
                        parse_workers=0)
    ws = Workspace(settings)
    team = Team(settings)
    while True:
        op, arg = requests.get()
        try:
            if op == "stop":
                ws.close()
                replies.put(("ok", None))
                return
            if op == "ingest":
                report = ws.ingest([arg])
                replies.put(("ok", [(Path(f.path).name, f.status, f.chunks) for f in report.files]))
            elif op == "documents":
                replies.put(("ok", [(d.file_name, d.chunks, d.deal) for d in ws.documents()]))
            elif op == "ask":
                answer = ws.ask(arg)
                replies.put(("ok", (answer.text, [c.span.file_name for c in answer.citations])))
            elif op == "remove":
                replies.put(("ok", ws.remove(arg).file_name))
            elif op == "set_deal":
                ws.set_deal(*arg)
                replies.put(("ok", None))
            elif op == "consistency":
                replies.put(("ok", (ws.stats().to_dict(), ws.index.consistency(), ws.index.shared)))
            elif op == "activity":
                replies.put(("ok", [(r.get("event", "question"), r.get("question", r.get("detail", ""))) for r in ws.activity()]))
            elif op == "workspaces":
                replies.put(("ok", list_workspaces(settings)))
            elif op == "add_user":
                team.add_user(arg, "a long enough passphrase")
                team.grant("team", arg, "viewer")
                replies.put(("ok", None))
            elif op == "role":
                principal = team.principal(arg)
                replies.put(("ok", (principal is not None, team.role("team", principal) if principal else None,
                                    team.verify_login(arg, "a long enough passphrase") is not None)))
            else:
                replies.put(("error", f"unknown op {op}"))
        except Exception as error:  # the test sees the failure as a reply
            replies.put(("error", f"{type(error).__name__}: {error}"))


def _complete(reply):
    return reply if reply[0]["documents"] == 2 else None


class AppServer:
    def __init__(self, context, data_dir: Path, cache_dir: Path, port: int):
        self.requests, self.replies = context.Queue(), context.Queue()
        self.process = context.Process(target=app_server, args=(str(data_dir), str(cache_dir), port, self.requests, self.replies))
        self.process.start()

    def __call__(self, op: str, arg=None):
        self.requests.put((op, arg))
        status, value = self.replies.get(timeout=240)
        assert status == "ok", value
        return value

    def stop(self) -> None:
        try:
            self("stop")
        finally:
            self.process.join(timeout=30)
            if self.process.is_alive():  # never leave a process behind that would hold pytest at exit
                self.process.kill()
                self.process.join(timeout=10)


def eventually(check, timeout: float = 5.0):
    """The value of ``check()`` once it is truthy (another server's write reaches a reader within the generation TTL)."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.1)


@pytest.mark.skipif(chroma_cli() is None, reason="the chroma CLI is not installed")
def test_two_app_servers_share_one_chroma_server(tmp_path, cache_dir):
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "msa.txt").write_text(MSA, encoding="utf-8")
    (folder / "sla.txt").write_text(SLA, encoding="utf-8")
    context = multiprocessing.get_context("spawn")
    with chroma_server(tmp_path / "chroma") as port:
        a = AppServer(context, tmp_path / "server-a", cache_dir, port)
        b = AppServer(context, tmp_path / "server-b", cache_dir, port)
        try:
            added = a("ingest", str(folder))
            assert sorted(status for _, status, _ in added) == ["added", "added"]
            # ingested through A: listed and answered through B at once
            assert eventually(lambda: [name for name, _, _ in b("documents")] == ["msa.txt", "sla.txt"])
            text, cited = b("ask", "Which law governs the agreement?")
            assert "England and Wales" in text and cited == ["msa.txt"]
            assert b("workspaces") == ["team"]
            stats, consistency, shared = b("consistency")
            assert shared and stats["documents"] == 2 and stats["chunks"] == stats["vectors"] > 0
            assert consistency["missing_vectors"] == consistency["stray_vectors"] == consistency["bm25_differences"] == 0
            # a deal set through B is A's too
            b("set_deal", ("sla.txt", "hosting"))
            assert eventually(lambda: ("sla.txt", 1, "hosting") in a("documents"))
            # removed through B: gone for both
            assert b("remove", "sla.txt") == "sla.txt"
            assert eventually(lambda: [name for name, _, _ in a("documents")] == ["msa.txt"])
            assert [name for name, _, _ in b("documents")] == ["msa.txt"]
            # re-ingest through A and through B: the removed file comes back once, nothing is duplicated
            again = a("ingest", str(folder))
            assert sorted(again) == [("msa.txt", "unchanged", 0), ("sla.txt", "added", 1)]
            assert [status for _, status, _ in b("ingest", str(folder))] == ["unchanged", "unchanged"]
            for server in (a, b):
                stats, consistency, _ = eventually(lambda: _complete(server("consistency")))
                assert stats == {"documents": 2, "chunks": 2, "vectors": 2}
                assert consistency["stray_vectors"] == consistency["missing_vectors"] == consistency["bm25_differences"] == 0
            # one trail for the team: what was done through either server, in order, read through either
            activity = a("activity")
            assert [event for event, _ in activity] == ["ingest", "question", "deal", "remove", "ingest"]
            assert activity[1] == ("question", "Which law governs the agreement?") and "sla.txt" in activity[2][1]
            assert b("activity") == activity
            # accounts and grants made through A sign in through B
            a("add_user", "carol")
            assert b("role", "carol") == (True, "viewer", True)
        finally:
            a.stop()
            b.stop()
    for server in ("server-a", "server-b"):
        folder = tmp_path / server / "workspaces" / "team"
        assert not (folder / "catalog.sqlite").exists(), "the catalog lives in the server"
        assert not (folder / "trail.jsonl").exists(), "the trail lives in the server"
