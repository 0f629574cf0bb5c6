import pytest

from .helpers import UnionSite, seed_union_sites


@pytest.fixture
def union_sites(live_server) -> list[UnionSite]:
    """Both demo unions, seeded small, each on its own hostname of the live server."""
    return seed_union_sites(live_server)
