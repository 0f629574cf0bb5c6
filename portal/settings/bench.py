"""Benchmarks: production-like (DEBUG off, real template caching) but plain HTTP on
loopback. Never used to serve anything but `make bench`."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-not-secret"  # noqa: S105
IDENTITY_CODE_HASH_KEY = os.environ.get("IDENTITY_CODE_HASH_KEY") or "bench-only-hash-key"
ALLOWED_HOSTS = [".localhost", "127.0.0.1", "localhost"]
