"""Cached page sections are served from the cache and go stale on every relevant change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.pages.models import ContentPage
from portal.union.models import Role
from portal.workplaces.models import WorkplacePage
from tests.factories import (
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
    mark_sent,
)

pytestmark = pytest.mark.django_db


def _member_client(union, **person):
    member = make_person(union, roles=(Role.MEMBER,), **person)
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(member.user)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_cached_union_page_shows_a_new_section_once_it_is_published():
    union = make_union("sections-union")
    client = _member_client(union)
    first = _queries(client, "/")
    assert _queries(client, "/") < first  # the sections came from the cache
    page = union.root_page.add_child(instance=ContentPage(
        title="Strike fund", slug="strike-fund", union=union, live=False,
        body="<p>x</p>"))
    assert "Strike fund" not in client.get("/").text
    page.save_revision().publish()
    assert "Strike fund" in client.get("/").text
    page.refresh_from_db()
    page.unpublish()
    assert "Strike fund" not in client.get("/").text


def test_a_branch_page_follows_its_members_workplaces_and_bulletins():
    union = make_union("sections-branch")
    branch = make_branch(union)
    employer = make_employer(union)
    client = _member_client(union, branch=branch)
    assert "Depot" not in client.get(branch.url).text
    depot = make_workplace(employer, title="Depot")
    make_person(union, branch=branch, workplace=depot, user=False)
    assert depot.title in client.get(branch.url).text  # a new employment counts at once
    bulletin = make_bulletin(branch, title="Strike vote")
    # Public once sent (portal/branches/visibility.py): the sending makes the list stale.
    assert bulletin.title not in client.get(branch.url).text
    mark_sent(bulletin)
    assert bulletin.title in client.get(branch.url).text
    bulletin.unpublish()
    assert bulletin.title not in client.get(branch.url).text


def test_an_employer_page_pages_its_workplaces_from_the_cache():
    union = make_union("sections-employer")
    employer = make_employer(union)
    for n in range(101):
        employer.add_child(instance=WorkplacePage(
            title=f"Site {n:03d}", slug=f"site-{n}", union=union, employer=employer))
    client = _member_client(union)
    page_one = client.get(employer.url).text
    assert "Site 000" in page_one and "Site 099" in page_one and "Site 100" not in page_one
    last = client.get(employer.url + "?wpage=2").text
    assert "Site 100" in last and "Site 099" not in last
    # Out of range and nonsense numbers clamp to a real page; they make no new entries.
    assert "Site 100" in client.get(employer.url + "?wpage=999").text
    assert "Site 000" in client.get(employer.url + "?wpage=x").text
    employer.add_child(instance=WorkplacePage(
        title="Site 101", slug="site-101", union=union, employer=employer))
    assert "Site 101" in client.get(employer.url + "?wpage=2").text


def test_one_unions_change_leaves_the_other_unions_cache_alone():
    first, second = make_union("sections-a"), make_union("sections-b")
    client_a, client_b = _member_client(first), _member_client(second)
    client_a.get("/"), client_b.get("/")
    cached_b = _queries(client_b, "/")
    first.root_page.add_child(instance=ContentPage(
        title="Only in A", slug="only-a", union=first, body="<p>x</p>"))
    assert "Only in A" in client_a.get("/").text
    assert "Only in A" not in client_b.get("/").text
    assert _queries(client_b, "/") == cached_b


def test_officials_are_cached_yet_every_view_is_audited_and_a_term_end_shows_at_once():
    import datetime as dt

    from portal.audit.models import AuditEntry
    from portal.people import actions as people_actions
    from portal.people.models import PositionKind
    from tests.factories import appoint

    union = make_union("sections-officials")
    branch = make_branch(union)
    client = _member_client(union, branch=branch)
    official = make_person(union, branch=branch, user=False, first_name="Elsa")
    position = appoint(official, PositionKind.BRANCH_BOARD_MEMBER, branch)
    assert official.full_name in client.get(branch.url).text
    seen = AuditEntry.objects.filter(person_id=official.pk)
    before = seen.count()
    with CaptureQueriesContext(connection) as queries:
        assert official.full_name in client.get(branch.url).text
    assert not any("people_positionoftrust" in q["sql"] for q in queries.captured_queries)
    assert seen.count() == before + 1  # a cached list is still logged as shown
    people_actions.end_position(position=position, ends_on=dt.date(2021, 1, 1))
    assert official.full_name not in client.get(branch.url).text


def test_previews_and_requests_outside_a_union_are_never_served_from_the_cache():
    from types import SimpleNamespace

    from portal.union.sections import cached_section

    union = make_union("sections-preview")
    page = union.root_page
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    live = SimpleNamespace(union=union)
    assert cached_section(request=live, page=page, name="n", build=build) == 1
    assert cached_section(request=live, page=page, name="n", build=build) == 1  # cached
    # A preview shows the draft's own rows; a request of no union has nothing to key on.
    preview = SimpleNamespace(union=union, is_preview=True)
    assert cached_section(request=preview, page=page, name="n", build=build) == 2
    assert cached_section(request=SimpleNamespace(union=None), page=page, name="n",
                          build=build) == 3
    assert cached_section(request=live, page=page, name="n", build=build) == 1
