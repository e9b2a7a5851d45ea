"""The web server's access control over HTTP: the access matrix (every endpoint the app describes, as five kinds of
caller), sign-in throttling and locking, session expiry, cookies, the gate on downloads, and the refusal to serve a
network address without accounts."""

from __future__ import annotations

import secrets
import socket
import time

import httpx
import pytest

from assistant import AssistantError, Principal, Settings, Team, Workspace
from assistant.shells.web.app import check_exposure, create_app, start
from assistant.shells.web.guard import Gate
from eval import access_matrix

PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path, cache_dir, request):
    """A running app with two accounts (dana owns 'matter', eve has no role); options via indirect parametrize."""
    options = getattr(request, "param", {})
    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="matter", server_host="127.0.0.1",
                        server_port=_free_port(), **options)
    team = Team(settings)
    team.add_user("dana", PASSWORD)
    team.add_user("eve", PASSWORD)
    team.create_workspace("matter", Principal.local_operator()).close()
    team.grant("matter", "dana", "owner")
    demo = start(settings)
    yield f"http://127.0.0.1:{settings.server_port}", settings
    demo.close()
    demo.pool.close()


def _login(client: httpx.Client, user: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/login", data={"username": user, "password": password})


def test_access_matrix_has_no_leaks_over_every_enumerated_endpoint(tmp_path, cache_dir):
    matrix = access_matrix.run(tmp_path, cache_dir, log=lambda m: None)
    print(access_matrix.render(matrix))
    assert matrix.leaks == [] and matrix.changes == [], (matrix.leaks, matrix.changes)
    assert matrix.cross_user_files == 0
    # enumerated from the app's description, not a list: every event of /config and every route of /openapi.json
    assert matrix.events >= 35 and matrix.routes >= 60
    rows = matrix.cells
    assert {"/ask_question", "/remove", "/share", "/audit", "/redline", "/gradio_api/file=<path>"} <= set(rows)
    assert sum(1 for r in rows if not r.endswith("(call/)")) >= matrix.events + matrix.routes - 10
    # the probes reach the data where the role allows it (so a leak would have been seen) ...
    for row in ("/ask_question", "/open_workspace", "/audit", "/gradio_api/file=<path>"):
        assert rows[row]["owner"].data and rows[row]["viewer"].data, row
    assert rows["/ingest"]["editor"].data and not rows["/ingest"]["viewer"].data
    assert rows["/remove"]["editor"].data and rows["/remove"]["viewer"].refused == rows["/remove"]["viewer"].calls
    # ... and nowhere else
    for row, cols in rows.items():
        for cls in ("no one", "no access"):
            assert cls not in cols or not cols[cls].data, (row, cls)


def test_failed_sign_ins_are_slowed_then_locked_over_http(tmp_path, cache_dir):
    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, server_port=_free_port(), login_lock_after=5)
    team = Team(settings)
    team.add_user("dana", PASSWORD)
    team.add_user("eve", PASSWORD)
    demo = start(settings)
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{settings.server_port}", timeout=30)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assert _login(client, "dana", "wrong password").status_code == 400
            times.append(time.perf_counter() - started)
        assert times[3] >= 0.5 and times[4] >= 1.0 and max(times[:3]) < times[4] - 0.5  # three free, then 0.5 s, 1 s
        locked = _login(client, "dana")
        assert locked.status_code == 429 and "try again" in locked.text and int(locked.headers["retry-after"]) > 60
        assert _login(client, "eve").status_code == 429  # the address is locked too: no spraying other accounts
        log = (settings.data_dir / "access" / "signins.jsonl").read_text()
        assert log.count('"failed"') == 5 and '"locked"' in log and "wrong password" not in log
    finally:
        demo.close()
        demo.pool.close()


@pytest.mark.parametrize("server", [{"session_idle_minutes": 0.05}], indirect=True)
def test_sessions_expire_and_cookies_are_http_only(server):
    url, settings = server
    client = httpx.Client(base_url=url, timeout=30)
    response = _login(client, "dana")
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("HttpOnly" in c for c in cookies)
    assert any("Secure" in c for c in cookies) and all("SameSite" in c for c in cookies)
    assert client.get("/config").status_code == 200
    time.sleep(2.0)
    assert client.get("/config").status_code == 200  # a request keeps it alive
    time.sleep(3.5)
    assert client.get("/config").status_code == 401  # idle longer than session_idle_minutes: signed out
    assert client.get("/gradio_api/info").status_code == 401


def test_a_password_change_or_removed_account_ends_its_sessions(server):
    url, settings = server
    dana, eve = httpx.Client(base_url=url, timeout=30), httpx.Client(base_url=url, timeout=30)
    assert _login(dana, "dana").status_code == 200 and _login(eve, "eve").status_code == 200
    assert dana.get("/config").status_code == 200 and eve.get("/config").status_code == 200
    team = Team(settings)
    team.set_password("dana", "another long passphrase")
    team.remove_user("eve")
    time.sleep(2.5)  # the gate re-reads accounts every ACCOUNT_TTL_S
    assert dana.get("/config").status_code == 401 and eve.get("/config").status_code == 401


def test_tls_cookies_are_secure_and_the_plain_one_is_dropped(tmp_path):
    gate = Gate(Team(Settings(data_dir=tmp_path / "data")), open_access=False)
    gradio_cookies = [(b"set-cookie", b"access-token-abc=t1; HttpOnly; Path=/; SameSite=none; Secure"),
                      (b"set-cookie", b"access-token-unsecure-abc=t1; HttpOnly; Path=/; SameSite=lax"),
                      (b"set-cookie", b"other=1; Path=/")]
    over_tls = [v.decode() for _, v in gate._cookies(gradio_cookies, True, None)]
    assert len(over_tls) == 2 and all("Secure" in c and "HttpOnly" in c for c in over_tls)
    assert not any(c.startswith("access-token-unsecure-") for c in over_tls)
    plain = [v.decode() for _, v in gate._cookies(gradio_cookies, False, None)]
    assert len(plain) == 3 and all("HttpOnly" in c for c in plain)


def test_no_accounts_serves_loopback_only_unless_insecure_no_auth(tmp_path, caplog):
    settings = Settings(data_dir=tmp_path / "data", server_host="0.0.0.0", server_port=_free_port())
    demo = create_app(settings)
    with pytest.raises(AssistantError, match="no user accounts.*users add.*--insecure-no-auth"):
        check_exposure(settings, demo, insecure_no_auth=False)
    with pytest.raises(AssistantError, match="no user accounts"):
        start(settings)
    check_exposure(settings, demo, insecure_no_auth=True)  # a demo, with a warning
    assert "without a login" in caplog.text
    check_exposure(settings.model_copy(update={"server_host": "127.0.0.1"}), demo, insecure_no_auth=False)
    Team(settings).add_user("dana", PASSWORD)
    check_exposure(settings, create_app(settings), insecure_no_auth=False)  # accounts: a sign-in guards it


def test_cli_serve_refuses_a_network_address_without_accounts(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "assistant.shells.cli", "serve", "--host", "0.0.0.0", "--port",
                             str(_free_port()), "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "--insecure-no-auth" in result.stderr


def test_the_page_and_description_name_no_workspace_before_sign_in(server):
    url, _ = server
    anonymous = httpx.Client(base_url=url, timeout=30)
    page = anonymous.get("/")
    assert page.status_code == 200 and "matter" not in page.text
    assert anonymous.get("/config").status_code == 401 and anonymous.get("/gradio_api/info").status_code == 401
    eve = httpx.Client(base_url=url, timeout=30)
    _login(eve, "eve")
    assert eve.get("/config").status_code == 200 and "matter" not in eve.get("/config").text  # filled per session
    assert eve.get("/gradio_api/file=/etc/passwd").status_code == 404
    assert eve.get("/gradio_api/file=../../../../etc/passwd").status_code == 404


def test_an_owner_shares_a_workspace_in_the_app_and_the_list_follows(server):
    url, settings = server
    dana, eve = access_matrix.Caller(url, "dana", PASSWORD), access_matrix.Caller(url, "eve", PASSWORD)
    config = dana.http.get("/config").json()
    deps = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name")}
    load, share = deps["load"], deps["share"]
    picker = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "workspace-picker")

    def listed(caller: access_matrix.Caller) -> list:
        seen: dict[int, list] = {}
        ok, _ = caller.event(load["id"], [{"workspace": "", "turns": []}], secrets.token_hex(8), seen=seen, outputs=load["outputs"])
        assert ok
        return seen.get(picker, [])

    assert listed(dana) == ["matter"] and listed(eve) == []
    ok, response = eve.event(share["id"], ["matter", "eve", "owner"], secrets.token_hex(8))
    assert not ok and "no workspace 'matter' that user 'eve' may open" in response  # no role: not even its existence
    ok, response = dana.event(share["id"], ["matter", "eve", "viewer"], secrets.token_hex(8))
    assert ok and "eve is now viewer of matter" in response
    assert listed(eve) == ["matter"]
    assert Team(settings).role("matter", Team(settings).principal("eve")) == "viewer"
    ok, response = eve.event(share["id"], ["matter", "eve", "owner"], secrets.token_hex(8))
    assert not ok and "needs its owner or an admin" in response  # a viewer cannot promote itself
    ws = Workspace(settings.with_workspace("matter"))
    events = [(e.get("event"), e.get("user"), e.get("detail")) for e in ws.activity()]
    ws.close()
    assert ("grant", "dana", "eve: viewer") in events
    assert any(event == "denied" and user == "eve" for event, user, _ in events)  # the trail records the refusals
