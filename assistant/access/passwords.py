"""Password hashes: scrypt from the standard library, a random salt per password, compared in constant time.

Stored as ``scrypt$n$r$p$salt$hash`` (salt and hash base64), so the cost can be raised later and old hashes still
verify. Nothing here ever stores or logs a password itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # about 16 MB and 40-60 ms per hash on the 2-core machine: slow to guess, fast to sign in
SALT_BYTES, HASH_BYTES = 16, 32
MIN_LENGTH = 8


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=HASH_BYTES)


def hash_password(password: str) -> str:
    """A new salted hash of ``password`` (two calls never give the same string)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, N, R, P)
    return f"{SCHEME}${N}${R}${P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by ``hash_password`` (a malformed hash matches nothing)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_strength(password: str) -> None:
    """Refuse passwords a guesser gets quickly: shorter than ``MIN_LENGTH`` characters."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")


DUMMY_HASH = hash_password(secrets.token_urlsafe(12))  # verified against for unknown users, so timing does not tell who exists
