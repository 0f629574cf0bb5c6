"""SMS step-up: codes through a real local HTTP receiver, expiry, pacing, the lock, the
SMS limits, fresh and stale steps, and every protected view's refusal."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditAction, AuditEntry
from portal.messaging.models import BulletinSend
from portal.people.models import PositionKind, PositionOfTrust
from portal.stepup.models import SmsDevice, SmsSent
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import rolled_back

DATABASE_SEARCH = {"default": {"BACKEND": "wagtail.search.backends.database"}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(
            ELASTICSEARCH_URL="", WAGTAILSEARCH_BACKENDS=DATABASE_SEARCH), rolled_back():
        a, b = make_union("sua"), make_union("sub")
        branch = make_branch(a)
        chair = make_person(a, branch=branch, phone="+358 40 111 0001")
        appoint(chair, PositionKind.BRANCH_CHAIR, branch)
        admin = make_person(a, roles=(Role.ADMIN,), phone="+358 40 111 0002")
        member = make_person(a, branch=branch)  # no phone
        foreign = make_person(b, phone="+358 40 222 0001")
        board = make_person(a)
        position = appoint(board, PositionKind.UNION_BOARD_MEMBER, a.root_page)
        yield {"a": a, "b": b, "branch": branch, "chair": chair, "admin": admin,
               "member": member, "foreign": foreign, "position": position,
               "bulletin": make_bulletin(branch)}


@pytest.fixture
def w(world, db, stepup_on, settings):
    settings.ELASTICSEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_SEARCH
    return world


def client_for(person, union=None) -> Client:
    client = Client(HTTP_HOST=(union or person.union).site.hostname)
    client.force_login(person.user)
    return client


def _send(client):
    return client.post("/stepup/", {"action": "send", "next": "/"})


def _verify(client, code, next_url="/"):
    return client.post("/stepup/", {"action": "verify", "code": code, "next": next_url})


def test_a_code_reaches_the_gateway_and_opens_the_export_until_it_is_stale(w, stepup_on):
    client = client_for(w["admin"])
    export = {"action": "csv", "selection": "ticked", "ids": [w["chair"].pk], "filters": ""}
    refused = client.post("/admin/union-admin/people/bulk/", export)
    assert refused.status_code == 302  # back to the list, not a replayed export
    assert refused["Location"].startswith("/stepup/?next=%2Fadmin%2Funion-admin%2Fpeople%2F")
    page = client.get(refused["Location"])
    assert "•••• 002" in page.content.decode() and "+358" not in page.content.decode()

    assert _send(client).status_code == 302
    message = stepup_on.messages[-1]
    assert message["to"] == "+358 40 111 0002"
    assert message["authorization"] == "Bearer test-sms-token"
    code = stepup_on.last_code("+358 40 111 0002")
    assert code in message["text"]
    assert not SmsDevice.objects.get(user=w["admin"].user).confirmed
    # A foreign `next` is dropped: back to the home page.
    done = _verify(client, code, next_url="http://evil.example/")
    assert done.status_code == 302 and done["Location"] == "/"
    device = SmsDevice.objects.get(user=w["admin"].user)
    assert device.confirmed and device.token is None
    assert AuditEntry.objects.filter(action=AuditAction.ACTIVATE,
                                     target=f"stepup-device:{device.pk}").exists()
    assert _verify(client, code).status_code == 400  # used once

    exported = client.post("/admin/union-admin/people/bulk/", export)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")

    session = client.session
    session["stepup_at"] = int(time.time()) - 601
    session.save()
    assert client.post("/admin/union-admin/people/bulk/", export).status_code == 302


def test_an_expired_code_is_refused(w, stepup_on):
    client = client_for(w["chair"])
    _send(client)
    code = stepup_on.last_code("+358 40 111 0001")
    SmsDevice.objects.filter(user=w["chair"].user).update(
        valid_until=timezone.now() - timedelta(seconds=1))
    answer = _verify(client, code)
    assert answer.status_code == 400 and "stepup_at" not in client.session


def test_wrong_codes_are_paced_then_lock_the_device_audited(w, stepup_on, settings):
    client = client_for(w["chair"])
    _send(client)
    code = stepup_on.last_code("+358 40 111 0001")
    wrong = "000000" if code != "000000" else "111111"
    assert _verify(client, wrong).status_code == 400
    # At once again, even with the right code: wait (django-otp's doubling pause).
    paced = _verify(client, code)
    assert paced.status_code == 400 and "stepup_at" not in client.session
    devices = SmsDevice.objects.filter(user=w["chair"].user)
    devices.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1),
                   throttling_failure_count=settings.STEPUP_MAX_FAILURES - 1)
    assert _verify(client, wrong).status_code == 400
    device = devices.get()
    assert device.locked and device.token is None
    assert AuditEntry.objects.filter(action=AuditAction.LOCK,
                                     target=f"stepup-device:{device.pk}").count() == 1
    assert _verify(client, code).status_code == 400
    before = len(stepup_on.messages)
    assert _send(client).status_code == 400 and len(stepup_on.messages) == before
    assert "stepup_at" not in client.session


def test_sms_are_paced_and_limited_per_user_and_union(w, stepup_on, settings):
    client = client_for(w["chair"])
    assert _send(client).status_code == 302
    assert _send(client).status_code == 400  # the pause between codes
    assert len(stepup_on.messages) == 1
    devices = SmsDevice.objects.filter(user=w["chair"].user)
    devices.update(last_generated_timestamp=None)
    SmsSent.objects.bulk_create([SmsSent(union=w["a"], user=w["chair"].user)] * 4)
    answer = _send(client)
    assert answer.status_code == 400 and "5" in answer.content.decode()
    # The first code is still valid: the page asks for it and the refusal says to use it.
    assert 'name="code"' in answer.content.decode()
    # (The page answers in the union's language, Finnish.)
    assert "Käytä viimeisintä koodia" in _send(client).context["error"]
    # No valid code left (expired or used): nothing to type, so no "use the last code".
    devices.update(valid_until=timezone.now() - timedelta(seconds=1),
                   last_generated_timestamp=None)
    answer = _send(client)
    assert 'name="code"' not in answer.content.decode()
    assert "Käytä viimeisintä koodia" not in answer.context["error"]
    assert "Yritä hetken kuluttua uudelleen" in answer.context["error"]
    settings.STEPUP_SMS_PER_USER = 100
    settings.STEPUP_SMS_PER_UNION_HOUR = 5
    assert _send(client).status_code == 400 and len(stepup_on.messages) == 1


def test_a_foreign_unions_session_sees_nothing(w, stepup_on):
    foreign = client_for(w["foreign"], union=w["a"])
    answer = foreign.get("/stepup/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert foreign.post("/stepup/", {"action": "send"}).status_code == 302
    assert stepup_on.messages == [] and not SmsDevice.objects.exists()
    # A profile without a number: the page says so, no device, nothing sent.
    page = client_for(w["member"]).get("/stepup/")
    assert page.status_code == 200 and not SmsDevice.objects.exists()


def test_each_protected_view_refuses_without_a_fresh_step(w):
    admin, chair = client_for(w["admin"]), client_for(w["chair"])
    page, position = w["branch"].pk, w["position"].pk
    whole_branch = {"statuses": ["active", "on_leave"], "action": "send"}
    posts = [
        (chair, f"/bulletins/{w['bulletin'].pk}/send/", {**whole_branch, "confirm": "1"}),
        (chair, f"/bulletins/{w['bulletin'].pk}/send/", whole_branch),
        (admin, "/admin/union-admin/people/bulk/", {"action": "xlsx", "selection": "ticked",
                                        "ids": [w["chair"].pk]}),
        (admin, reverse("wagtailusers_users:add"), {}),
        (admin, reverse("wagtailusers_users:edit", args=[w["chair"].user.pk]), {}),
        (admin, f"/admin/union-admin/accounts/{w['chair'].user.pk}/invitation/", {}),
        (admin, "/admin/union-admin/positions/", {}),
        (admin, f"/admin/union-admin/positions/{position}/end/", {}),
        (admin, f"/admin/union-admin/officials/pages/{page}/", {}),
        (admin, f"/admin/union-admin/officials/pages/{page}/positions/{position}/term/", {}),
        (admin, f"/admin/union-admin/officials/pages/{page}/positions/{position}/end/", {}),
        (admin, f"/admin/union-admin/officials/pages/{page}/positions/{position}/cancel/", {}),
    ]
    for client, url, data in posts:
        answer = client.post(url, data)
        assert answer.status_code == 302 and answer["Location"].startswith("/stepup/?next="), url
    position_row = PositionOfTrust.objects.get(pk=position)
    assert position_row.ends_on is None
    assert not BulletinSend.objects.exists()
    # The workplace mapping's CSV of people is an export too (a GET: back to it after).
    shop = make_workplace(make_employer(w["a"]))
    answer = admin.get(reverse("mapping:export", args=[shop.pk]))
    assert answer.status_code == 302 and answer["Location"].startswith("/stepup/?next="), \
        answer.status_code
    # Looking needs no step.
    assert admin.get("/admin/union-admin/positions/").status_code == 200
    assert admin.get(f"/admin/union-admin/officials/pages/{page}/").status_code == 200


def test_the_decorator_lets_a_fresh_step_through_and_sends_a_stale_one_away(settings):
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpResponse
    from django.test import RequestFactory

    from portal.stepup.decorators import second_step_required

    settings.STEPUP_ENFORCED = True
    view = second_step_required(lambda request: HttpResponse("done"))
    request = RequestFactory().get("/sensitive/?a=1")
    request.user = type("User", (), {"is_authenticated": True})()
    request.session = SessionBase()
    request.session._session_cache = {"stepup_at": int(time.time()) - 30}
    assert view(request).content == b"done"
    request.session._session_cache = {"stepup_at": int(time.time()) - 601}
    stale = view(request)
    assert stale.status_code == 302 and stale["Location"] == "/stepup/?next=%2Fsensitive%2F%3Fa%3D1"
    request.session._session_cache = {"stepup_at": "1"}  # not an epoch number
    assert view(request).status_code == 302
