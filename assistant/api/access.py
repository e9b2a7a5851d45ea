"""Access to workspaces, checked in the API itself: every public ``Workspace`` method names the action it needs
(``requires``), and a workspace opened for a signed-in user checks that user's role before each call.

The web app gives every request's workspace the signed-in principal, so no route of the server reaches a
workspace method unchecked; the CLI and scripts act as the local operator (``Principal.local_operator``), who
already holds the data folder's files. A user without any role in a workspace is told the same thing whether it
exists or not (its name is no clue), and the attempt is written to the workspace's trail.
"""

from __future__ import annotations

import functools
import threading
import time
from typing import Any, Callable, TypeVar

from ..access.records import records_for
from ..access.roles import ACTIONS, Grants, Principal, Role, rank
from ..core.errors import AccessDeniedError, NotFoundError
from ..core.settings import Settings
from ..index.catalogs import workspace_exists
from . import trail

F = TypeVar("F", bound=Callable[..., Any])
ROLE_TTL_S = 2.0  # a grant or revocation reaches every open workspace within this time


def requires(action: str) -> Callable[[F], F]:
    """Mark a Workspace method with the action it needs (``read``, ``write`` or ``grant``) and check it per call."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; valid: {', '.join(ACTIONS)}")

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            self.access.require(action, method.__name__)
            return method(self, *args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap


def no_access(workspace: str, user: str) -> NotFoundError:
    """The same words for a workspace that does not exist and one the user may not see."""
    return NotFoundError(f"no workspace {workspace!r} that user {user!r} may open")


class WorkspaceAccess:
    """One principal's role in one workspace, read from the deployment's grants (cached for ``ROLE_TTL_S``)."""

    def __init__(self, settings: Settings, principal: Principal):
        self.settings = settings
        self.principal = principal
        self._cached: tuple[float, Role | None] | None = None
        self._lock = threading.Lock()

    def role(self) -> Role | None:
        if self.principal.unrestricted:
            return "owner"
        now = time.monotonic()
        with self._lock:
            if self._cached is None or now - self._cached[0] > ROLE_TTL_S:
                self._cached = (now, Grants(records_for(self.settings)).role(self.settings.workspace, self.principal.name))
            return self._cached[1]

    def allows(self, action: str) -> bool:
        return rank(self.role()) >= rank(ACTIONS[action])

    def require(self, action: str, what: str) -> None:
        """Return when the principal may; otherwise record the attempt and raise (not found / access denied)."""
        role = self.role()
        needed = ACTIONS[action]
        if rank(role) >= rank(needed):
            return
        self.record_denied(what, f"needs {needed}, has {role or 'no role'}")
        if role is None:
            raise no_access(self.settings.workspace, self.principal.name)
        raise AccessDeniedError(f"{self.principal.name} is a {role} of workspace {self.settings.workspace!r}: "
                                f"{what} needs the {needed} role (roles: viewer < editor < owner)")

    def record_denied(self, what: str, why: str) -> None:
        if workspace_exists(self.settings):  # a probe of a name that does not exist creates nothing
            trail.record_event(self.settings, "denied", self.principal.name, f"{what}: {why}", ok=False)
