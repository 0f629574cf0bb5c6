"""The interface starts in the union's default language; the switcher's cookie wins.

Order (docs/languages.md): cookie > the union's default language > (only on a hostname
that is no union's) Accept-Language > LANGUAGE_CODE.
"""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from portal.union.actions import create_union
from portal.union.demo import DEMO_UNIONS
from portal.union.middleware import UnionLocaleMiddleware
from portal.union.models import Union

pytestmark = pytest.mark.django_db

SIGN_IN = {"fi": "Kirjaudu sisään", "sv": "Logga in", "en": "Sign in"}


def _demo_union(slug: str) -> Union:
    """A union like the demo's (`make demo`): its name and default language."""
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    return create_union(name=spec.name, slug=f"l{slug}", hostname=f"l{slug}.localhost",
                        default_language=spec.language)


def _page(union, *, cookie=None, accept=None) -> str:
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    client = Client(HTTP_HOST=union.site.hostname, **headers)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    return response.content.decode()


def _language_of(html: str) -> str:
    found = {code for code, text in SIGN_IN.items() if f">{text}</h1>" in html}
    assert len(found) == 1, found
    return found.pop()


def test_the_swedish_union_starts_in_swedish_whatever_the_browser_says():
    norden = _demo_union("norden")
    assert norden.default_language == "sv"
    html = _page(norden)
    assert '<html lang="sv">' in html and _language_of(html) == "sv"
    # The union decides its site's language, not the browser.
    assert _language_of(_page(norden, accept="fi")) == "sv"
    assert _language_of(_page(norden, accept="en-US,en;q=0.9")) == "sv"


def test_the_switchers_cookie_wins():
    norden = _demo_union("norden")
    html = _page(norden, cookie="en")
    assert '<html lang="en">' in html and _language_of(html) == "en"
    assert _language_of(_page(norden, cookie="fi", accept="sv")) == "fi"
    # An unknown cookie value falls back to the union's language.
    assert _language_of(_page(norden, cookie="xx")) == "sv"
    # The switcher itself sets that cookie.
    client = Client(HTTP_HOST=norden.site.hostname)
    assert _language_of(client.get("/accounts/login/").content.decode()) == "sv"
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert _language_of(client.get("/accounts/login/").content.decode()) == "en"


def test_the_finnish_union_starts_in_finnish():
    pal = _demo_union("pal")
    assert _language_of(_page(pal)) == "fi"
    assert _language_of(_page(pal, accept="sv")) == "fi"
    assert _language_of(_page(pal, cookie="sv")) == "sv"


def test_a_hostname_that_is_no_unions_follows_the_browser():
    _demo_union("norden")  # some union exists, but not on this hostname
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # "testserver"
    response = client.get("/accounts/login/")
    assert response.wsgi_request.union is None
    assert _language_of(response.content.decode()) == "en"
    assert _language_of(Client().get("/accounts/login/").content.decode()) == "fi"


def test_the_response_says_its_language_and_what_it_varies_on():
    norden = _demo_union("norden")
    response = Client(HTTP_HOST=norden.site.hostname).get("/accounts/login/")
    assert response["Content-Language"] == "sv"
    assert "Cookie" in response["Vary"]


def test_choosing_the_language_costs_no_query(django_assert_num_queries):
    # UnionMiddleware loaded the union (with its settings) already.
    norden = Union.objects.select_related("site", "settings").get(
        pk=_demo_union("norden").pk)
    request = RequestFactory().get("/")
    request.union = norden
    middleware = UnionLocaleMiddleware(lambda request: HttpResponse(translation.get_language()))
    with django_assert_num_queries(0), translation.override(settings.LANGUAGE_CODE):
        response = middleware(request)
    assert response.content == b"sv" and request.LANGUAGE_CODE == "sv"
