"""One writer at a time per workspace, across processes: a file lock that ingest, remove, deal changes and repair hold.

Without it, a second process (a CLI ingest beside the web app) could have its freshly upserted vectors deleted as
"strays" by another process's repair before its catalog transaction committed, and two embedded Chroma clients
would write over each other. The lock is ``filelock.FileLock`` (``flock`` on POSIX): the kernel releases it when a
process dies, so a crash never leaves the workspace locked. It is re-entrant within a thread and serialises the
threads of one process too.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from ..core.errors import WorkspaceBusyError

LOCK_FILE = "write.lock"


class WorkspaceLock:
    """``with lock.held(): ...`` runs the block as the workspace's only writer (waiting up to ``timeout`` seconds)."""

    def __init__(self, folder: Path, timeout: float):
        self.path = folder / LOCK_FILE
        self.timeout = timeout
        self._lock = FileLock(str(self.path), timeout=timeout, mode=0o600)

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
            yield
        finally:
            self._lock.release()

    @property
    def is_held(self) -> bool:
        """Whether this thread holds the lock (for assertions in writers)."""
        return self._lock.is_locked
