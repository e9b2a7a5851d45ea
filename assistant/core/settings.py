"""One typed settings object for the whole assistant.

Values come, highest priority first, from keyword arguments, environment variables prefixed
``CONTRACT_ASSISTANT_`` (e.g. ``CONTRACT_ASSISTANT_DATA_DIR``), a TOML config file, then defaults.
The config file is ``CONTRACT_ASSISTANT_CONFIG`` if set, else ``contract-assistant.toml`` in the
working directory when it exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

ENV_PREFIX = "CONTRACT_ASSISTANT_"
CONFIG_FILE_NAME = "contract-assistant.toml"
WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


def config_file() -> Path | None:
    """The config file in force, if any."""
    explicit = os.environ.get(ENV_PREFIX + "CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise FileNotFoundError(f"config file {path} (from {ENV_PREFIX}CONFIG) does not exist")
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    return local if local.is_file() else None


class Settings(BaseSettings):
    """Everything a deployment can change. See README "Configuration"."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", validate_assignment=True)

    data_dir: Path = Field(default=Path.home() / ".contract-assistant", description="where workspaces, caches and logs live")
    workspace: str = Field(default="default", description="workspace (one Chroma collection and BM25 index) to use")
    cache_dir: Path | None = Field(default=None, description="embedding and tokenizer cache; default data_dir/cache")
    chroma_host: str | None = Field(default=None, description="Chroma server host; unset = embedded store in data_dir")
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    embedding_model: Literal["all-MiniLM-L6-v2-int8"] = "all-MiniLM-L6-v2-int8"
    embedding_max_tokens: int = Field(default=256, ge=16, le=512, description="model-side truncation in WordPiece tokens")
    embedding_batch_size: int = Field(default=1, ge=1, le=512, description="texts per model run; 1 measured fastest on 2 cores (benchmarks), length-sorted when larger")
    chunk_max_tokens: int = Field(default=160, ge=32, le=1000, description="largest chunk, in cl100k tokens (tiktoken)")
    chunk_min_tokens: int = Field(default=24, ge=0, le=500, description="smaller sections merge with their neighbours")
    max_file_mb: float = Field(default=50.0, gt=0, description="larger files are refused with a clear error")
    max_unpacked_mb: float = Field(default=200.0, gt=0, description="a DOCX whose parts unpack to more is refused (zip bombs)")
    parse_timeout_s: float = Field(default=120.0, gt=0, description="reading one file may take this long before it is stopped")
    parse_memory_mb: int = Field(default=2048, ge=256, description="memory one file's reader may use (in its worker process)")
    parse_workers: int = Field(default=2, ge=0, le=32, description="worker processes that read files; 0 reads in-process, without time or memory limits")
    lock_timeout_s: float = Field(default=600.0, gt=0, description="how long a writer waits for another process's write to the same workspace")
    ocr: bool = Field(default=True, description="read PDF pages that have no text layer (scans) with the bundled offline OCR engine")
    ocr_dpi: int = Field(default=150, ge=72, le=600, description="resolution scanned pages are rendered at for OCR (150 read CUAD pages as well as 200 or 300, faster)")
    playbook: Path | None = Field(default=None, description="clause-audit playbook YAML; default: the bundled IT outsourcing playbook")
    retrieval_k: int = Field(default=8, ge=1, le=200)
    retrieval_candidates: int = Field(default=100, ge=1, le=2000, description="per-retriever depth before fusion")
    focus_candidates: int = Field(default=5, ge=0, le=50, description="top passages searched for the best-answering sentences (0: no focus)")
    llm_provider: Literal["none", "openai", "ollama", "llamacpp"] = "none"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key_env: str = Field(default="OPENAI_API_KEY", description="name of the env variable holding the API key")
    llm_model_path: Path | None = Field(default=None, description="GGUF file for llm_provider=llamacpp")
    llm_temperature: float = 0.0
    auth_users: dict[str, str] = Field(default_factory=dict, description="deprecated (one release): user -> password, migrated "
                                       "into hashed admin accounts at start; use 'contract-assistant users add'")
    session_hours: float = Field(default=12.0, gt=0, description="a web sign-in lasts this long at most")
    session_idle_minutes: float = Field(default=60.0, gt=0, description="a web session without a request for this long ends")
    login_lock_after: int = Field(default=10, ge=2, description="failed sign-ins (per account or address) that lock it for login_lock_minutes")
    login_lock_minutes: float = Field(default=15.0, gt=0, description="how long a locked account or address is refused")
    workspace_creators: Literal["admins", "users"] = Field(default="admins", description="who may create workspaces in the app "
                                                           "(the creator becomes its owner)")
    server_host: str = "127.0.0.1"
    server_port: int = Field(default=7860, ge=1, le=65535)
    server_concurrency: int = Field(default=20, ge=1, le=40, description="requests of one kind (questions, audits, page "
                                    "loads, citation clicks ...) the web app runs at once; more wait in its queue (40: its thread pool)")

    @field_validator("workspace")
    @classmethod
    def _workspace_name(cls, value: str) -> str:
        if not WORKSPACE_NAME.match(value):
            raise ValueError(
                f"workspace name {value!r} is not valid: use 1-63 letters, digits, '_', '-' or '.', starting with a letter or digit"
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def workspace_dir(self) -> Path:
        return self.data_dir / "workspaces" / self.workspace

    @property
    def cache_path(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    def with_workspace(self, workspace: str) -> "Settings":
        """A copy of these settings pointed at another workspace."""
        return self.model_copy(update={"workspace": self._workspace_name(workspace)})
