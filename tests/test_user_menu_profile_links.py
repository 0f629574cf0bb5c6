"""The user menu offers "My profile" and "Notification settings" only to someone with a
member profile in the union: staff and admins without one reached a page saying they
have none (the walk's staff journey)."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union

LINKS = ('href="/profile/"', 'href="/notifications/"')


@pytest.mark.django_db
def test_profile_links_only_for_people_with_a_profile():
    union = make_union("menu")
    member = make_person(union, roles=(Role.MEMBER,)).user
    staff = make_person(union, roles=(Role.STAFF,)).user
    staff.person.delete()
    pages = {}
    for name, user in (("member", member), ("staff", staff)):
        client = Client(HTTP_HOST=union.site.hostname)
        client.force_login(user)
        pages[name] = client.get("/home/").content.decode()
    assert all(link in pages["member"] for link in LINKS)
    assert not any(link in pages["staff"] for link in LINKS)
    assert 'href="/passkeys/"' in pages["staff"]  # the rest of the menu stays
