"""Driving a real browser in tests: Debian's Chromium through Playwright, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def ensure_chromium() -> str:
    """Debian's Chromium; installed with apt-get when missing and we are root, else a clear failure."""
    if not CHROMIUM.exists():
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            print("\nnotice: /usr/bin/chromium is missing; installing the Debian package 'chromium' with apt-get")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], check=True, env=env)
        else:
            pytest.fail("Chromium is needed for the browser test: install it with `sudo apt-get install -y chromium` "
                        "(Debian package; the test uses /usr/bin/chromium)")
    return str(CHROMIUM)


def open_tab(page, name: str, tries: int = 3) -> None:
    """Click a tab until it is the selected one. On a loaded machine a click that lands while Gradio is still wiring
    up a reloaded page is lost (seen in CI: the Audit tab after a reload), and a user would simply click again."""
    from playwright.sync_api import expect

    tab = page.get_by_role("tab", name=name)
    for attempt in range(tries):
        tab.click()
        try:
            expect(tab).to_have_attribute("aria-selected", "true", timeout=10_000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise
