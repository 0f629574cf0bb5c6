import pytest

from tests.shared import rolled_back

from .world import _union


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """Shared by the package's modules (one build, ~4 s, instead of one per module)."""
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": _union("cama", "Alpha"), "b": _union("camb", "Beta")}


@pytest.fixture
def w(world, db):
    return world
