"""The register API in a browser: its interactive docs under the site's
Content-Security-Policy, and the admin panel's API client pages for a union admin at
phone and desktop width (staff do not see them)."""

from __future__ import annotations

import re

import pytest

from .helpers import SCREENSHOTS, login, new_page, shot
from .test_admin_csp import Violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot(page, path=str(SCREENSHOTS / f"api-{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_docs_page_runs_under_the_csp(browser, union_sites, size):
    site = union_sites[0]
    context, page = new_page(browser, size)
    violations = Violations(context, page)
    page.goto(site.base + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "register API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector("#operations-people-bulk_people")
    violations.collect()
    assert violations.found == []
    _shot(page, f"docs-{size}")
    context.close()


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_admin_adds_a_client_and_copies_the_key(browser, union_sites, size):
    from portal.api.models import ApiClient

    site = union_sites[0]
    context, page = new_page(browser, size)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
    violations = Violations(context, page)
    login(page, site, "admin")
    page.goto(site.base + "/admin/union-admin/api-clients/")
    _shot(page, f"list-empty-{size}")
    page.locator("main a[href$='/api-clients/new/']").first.click()
    page.wait_for_selector("#id_name")
    page.fill("#id_name", "Jäsenrekisteri")
    for kind in ("people", "employers", "changes"):
        page.locator(f"input[name='read'][value='{kind}']").check()
    page.locator("input[name='write'][value='people']").check()
    page.fill("#id_networks", "192.0.2.0/24")
    _shot(page, f"add-{size}")
    with page.expect_navigation():
        page.locator("form.api-form button[type='submit']").click()
    key = page.locator("#api-key").input_value()
    assert re.fullmatch(r"du_[0-9a-f]{12}_[\w-]{40,}", key)
    page.locator("[data-copy-key]").click()
    page.wait_for_function("document.getElementById('api-key-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == key
    _fits(page)
    _shot(page, f"key-{size}")
    client = ApiClient.objects.get(name="Jäsenrekisteri")
    assert client.scopes == ["people:read", "employers:read", "changes:read", "people:write"]

    page.goto(site.base + "/admin/union-admin/api-clients/")
    assert "Jäsenrekisteri" in page.locator("main").inner_text()
    assert key not in page.content()
    _fits(page)
    _shot(page, f"list-{size}")
    page.goto(site.base + f"/admin/union-admin/api-clients/{client.pk}/")
    _fits(page)
    _shot(page, f"edit-{size}")
    # Revoking asks first; the confirmation's button revokes (under the admin's CSP).
    with page.expect_navigation():
        page.locator(f"main a[href$='/api-clients/{client.pk}/revoke/']").click()
    _fits(page)
    _shot(page, f"revoke-{size}")
    client.refresh_from_db()
    assert client.revoked_at is None
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    assert page.url == site.base + "/admin/union-admin/api-clients/"
    client.refresh_from_db()
    assert client.revoked_at is not None
    violations.collect()
    assert violations.found == []
    context.close()


def test_staff_do_not_get_the_pages(browser, union_sites):
    """Staff are sent to the admin's home, and their Union menu has no API clients.
    (Members have no admin at all: test_admin_clients.py checks them without a browser.)"""
    site = union_sites[0]
    context, page = new_page(browser, "desktop")
    login(page, site, "staff")
    page.goto(site.base + "/admin/union-admin/api-clients/")
    assert page.url == site.base + "/admin/"
    assert page.locator("a[href$='/union-admin/api-clients/']").count() == 0
    _shot(page, "staff-admin-desktop")
    context.close()
