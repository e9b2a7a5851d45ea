"""The real app server for evals and tests: ``contract-assistant serve`` in a child process on a free loopback port,
its settings given as a deployment gives them (``CONTRACT_ASSISTANT_*``), stopped on exit."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import httpx

from assistant import ENV_PREFIX

from .processes import free_port, stop, wait_ready


def serve_command() -> list[str]:
    """The ``contract-assistant`` script of this environment, or the same entry point through this interpreter."""
    script = shutil.which("contract-assistant", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-c", "import sys; from assistant.shells.cli import main; sys.exit(main())"]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def app_server(data_dir: Path, workspace: str, env: dict[str, str] | None = None, log: Path | None = None,
               timeout: float = 120.0) -> Iterator[str]:
    """Run ``contract-assistant serve`` for ``data_dir`` and yield its URL once the page answers.

    ``env`` adds settings (e.g. ``CONTRACT_ASSISTANT_CHROMA_HOST``); the parent's own ``CONTRACT_ASSISTANT_*`` are not
    passed on, and it runs in ``data_dir`` so no stray ``contract-assistant.toml`` is read. Its output goes to ``log``."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    child_env.update({"GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False", **(env or {})})
    command = [*serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workspace", workspace,
               "--data-dir", str(data_dir)]
    out = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=data_dir, env=child_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    failure = f"contract-assistant serve did not start on port {port} within {timeout:g} s" + (f" (see {log})" if log else "")
    try:
        wait_ready(process, lambda: _answers(url), timeout, failure)
        yield url
    finally:
        stop(process)
        if log:
            out.close()  # type: ignore[union-attr]
