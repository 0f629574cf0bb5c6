"""The idle timeout slides with use, with at most one session write a minute."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from portal.accounts.middleware import LAST_EXTENDED
from portal.union.models import Role
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(settings):
    union = make_union("slide")
    person = make_person(union, roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(person.user)
    return client


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _age(session: Session, seconds: int) -> None:
    """Make the stored session look `seconds` older: its expiry and its last extension."""
    data = session.get_decoded()
    data[LAST_EXTENDED] = data.get(LAST_EXTENDED, int(timezone.now().timestamp())) - seconds
    Session.objects.filter(pk=session.pk).update(
        session_data=Session.objects.encode(data),
        expire_date=session.expire_date - dt.timedelta(seconds=seconds),
    )


def test_a_request_within_the_interval_does_not_write_the_session(signed_in, settings):
    signed_in.get("/profile/")
    first = _session(signed_in)
    response = signed_in.get("/profile/")
    assert response.status_code == 200
    assert _session(signed_in).expire_date == first.expire_date
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_request_after_the_interval_extends_the_session(signed_in, settings):
    signed_in.get("/profile/")
    _age(_session(signed_in), settings.SESSION_EXTEND_INTERVAL + 5)
    aged = _session(signed_in).expire_date
    response = signed_in.get("/profile/")
    assert response.status_code == 200
    extended = _session(signed_in).expire_date
    assert extended - aged >= dt.timedelta(seconds=settings.SESSION_EXTEND_INTERVAL)
    assert abs((extended - timezone.now()) - dt.timedelta(
        seconds=settings.SESSION_COOKIE_AGE)) < dt.timedelta(seconds=10)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (
        settings.SESSION_COOKIE_AGE)


def test_an_idle_session_ends(signed_in, settings):
    signed_in.get("/profile/")
    _age(_session(signed_in), settings.SESSION_COOKIE_AGE + 1)
    response = signed_in.get("/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_visitors_get_no_session(settings):
    union = make_union("slide-anon")
    response = Client(HTTP_HOST=union.site.hostname).get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
