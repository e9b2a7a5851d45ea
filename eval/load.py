"""The load run: 20 concurrent signed-in users, each asking 10 questions and running one audit, on a workspace of at
least 50 real CUAD contracts; then the same with two app servers sharing one Chroma server.

    python -m eval.load --data ../shared/evaldata [--contracts 50] [--users 20] [--configs embedded server two-servers]

Each user signs in with its own account and password (``Team.sign_in``: scrypt hashes, the login guard) and holds a
viewer grant on the workspace; its session is the app server's workspace as that principal sees it
(``Workspace.as_user``, every call checked against the user's role), which is what the web app gives each request.
Users are threads of the app server process, as Gradio runs its handlers; requests go through the Python API, not
HTTP (the web shell is another suite's). Half the questions name a contract (``documents=[...]``), half ask the whole
workspace; each user audits one contract of its own. In ``two-servers`` a second app server process serves half
the users, both pointed at one ``chroma run`` server, and a contract ingested through the first during the run is
then answered through the second.

Prints errors (an exception, a refusal of a permitted call, or an empty answer; target 0), answer p50/p95 and audit
times per configuration; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from .chroma_server import chroma_cli, chroma_server
from .scale import QUESTIONS, percentile

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "load test passphrase 13"


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


def prepare(args, config: str, port: int | None, contracts: list[Path]) -> None:
    """Ingest the contracts (first app server), add the users and grant each a viewer role."""
    from assistant import Workspace
    from assistant.api.team import Team

    settings = settings_for(args.work, config, "a", port)
    ws = Workspace(settings)
    report = ws.ingest(contracts)
    failed = [f.path for f in report.files if f.status == "failed"]
    if failed:
        raise RuntimeError(f"ingest failed for {failed}")
    team = Team(settings)
    known = {a.name for a in team.users()}
    for user in range(args.users):
        name = f"user{user:02d}"
        if name not in known:
            team.add_user(name, PASSWORD)
        team.grant("load", name, "viewer")
    print(f"[{config}] {ws.stats().documents} contracts, {ws.stats().chunks} chunks; {report.summary()}", file=sys.stderr, flush=True)


def cross_server_check(args, config: str, port: int, extra: Path) -> str:
    """A contract ingested through server a is listed and answered through server b (a fresh process)."""
    from assistant import Workspace

    a = Workspace(settings_for(args.work, config, "a", port))
    a.ingest([extra])
    b = Workspace(settings_for(args.work, config, "b", port))
    deadline = time.time() + 5
    while extra.name not in [d.file_name for d in b.documents()] and time.time() < deadline:
        time.sleep(0.1)
    answer = b.ask("Which law governs the agreement?", documents=[extra.name])
    cited = {c.span.file_name for c in answer.citations}
    return "yes" if cited == {extra.name} else f"no (cited {sorted(cited)})"


def run_config(args, config: str, contracts: list[Path], extra: Path) -> dict:
    def body(port: int | None) -> dict:
        prepare(args, config, port, contracts)
        servers = ["a", "b"] if config == "two-servers" else ["a"]
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        start_at = time.time() + 40  # every server loaded and warm before the users start
        processes = []
        for n, server in enumerate(servers):
            mine = [u for u in range(args.users) if u % len(servers) == n]
            processes.append(context.Process(target=serve, args=(str(args.work), config, server, port, mine, args.questions, start_at, queue)))
        for p in processes:
            p.start()
        results = [queue.get(timeout=3600) for _ in processes]
        for p in processes:
            p.join()
        records = [r for result in results for r in result["records"]]
        answers = [a for r in records for a in r["answers"]]
        audits = [r["audit"] for r in records if r["audit"] is not None]
        errors = [e for r in records for e in r["errors"]]
        figures = {"servers": len(servers), "users": len(records), "answers": len(answers), "errors": len(errors),
                   "answer_p50_ms": round(statistics.median(answers)), "answer_p95_ms": round(percentile(answers, 0.95)),
                   "audit_median_s": round(statistics.median(audits), 2), "audit_max_s": round(max(audits), 2),
                   "wall_s": round(max(r["wall_s"] for r in results), 1), "first_errors": errors[:3]}
        if config == "two-servers":
            figures["ingested_on_a_answered_on_b"] = cross_server_check(args, config, port, extra)
        return figures

    if config == "embedded":
        return body(None)
    with chroma_server(args.work / config / "chroma") as port:
        return body(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "evaldata")
    parser.add_argument("--work", type=Path, default=None, help="keep the workspaces here (default: a temporary folder)")
    parser.add_argument("--contracts", type=int, default=50)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--configs", nargs="+", choices=("embedded", "server", "two-servers"), default=["embedded", "server", "two-servers"])
    parser.add_argument("--seed-cache", type=Path, nargs="*", default=[])
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
    results = {}
    for config in args.configs:
        results[config] = run_config(args, config, contracts, extra)
        print(f"[{config}] {json.dumps(results[config])}", file=sys.stderr, flush=True)
    keys = ["servers", "users", "answers", "errors", "answer_p50_ms", "answer_p95_ms", "audit_median_s", "audit_max_s", "wall_s",
            "ingested_on_a_answered_on_b"]
    print(f"{args.contracts} CUAD contracts, {args.users} users x {args.questions} questions + 1 audit each (Python API, threads)")
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
