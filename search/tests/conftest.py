"""Fixtures of the search tests: each test runs on its own indices, or on the database."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def es_search(settings, elasticsearch_url):
    """Elasticsearch with indices of this test only, deleted afterwards."""
    from search.client import drop_all, get_client

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    yield get_client()
    drop_all(get_client())


@pytest.fixture
def db_search(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture(params=["database", "elasticsearch"])
def engine_name(request, settings):
    """Runs a test once on each engine; `sync()` makes the index match the database."""
    if request.param == "elasticsearch":
        request.getfixturevalue("es_search")
    else:
        request.getfixturevalue("db_search")
    return request.param


def sync() -> None:
    """Bring the search index up to date (nothing to do on the database engine)."""
    from search.client import is_enabled
    from search.reindex import reindex

    if is_enabled():
        reindex()
