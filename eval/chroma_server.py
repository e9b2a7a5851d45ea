"""A Chroma server for benchmarks and tests: ``chroma run`` on a free loopback port, stopped on exit."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

from .processes import free_port, stop, wait_ready


def chroma_cli() -> str | None:
    """The ``chroma`` command of this environment (it comes with the chromadb package), or None."""
    return shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextlib.contextmanager
def chroma_server(path: Path, port: int | None = None, timeout: float = 90.0) -> Iterator[int]:
    """Run ``chroma run --path path`` on 127.0.0.1 and yield its port once it accepts connections."""
    cli = chroma_cli()
    if cli is None:
        raise RuntimeError("the chroma CLI is not installed (it comes with the chromadb package)")
    port = port or free_port()
    process = subprocess.Popen([cli, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_ready(process, lambda: _accepts(port), timeout, f"chroma run did not start on port {port} within {timeout:g} s",
                   poll=0.3)
        yield port
    finally:
        stop(process)
