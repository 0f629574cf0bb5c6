"""The session row is read from SQL compiled once (accounts/session_store.py) and
nothing of it is cached: a session ended or expired counts on the next request."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from portal.union import compiled
from portal.union.models import Role
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


def test_sessions_load_from_compiled_sql_and_end_at_once():
    union = make_union("sessrow")
    clients = []
    for _ in range(2):
        client = Client(HTTP_HOST=union.site.hostname)
        client.force_login(make_person(union, roles=(Role.MEMBER,)).user)
        clients.append(client)
    first, second = clients
    compiled.COMPILED.pop(("session-row",), None)
    assert first.get("/profile/").status_code == 200  # through the ORM, compiles
    assert compiled.COMPILED.get(("session-row",)) is not None
    # The compiled text with another session's key: that session's user.
    assert second.get("/profile/").context["person"].user_id != (
        first.get("/profile/").context["person"].user_id)

    Session.objects.filter(session_key=first.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert first.get("/profile/").status_code == 302  # expired: signed out
    Session.objects.filter(session_key=second.session.session_key).delete()
    assert second.get("/profile/").status_code == 302  # ended elsewhere: signed out
