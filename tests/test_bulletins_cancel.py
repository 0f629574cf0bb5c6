"""Cancelling a sending from the front end and from the Wagtail admin: one view, one
permission (the right that allows sending), a confirmation and a CSRF-protected POST;
another union's sending is not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.messaging.actions import send_bulletin, start_due_sends
from portal.messaging.audience import Audience
from portal.messaging.models import BulletinSend, SendStatus
from portal.messaging.tests.scenario import build
from tests.factories import make_bulletin
from tests.shared import module_world


def _build_s():
    return build("cfe")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _client(s, person, union=None, **kwargs):
    client = Client(HTTP_HOST=(union or s.union).site.hostname, **kwargs)
    client.force_login(person.user)
    return client


def _schedule(s, bulletin=None):
    return send_bulletin(bulletin=bulletin or s.bulletin, audience=Audience(),
                         acting_user=s.chair.user,
                         send_at=timezone.now() + timedelta(hours=1))


def _status(send):
    return BulletinSend.objects.get(pk=send.pk).status


def test_the_chair_schedules_then_cancels_from_the_report(s):
    client = _client(s, s.chair)
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/bulletins/{s.bulletin.pk}/send/",
                           {"statuses": ["active", "on_leave"], "send_at": when,
                            "confirm": "1"})
    assert response.status_code == 302
    send = BulletinSend.objects.get(bulletin=s.bulletin)
    assert send.status == SendStatus.SCHEDULED
    cancel_url = f"/bulletins/{s.bulletin.pk}/cancel/"
    report = client.get(f"/bulletins/{s.bulletin.pk}/report/")
    assert cancel_url.encode() in report.content
    preview = client.get(f"/bulletins/{s.bulletin.pk}/preview/")
    assert cancel_url.encode() in preview.content
    # GET only asks.
    confirm = client.get(cancel_url)
    assert confirm.status_code == 200
    assert b'method="post"' in confirm.content and b"csrfmiddlewaretoken" in confirm.content
    assert _status(send) == SendStatus.SCHEDULED
    # A POST without the CSRF token is refused.
    strict = _client(s, s.chair, enforce_csrf_checks=True)
    assert strict.post(cancel_url).status_code == 403
    assert _status(send) == SendStatus.SCHEDULED
    # The confirmed POST cancels.
    response = client.post(cancel_url)
    assert response["Location"] == f"/bulletins/{s.bulletin.pk}/report/"
    assert _status(send) == SendStatus.CANCELLED
    report = client.get(f"/bulletins/{s.bulletin.pk}/report/")
    assert b'data-send-status="cancelled"' in report.content
    assert b'data-count="cancelled"' in report.content
    assert cancel_url.encode() not in report.content
    # Cancelled before it started: the chair may send it again from the report.
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() in report.content
    assert client.get(f"/bulletins/{s.bulletin.pk}/send/").status_code == 200
    # The cron never sends it.
    start_due_sends(now=timezone.now() + timedelta(days=2))
    assert mail.outbox == []
    # Cancelling twice says so and changes nothing.
    again = client.post(cancel_url, follow=True)
    assert again.status_code == 200 and _status(send) == SendStatus.CANCELLED


def test_staff_and_the_secretary_may_cancel(s):
    send = _schedule(s)
    assert _client(s, s.secretary).post(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 302
    assert _status(send) == SendStatus.CANCELLED
    other = make_bulletin(s.branch)
    send = _schedule(s, other)
    assert _client(s, s.staff).post(f"/bulletins/{other.pk}/cancel/").status_code == 302
    assert _status(send) == SendStatus.CANCELLED


@pytest.mark.parametrize("who", ["board", "member", "other_chair"])
def test_who_may_not_send_may_not_cancel(s, who):
    send = _schedule(s)
    client = _client(s, getattr(s, who))
    assert client.get(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 403
    assert client.post(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 403
    assert _status(send) == SendStatus.SCHEDULED


def test_the_board_member_sees_the_report_without_a_cancel_button(s):
    _schedule(s)
    report = _client(s, s.board).get(f"/bulletins/{s.bulletin.pk}/report/")
    assert report.status_code == 200
    assert f"/bulletins/{s.bulletin.pk}/cancel/".encode() not in report.content


def test_another_unions_sending_is_not_found(s):
    send = _schedule(s)
    foreign = _client(s, s.foreign_chair, union=s.other_union)
    assert foreign.get(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 404
    assert foreign.post(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 404
    # The chair of union A on union B's hostname: nothing of A either.
    astray = _client(s, s.chair, union=s.other_union)
    assert astray.post(f"/bulletins/{s.bulletin.pk}/cancel/").status_code in {302, 403, 404}
    assert _status(send) == SendStatus.SCHEDULED


def test_a_bulletin_without_a_sending_has_nothing_to_cancel(s):
    assert _client(s, s.chair).post(f"/bulletins/{s.bulletin.pk}/cancel/").status_code == 404


def test_the_admin_offers_cancel_to_those_who_may_send(s):
    send = _schedule(s)
    cancel_url = f"/bulletins/{s.bulletin.pk}/cancel/".encode()
    chair = _client(s, s.chair)
    edit = chair.get(f"/admin/pages/{s.bulletin.pk}/edit/")
    assert edit.status_code == 200
    assert cancel_url in edit.content
    assert f"/bulletins/{s.bulletin.pk}/report/".encode() in edit.content
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() not in edit.content
    listing = chair.get(f"/admin/pages/{s.branch.pk}/")
    assert cancel_url in listing.content
    board = _client(s, s.board)
    edit = board.get(f"/admin/pages/{s.bulletin.pk}/edit/")
    assert edit.status_code == 200 and cancel_url not in edit.content
    # The admin's button leads to the same confirmation and POST.
    assert chair.post(cancel_url.decode()).status_code == 302
    assert _status(send) == SendStatus.CANCELLED
    edit = chair.get(f"/admin/pages/{s.bulletin.pk}/edit/")
    assert cancel_url not in edit.content
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() in edit.content
