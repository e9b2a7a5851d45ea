"""Shared fixtures: real components in temporary folders; one embedding cache per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Settings, Workspace  # noqa: E402

from .browser import ensure_chromium  # noqa: E402
from .paths import CORPUS, REPO  # noqa: E402,F401


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def settings(tmp_path, cache_dir) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, workspace="test")


@pytest.fixture
def workspace(settings):
    ws = Workspace(settings)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def corpus_workspace(tmp_path_factory, cache_dir):
    """The whole sample corpus ingested once per session (read-only for tests)."""
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("corpus-data"), cache_dir=cache_dir, workspace="corpus"))
    report = ws.ingest([CORPUS])
    assert not report.by_status("failed"), [f.detail for f in report.by_status("failed")]
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium for the browser tests (see tests/browser.py)."""
    return ensure_chromium()
