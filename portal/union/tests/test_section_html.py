"""Rendered sections (`{% sectionhtml %}`, sections.cached_html): served from the cache to
viewers of the same kind only, and stale at once on a change in the same process."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_branch, make_bulletin, make_person, make_union

pytestmark = pytest.mark.django_db

OFFICIALS = "includes/officials.html"


def _client(union, person=None, language="en"):
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if person is not None:
        client.force_login(person.user)
    return client


def _view(client, url):
    """The page's HTML (without its CSRF tokens, masked anew on every response) and whether
    the officials' cards were rendered (not cached)."""
    response = client.get(url)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)
    return html, OFFICIALS in [t.name for t in response.templates]


def test_each_kind_of_viewer_gets_its_own_rendering():
    union = make_union("html-kinds")
    branch = make_branch(union)
    chair = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Chairperson")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Rankfile")
    unsent = make_bulletin(branch, title="Draft strike plan")  # live, never sent: not public

    # The manager (the branch chair) first: their sections are cached with their rights.
    as_chair = _client(union, chair)
    html, rendered = _view(as_chair, branch.url)
    assert rendered and "Chairperson" in html and unsent.title in html
    assert "Write a bulletin" in html and "Rankfile" in html  # the members list
    assert _view(as_chair, branch.url) == (html, False)  # from the cache, the same page

    # A member after them renders their own sections: no manager's bulletin, link or list.
    as_member = _client(union, member)
    html, rendered = _view(as_member, branch.url)
    assert rendered and "Chairperson" in html
    assert unsent.title not in html and "Write a bulletin" not in html
    assert "members-heading" not in html
    assert not _view(as_member, branch.url)[1]

    # A visitor after both: no officials' cards at all (they are for the union's people).
    html, rendered = _view(_client(union), branch.url)
    assert "Chairperson" not in html and "officials-heading" not in html
    assert "data-autocomplete-url" not in html  # the chrome's search form is theirs too

    # The language is part of the key: the same member in Swedish gets Swedish headings.
    html, rendered = _view(_client(union, member, language="sv"), branch.url)
    with translation.override("sv"):
        assert rendered and f">{translation.gettext('Officials')}</h2>" in html


def test_a_change_shows_at_once_in_the_rendered_sections():
    union = make_union("html-change")
    branch = make_branch(union)
    chair = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Chairperson")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    client = _client(union, make_person(union, branch=branch, roles=(Role.MEMBER,)))
    _view(client, branch.url)
    assert not _view(client, branch.url)[1]  # cached

    chair.first_name = "Renamed"
    chair.save()  # a person saved: the union's sections generation is replaced
    html, rendered = _view(client, branch.url)
    assert rendered and "Renamed Testinen" in html and "Chairperson" not in html

    branch.title = "Harbour branch"
    branch.save_revision().publish()
    assert "Harbour branch" in _view(client, branch.url)[0]  # the page's own card too
