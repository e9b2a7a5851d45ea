"""The deployment's people: accounts, sign-in, and who may open which workspace.

    from assistant import Settings, Team
    team = Team(Settings())
    team.add_user("alice", "a long passphrase", admin=True)
    team.grant("acme", "bob", "viewer", by=team.principal("alice"))
    ws = team.open("acme", team.principal("bob"))      # a Workspace that checks bob's role on every call

The CLI (``contract-assistant users ...``, ``grant``) and the web app's sign-in and sharing panel are shells over
this class. Account changes need an admin (or the local operator); grants need the workspace's owner or an admin;
both are written to the trail (grants to the workspace's, sign-in failures to ``data_dir/access/signins.jsonl``).
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings

from ..access.accounts import Account, Accounts
from ..access.logins import LoginGuard, LoginPolicy
from ..access.records import records_for
from ..access.roles import Grant, Grants, Principal, Role, check_role
from ..access.sessions import Sessions
from ..core.errors import AccessDeniedError, AccountError
from ..core.privacy import private_dir, private_file
from ..core.settings import Settings
from ..index.catalogs import list_workspaces, workspace_exists
from . import trail
from .access import no_access
from .workspace import Workspace

log = logging.getLogger(__name__)


class Team:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.records = records_for(settings)
        self.accounts = Accounts(self.records)
        self.grants = Grants(self.records)
        self.guard = LoginGuard(LoginPolicy(lock_after=settings.login_lock_after, lock_s=settings.login_lock_minutes * 60))
        self.sessions = Sessions(settings.session_hours * 3600, settings.session_idle_minutes * 60)

    # -- accounts --------------------------------------------------------------
    def has_users(self) -> bool:
        return bool(self.accounts.list())

    def users(self) -> list[Account]:
        return self.accounts.list()

    def _admin(self, by: Principal, what: str) -> None:
        if not by.unrestricted:
            raise AccessDeniedError(f"{what} needs an admin; {by.name} is not one")

    def add_user(self, name: str, password: str, *, admin: bool = False, by: Principal | None = None) -> Account:
        self._admin(by or Principal.local_operator(), "adding a user")
        return self.accounts.add(name, password, admin=admin)

    def set_password(self, name: str, password: str, *, by: Principal | None = None) -> Account:
        by = by or Principal.local_operator()
        if by.name.lower() != name.lower():
            self._admin(by, "changing another user's password")
        return self.accounts.set_password(name, password)

    def set_admin(self, name: str, admin: bool, *, by: Principal | None = None) -> Account:
        self._admin(by or Principal.local_operator(), "changing who is an admin")
        return self.accounts.set_admin(name, admin)

    def remove_user(self, name: str, *, by: Principal | None = None) -> Account:
        """Remove an account and every role it held (its sessions end at their next request)."""
        by = by or Principal.local_operator()
        self._admin(by, "removing a user")
        account = self.accounts.remove(name)
        for grant in self.grants.of_user(account.name):
            self.grants.revoke(grant.workspace, grant.user)
            self._event(grant.workspace, "revoke", by.name, f"{grant.user}: {grant.role} (user removed)")
        return account

    def migrate_auth_users(self) -> list[str]:
        """Turn the deprecated ``auth_users`` setting (plain passwords) into hashed admin accounts, once: everyone
        it listed could open every workspace, and still can until an admin narrows it. Returns the names added."""
        if not self.settings.auth_users:
            return []
        added = []
        for name, password in self.settings.auth_users.items():
            if self.accounts.get(name) is None:
                self.accounts.add(name, password, admin=True, strength=False)
                added.append(name)
        warnings.warn("the auth_users setting is deprecated and will be removed in the next release: its users are "
                      "hashed admin accounts now (contract-assistant users list); remove the plain passwords from your "
                      "settings", DeprecationWarning, stacklevel=2)
        log.warning("auth_users is deprecated: %s migrated to hashed accounts; remove auth_users from the settings",
                    ", ".join(added) or "its users were")
        return added

    # -- signing in ------------------------------------------------------------
    def login_delay(self, name: str, address: str = "") -> float:
        """Seconds the next attempt must wait; ``LoginLockedError`` while the account or address is locked."""
        try:
            return self.guard.check(*self._login_keys(name, address))
        except Exception:
            self._signin_event(name, address, "locked")
            raise

    def verify_login(self, name: str, password: str, address: str = "") -> Account | None:
        """Check a password (after ``login_delay``): the account, or ``None`` with the failure counted."""
        account = self.accounts.verify(name, password)
        keys = self._login_keys(name, address)
        if account is None:
            self.guard.failed(*keys)
            self._signin_event(name, address, "failed")
            return None
        self.guard.succeeded(keys[0])
        return account

    def sign_in(self, name: str, password: str, address: str = "") -> Account | None:
        """``login_delay`` (slept here) then ``verify_login``: for callers that may block (the CLI, tests)."""
        time.sleep(self.login_delay(name, address))
        return self.verify_login(name, password, address)

    @staticmethod
    def _login_keys(name: str, address: str) -> tuple[str, ...]:
        return (f"user:{name.strip().lower()}",) + ((f"address:{address}",) if address else ())

    def _signin_event(self, name: str, address: str, outcome: str) -> None:
        folder = private_dir(self.settings.data_dir / "access")
        path = folder / "signins.jsonl"
        item = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "user": name[:64], "address": address, "outcome": outcome}
        with open(path, "a", encoding="utf-8", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
            handle.write(json.dumps(item) + "\n")
        private_file(path)
        log.warning("sign-in %s for %r from %s", outcome, name[:64], address or "?")

    def principal(self, name: str | None) -> Principal | None:
        """The principal of an existing account (``None`` when there is no such user any more)."""
        account = self.accounts.get(name) if name else None
        return Principal(account.name, account.admin) if account else None

    # -- workspaces ------------------------------------------------------------
    def workspaces(self, principal: Principal) -> list[str]:
        """The workspaces this principal may open (an admin: all of them)."""
        existing = list_workspaces(self.settings)
        if principal.unrestricted:
            return existing
        mine = {g.workspace for g in self.grants.of_user(principal.name)}
        return [w for w in existing if w in mine]

    def role(self, workspace: str, principal: Principal) -> Role | None:
        return "owner" if principal.unrestricted else self.grants.role(workspace, principal.name)

    def open(self, workspace: str, principal: Principal) -> Workspace:
        """The workspace as ``principal`` sees it; ``NotFoundError`` (the same words) when it does not exist or the
        principal has no role in it. Only ``create_workspace`` makes one (and the local operator, as ``Workspace.open``)."""
        settings = self.settings.with_workspace(workspace)
        if not principal.local and not workspace_exists(settings):
            raise no_access(workspace, principal.name)
        return Workspace(settings, principal=principal)

    def may_create(self, principal: Principal) -> bool:
        return principal.unrestricted or self.settings.workspace_creators == "users"

    def create_workspace(self, workspace: str, principal: Principal) -> Workspace:
        """Create a workspace (admins; every user when ``workspace_creators = "users"``); its creator owns it."""
        settings = self.settings.with_workspace(workspace)
        if not self.may_create(principal):
            raise AccessDeniedError(f"creating a workspace needs an admin (setting workspace_creators is 'admins'); {principal.name} is not one")
        if workspace_exists(settings):
            if self.role(workspace, principal) is None:
                raise AccessDeniedError(f"workspace {workspace!r} cannot be created: the name is taken")
            return self.open(workspace, principal)
        if not principal.local:
            self.grants.put(Grant(workspace, principal.name, "owner", principal.name, time.time()))
        ws = Workspace(settings, principal=principal)
        self._event(workspace, "create", principal.name, "workspace created")
        return ws

    # -- grants ----------------------------------------------------------------
    def _owner(self, workspace: str, by: Principal, what: str) -> None:
        if self.role(workspace, by) != "owner":
            self._event(workspace, "denied", by.name, f"{what}: needs owner, has {self.role(workspace, by) or 'no role'}", ok=False)
            if self.role(workspace, by) is None:
                raise no_access(workspace, by.name)
            raise AccessDeniedError(f"{what} in workspace {workspace!r} needs its owner or an admin")

    def grant(self, workspace: str, user: str, role: str, *, by: Principal | None = None) -> Grant:
        """Give ``user`` ``role`` in ``workspace`` (replacing the role they had)."""
        by = by or Principal.local_operator()
        check_role(role)
        self._owner(workspace, by, "granting a role")
        account = self.accounts.require(user)
        if not workspace_exists(self.settings.with_workspace(workspace)):
            raise no_access(workspace, by.name)
        if role != "owner":
            self._keep_an_owner(workspace, account.name)
        grant = Grant(workspace, account.name, role, by.name, time.time())  # type: ignore[arg-type]
        self.grants.put(grant)
        self._event(workspace, "grant", by.name, f"{account.name}: {role}")
        return grant

    def revoke(self, workspace: str, user: str, *, by: Principal | None = None) -> Grant:
        by = by or Principal.local_operator()
        self._owner(workspace, by, "revoking a role")
        self._keep_an_owner(workspace, user)
        found = self.grants.revoke(workspace, user)
        if found is None:
            members = ", ".join(f"{g.user} ({g.role})" for g in self.grants.of_workspace(workspace)) or "(nobody)"
            raise AccountError(f"{user!r} holds no role in workspace {workspace!r}; members: {members}")
        self._event(workspace, "revoke", by.name, f"{found.user}: {found.role}")
        return found

    def _keep_an_owner(self, workspace: str, user: str) -> None:
        """A workspace keeps at least one owner: its last one cannot be revoked or demoted (grant another first)."""
        owners = [g.user.lower() for g in self.grants.of_workspace(workspace) if g.role == "owner"]
        if owners == [user.strip().lower()]:
            raise AccountError(f"{user} is the only owner of workspace {workspace!r}: make someone else its owner first")

    def members(self, workspace: str, *, by: Principal | None = None) -> list[Grant]:
        by = by or Principal.local_operator()
        if self.role(workspace, by) is None:
            raise no_access(workspace, by.name)
        return self.grants.of_workspace(workspace)

    def _event(self, workspace: str, event: str, user: str, detail: str, ok: bool = True) -> None:
        settings = self.settings.with_workspace(workspace)
        if workspace_exists(settings):
            trail.record_event(settings, event, user, detail, ok)
