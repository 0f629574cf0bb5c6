"""Helpers for module-scoped test data (the suite's time budget: build once, read often)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back() -> Iterator[None]:
    """Rows built once for a module's tests and undone at its end: each test's own
    changes roll back with its own transaction (`db`), these with this one."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
