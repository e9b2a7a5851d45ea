"""Child servers for evals and tests: a free loopback port, waiting until the child is ready, stopping it."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Callable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(process: subprocess.Popen, ready: Callable[[], bool], timeout: float, failure: str,
               poll: float = 0.5) -> None:
    """Return once ``ready()`` is true; raise ``RuntimeError(failure)`` if the child exits or ``timeout`` passes first."""
    deadline = time.time() + timeout
    while not ready():
        if process.poll() is not None or time.time() > deadline:
            raise RuntimeError(failure)
        time.sleep(poll)


def stop(process: subprocess.Popen) -> None:
    """Terminate the child, killing it if it has not exited within 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
