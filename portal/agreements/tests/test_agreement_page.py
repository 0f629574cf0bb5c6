"""An agreement page: its covered employers (cached with the page's sections) and its
HTML (a rendered section, `{% sectionhtml %}`): each kind of viewer gets its own rendering,
nothing personal or per-request is cached, and a change shows at once."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from portal.union.models import Role
from tests.factories import make_agreement, make_employer, make_person, make_union

pytestmark = pytest.mark.django_db

BREADCRUMBS = "includes/breadcrumbs.html"  # inside the cached section: rendered or not


def _client(union, person=None):
    client = Client(HTTP_HOST=union.site.hostname)
    if person is not None:
        client.force_login(person.user)
    return client


def _view(client, url):
    """The page's HTML and whether its section was rendered (not served from the cache)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), BREADCRUMBS in [t.name for t in response.templates]


def _cached_html(union) -> list[str]:
    """Every rendered section of this union in the process's cache (locmem)."""
    prefix = f"html:{union.site_id}:{union.pk}:"
    keys = [key.split(":", 2)[2] for key in list(cache._cache)]  # without ":version:"
    return [cache.get(key) for key in keys if key.startswith(prefix)]


def test_each_kind_of_viewer_gets_its_own_rendering_without_personal_data():
    union = make_union("agr-kinds")
    agreement = make_agreement(union)
    employer = make_employer(union, title="Alpha")
    employer.agreements.add(agreement)
    employer.save()
    first = make_person(union, roles=(Role.MEMBER,), first_name="Ainomarja")
    second = make_person(union, roles=(Role.MEMBER,), first_name="Bertilda")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Stafferi")
    url = agreement.relative_url(union.site)

    html, rendered = _view(_client(union, first), url)
    assert rendered and employer.title in html and first.user.email in html  # user menu
    # Another member: the same section from the cache, their own chrome around it.
    html, rendered = _view(_client(union, second), url)
    assert not rendered and employer.title in html
    assert second.user.email in html and first.user.email not in html
    # Staff (a manager of the page) and a visitor: a rendering of their own each.
    assert _view(_client(union, staff), url)[1]
    assert _view(_client(union), url)[1]

    sections = _cached_html(union)
    assert sum(employer.title in html for html in sections) == 3  # member, manager, visitor
    for html in sections:
        assert "csrfmiddlewaretoken" not in html and "nonce" not in html
        assert not re.search(r"Ainomarja|Bertilda|Stafferi|@agr-kinds\.example", html)


def test_covered_employers_are_listed_counted_and_a_change_shows_at_once():
    union = make_union("agr")
    agreement = make_agreement(union)
    first = make_employer(union, title="Alpha")
    first.agreements.add(agreement)
    first.save()
    other_union = make_union("agr-other")
    make_employer(other_union, title="Foreign")  # never listed: another union's
    client = _client(union, make_person(union, roles=(Role.MEMBER,)))
    url = agreement.relative_url(union.site)

    response = client.get(url)
    assert response.context["covered_employer_count"] == 1
    assert response.context["covered_employers"] == [
        {"title": first.title, "url": first.relative_url(union.site)}]
    assert "Foreign" not in response.content.decode()
    assert not _view(client, url)[1]  # the second view: from the cache

    second = make_employer(union, title="Beta")
    second.agreements.add(agreement)
    second.save()  # a page save: the cached list and HTML are stale at once
    html, rendered = _view(client, url)
    assert rendered and f'href="{second.relative_url(union.site)}"' in html
    assert "<span class=\"muted\">(2)</span>" in html

    agreement.summary = "Pay rises of three per cent"
    agreement.save_revision().publish()  # the agreement's own text
    assert "Pay rises of three per cent" in _view(client, url)[0]

    second.title = "Beta Renamed"
    second.save_revision().publish()  # a covered employer renamed
    assert "Beta Renamed" in _view(client, url)[0]
    second.unpublish()  # and gone
    html = _view(client, url)[0]
    assert "Beta Renamed" not in html and "<span class=\"muted\">(1)</span>" in html
