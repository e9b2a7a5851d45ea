"""Accounts, roles and their enforcement in the Python API: real record stores, real workspaces."""

from __future__ import annotations

import inspect
import json
import stat
import warnings

import pytest
from typer.testing import CliRunner

from assistant import (
    AccessDeniedError,
    AccountError,
    LoginLockedError,
    NotFoundError,
    Principal,
    Settings,
    Team,
    Workspace,
)
from assistant.access.logins import LoginGuard, LoginPolicy
from assistant.access.passwords import hash_password, verify_password
from assistant.access.sessions import Sessions
from assistant.api.management import Management

CONTRACT = ("MASTER SERVICES AGREEMENT\n\n1. TERM\n1.1 This Agreement starts on 1 January 2025 and runs for three (3) years.\n\n"
            "2. TERMINATION\n2.1 The Customer may terminate this Agreement for convenience on six (6) months' written notice.\n\n"
            "3. GOVERNING LAW\n3.1 This Agreement is governed by the laws of England and Wales.\n")


@pytest.fixture
def team(settings) -> Team:
    return Team(settings)


@pytest.fixture
def people(team, tmp_path):
    """An admin, and alice (owner), erin (editor), vic (viewer) and nora (no role) of workspace 'acme' with one contract."""
    team.add_user("root", "root-password-1", admin=True)
    for name in ("alice", "erin", "vic", "nora"):
        team.add_user(name, f"{name}-password-1")
    contract = tmp_path / "msa.txt"
    contract.write_text(CONTRACT, encoding="utf-8")
    ws = team.create_workspace("acme", team.principal("root"))
    ws.ingest([contract])
    team.grant("acme", "alice", "owner", by=team.principal("root"))
    alice = team.principal("alice")
    team.grant("acme", "erin", "editor", by=alice)
    team.grant("acme", "vic", "viewer", by=alice)
    return {name: team.principal(name) for name in ("root", "alice", "erin", "vic", "nora")}, contract


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$") and "correct horse" not in first
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct hors", first) and not verify_password("x", "not-a-hash")


def test_accounts_store_no_plain_password_and_are_private(team, settings):
    team.add_user("alice", "alice-password-1")
    path = settings.data_dir / "access" / "access.json"
    assert "alice-password-1" not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert team.sign_in("alice", "alice-password-1").name == "alice"
    assert team.sign_in("alice", "wrong-password") is None
    with pytest.raises(AccountError, match="exists already"):
        team.add_user("ALICE", "another-password")
    with pytest.raises(AccountError, match="at least 8"):
        team.add_user("bob", "short")
    with pytest.raises(AccountError, match="not valid"):
        team.add_user("bad name", "long-enough-1")
    team.set_password("alice", "new-password-22")
    assert team.sign_in("alice", "alice-password-1") is None and team.sign_in("alice", "new-password-22")
    team.remove_user("alice")
    assert team.principal("alice") is None
    with pytest.raises(AccountError, match="no user 'alice'"):
        team.remove_user("alice")


def test_only_admins_manage_accounts(team):
    team.add_user("alice", "alice-password-1")
    team.add_user("root", "root-password-1", admin=True)
    alice = team.principal("alice")
    with pytest.raises(AccessDeniedError):
        team.add_user("mallory", "mallory-password", by=alice)
    with pytest.raises(AccessDeniedError):
        team.set_password("root", "taken-over-123", by=alice)
    with pytest.raises(AccessDeniedError):
        team.set_admin("alice", True, by=alice)
    team.set_password("alice", "alice-password-2", by=alice)  # one's own password
    assert team.sign_in("alice", "alice-password-2") and team.sign_in("root", "root-password-1")


def test_every_public_workspace_method_names_its_action():
    """A method added to the API without ``@requires`` would be reachable by anyone: this lists the ones that lack it."""
    unchecked = []
    for cls in (Workspace, Management):
        for name, member in vars(cls).items():
            if name.startswith("_") or name in ("open", "close", "as_user", "name", "principal"):
                continue
            if inspect.isfunction(member) and not hasattr(member, "required_action"):
                unchecked.append(name)
    assert unchecked == []


def test_roles_are_enforced_in_the_api(team, people, tmp_path):
    who, contract = people
    viewer = team.open("acme", who["vic"])
    assert [d.file_name for d in viewer.documents()] == ["msa.txt"]
    assert viewer.ask("How much notice to terminate for convenience?").answered
    assert viewer.audit()
    with pytest.raises(AccessDeniedError, match="needs the editor role"):
        viewer.remove("msa.txt")
    with pytest.raises(AccessDeniedError):
        viewer.ingest([contract])
    with pytest.raises(AccessDeniedError):
        viewer.set_deal("msa.txt", "Acme")
    with pytest.raises(AccessDeniedError, match="owner"):
        viewer.trail()
    with pytest.raises(AccessDeniedError):
        team.grant("acme", "nora", "viewer", by=who["vic"])

    editor = team.open("acme", who["erin"])
    editor.set_deal("msa.txt", "Acme")
    with pytest.raises(AccessDeniedError):
        team.grant("acme", "nora", "owner", by=who["erin"])
    with pytest.raises(AccessDeniedError):
        editor.activity()

    nobody = who["nora"]
    with pytest.raises(NotFoundError) as missing:
        team.open("acme", nobody)
    with pytest.raises(NotFoundError) as absent:
        team.open("zeta", nobody)
    assert str(missing.value).replace("acme", "X") == str(absent.value).replace("zeta", "X"), "the answer must not tell which exists"
    with pytest.raises(NotFoundError):
        Workspace(team.settings.with_workspace("acme"), principal=nobody)
    shared = Workspace(team.settings.with_workspace("acme"))  # the local operator's
    with pytest.raises(NotFoundError):
        shared.as_user(nobody)
    assert shared.as_user(who["vic"]).documents()
    assert team.workspaces(nobody) == [] and team.workspaces(who["vic"]) == ["acme"]
    assert not (team.settings.data_dir / "workspaces" / "zeta").exists(), "a probe must not create a workspace"

    editor.remove("msa.txt")
    owner = team.open("acme", who["alice"])
    events = [(r["event"], r["user"], r["ok"]) for r in owner.activity() if "event" in r]
    assert ("grant", "alice", True) in events and ("remove", "erin", True) in events and ("deal", "erin", True) in events
    assert ("denied", "vic", False) in events and ("denied", "nora", False) in events
    assert [r["user"] for r in owner.trail()] == ["vic"], "the question is recorded under the signed-in user"


def test_revoking_and_removing_users_take_access_away(team, people, monkeypatch):
    import assistant.api.access as access

    monkeypatch.setattr(access, "ROLE_TTL_S", 0.0)
    who, _ = people
    ws = team.open("acme", who["vic"])
    team.revoke("acme", "vic", by=who["alice"])
    with pytest.raises(NotFoundError):
        ws.documents()
    with pytest.raises(AccountError, match="members: alice"):
        team.revoke("acme", "vic", by=who["alice"])
    team.remove_user("erin")
    assert [g.user for g in team.members("acme", by=who["alice"])] == ["alice", "root"], "the creator owns it"


def test_a_workspace_keeps_its_last_owner(team, people):
    who, _ = people
    team.revoke("acme", "root", by=who["alice"])  # alice stays its owner
    with pytest.raises(AccountError, match="only owner.*someone else its owner first"):
        team.revoke("acme", "alice", by=who["alice"])
    with pytest.raises(AccountError, match="only owner"):
        team.grant("acme", "alice", "viewer", by=who["alice"])
    team.grant("acme", "erin", "owner", by=who["alice"])
    team.grant("acme", "alice", "viewer", by=who["erin"])  # now there is another owner
    assert team.role("acme", who["alice"]) == "viewer" and team.role("acme", who["erin"]) == "owner"


def test_workspace_creation_needs_an_admin_by_default(team, settings):
    team.add_user("alice", "alice-password-1")
    with pytest.raises(AccessDeniedError, match="workspace_creators"):
        team.create_workspace("mine", team.principal("alice"))
    open_team = Team(settings.model_copy(update={"workspace_creators": "users"}))
    open_team.create_workspace("mine", open_team.principal("alice"))
    assert open_team.role("mine", open_team.principal("alice")) == "owner"


def test_failed_sign_ins_slow_down_then_lock():
    now = [1000.0]
    guard = LoginGuard(LoginPolicy(free=3, lock_after=6, lock_s=60), clock=lambda: now[0])
    delays = []
    for _ in range(5):
        delays.append(guard.check("user:a"))
        guard.failed("user:a")
    assert delays[:3] == [0, 0, 0] and 0 < delays[3] < delays[4]
    guard.failed("user:a")
    with pytest.raises(LoginLockedError) as locked:
        guard.check("user:a")
    assert locked.value.retry_after == pytest.approx(60)
    now[0] += 61
    assert guard.check("user:a") == 0


def test_team_sign_in_locks_the_right_password_too(settings):
    team = Team(settings.model_copy(update={"login_lock_after": 3}))
    team.add_user("alice", "alice-password-1")
    team.guard.policy = LoginPolicy(free=5, lock_after=3, lock_s=600)
    for _ in range(3):
        assert team.verify_login("alice", "guess", "10.0.0.9") is None
    with pytest.raises(LoginLockedError):
        team.login_delay("alice", "127.0.0.5")
    with pytest.raises(LoginLockedError):
        team.login_delay("someone-else", "10.0.0.9"), "the address is locked as well"
    lines = (settings.data_dir / "access" / "signins.jsonl").read_text().splitlines()
    assert [json.loads(line)["outcome"] for line in lines][:3] == ["failed"] * 3


def test_sessions_expire_and_end_on_account_changes():
    now = [0.0]
    sessions = Sessions(max_age_s=100, idle_s=30, clock=lambda: now[0])
    sessions.issue("t1", "alice")
    now[0] = 20
    assert sessions.check("t1", account_changed=0.0) == "alice"
    now[0] = 45
    assert sessions.check("t1", account_changed=0.0) == "alice", "used 25 s ago: still live"
    now[0] = 80
    assert sessions.check("t1", account_changed=0.0) is None, "idle for 35 s"
    sessions.issue("t2", "alice")
    now[0] = 90
    assert sessions.check("t2", account_changed=85.0) is None, "password changed after sign-in"
    sessions.issue("t3", "alice")
    assert sessions.check("t3", account_changed=None) is None, "account removed"
    sessions.issue("t4", "alice")
    for step in range(1, 8):
        now[0] = 90 + step * 20
        alive = sessions.check("t4", account_changed=0.0)
    assert alive is None, "older than max_age"
    assert sessions.check("unknown", 0.0) is None


def test_auth_users_are_migrated_to_hashed_admin_accounts(tmp_path, cache_dir):
    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, auth_users={"reviewer": "s3cret-pass"})
    team = Team(settings)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert team.migrate_auth_users() == ["reviewer"]
    assert any(issubclass(w.category, DeprecationWarning) and "auth_users" in str(w.message) for w in caught)
    assert "s3cret-pass" not in (settings.data_dir / "access" / "access.json").read_text()
    assert team.principal("reviewer") == Principal("reviewer", admin=True)
    assert team.sign_in("reviewer", "s3cret-pass")
    team.set_password("reviewer", "changed-pass-1")
    assert Team(settings).migrate_auth_users() == [], "a migrated account is not overwritten at the next start"
    assert Team(settings).sign_in("reviewer", "changed-pass-1")


def test_users_and_grants_from_the_command_line(tmp_path, cache_dir):
    from assistant.shells.cli import app

    data = tmp_path / "data"
    runner = CliRunner()
    env = {"CONTRACT_ASSISTANT_CACHE_DIR": str(cache_dir)}

    def run(*args, stdin=None):
        return runner.invoke(app, [*args, "--data-dir", str(data)], input=stdin, env=env)

    assert run("users", "add", "alice", "--admin", "--password-stdin", stdin="alice-password-1\n").exit_code == 0
    assert run("users", "add", "bob", stdin="bob-password-1\nbob-password-1\n").exit_code == 0
    short = run("users", "add", "carol", "--password-stdin", stdin="short\n")
    assert short.exit_code == 2 and "at least 8" in short.output
    (tmp_path / "msa.txt").write_text(CONTRACT, encoding="utf-8")
    assert run("ingest", str(tmp_path / "msa.txt"), "-w", "acme").exit_code == 0
    bad = run("grant", "acme", "bob", "boss")
    assert bad.exit_code == 2 and "valid: viewer, editor, owner" in bad.output
    assert run("grant", "acme", "bob", "editor").exit_code == 0
    listed = json.loads(run("users", "list", "--json").stdout)
    assert listed == [{"name": "alice", "admin": True, "created": listed[0]["created"], "roles": {}},
                      {"name": "bob", "admin": False, "created": listed[1]["created"], "roles": {"acme": "editor"}}]
    assert "password" not in run("users", "list", "--json").stdout
    assert run("members", "acme").stdout.split() == ["bob", "editor"]
    assert run("users", "passwd", "bob", "--password-stdin", stdin="bob-password-2\n").exit_code == 0
    assert Team(Settings(data_dir=data, cache_dir=cache_dir)).sign_in("bob", "bob-password-2")
    assert run("revoke", "acme", "bob").exit_code == 0
    assert run("users", "remove", "bob").exit_code == 0
    assert [u["name"] for u in json.loads(run("users", "list", "--json").stdout)] == ["alice"]
