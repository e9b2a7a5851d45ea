"""Per-workspace roles and what each allows.

A viewer reads, asks and audits; an editor also adds and removes documents and edits deals; an owner also grants
roles and reads the workspace's trail. Admins act as owners everywhere. ``Principal.local()`` is the operator at
the machine (the CLI and scripts run with the data folder's own file permissions), which is every role too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..core.errors import AccountError
from .records import Records

Role = Literal["viewer", "editor", "owner"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "owner")
ACTIONS: dict[str, Role] = {"read": "viewer", "write": "editor", "grant": "owner"}


def rank(role: str | None) -> int:
    """0 for no role, then viewer < editor < owner."""
    return ROLES.index(role) + 1 if role in ROLES else 0  # type: ignore[arg-type]


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; valid: {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user (``admin`` from the account), or the local operator."""

    name: str
    admin: bool = False
    local: bool = False

    @classmethod
    def local_operator(cls, name: str = "") -> "Principal":
        return cls(name or "local", True, True)

    @property
    def unrestricted(self) -> bool:
        return self.admin or self.local

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Principal":
        return cls(str(data["name"]), bool(data.get("admin", False)), bool(data.get("local", False)))


@dataclass(frozen=True)
class Grant:
    workspace: str
    user: str
    role: Role
    by: str = ""
    at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Grant":
        return cls(str(data["workspace"]), str(data["user"]), check_role(str(data["role"])), str(data.get("by", "")), float(data.get("at", 0.0)))


def _key(workspace: str, user: str) -> str:
    return f"grant:{workspace}:{user.lower()}"


class Grants:
    """Who holds which role in which workspace, in the deployment's record store."""

    def __init__(self, records: Records):
        self.records = records

    def role(self, workspace: str, user: str) -> Role | None:
        found = self.records.get(_key(workspace, user))
        return Grant.from_dict(found).role if found else None

    def put(self, grant: Grant) -> None:
        self.records.put(_key(grant.workspace, grant.user), grant.to_dict())

    def revoke(self, workspace: str, user: str) -> Grant | None:
        found = self.records.get(_key(workspace, user))
        if found is None:
            return None
        self.records.delete(_key(workspace, user))
        return Grant.from_dict(found)

    def all(self) -> list[Grant]:
        return sorted((Grant.from_dict(v) for v in self.records.scan("grant").values()), key=lambda g: (g.workspace, g.user.lower()))

    def of_workspace(self, workspace: str) -> list[Grant]:
        return [g for g in self.all() if g.workspace == workspace]

    def of_user(self, user: str) -> list[Grant]:
        return [g for g in self.all() if g.user.lower() == user.lower()]
