"""User accounts: a name, a salted scrypt hash of the password, and whether the user administers the deployment.

An admin sees and manages every workspace and every account; anyone else sees only the workspaces granted to them
(``roles``). ``changed`` moves whenever the password or the admin flag changes, so sessions started before it end.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass
from typing import Any

from ..core.errors import AccountError
from .passwords import DUMMY_HASH, check_strength, hash_password, verify_password
from .records import Records

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


@dataclass(frozen=True)
class Account:
    name: str
    password_hash: str
    admin: bool = False
    created: float = 0.0
    changed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Account":
        return cls(str(data["name"]), str(data["password_hash"]), bool(data.get("admin", False)),
                   float(data.get("created", 0.0)), float(data.get("changed", 0.0)))

    def public(self) -> dict[str, Any]:
        """What may be shown about the account (never the hash)."""
        return {"name": self.name, "admin": self.admin, "created": self.created}


def _key(name: str) -> str:
    return f"user:{name.lower()}"


def check_name(name: str) -> str:
    if not USER_NAME.match(name or ""):
        raise AccountError(f"user name {name!r} is not valid: use 1-64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit")
    return name


class Accounts:
    """Add, change, remove and check accounts in the deployment's record store (names are case-insensitive)."""

    def __init__(self, records: Records):
        self.records = records

    def get(self, name: str) -> Account | None:
        found = self.records.get(_key(name)) if USER_NAME.match(name or "") else None
        return Account.from_dict(found) if found else None

    def require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(f"no user {name!r}; users: {', '.join(a.name for a in self.list()) or '(none yet)'}")
        return account

    def list(self) -> list[Account]:
        return sorted((Account.from_dict(v) for v in self.records.scan("user").values()), key=lambda a: a.name.lower())

    def add(self, name: str, password: str, *, admin: bool = False, strength: bool = True) -> Account:
        """A new account; ``strength=False`` only for passwords that already were in use (the auth_users migration)."""
        check_name(name)
        if self.get(name) is not None:
            raise AccountError(f"user {name!r} exists already; change the password with 'users passwd {name}'")
        try:
            if strength or not password:
                check_strength(password)
        except ValueError as error:
            raise AccountError(str(error)) from None
        now = time.time()
        account = Account(name, hash_password(password), admin, now, now)
        self.records.put(_key(name), account.to_dict())
        return account

    def set_password(self, name: str, password: str) -> Account:
        account = self.require(name)
        try:
            check_strength(password)
        except ValueError as error:
            raise AccountError(str(error)) from None
        changed = Account(account.name, hash_password(password), account.admin, account.created, time.time())
        self.records.put(_key(name), changed.to_dict())
        return changed

    def set_admin(self, name: str, admin: bool) -> Account:
        account = self.require(name)
        changed = Account(account.name, account.password_hash, admin, account.created, time.time())
        self.records.put(_key(name), changed.to_dict())
        return changed

    def remove(self, name: str) -> Account:
        account = self.require(name)
        self.records.delete(_key(name))
        return account

    def verify(self, name: str, password: str) -> Account | None:
        """The account when the password is right; ``None`` otherwise (an unknown name costs the same time)."""
        account = self.get(name)
        if account is None:
            verify_password(password, DUMMY_HASH)
            return None
        return account if verify_password(password, account.password_hash) else None
