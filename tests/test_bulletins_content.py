"""Bulletin HTML is sanitised on every save path; members get their own language."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import Locale

from portal.branches.actions import create_bulletin, update_bulletin
from portal.branches.sanitize import sanitize_bulletin_html
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.models import Delivery
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from tests.shared import module_world

DIRTY = ('<p onclick="steal()">Hello <script>alert(1)</script><b>bold</b> '
         '<a href="javascript:alert(1)">bad</a> <a href="JaVaScRiPt:alert(2)">bad2</a> '
         '<a href="https://example.org/">good</a><img src=x onerror="alert(3)">'
         '<iframe src="https://evil.example"></iframe><style>p{}</style></p>')


def _assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "javascript:", "onclick", "onerror", "<img", "<iframe", "<style",
                "alert("):
        assert bad not in lowered, (bad, html)
    assert '<a href="https://example.org/">good</a>' in html
    assert "<b>bold</b>" in html


def test_the_sanitiser_removes_scripts_and_javascript_links():
    _assert_clean(sanitize_bulletin_html(DIRTY))


def _build_s():
    return build("clean")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def test_front_end_saves_are_sanitised(s):
    bulletin = create_bulletin(branch=s.branch, acting_user=s.chair.user, title="T", body=DIRTY)
    _assert_clean(bulletin.get_latest_revision_as_object().body)
    draft = update_bulletin(bulletin=bulletin, acting_user=s.chair.user,
                            values={"body": DIRTY + "<p>more</p>"})
    _assert_clean(draft.body)
    _assert_clean(bulletin.get_latest_revision_as_object().body)


def test_admin_and_model_saves_are_sanitised(s):
    s.bulletin.body = DIRTY
    s.bulletin.save_revision().publish()
    s.bulletin.refresh_from_db()
    _assert_clean(s.bulletin.body)


def test_the_sent_email_is_sanitised(s):
    bulletin = create_bulletin(branch=s.branch, acting_user=s.chair.user, title="T", body=DIRTY)
    send = send_bulletin(bulletin=bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and "javascript:" not in html.lower()


def test_each_member_gets_their_language_when_a_translation_exists(s):
    sv = Locale.objects.get(language_code="sv")
    translation = s.bulletin.copy_for_translation(sv, copy_parents=True)
    translation.title = "Nyheter"
    translation.save_revision().publish()
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[s.swede.email].endswith("Nyheter")
    # Finnish speakers get the original (and would any language without a translation).
    assert subjects[s.member.email].endswith(s.bulletin.title)
    assert Delivery.objects.get(send=send, person=s.swede).language == "sv"
    assert Delivery.objects.get(send=send, person=s.member).language == "fi"
