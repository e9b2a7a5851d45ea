"""The access-control suite: every endpoint and file route of a running app server, called over raw HTTP as no one, as
a user without access, a viewer, an editor and an owner; prints the matrix and how many requests returned data they
should not (target 0) or changed what they may not (target 0).

    python -m eval.access_matrix [--work DIR] [--json FILE]

Set-up: three accounts and two workspaces of sample contracts (``corpus/``): ``harbour-matter`` (alice owner, bob
editor, carol none) and ``nimbus-matter`` (carol owner, bob viewer, alice none), so every role is someone's in one of
them. The app runs in this process (``start``) on a free loopback port; it is probed over HTTP only.

What is called is read from the app's own API description, not listed here: every event in ``/config``
(``dependencies``; the named ones are also in ``/gradio_api/info``), called through ``queue/join`` + the SSE stream
of ``queue/data``, and for no one and the user without access also through ``/gradio_api/call/<api_name>``; every
route in ``/openapi.json`` (GET, and POST with an empty body), with file routes (``file=``, ``file/``, ``proxy=``, ``stream/``...) asked for every
download URL an owner was handed, for the workspaces' catalog and vector files on disk, an upload of another user's
and traversal paths. Inputs are built from each component's type (the workspace picker names the probed workspace,
document pickers its documents, the sharing form the caller with the owner role, an upload a fresh file).

A *leak* is a response that carries text of a workspace the caller holds no role in (a distinctive phrase of one of
its documents, a document id or file name) that the request itself did not contain, or any workspace name before
sign-in. An *unauthorised change* is a change of a workspace's documents, deals or grants, or a new workspace, that
the caller's role does not allow (checked through the API after each call, then undone).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import secrets
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import assistant
from assistant import Principal, Settings, Team, Workspace
from assistant.index.catalogs import list_workspaces

from .web_client import Caller

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PASSWORD = "correct horse battery staple"
WORKSPACES = {
    "harbour-matter": ["harbourline_veridian/msa.pdf", "harbourline_veridian/schedule_3_charges.txt",
                       "harbourline_veridian/sow_02_hosting.md"],
    "nimbus-matter": ["standalone/nimbusgrid_cloud_terms.docx", "standalone/quickfix_support_agreement.pdf"],
}
ROLES = {("harbour-matter", "alice"): "owner", ("harbour-matter", "bob"): "editor",
         ("nimbus-matter", "carol"): "owner", ("nimbus-matter", "bob"): "viewer"}
USERS = ("alice", "bob", "carol")
CLASSES = ("no one", "no access", "viewer", "editor", "owner")
RANK = {None: 0, "viewer": 1, "editor": 2, "owner": 3}
QUESTION = "What are the charges and how much notice is needed to terminate?"
PASSAGE_KEY = re.compile(r"data-passage=\\?['\"]([\w.:-]+)")  # a link in a page; a click sends its key
FILE_ROUTE = re.compile(r"/(file=|file/|proxy=|stream/|static/|assets/|svelte/|custom_component/)")


@dataclass
class Cell:
    calls: int = 0
    data: int = 0       # returned the probed workspace's own text
    refused: int = 0    # an error, 4xx, or nothing
    leaks: int = 0
    changes: int = 0    # unauthorised changes

    def mark(self) -> str:
        if self.leaks or self.changes:
            return f"LEAK{self.leaks}/CHG{self.changes}"
        if self.data:
            return "data"
        return "denied" if self.refused == self.calls else "no data"


@dataclass
class Matrix:
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    events: int = 0
    routes: int = 0
    requests: int = 0
    leaks: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    cross_user_files: int = 0

    def cell(self, row: str, cls: str) -> Cell:
        return self.cells.setdefault(row, {}).setdefault(cls, Cell())

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.events, "routes": self.routes, "requests": self.requests, "leaks": self.leaks,
                "changes": self.changes, "cross_user_files": self.cross_user_files,
                "matrix": {row: {c: cell.mark() for c, cell in cols.items()} for row, cols in self.cells.items()}}


# ---------------------------------------------------------------------------------------------- set-up


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(work: Path, cache_dir: Path | None = None) -> Settings:
    """Accounts, two workspaces with documents, and the grants, made through the API as the local operator."""
    options = {"cache_dir": cache_dir} if cache_dir else {}
    settings = Settings(data_dir=work / "data", workspace="harbour-matter", server_host="127.0.0.1",
                        server_port=_free_port(), **options)
    team = Team(settings)
    for user in USERS:
        team.add_user(user, PASSWORD)
    operator = Principal.local_operator()
    for name, files in WORKSPACES.items():
        ws = team.create_workspace(name, operator)
        report = ws.ingest([CORPUS / f for f in files])
        failed = report.by_status("failed")
        if failed:
            raise RuntimeError(f"could not ingest {[f.detail for f in failed]}")
        ws.set_deal(ws.documents()[0].doc_id, f"{name}-deal")
        ws.close()
    for (name, user), role in ROLES.items():
        team.grant(name, user, role)
    return settings


def markers(settings: Settings) -> dict[str, set[str]]:
    """Per workspace: its document ids, file names and phrases of six plain words found in no other workspace."""
    texts, found = {}, {}
    for name in WORKSPACES:
        ws = Workspace(settings.with_workspace(name))
        docs = ws.documents()
        texts[name] = " ".join(" ".join(c.text.split()) for d in docs for c in ws.chunks(d.doc_id))
        found[name] = {d.doc_id for d in docs} | {d.doc_id[:12] for d in docs} | {d.file_name for d in docs}
        ws.close()
    package = Path(assistant.__file__).parent  # the playbook's wording is in every audit, of any workspace
    public = " ".join(" ".join(p.read_text(encoding="utf-8", errors="ignore").split())
                      for pattern in ("*.yaml", "*.yml", "*.json", "*.md", "*.txt", "*.py") for p in package.rglob(pattern))
    for name, text in texts.items():
        others = " ".join(t for n, t in texts.items() if n != name) + " " + public
        words = text.split()
        phrases = []
        for start in range(0, max(0, len(words) - 6), 23):
            run = words[start:start + 6]
            phrase = " ".join(run)
            if all(re.fullmatch(r"[A-Za-z][a-z]{2,}", w) for w in run) and phrase not in others and phrase not in phrases:
                phrases.append(phrase)
        found[name] |= set(phrases[:60])
    return found


_OPERATOR: dict[tuple[str, str], Workspace] = {}  # one operator's view of each workspace for the whole run


def _operator(settings: Settings, name: str) -> Workspace:
    key = (str(settings.data_dir), name)
    if key not in _OPERATOR:
        _OPERATOR[key] = Workspace(settings.with_workspace(name))
    return _OPERATOR[key]


def snapshot(settings: Settings, name: str) -> dict[str, Any]:
    """What a change would alter: the workspace's documents and deals, its grants, the set of workspaces."""
    docs = {d.doc_id: (d.file_name, d.deal) for d in _operator(settings, name).documents()}
    team = Team(settings)
    return {"docs": docs, "grants": {(g.user, g.role) for g in team.grants.of_workspace(name)},
            "workspaces": set(list_workspaces(settings))}


def restore(settings: Settings, name: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Undo a call's change through the API, so every call meets the same workspace."""
    ws = _operator(settings, name)
    for doc_id in set(after["docs"]) - set(before["docs"]):
        ws.remove(doc_id)
    missing = [d for d in before["docs"] if d not in after["docs"]]
    if missing:
        paths = {Path(f).name: CORPUS / f for f in WORKSPACES[name]}
        ws.ingest([paths[before["docs"][d][0]] for d in missing])
    for doc_id, (_, deal) in before["docs"].items():
        current = {d.doc_id: d.deal for d in ws.documents()}
        if current.get(doc_id, deal) != deal:
            ws.set_deal(doc_id, deal)
    team = Team(settings)
    now = {(g.user, g.role) for g in team.grants.of_workspace(name)}
    for user, role in now - before["grants"]:
        if (user, role) not in before["grants"]:
            team.revoke(name, user)
    for user, role in before["grants"] - {(g.user, g.role) for g in team.grants.of_workspace(name)}:
        team.grant(name, user, role)


# ---------------------------------------------------------------------------------------------- HTTP


def _norm(text: str) -> str:
    """Text as a reader sees it: JSON escapes and HTML entities undone, whitespace collapsed."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text.replace("\\n", " ").replace("\\t", " ").replace('\\"', '"').replace("\\/", "/"))
    return " ".join(text.split())


def found_markers(response: str, request: str, marks: set[str]) -> list[str]:
    """The markers in a response that the request did not itself contain (an echo is no leak)."""
    got, sent = _norm(response), _norm(request)
    return sorted(m for m in marks if m in got and m not in sent)


# ---------------------------------------------------------------------------------------------- inputs


def inputs_for(dep: dict, components: dict[int, dict], name: str, doc_ids: list[str], file_names: list[str],
               caller: Caller, probe_file: dict | None, seen: dict[int, list] | None = None) -> list:
    """A value for every input of an event, from the component's type: what a user of this workspace would send
    (a picker's first choice this session was offered, else the workspace's own documents)."""
    values = []
    seen = seen or {}
    for cid in dep["inputs"]:
        comp = components.get(cid, {})
        kind, props = comp.get("type", ""), comp.get("props", {})
        elem = props.get("elem_id") or ""
        offered = seen.get(cid)
        if elem == "workspace-picker":
            values.append(name)
        elif kind == "browserstate":
            values.append({"workspace": name, "turns": []})
        elif kind == "state":
            values.append(None)
        elif elem == "new-workspace":
            values.append(f"probe-{caller.user or 'anon'}")
        elif elem == "share-user":
            values.append(caller.user or "alice")
        elif elem == "share-role":
            values.append("owner")
        elif elem == "question":
            values.append(QUESTION)
        elif kind == "file":
            values.append([probe_file] if probe_file else None)
        elif kind == "dropdown" and "deal" in elem and not props.get("multiselect"):
            values.append("probe-deal")
        elif kind == "dropdown" and props.get("multiselect"):
            values.append(offered[-1:] if offered else doc_ids[-1:])
        elif kind == "dropdown":
            values.append(offered[0] if offered else file_names[0] if file_names else None)
        elif kind == "textbox":
            values.append("probe-deal" if "deal" in elem else "termination notice\ncharges")
        elif kind == "checkboxgroup":
            values.append([])
        elif kind == "checkbox":
            values.append(True)
        elif kind == "number":
            values.append(3650)
        elif kind == "radio":
            choices = props.get("choices") or []
            values.append(choices[0][1] if choices and isinstance(choices[0], (list, tuple)) else props.get("value"))
        else:
            values.append(props.get("value"))
    return values


def file_urls(text: str) -> set[str]:
    """Download URLs and server paths handed out in a response."""
    urls = set(re.findall(r'"url":\s*"([^"]+)"', text))
    urls |= {f"/gradio_api/file={p}" for p in re.findall(r'"path":\s*"(/[^"]+)"', text)}
    return {urlsplit(u).path if u.startswith("http") else u for u in urls}


# ---------------------------------------------------------------------------------------------- the run


def role_of(user: str | None, name: str) -> str | None:
    return ROLES.get((name, user)) if user else None


def klass(user: str | None, name: str) -> str:
    if user is None:
        return "no one"
    return role_of(user, name) or "no access"


def run(work: Path, cache_dir: Path | None = None, log=print) -> Matrix:
    """Build the deployment in ``work``, start the app, probe it; the matrix."""
    from assistant.shells.web.app import start

    began = time.perf_counter()
    settings = build(work, cache_dir)
    marks = markers(settings)
    names = set(WORKSPACES)
    demo = start(settings)
    base = f"http://127.0.0.1:{settings.server_port}"
    matrix = Matrix()
    callers = {u: Caller(base, u, PASSWORD) for u in (None, *USERS)}
    try:
        signed = callers["alice"]
        config = signed.http.get("/config").json()
        info = signed.http.get("/gradio_api/info").json()
        deps = [d for d in config["dependencies"] if d.get("backend_fn")]
        components = {c["id"]: c for c in config["components"]}
        named = set(info.get("named_endpoints", {}))
        matrix.events = len(deps)
        routes = sorted(signed.http.get("/openapi.json").json()["paths"])
        matrix.routes = len(routes)
        log(f"enumerated {len(deps)} events from /config ({len(named)} named in /gradio_api/info) and {len(routes)} routes from /openapi.json")
        load = next(d for d in deps if d.get("api_name") == "load")
        # reads first, then what may change things, so each read meets the full workspace
        deps.sort(key=lambda d: (any(w in (d.get("api_name") or "") for w in ("ingest", "remove", "deal", "share", "create")), d["id"]))
        handed: dict[str, tuple[str, str | None]] = {}  # url -> (workspace, user it was handed to)

        def judge(row: str, user: str | None, name: str, ok: bool, response: str, request: str) -> None:
            cls = klass(user, name)
            cell = matrix.cell(row, cls)
            cell.calls += 1
            matrix.requests += 1
            readable = {n for n in names if role_of(user, n)}
            for other in names - readable:
                hit = found_markers(response, request, marks[other])
                if hit:
                    cell.leaks += 1
                    matrix.leaks.append(f"{row} as {user or 'no one'} ({cls} of {name}): {other} {hit[:3]}")
            if user is None:
                for n in names:
                    if n in _norm(response) and n not in _norm(request):
                        cell.leaks += 1
                        matrix.leaks.append(f"{row} as no one: workspace name {n!r}")
            if ok and found_markers(response, request, marks[name]):
                cell.data += 1
            elif not ok:
                cell.refused += 1

        def check_change(row: str, user: str | None, name: str, before: dict) -> None:
            after = snapshot(settings, name)
            role = role_of(user, name)
            for key in ("docs", "grants", "workspaces"):
                if after[key] != before[key]:
                    permitted = key == "docs" and RANK[role] >= RANK["editor"] or key == "grants" and role == "owner"
                    if not permitted:
                        matrix.cell(row, klass(user, name)).changes += 1
                        matrix.changes.append(f"{row} as {user or 'no one'} ({klass(user, name)} of {name}) changed {key}")
            if after != before:
                restore(settings, name, before, after)

        for name in sorted(names):
            ws = Workspace(settings.with_workspace(name))
            docs = ws.documents()
            ws.close()
            doc_ids, file_names = [d.doc_id for d in docs], [d.file_name for d in docs]
            for user in (None, *USERS):
                caller = callers[user]
                session = secrets.token_hex(8)
                seen: dict[int, list] = {}
                passages: list[str] = []  # link keys the session's pages carry (a click sends one)
                own = next((n for n in sorted(names) if role_of(user, n)), None)
                if own and not role_of(user, name):  # an intruder's browser first opens a workspace of its own
                    caller.event(load["id"], inputs_for(load, components, own, [], [], caller, None), session, seen=seen,
                                 outputs=load["outputs"])
                request = json.dumps(inputs_for(load, components, name, doc_ids, file_names, caller, None))
                ok, response = caller.event(load["id"], json.loads(request), session, seen=seen, outputs=load["outputs"])
                judge("/load", user, name, ok, response, request)
                for dep in deps:
                    if dep is load:
                        continue
                    row = f"/{dep.get('api_name') or dep['id']}"
                    probe = caller.upload(f"PROBE FILE of {user} for {name}\n\nThe Supplier shall keep records.".encode(), "probe.txt")
                    data = inputs_for(dep, components, name, doc_ids, file_names, caller, probe, seen)
                    trigger = dep["targets"][0][0] if dep.get("targets") else None
                    event_data = {"passage": passages[-1] if passages else "c0"} if dep.get("collects_event_data") else None
                    before = snapshot(settings, name)
                    request = json.dumps(data)
                    ok, response = caller.event(dep["id"], data, session, event_data, trigger, seen, dep["outputs"])
                    judge(row, user, name, ok, response, request)
                    check_change(row, user, name, before)
                    passages += PASSAGE_KEY.findall(response)[:1]
                    for url in file_urls(response):
                        handed.setdefault(url, (name, user))
                    if role_of(user, name) is None and dep.get("api_name") and f"/{dep['api_name']}" in named:
                        before = snapshot(settings, name)
                        ok, response = caller.call(dep["api_name"], data)
                        judge(f"{row} (call/)", user, name, ok, response, request)
                        check_change(f"{row} (call/)", user, name, before)
                log(f"  {name}: {klass(user, name)} ({user or 'anonymous'}) done, {time.perf_counter() - began:.0f} s")

        # file routes: what owners were handed, the data on disk, another user's upload, traversal
        uploaded = callers["alice"].upload(b"alice's private upload: harbour-matter notes", "notes.txt") or {}
        on_disk = [p for n in names for p in (settings.with_workspace(n).workspace_dir).rglob("*") if p.is_file()][:40]
        per_holder: dict[tuple, int] = {}
        targets = {}
        for url, holder in handed.items():  # a few of each user's downloads in each workspace
            if ("file=" in url or "/file/" in url) and per_holder.get(holder, 0) < 4:
                per_holder[holder] = per_holder.get(holder, 0) + 1
                targets[url] = holder
        file_routes = [r for r in routes if FILE_ROUTE.search(r)]
        log(f"  file routes: {len(file_routes)}, {len(targets)} download URLs handed out, {len(on_disk)} files on disk")
        for route in file_routes:
            prefix = route.split("{")[0]
            handed_paths = [u.split("file=", 1)[-1] for u in targets] if "file" in prefix else []
            paths = handed_paths + [str(p) for p in on_disk] + [uploaded.get("path", "")]
            paths += ["/etc/passwd", "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", str(settings.data_dir / "access" / "records.json"),
                      f"{settings.data_dir}/../{settings.data_dir.name}/harbour-matter/catalog.sqlite"]
            for user in (None, *USERS):
                for path in dict.fromkeys(p for p in paths if p):
                    status, body = callers[user].get(prefix + path)
                    owner = next(((w, u) for url, (w, u) in targets.items() if url.endswith(path)), None)
                    name = owner[0] if owner else next((n for n in names if f"/{n}/" in path), "harbour-matter")
                    ok = status == 200
                    row = f"{prefix}<path>"
                    judge(row, user, name, ok, body if ok else "", prefix + path)
                    if ok and owner and owner[1] != user:
                        matrix.cross_user_files += 1
                    if ok and "root:x:0:0" in body:
                        matrix.cell(row, klass(user, name)).leaks += 1
                        matrix.leaks.append(f"{prefix}{path} as {user or 'no one'}: /etc/passwd")
        log("  every other route")
        # every other route, as each caller (path parameters filled with a dummy)
        for route in routes:
            if FILE_ROUTE.search(route) or route in ("/login", "/login/", "/logout"):
                continue
            path = re.sub(r"\{[^}]+\}", "x", route)
            for user in (None, *USERS):
                for method in ("GET", "POST"):
                    status, body = callers[user].get(path, seconds=2.0, method=method)
                    for name in sorted(names):  # one response, judged as this caller's class in each workspace
                        judge(route, user, name, status == 200, body if status == 200 else "", path)
    finally:
        demo.close()
        demo.pool.close()  # type: ignore[attr-defined]
        for key in [k for k in _OPERATOR if k[0] == str(settings.data_dir)]:
            _OPERATOR.pop(key).close()
    return matrix


def render(matrix: Matrix) -> str:
    width = max(len(r) for r in matrix.cells) + 2
    lines = ["endpoint".ljust(width) + "".join(c.ljust(12) for c in CLASSES)]
    for row in sorted(matrix.cells):
        cols = matrix.cells[row]
        lines.append(row.ljust(width) + "".join((cols[c].mark() if c in cols else "-").ljust(12) for c in CLASSES))
    lines.append("")
    lines.append(f"events enumerated: {matrix.events} (/config), routes enumerated: {matrix.routes} (/openapi.json), "
                 f"requests: {matrix.requests}")
    lines.append(f"requests that returned data they should not: {len(matrix.leaks)} (target 0)")
    lines.append(f"unauthorised changes: {len(matrix.changes)} (target 0); files served to a user they were not handed to: "
                 f"{matrix.cross_user_files}")
    lines += [f"  LEAK {x}" for x in matrix.leaks[:40]] + [f"  CHANGE {x}" for x in matrix.changes[:40]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="folder for the data (default: a temporary one, deleted after)")
    parser.add_argument("--json", type=Path, help="also write the matrix as JSON here")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="access-matrix-"))
    started = time.perf_counter()
    try:
        matrix = run(work, log=lambda m: print(m, file=sys.stderr, flush=True))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(render(matrix))
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(matrix.to_dict(), indent=1), encoding="utf-8")
    return 1 if matrix.leaks or matrix.changes else 0


if __name__ == "__main__":
    raise SystemExit(main())
