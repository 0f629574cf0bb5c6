"""The per-process caches of the request's fixed work (issue 13) never show stale data
to the process that made a change, and show it to other processes within the
documented time.

"Another process" is a change this process does not hear about: a queryset `update()` or
a raw insert, which sends no signal, just as a change made by another web process sends
none here. Its cache entries expire after PAGE_SECTION_CACHE_SECONDS (hostname, union,
root page, page sections) or VIEWER_CACHE_SECONDS (roles, profile, unread count); the
tests move the memory cache's clock past that time instead of waiting.
"""

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.core.cache.backends import locmem
from django.test import Client
from django.utils import timezone

from portal.access.roles import roles_for
from portal.accounts.actions import add_role
from portal.activity.actions import record_events
from portal.people import actions as people_actions
from portal.people.models import Person
from portal.union.models import Role, Union, UnionRoleGroup
from tests.factories import make_branch, make_person, make_union, publish_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    """`later(seconds)`: from now on, the memory cache believes `seconds` have passed."""

    class Clock:
        offset = 0.0

        @staticmethod
        def time():
            return time.time() + Clock.offset

    monkeypatch.setattr(locmem, "time", Clock)

    def advance(seconds: float) -> None:
        Clock.offset += seconds

    return advance


def _client(union, person=None) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    if person is not None:
        client.force_login(person.user)
    return client


def _title_of_home(client) -> str:
    return client.get("/").context["request"].union.name


def test_a_renamed_union_is_seen_at_once_here_and_within_the_cache_time_elsewhere(later):
    union = make_union("renamed")
    client = _client(union)
    assert _title_of_home(client) == union.name
    union.name = "Renamed Union"
    union.save()  # this process: the signal drops its cached hostname entries
    assert _title_of_home(client) == "Renamed Union"

    Union.objects.filter(pk=union.pk).update(name="Renamed Elsewhere")  # no signal here
    assert _title_of_home(client) == "Renamed Union"
    later(settings.PAGE_SECTION_CACHE_SECONDS + 1)
    assert _title_of_home(client) == "Renamed Elsewhere"


def test_a_moved_hostname_is_served_at_once_and_the_old_one_no_longer_is():
    union = make_union("moving")
    page = make_branch(union)
    url = page.relative_url(union.site)
    assert _client(union).get(url).status_code == 200
    site = union.site
    old = site.hostname
    site.hostname = "moved.localhost"
    site.save()
    assert Client(HTTP_HOST="moved.localhost").get(url).status_code == 200
    assert Client(HTTP_HOST=old).get(url).status_code == 404


def test_a_deactivated_union_stops_answering_at_once():
    union = make_union("closing")
    member = make_person(union, roles=(Role.MEMBER,))
    client = _client(union, member)
    assert client.get("/profile/").status_code == 200
    union.is_active = False
    union.save()
    # No union on the hostname any more: the member's session counts for nothing there.
    assert client.get("/profile/").status_code == 302


def test_a_granted_role_counts_at_once_in_every_process():
    union = make_union("roles")
    person = make_person(union, roles=(Role.MEMBER,))
    user = person.user
    assert roles_for(user, union) == {Role.MEMBER}
    add_role(user=user, role=Role.STAFF)  # user.groups.add: the signal drops the cache
    user = type(user).objects.get(pk=user.pk)  # a new request's user object
    assert Role.STAFF in roles_for(user, union)

    # Another process grants admin: its receiver marks the user's row, which every
    # request here loads anyway; this process hears no signal.
    admin_group = UnionRoleGroup.objects.get(union=union, role=Role.ADMIN).group
    # A bulk insert of the through rows sends no m2m signal, as in another process.
    user.groups.through.objects.bulk_create([user.groups.through(user=user,
                                                                 group=admin_group)])
    type(user).objects.filter(pk=user.pk).update(roles_changed_at=timezone.now())
    user = type(user).objects.get(pk=user.pk)
    assert Role.ADMIN in roles_for(user, union)
    # And takes it away again: at once too.
    user.groups.through.objects.filter(user=user, group=admin_group).delete()
    type(user).objects.filter(pk=user.pk).update(roles_changed_at=timezone.now())
    user = type(user).objects.get(pk=user.pk)
    assert Role.ADMIN not in roles_for(user, union)


def test_a_role_change_from_the_groups_side_marks_the_users_rows():
    union = make_union("groupside")
    person = make_person(union, roles=(Role.MEMBER,))
    staff_group = UnionRoleGroup.objects.get(union=union, role=Role.STAFF).group
    staff_group.user_set.add(person.user)
    user = type(person.user).objects.get(pk=person.user_id)
    assert user.roles_changed_at is not None and Role.STAFF in roles_for(user, union)
    staff_group.user_set.clear()
    user = type(person.user).objects.get(pk=person.user_id)
    assert Role.STAFF not in roles_for(user, union)


def test_a_profile_made_elsewhere_shows_its_card_within_the_cache_time(later):
    union = make_union("elsewhere")
    from portal.accounts.actions import create_user

    account = create_user(email="late@elsewhere.example", union=union, password="x" * 16,
                          roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(account)
    assert client.get("/").context["has_member_card"] is False
    # Another process links a profile (a bulk write sends no signal here).
    Person.objects.bulk_create([Person(union=union, user=account, first_name="Late",
                                       last_name="Comer", member_number="L1")])
    assert client.get("/").context["has_member_card"] is False
    later(settings.VIEWER_CACHE_SECONDS + 1)
    assert client.get("/").context["has_member_card"] is True


def test_a_new_position_of_trust_drops_the_viewers_cached_facts_at_once():
    from portal.union import viewer

    union = make_union("positions")
    branch = make_branch(union)
    person = make_person(union, branch=branch, roles=(Role.MEMBER,))
    builds = []

    def fact() -> int:
        return viewer.viewer_fact(union_id=union.pk, user=person.user, name="probe",
                                  build=lambda: builds.append(1) or len(builds))

    assert fact() == 1 and fact() == 1  # built once, then cached
    people_actions.appoint_position(person=person, kind="branch_chair", scope_page=branch,
                                    starts_on=dt.date(2020, 1, 1))
    assert fact() == 2


def test_a_new_profile_gets_its_member_card_link_at_once():
    union = make_union("card")
    person = make_person(union, user=False)
    from portal.accounts.actions import create_user

    account = create_user(email="card-user@card.example", union=union, password="x" * 16,
                          roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(account)
    assert client.get("/").context["has_member_card"] is False
    people_actions.activate_profile(person=person, user=account)
    assert client.get("/").context["has_member_card"] is True


def test_the_unread_badge_drops_at_once_when_read_and_shows_new_events_in_time(later):
    union = make_union("badge")
    person = make_person(union, roles=(Role.MEMBER,))
    client = _client(union, person)

    def badge() -> int | None:
        items = client.get("/").context["nav_items"]
        return next(item["badge"] for item in items if item["key"] == "activity")

    assert badge() == 0
    record_events(union=union, kind="bulletin", occurs_at=timezone.now(), source="test:1",
                  items=[(person.pk, "News", "/news/")])
    # New events are counted within VIEWER_CACHE_SECONDS (the badge is kept briefly).
    later(settings.VIEWER_CACHE_SECONDS + 1)
    assert badge() == 1
    client.get("/activity/")  # reading the timeline marks it read: dropped at once
    assert badge() == 0


def test_an_added_translation_is_in_the_language_switcher_at_once():
    union = make_union("switcher")
    branch = make_branch(union, title="Osasto")
    url = branch.relative_url(union.site)
    client = _client(union)

    def swedish_link() -> str:
        html = client.get(url).content.decode()
        return re.search(r'name="next" value="([^"]+)">\s*<button[^>]*value="sv"', html).group(1)

    assert swedish_link() == url  # no Swedish version yet: switching stays here
    swedish = publish_translation(branch, "sv", "Avdelning")
    assert swedish_link() == swedish.relative_url(union.site)


def test_a_renamed_root_page_is_routed_and_shown_at_once():
    union = make_union("rooted")
    client = _client(union)
    root = union.root_page.specific
    root.title = "New home title"
    root.save_revision().publish()
    assert "New home title" in client.get("/").content.decode()
