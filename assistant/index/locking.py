"""One writer at a time per workspace: a file lock that ingest, remove, deal changes and repair hold, and, with a
Chroma server, a lease in the server that every app server of the deployment respects.

Without it, a second process (a CLI ingest beside the web app, or a second app server) could have its freshly
written records deleted as "strays" by another process's repair before its commit, and two embedded Chroma clients
would write over each other. The file lock is ``filelock.FileLock`` (``flock`` on POSIX): the kernel releases it when
a process dies, so a crash never leaves the workspace locked. It is re-entrant within a thread and serialises the
threads of one process too. The server lease (``ServerLease``) covers app servers that share no disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

from filelock import FileLock, Timeout

from ..core.errors import WorkspaceBusyError

LOCK_FILE = "write.lock"
LEASE_PREFIX = "lock:write:"  # one record per turn of the lease: lock:write:1, lock:write:2, ...
LEASE_TTL_S = 20.0  # a lease not renewed for this long (its holder died) can be taken over
LEASE_IDLE_S = 1.0  # a lease no write used for this long goes back to the server


class ServerLease:
    """A write lease kept as records of the workspace's catalog collection in the Chroma server.

    Chroma has no compare-and-swap, but its ``add`` is insert-if-absent: of two adds of one id, the first the server
    logs is kept and the second changes nothing (``tests/index/test_locking.py`` checks this against ``chroma run``).
    So each turn of the lease is its own record, ``lock:write:<n>``: a writer that finds the latest turn free (released,
    expired, or held by a dead process of this host) adds turn n + 1 and reads it back; only one writer's record can
    be turn n + 1. A writer whose view was stale, adding a turn below one already taken, sees the higher turn when it
    reads the turns again and backs off. A background thread renews the turn every third of ``LEASE_TTL_S`` and marks
    it released once no write has used it for ``LEASE_IDLE_S`` (an ingest's documents, one write each, reuse one
    turn); a holder killed with -9 stops renewing, so its turn expires (at once on the same host, where the holder's
    pid is seen to be gone). The winner of a turn deletes the turns before it, so the records stay few.
    """

    def __init__(self, collection: Any, timeout: float):
        self.collection = collection
        self.timeout = timeout
        self.host = socket.gethostname()
        self.owner = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._state = threading.Condition()
        self._held_until = 0.0  # monotonic time our lease is known good until (0: not held)
        self._turn = 0  # the turn we hold (while _held_until is set)
        self._users = 0
        self._idle_since = 0.0
        self._keeper: threading.Thread | None = None
        self._io = threading.Lock()

    def _turns(self) -> dict[int, dict[str, Any]]:
        """Every turn record in the server, by turn number."""
        found = self.collection.get(where={"kind": "lock"}, include=["documents"])
        return {int(i.removeprefix(LEASE_PREFIX)): json.loads(d) for i, d in zip(found["ids"], found["documents"])
                if i.startswith(LEASE_PREFIX)}

    def _value(self, expires: float) -> str:
        return json.dumps({"owner": self.owner, "host": self.host, "pid": os.getpid(), "expires": expires})

    def _write(self, turn: int, expires: float, *, new: bool) -> None:
        """Add turn ``turn`` (kept only if no one added it first) or, ``new=False``, rewrite our own turn."""
        write = self.collection.add if new else self.collection.upsert
        write(ids=[f"{LEASE_PREFIX}{turn}"], embeddings=[[0.0]], documents=[self._value(expires)], metadatas=[{"kind": "lock"}])

    def _free(self, lease: dict[str, Any] | None) -> bool:
        if lease is None or lease.get("owner") == self.owner or lease.get("expires", 0) < time.time():
            return True
        if lease.get("host") == self.host and lease.get("pid") != os.getpid():
            try:
                os.kill(int(lease["pid"]), 0)
            except ProcessLookupError:
                return True  # its holder on this host is gone
            except (PermissionError, ValueError, KeyError):
                return False
        return False

    def _latest_is(self, turn: int) -> bool:
        """Whether ``turn`` is ours and no later turn exists."""
        turns = self._turns()
        return bool(turns) and max(turns) == turn and turns[turn].get("owner") == self.owner

    def acquire(self) -> None:
        with self._state:
            if self._held_until - time.monotonic() > LEASE_TTL_S / 2:  # ours, renewed lately: no round trip
                self._users += 1
                return
        deadline = time.monotonic() + self.timeout
        while True:
            with self._io:  # never while the keeper is giving the lease back
                started = time.monotonic()
                turns = self._turns()
                latest = max(turns, default=0)
                lease = turns.get(latest)
                if self._free(lease):
                    turn = latest + 1
                    self._write(turn, time.time() + LEASE_TTL_S, new=True)
                    if self._latest_is(turn):
                        stale = [f"{LEASE_PREFIX}{t}" for t in turns if t < turn]
                        if stale:
                            self.collection.delete(ids=stale)
                        with self._state:
                            self._turn = turn
                            self._held_until = started + LEASE_TTL_S
                            self._users += 1
                        self._keep()
                        return
            if time.monotonic() > deadline:
                holder = (lease or {}).get("owner", "another app server")
                raise WorkspaceBusyError(f"the workspace is being written by {holder} for over {self.timeout:g} s "
                                         "(setting lock_timeout_s); try again when it has finished")
            time.sleep(0.05 + random.random() * 0.2)

    def _keep(self) -> None:
        """Start the thread that renews the lease while it is used and gives it back when it is idle."""
        with self._state:
            if self._keeper is not None:
                return
            self._keeper = threading.Thread(target=self._keeping, name="lease-keeper", daemon=True)
            self._keeper.start()

    def _keeping(self) -> None:
        while True:
            with self._state:
                self._state.wait(0.1)
                now = time.monotonic()
                if self._held_until == 0.0:
                    self._keeper = None
                    return
                idle = self._users == 0 and now - self._idle_since > LEASE_IDLE_S
                renew = not idle and self._held_until - now < LEASE_TTL_S * 2 / 3
                if idle:
                    self._held_until = 0.0
            try:
                if idle:
                    with self._io:
                        with self._state:
                            if self._held_until != 0.0 or self._users:
                                continue  # taken again before we gave it back
                            self._keeper = None  # the next acquire starts a keeper of its own
                        if self._latest_is(self._turn):
                            self._write(self._turn, 0.0, new=False)  # released: the next writer takes the next turn
                    return
                if renew:
                    started = time.monotonic()
                    self._write(self._turn, time.time() + LEASE_TTL_S, new=False)
                    held = self._latest_is(self._turn)
                    with self._state:  # not held: taken over while we stalled past the TTL; the next write asks afresh
                        self._held_until = started + LEASE_TTL_S if held else 0.0
                        if not held:
                            self._keeper = None
                    if not held:
                        return
            except Exception:  # the server is unreachable: the lease lapses, and the next write checks it afresh
                with self._state:
                    self._held_until = 0.0
                    self._keeper = None
                return

    def release(self) -> None:
        """This write is done; the lease goes back when no other write takes it within ``LEASE_IDLE_S``."""
        with self._state:
            self._users -= 1
            if self._users == 0:
                self._idle_since = time.monotonic()
            self._state.notify_all()

    def close(self) -> None:
        """Give the lease back now (when the process ends, an idle lease lapses by itself)."""
        with self._state:
            keeper = self._keeper
            self._idle_since = 0.0
            self._state.notify_all()
        if keeper is not None:
            keeper.join(timeout=5)


class WorkspaceLock:
    """``with lock.held(): ...`` runs the block as the workspace's only writer (waiting up to ``timeout`` seconds)."""

    def __init__(self, folder: Path, timeout: float, lease: ServerLease | None = None):
        self.path = folder / LOCK_FILE
        self.timeout = timeout
        self.lease = lease
        self._lock = FileLock(str(self.path), timeout=timeout, mode=0o600)
        self._depth = 0  # nesting of held() in the thread holding the file lock

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except Timeout:
            raise WorkspaceBusyError(
                f"workspace {self.path.parent.name!r} is being written by another process for over {self.timeout:g} s "
                "(setting lock_timeout_s); try again when it has finished"
            ) from None
        try:
            if self.lease is not None and self._depth == 0:
                self.lease.acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self.lease is not None and self._depth == 0:
                    self.lease.release()
        finally:
            self._lock.release()

    @property
    def is_held(self) -> bool:
        """Whether this thread holds the lock (for assertions in writers)."""
        return self._lock.is_locked
