"""Pages shown to a signed-in user are `Cache-Control: private, no-store`
(accounts.middleware.PrivateResponseMiddleware), every personal page included."""

from __future__ import annotations

from django.test import Client

from tests.test_audit import _person_data_urls, setting  # noqa: F401 - the fixture


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_every_personal_page_is_private_and_not_stored(setting):  # noqa: F811
    pages = _person_data_urls(setting)  # it makes rows (a custom field): once
    urls = {name: url for name, (url, _) in pages.items()}
    urls["privacy:own_export"] = "/profile/export/"
    viewers = {name: viewer for name, (_, viewer) in pages.items()}
    missing = []
    for name, url in urls.items():
        client = Client(HTTP_HOST=setting["union"].site.hostname)
        client.force_login(viewers[name].user)
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        if not {"private", "no-store"} <= _directives(response):
            missing.append((name, url, response.get("Cache-Control")))
    assert not missing, missing


def test_the_admin_pages_of_people_are_private_too(setting):  # noqa: F811
    client = Client(HTTP_HOST=setting["union"].site.hostname)
    client.force_login(setting["staff"].user)
    response = client.get("/admin/union-admin/positions/")
    assert {"private", "no-store"} <= _directives(response)


def test_a_visitors_public_page_may_be_cached(setting):  # noqa: F811
    response = Client(HTTP_HOST=setting["union"].site.hostname).get("/")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)


def test_a_response_with_its_own_cache_policy_keeps_it(setting):  # noqa: F811
    client = Client(HTTP_HOST=setting["union"].site.hostname)
    client.force_login(setting["member"].user)
    assert _directives(client.get("/manifest.webmanifest")) == {"max-age=3600"}
