"""The load run: 20 concurrent signed-in users, each asking 10 questions and running one audit, on a workspace of at
least 50 real CUAD contracts; then the same with two app servers sharing one Chroma server.

    python -m eval.load --data ../shared/evaldata [--transport http|api] [--contracts 50] [--users 20]
                        [--configs embedded server two-servers]

Every user has its own account and password and a viewer grant on the workspace. Half the questions are limited to
one contract, half ask the whole workspace; each user audits one contract. ``embedded``: one app server on the
embedded store; ``server``: one app server on a ``chroma run`` server; ``two-servers``: two app servers on one
``chroma run`` server, half the users on each, and a contract ingested through the first is then answered through
the second.

``--transport http`` (the default): the real app server, ``contract-assistant serve`` in a child process on a free
loopback port, and every user a browser of its own over HTTP (``web_client``): it signs in at ``/login`` (its own
cookie), reads ``/config``, opens the page (the ``load`` event, its own Gradio session), then asks through the Chat
tab's event (``ask_question``, the picked contract in "Answer from") and audits through the Audit tab's
(``audit``): the events the page runs, found by name and ``elem_id`` in the app's ``/config``, each timed from
``queue/join`` to its completion on the SSE stream (queue waiting included, and reported apart). One untimed question
per server first, as a running server has answered before. The cross-server contract is uploaded and added through
the Documents tab of server a by an editor, and asked through server b by a viewer.

``--transport api``: the same users as threads of the app server process, through the Python API each web request
goes through (``Team.sign_in``, ``Workspace.as_user``), no HTTP.

Prints errors (an exception, an HTTP error, a failed event, a refusal of a permitted call, an empty answer or a
citation outside the picked contract; target 0), answer p50/p95, audit times, wall time and the load average per
configuration; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .app_server import app_server
from .chroma_server import chroma_cli, chroma_server
from .scale import QUESTIONS, percentile
from .web_client import AppConfig, Caller

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "load test passphrase 13"
EDITOR = "editor"  # adds the cross-server contract through the app (viewers may not)
CROSS_QUESTION = "Which law governs the agreement?"


@dataclass(frozen=True)
class Plan:
    """One load run: where its workspaces live, how many users, how many questions each."""

    work: Path
    users: int = 20
    questions: int = 10


def settings_for(work: Path, config: str, server: str, port: int | None):
    from assistant import Settings

    extra = {"chroma_host": "127.0.0.1", "chroma_port": port} if port else {}
    return Settings(data_dir=work / config / server, cache_dir=work / "cache", workspace="load", **extra)


def user_session(base, team, user: int, titles: list[str], questions: int, out: list) -> None:
    """One user: sign in, ask ``questions`` questions, audit one contract; every latency and error recorded."""
    from assistant.access.roles import Principal

    record = {"user": user, "answers": [], "audit": None, "errors": []}
    try:
        account = team.sign_in(f"user{user:02d}", PASSWORD, address=f"10.0.0.{user}")
        if account is None:
            raise RuntimeError("sign-in refused")
        ws = base.as_user(Principal(account.name, account.admin))
        for n in range(questions):
            question = QUESTIONS[(user + n) % len(QUESTIONS)]
            scope = [titles[(user * questions + n) % len(titles)]] if n % 2 else []
            started = time.perf_counter()
            try:
                answer = ws.ask(question, documents=scope)
                if not answer.text:
                    record["errors"].append(f"empty answer to {question!r}")
            except Exception as error:  # what the user would see as an error
                record["errors"].append(f"{type(error).__name__}: {error}"[:300])
            record["answers"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        try:
            results = ws.audit(documents=[titles[user % len(titles)]])
            if not results:
                record["errors"].append("audit returned nothing")
        except Exception as error:
            record["errors"].append(f"audit: {type(error).__name__}: {error}"[:300])
        record["audit"] = time.perf_counter() - started
    except Exception as error:
        record["errors"].append(f"{type(error).__name__}: {error}"[:300])
    out.append(record)


def serve(work: str, config: str, server: str, port: int | None, users: list[int], questions: int, start_at: float, queue) -> None:
    """An app server process: one workspace, warmed up, then one thread per signed-in user, started together."""
    from assistant import Workspace
    from assistant.api.team import Team

    settings = settings_for(Path(work), config, server, port)
    base = Workspace.open(settings, create=False)
    team = Team(settings)
    titles = [d.file_name for d in base.documents()]
    base.retrieve(QUESTIONS[0])  # vectors and BM25 loaded, as a running server has them
    out: list = []
    threads = [threading.Thread(target=user_session, args=(base, team, u, titles, questions, out)) for u in users]
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put({"server": server, "wall_s": time.perf_counter() - started, "records": out})


def prepare(plan: Plan, config: str, port: int | None, contracts: list[Path]) -> None:
    """Ingest the contracts (first app server), add the users and grant each a viewer role."""
    from assistant import Workspace
    from assistant.api.team import Team

    settings = settings_for(plan.work, config, "a", port)
    ws = Workspace(settings)
    report = ws.ingest(contracts)
    failed = [f.path for f in report.files if f.status == "failed"]
    if failed:
        raise RuntimeError(f"ingest failed for {failed}")
    team = Team(settings)
    known = {a.name for a in team.users()}
    for name, role in [(f"user{user:02d}", "viewer") for user in range(plan.users)] + [(EDITOR, "editor")]:
        if name not in known:
            team.add_user(name, PASSWORD)
        team.grant("load", name, role)
    stats = ws.stats()
    ws.close()  # the app servers open it; an embedded store is not shared with this process
    print(f"[{config}] {stats.documents} contracts, {stats.chunks} chunks; {report.summary()}", file=sys.stderr, flush=True)


def cross_server_check(plan: Plan, config: str, port: int, extra: Path) -> str:
    """A contract ingested through server a is listed and answered through server b (a fresh process)."""
    from assistant import Workspace

    a = Workspace(settings_for(plan.work, config, "a", port))
    a.ingest([extra])
    b = Workspace(settings_for(plan.work, config, "b", port))
    deadline = time.time() + 5
    while extra.name not in [d.file_name for d in b.documents()] and time.time() < deadline:
        time.sleep(0.1)
    answer = b.ask(CROSS_QUESTION, documents=[extra.name])
    cited = {c.span.file_name for c in answer.citations}
    return "yes" if cited == {extra.name} else f"no (cited {sorted(cited)})"


def run_api_config(plan: Plan, config: str, contracts: list[Path], extra: Path) -> dict:
    def body(port: int | None) -> dict:
        prepare(plan, config, port, contracts)
        servers = ["a", "b"] if config == "two-servers" else ["a"]
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        start_at = time.time() + 40  # every server loaded and warm before the users start
        processes = []
        for n, server in enumerate(servers):
            mine = [u for u in range(plan.users) if u % len(servers) == n]
            processes.append(context.Process(target=serve, args=(str(plan.work), config, server, port, mine, plan.questions, start_at, queue)))
        for p in processes:
            p.start()
        results = [queue.get(timeout=3600) for _ in processes]
        for p in processes:
            p.join()
        records = [r for result in results for r in result["records"]]
        figures = summarise(records, len(servers), max(r["wall_s"] for r in results))
        figures["load_average"] = f"{os.getloadavg()[0]:.1f}"
        if config == "two-servers":
            figures["ingested_on_a_answered_on_b"] = cross_server_check(plan, config, port, extra)
        return figures

    if config == "embedded":
        return body(None)
    with chroma_server(plan.work / config / "chroma") as port:
        return body(port)


def summarise(records: list[dict], servers: int, wall_s: float) -> dict:
    """The figures of one configuration from its users' records (latencies in ms for answers, s for audits)."""
    answers = [a for r in records for a in r["answers"]]
    audits = [r["audit"] for r in records if r["audit"] is not None]
    errors = [e for r in records for e in r["errors"]]
    figures = {"servers": servers, "users": len(records), "answers": len(answers), "errors": len(errors),
               "answer_p50_ms": round(statistics.median(answers)) if answers else None,
               "answer_p95_ms": round(percentile(answers, 0.95)) if answers else None,
               "audit_median_s": round(statistics.median(audits), 2) if audits else None,
               "audit_max_s": round(max(audits), 2) if audits else None, "wall_s": round(wall_s, 1), "first_errors": errors[:3]}
    waits = [w for r in records for w in r.get("answer_waits", [])]
    audit_waits = [r["audit_wait"] for r in records if r.get("audit_wait") is not None]
    if waits:
        figures["answer_queue_p95_ms"] = round(percentile(waits, 0.95))
    if audit_waits:
        figures["audit_queue_max_s"] = round(max(audit_waits), 2)
    return figures


# ---------------------------------------------------------------------------------------------- over HTTP


class Page:
    """One user's browser tab on the app: signed in with its own cookie, the app's description read from
    ``/config``, and one Gradio session opened by the page's ``load`` event."""

    def __init__(self, url: str, user: str, timeout: float = 900):
        self.caller = Caller(url, user, PASSWORD, timeout=timeout)
        self.app: AppConfig = self.caller.config()
        self.session = secrets.token_hex(8)  # a page's session_hash
        self.seen: dict[int, list] = {}
        opened = self.event("load", {"browserstate": {"workspace": "", "turns": []}})
        if not opened.ok:
            raise RuntimeError(f"the page did not open for {user}: {opened.error}")
        picker = self.app.output("load", opened.data, "workspace-picker")
        self.workspace = picker.get("value") if isinstance(picker, dict) else picker
        self.opened = opened

    def event(self, api_name: str, values: dict):
        """Run the page's event ``api_name`` with its inputs named by ``elem_id``, triggered from its first target."""
        dep = self.app.event(api_name)
        trigger = dep["targets"][0][0] if dep.get("targets") else None
        return self.caller.run(dep["id"], self.app.inputs(api_name, values), self.session, trigger_id=trigger,
                               seen=self.seen, outputs=dep["outputs"])

    def choices(self, elem_id: str) -> list[str]:
        """The values a picker of this page was last offered."""
        return self.seen.get(self.app.component(elem_id), [])

    def ask(self, question: str, scope: list[str]) -> tuple[dict | None, object]:
        """Ask in the Chat tab; the answered turn as the page keeps it (its browser state), and the event's result."""
        result = self.event("ask_question", {"question": question, "workspace-picker": self.workspace, "chat-scope": scope})
        if not result.ok:
            return None, result
        kept = self.app.output("ask_question", result.data, "browserstate") or {}
        turns = (kept.get("turns") or []) if isinstance(kept, dict) else []
        return (turns[-1] if turns else None), result

    def close(self) -> None:
        self.caller.close()


def answer_problem(turn: dict | None, question: str, scope: list[str]) -> str:
    """What is wrong with an answered turn as a user would see it ('' when nothing): no turn, an error shown in the
    transcript, no text, or a citation of a contract outside the picked one."""
    if turn is None:
        return f"no answer kept for {question!r}"
    if turn.get("error"):
        return f"error shown for {question!r}: {turn['error']}"[:300]
    answer = turn.get("answer") or {}
    if not (answer.get("text") or "").strip():
        return f"empty answer to {question!r}"
    outside = {c.get("doc_id") for c in answer.get("citations", [])} - set(scope) if scope else set()
    return f"{question!r} limited to {scope} cited {sorted(outside)}" if outside else ""


def browser_user(url: str, user: int, questions: int, ready: threading.Barrier, out: list) -> None:
    """One user's browser: sign in and open the page, wait for the others, then ask ``questions`` questions (every
    other one limited to a contract picked in "Answer from") and audit one contract, each timed end to end."""
    record: dict = {"user": user, "answers": [], "answer_waits": [], "audit": None, "audit_wait": None, "errors": []}
    page = None
    try:
        try:
            page = Page(url, f"user{user:02d}")
        finally:
            ready.wait()
        scopes, audits = page.choices("chat-scope"), page.choices("audit-docs")
        if not scopes or not audits:
            raise RuntimeError(f"the page offered no contracts (scope {len(scopes)}, audit {len(audits)})")
        for n in range(questions):
            question = QUESTIONS[(user + n) % len(QUESTIONS)]
            scope = [scopes[(user * questions + n) % len(scopes)]] if n % 2 else []
            started = time.perf_counter()
            try:
                turn, result = page.ask(question, scope)
                problem = answer_problem(turn, question, scope) if result.ok else f"ask {question!r}: {result.error}"[:300]
                if problem:
                    record["errors"].append(problem)
                if result.queued_s is not None:
                    record["answer_waits"].append(result.queued_s * 1000)
            except Exception as error:  # what the user would see as an error
                record["errors"].append(f"ask: {type(error).__name__}: {error}"[:300])
            record["answers"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        try:
            result = page.event("audit", {"workspace-picker": page.workspace, "audit-by": "document",
                                          "audit-docs": [audits[user % len(audits)]]})
            if not result.ok:
                record["errors"].append(f"audit: {result.error}"[:300])
            elif not page.app.output("audit", result.data, "audit-table"):
                record["errors"].append("audit: an empty findings table")
            record["audit_wait"] = result.queued_s
        except Exception as error:
            record["errors"].append(f"audit: {type(error).__name__}: {error}"[:300])
        record["audit"] = time.perf_counter() - started
    except Exception as error:
        record["errors"].append(f"{type(error).__name__}: {error}"[:300])
    finally:
        if page is not None:
            page.close()
    out.append(record)


def warm_up(url: str) -> None:
    """One untimed question through the page, so the server has loaded its vectors, keyword index and models."""
    page = Page(url, EDITOR)
    try:
        turn, result = page.ask(QUESTIONS[0], [])
        if not result.ok or answer_problem(turn, QUESTIONS[0], []):
            raise RuntimeError(f"warm-up question failed on {url}: {result.error or answer_problem(turn, QUESTIONS[0], [])}")
    finally:
        page.close()


def cross_server_http(url_a: str, url_b: str, extra: Path, timeout: float = 30) -> str:
    """A contract uploaded and added through server a's Documents tab (an editor) is offered and answered, citing it,
    through server b's Chat tab (a viewer)."""
    editor = Page(url_a, EDITOR)
    try:
        upload = editor.caller.upload(extra.read_bytes(), extra.name)
        if upload is None:
            return "no (upload refused)"
        added = editor.event("ingest", {"uploads": [upload], "upload-deal": "", "workspace-picker": editor.workspace})
        if not added.ok:
            return f"no (adding failed: {added.error})"[:200]
    finally:
        editor.close()
    deadline = time.time() + timeout
    while True:
        reader = Page(url_b, "user01")  # a viewer of server b
        offered = reader.app.output("load", reader.opened.data, "chat-scope") or {}
        doc_ids = [c[1] for c in offered.get("choices", []) if c[0] == extra.name]
        if doc_ids or time.time() > deadline:
            break
        reader.close()
        time.sleep(0.5)
    try:
        if not doc_ids:
            return "no (not offered on b)"
        turn, result = reader.ask(CROSS_QUESTION, doc_ids)
        if not result.ok or turn is None or not turn.get("answer"):
            return f"no ({result.error or answer_problem(turn, CROSS_QUESTION, doc_ids)})"[:200]
        cited = {c.get("file_name") for c in turn["answer"].get("citations", [])}
        return "yes" if cited == {extra.name} else f"no (cited {sorted(cited)})"
    finally:
        reader.close()


def run_http_config(plan: Plan, config: str, contracts: list[Path], extra: Path) -> dict:
    """Prepare the workspace and users, start the app server(s), run every user's browser at once, then (two servers)
    the cross-server check."""
    with contextlib.ExitStack() as stack:
        port = stack.enter_context(chroma_server(plan.work / config / "chroma")) if config != "embedded" else None
        prepare(plan, config, port, contracts)
        env = {"CONTRACT_ASSISTANT_CACHE_DIR": str(plan.work / "cache")}
        if port:
            env |= {"CONTRACT_ASSISTANT_CHROMA_HOST": "127.0.0.1", "CONTRACT_ASSISTANT_CHROMA_PORT": str(port)}
        servers = ["a", "b"] if config == "two-servers" else ["a"]
        urls = [stack.enter_context(app_server(plan.work / config / s, "load", env, log=plan.work / f"{config}-{s}.log")) for s in servers]
        for url in urls:
            warm_up(url)
        load_before = os.getloadavg()[0]
        out: list = []
        ready = threading.Barrier(plan.users + 1)
        threads = [threading.Thread(target=browser_user, args=(urls[u % len(urls)], u, plan.questions, ready, out)) for u in range(plan.users)]
        for t in threads:
            t.start()
        ready.wait()  # every user signed in with the page open
        started = time.perf_counter()
        for t in threads:
            t.join()
        figures = summarise(out, len(urls), time.perf_counter() - started)
        figures["load_average"] = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
        if config == "two-servers":
            figures["ingested_on_a_answered_on_b"] = cross_server_http(urls[0], urls[1], extra)
        return figures


def run(plan: Plan, configs: list[str], contracts: list[Path], extra: Path, transport: str = "http") -> dict[str, dict]:
    """The figures of each configuration (``extra``: the contract ingested through one server, answered through the other)."""
    run_config = run_http_config if transport == "http" else run_api_config
    results = {}
    for config in configs:
        results[config] = run_config(plan, config, contracts, extra)
        print(f"[{config}] {json.dumps(results[config])}", file=sys.stderr, flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "evaldata")
    parser.add_argument("--work", type=Path, default=None, help="keep the workspaces here (default: a temporary folder)")
    parser.add_argument("--contracts", type=int, default=50)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--configs", nargs="+", choices=("embedded", "server", "two-servers"), default=["embedded", "server", "two-servers"])
    parser.add_argument("--seed-cache", type=Path, nargs="*", default=[])
    parser.add_argument("--transport", choices=("http", "api"), default="http",
                        help="http: the app server over HTTP, as browsers use it; api: threads through the Python API")
    args = parser.parse_args(argv)
    cuad = sorted((args.data / "corpus" / "cuad").glob("*.txt"))
    if not cuad:
        print(f"skipped: no evaluation data at {args.data}")
        return 0
    if chroma_cli() is None:
        args.configs = [c for c in args.configs if c == "embedded"]
        print("server configurations skipped: the chroma CLI is not installed")
    args.work = Path(args.work or tempfile.mkdtemp(prefix="load-"))
    if args.seed_cache:
        from .scale import seed_cache

        seed_cache(args.work / "cache" / "embeddings.sqlite", args.seed_cache)
    contracts, extra = cuad[: args.contracts], cuad[args.contracts]
    results = run(Plan(args.work, args.users, args.questions), args.configs, contracts, extra, args.transport)
    keys = ["servers", "users", "answers", "errors", "answer_p50_ms", "answer_p95_ms", "answer_queue_p95_ms", "audit_median_s",
            "audit_max_s", "audit_queue_max_s", "wall_s", "load_average", "ingested_on_a_answered_on_b"]
    how = "HTTP, a browser session each" if args.transport == "http" else "Python API, threads"
    print(f"{len(contracts)} CUAD contracts, {args.users} users x {args.questions} questions + 1 audit each ({how})")
    print(f"{'figure':<28}" + "".join(f"{c:>14}" for c in results))
    for key in keys:
        print(f"{key:<28}" + "".join(f"{str(r.get(key, '-')):>14}" for r in results.values()))
    errors = sum(r["errors"] for r in results.values())
    for config, r in results.items():
        for message in r["first_errors"]:
            print(f"  {config}: {message}")
    print(f"errors {errors} (target 0)")
    return 1 if errors or any(r.get("ingested_on_a_answered_on_b", "yes") != "yes" for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
