"""Benchmarks: production-like (DEBUG off, real template caching) but plain HTTP on
loopback. Never used to serve anything but `make bench`."""

import os

from .base import *  # noqa: F403
from .base import tasks_setting

SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-not-secret"  # noqa: S105
IDENTITY_CODE_HASH_KEY = os.environ.get("IDENTITY_CODE_HASH_KEY") or "bench-only-hash-key"
ALLOWED_HOSTS = [".localhost", "127.0.0.1", "localhost"]
# Benchmarks measure requests with tasks run in process, as before the database backend.
TASKS = tasks_setting("immediate")
