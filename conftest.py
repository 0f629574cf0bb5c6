"""Fixtures shared by every test suite.

In CI (CI=true) a test that needs PostgreSQL, Elasticsearch or Chromium fails when
the service is missing; locally it is skipped with the reason.
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
