"""API keys: "du_<prefix>_<secret>". The prefix finds the client; only a SHA-256 of the
whole key is stored and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_START = "du_"
# Compared against when no client has the prefix, so that an unknown prefix costs the
# same hashing and comparison as a wrong secret.
_NO_HASH = hashlib.sha256(b"no such key").hexdigest()


def new_key() -> tuple[str, str, str]:
    """(key, prefix, hash) of a fresh key with 256 random bits in its secret part."""
    prefix = secrets.token_hex(6)  # 12 characters: unique in practice, checked by the DB
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_key(key)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def prefix_of(key: str) -> str | None:
    if not key.startswith(KEY_START):
        return None
    prefix, sep, secret = key[len(KEY_START):].partition("_")
    if not sep or not secret or len(prefix) != 12:
        return None
    return prefix


def matches(key: str, stored_hash: str | None) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash or _NO_HASH) and stored_hash is not None
