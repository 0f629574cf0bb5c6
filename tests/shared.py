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



def module_world(build, name: str = "world"):
    """A module's read-mostly test data as two fixtures: `<name>_rows` builds the rows
    once per module with `build()` (undone at the module's end) and `<name>` gives each
    test a deep copy of the objects `build()` returned (no queries), so a test that
    changes an object in memory leaves the next one the original; its database changes
    roll back with the test's own transaction (`db`). In the module:

        world_rows, world = module_world(_build_world)   # tests take `world` as before
    """
    import copy
    import inspect

    import pytest

    @pytest.fixture(scope="module", name=f"{name}_rows")
    def rows(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), rolled_back():
            yield build()

    def fresh_copy(db, **built):
        return copy.deepcopy(built[f"{name}_rows"])

    # The rows are an argument (not asked for inside), so pytest sets them up before the
    # test's own transaction (`db`) and not inside it.
    fresh_copy.__signature__ = inspect.Signature([
        inspect.Parameter("db", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(f"{name}_rows", inspect.Parameter.KEYWORD_ONLY),
    ])
    return rows, pytest.fixture(name=name)(fresh_copy)
