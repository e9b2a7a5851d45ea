"""Nothing leaves the machine: ingest, ask, audit and the web server under a network namespace and strace make no
connection attempt outside loopback (see eval/egress.py). Needs root (unshare) and Debian's strace and iproute2,
installed with apt-get when missing, as the browser tests install Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from eval.egress import run


def _ensure(tool: str, package: str) -> None:
    if shutil.which(tool):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", package], check=True, env=env)
    else:
        pytest.fail(f"the network test needs {tool}: install the Debian package {package} (and run as root for unshare)")


def test_ingest_ask_audit_and_the_server_connect_to_nothing_outside_loopback():
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        pytest.fail("the network test runs the app in a network namespace of its own: run the tests as root (CI does)")
    for tool, package in (("strace", "strace"), ("ip", "iproute2"), ("unshare", "util-linux")):
        _ensure(tool, package)
    status, attempts, output = run(linger=15)
    assert status == 0, output
    assert "probe: server page" in output
    assert attempts == [], attempts
