"""Who may write and send bulletins: through the page policy, never across branches
or unions; the front-end views agree with the actions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from portal.branches.actions import create_bulletin
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.models import BulletinSend
from portal.messaging.tests.scenario import build, client_for
from tests.factories import make_bulletin
from tests.shared import module_world


def _build_s():
    return build("perm")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


@pytest.mark.parametrize("who", ["chair", "secretary", "staff"])
def test_chair_secretary_and_staff_may_send(s, who):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(),
                         acting_user=getattr(s, who).user)
    assert send.pk


@pytest.mark.parametrize("who", ["member", "board", "other_chair", "foreign_chair"])
def test_others_may_not_send(s, who):
    with pytest.raises(PermissionDenied):
        send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=getattr(s, who).user)
    assert not BulletinSend.objects.exists()


def test_the_chair_of_branch_a_cannot_send_to_branch_b(s):
    bulletin_b = make_bulletin(s.other_branch)
    with pytest.raises(PermissionDenied):
        send_bulletin(bulletin=bulletin_b, audience=Audience(), acting_user=s.chair.user)
    with pytest.raises(PermissionDenied):
        create_bulletin(branch=s.other_branch, acting_user=s.chair.user, title="X", body="x")
    client = client_for(s, s.chair)
    assert client.get(f"/bulletins/{bulletin_b.pk}/send/").status_code == 403
    assert client.post(f"/bulletins/{bulletin_b.pk}/send/",
                       {"statuses": ["active"]}).status_code == 403
    assert client.get(f"/branches/{s.other_branch.pk}/bulletins/new/").status_code == 403
    assert mail.outbox == []


def test_another_unions_bulletins_are_not_found(s):
    foreign_client = client_for(s, s.foreign_chair, union=s.other_union)
    assert foreign_client.get(f"/bulletins/{s.bulletin.pk}/send/").status_code == 404
    assert foreign_client.get(f"/bulletins/{s.bulletin.pk}/preview/").status_code == 404
    assert foreign_client.get(f"/branches/{s.branch.pk}/bulletins/new/").status_code == 404
    # Signed into union A but on union B's hostname: still nothing of A.
    client = client_for(s, s.chair, union=s.other_union)
    assert client.get(f"/bulletins/{s.bulletin.pk}/send/").status_code in {302, 403, 404}
    assert not BulletinSend.objects.exists()


def test_a_member_cannot_write_or_send(s):
    client = client_for(s, s.member)
    assert client.get(f"/branches/{s.branch.pk}/bulletins/new/").status_code == 403
    assert client.get(f"/bulletins/{s.bulletin.pk}/edit/").status_code == 403
    assert client.get(f"/bulletins/{s.bulletin.pk}/send/").status_code == 403
    assert client.post(f"/bulletins/{s.bulletin.pk}/send/",
                       {"statuses": ["active"]}).status_code == 403
    assert mail.outbox == []


def test_a_board_member_drafts_but_does_not_send(s):
    client = client_for(s, s.board)
    response = client.post(f"/branches/{s.branch.pk}/bulletins/new/", {
        "title": "Board draft", "summary": "", "date": "2026-01-05", "body": "<p>Draft</p>"})
    assert response.status_code == 302
    bulletin = s.branch.get_children().get(title="Board draft").specific
    assert not bulletin.live
    assert client.get(f"/bulletins/{bulletin.pk}/preview/").status_code == 200
    assert client.get(f"/bulletins/{bulletin.pk}/send/").status_code == 403


def test_the_chair_writes_previews_and_sends_from_the_front_end(
    s, django_capture_on_commit_callbacks
):
    client = client_for(s, s.chair)
    assert client.get(f"/branches/{s.branch.pk}/bulletins/").status_code == 200
    response = client.post(f"/branches/{s.branch.pk}/bulletins/new/", {
        "title": "Strike vote", "summary": "Vote now", "date": "2026-01-05",
        "body": '<p>Vote <a href="javascript:alert(1)">here</a></p><script>x()</script>'})
    bulletin = s.branch.get_children().get(title="Strike vote").specific
    assert response["Location"] == f"/bulletins/{bulletin.pk}/preview/"
    preview = client.get(f"/bulletins/{bulletin.pk}/preview/")
    assert b"Strike vote" in preview.content and b"javascript:" not in preview.content
    assert b"<script>x()" not in client.get(f"/bulletins/{bulletin.pk}/preview/?as=email").content
    edit = client.post(f"/bulletins/{bulletin.pk}/edit/", {
        "title": "Strike vote!", "summary": "", "date": "2026-01-05", "body": "<p>Vote</p>"})
    assert edit.status_code == 302
    page = client.get(f"/bulletins/{bulletin.pk}/send/", {"statuses": ["active", "on_leave"],
                                                           "languages": ["sv"]})
    assert page.status_code == 200
    assert page.context["counts"].total == 1
    assert [p.pk for p in page.context["sample"]] == [s.swede.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bulletins/{bulletin.pk}/send/", {
            "statuses": ["active", "on_leave"], "languages": ["sv"], "confirm": "1"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[s.swede.email]]
    assert mail.outbox[0].subject.endswith("Strike vote!")
    bulletin.refresh_from_db()
    assert bulletin.live
    report = client.get(f"/bulletins/{bulletin.pk}/report/")
    assert report.context["report"].sent == 1
    # Sending again goes to the report, not out again.
    again = client.post(f"/bulletins/{bulletin.pk}/send/", {"statuses": ["active"]})
    assert again.status_code == 302 and len(mail.outbox) == 1
