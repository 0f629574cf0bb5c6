"""Fixtures shared by every test suite.

In CI (CI=true) a test that needs PostgreSQL, Elasticsearch, Chromium or the test OpenID
provider fails when the service is missing; locally it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available")


@pytest.fixture
def postgres(db):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    return connection


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    require(bool(url), "Elasticsearch (ELASTICSEARCH_URL)")
    return url


@pytest.fixture(scope="session")
def oidc_provider():
    """The test OpenID provider bin/services starts (services/oidc-provider): its issuer
    and the initial access token for dynamic client registration."""
    from types import SimpleNamespace

    issuer = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
    token = os.environ.get("OIDC_REGISTRATION_TOKEN", "").strip()
    require(bool(issuer and token), "the test OpenID provider (OIDC_ISSUER)")
    return SimpleNamespace(issuer=issuer, registration_token=token)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require(os.path.exists(CHROMIUM) and shutil.which(CHROMIUM) is not None, "Chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM,
    # used by the same test, would otherwise refuse to run "in an async context".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def wagtail_search_index():
    """Create Wagtail's page index with its mapping before any page is indexed.

    Otherwise the first indexed page makes Elasticsearch create the index with a dynamic
    mapping, without the stored `pk` Wagtail's backend reads back (as in production,
    where `update_index` runs at deploy).
    """
    if not os.environ.get("ELASTICSEARCH_URL", "").strip():
        return
    from modelsearch.index import get_indexed_models
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    indexes = {}
    for model in get_indexed_models():
        index = backend.get_index_for_model(model)
        if index.name not in indexes:
            # A reused prefix may hold what `update_index` left: an alias of that name
            # over a timestamped index, which reset() cannot delete by the alias.
            if backend.es.indices.exists_alias(name=index.name):
                for concrete in backend.es.indices.get_alias(name=index.name):
                    backend.es.indices.delete(index=concrete)
            index.reset()
            indexes[index.name] = index
        indexes[index.name].add_model(model)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached page sections of an earlier test's
    union must not meet a later test whose rows reuse the same ids."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def sqlite():
    """A SQLite connection (in memory) to compile a query for, as the demo's database
    would: `query.get_compiler(connection=sqlite).as_sql()` raises what SQLite refuses."""
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3",
                                             "NAME": ":memory:"}})
    yield handler["default"]
    handler.close_all()
