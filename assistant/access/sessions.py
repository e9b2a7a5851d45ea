"""Signed-in sessions: a token lives ``max_age_s`` at most and ends after ``idle_s`` without a request, when its
account is removed, or when its password or admin flag changed after it was issued."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Session:
    user: str
    issued: float
    seen: float


class Sessions:
    def __init__(self, max_age_s: float, idle_s: float, clock=time.time):
        self.max_age_s = max_age_s
        self.idle_s = idle_s
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def issue(self, token: str, user: str) -> None:
        now = self.clock()
        with self._lock:
            self._sessions[token] = Session(user, now, now)

    def check(self, token: str, account_changed: float | None) -> str | None:
        """The user of a live session (and mark it used); ``None`` when it is unknown or over (then it is forgotten).

        ``account_changed`` is when the account last changed, ``None`` when it no longer exists."""
        now = self.clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            over = (account_changed is None or account_changed > session.issued or now - session.issued > self.max_age_s
                    or now - session.seen > self.idle_s)
            if over:
                del self._sessions[token]
                return None
            session.seen = now
            return session.user

    def end(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)

    def user_of(self, token: str) -> str | None:
        with self._lock:
            session = self._sessions.get(token)
            return session.user if session else None
