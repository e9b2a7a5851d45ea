"""Sign-in throttling: failed attempts per account and per address are slowed down, then locked for a while.

The first ``free`` failures in ``window_s`` cost nothing extra; each one after doubles a delay (0.5 s, 1 s, 2 s, ...
up to ``max_delay_s``) that the next attempt waits before its password is even checked; ``lock_after`` failures lock
the account (or address) for ``lock_s``: attempts are refused without checking the password, the right one
included. A success clears the account's count. Counts are kept per app server, in memory.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from ..core.errors import LoginLockedError


@dataclass(frozen=True)
class LoginPolicy:
    free: int = 3
    max_delay_s: float = 8.0
    lock_after: int = 10
    lock_s: float = 900.0
    window_s: float = 900.0


class LoginGuard:
    def __init__(self, policy: LoginPolicy | None = None, clock=time.monotonic):
        self.policy = policy or LoginPolicy()
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.policy.window_s:
            times.popleft()
        return times

    def check(self, *keys: str) -> float:
        """The delay (seconds) the next attempt for these keys must wait; ``LoginLockedError`` while one is locked."""
        now = self.clock()
        delay = 0.0
        with self._lock:
            for key in keys:
                until = self._locked.get(key, 0.0)
                if until > now:
                    minutes = max(1, round((until - now) / 60))
                    raise LoginLockedError(f"too many failed sign-ins: try again in about {minutes} minute(s)", until - now)
                self._locked.pop(key, None)
                over = len(self._recent(key, now)) - self.policy.free
                if over >= 0:
                    delay = max(delay, min(self.policy.max_delay_s, 0.5 * 2**over))
        return delay

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                times.append(now)
                if len(times) >= self.policy.lock_after:
                    self._locked[key] = now + self.policy.lock_s
                    times.clear()

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._locked.pop(key, None)
