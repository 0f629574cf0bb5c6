"""A member's timeline: bulletins and other events, newest first, with an unread count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from portal.activity.actions import record_events
from portal.activity.models import ActivityEvent, ActivityKind
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from portal.people.models import PositionKind
from tests.factories import appoint
from tests.shared import module_world


def _build_s():
    return build("act")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _client(s, person):
    # English, chosen as the language switcher does (a cookie): the assertions read the
    # English labels, and the union's default language is Finnish.
    client = Client(HTTP_HOST=s.union.site.hostname)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person.user)
    return client


def _badge(response):
    return {item["key"]: item["badge"] for item in response.context["nav_items"]}.get("activity")


def test_a_sent_bulletin_appears_in_the_timeline_and_counts_as_unread(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    client = _client(s, s.member)
    page = client.get("/activity/")
    assert page.status_code == 200
    assert _badge(page) == 1
    titles = [(item.title, item.url) for item in page.context["past"]]
    assert (s.bulletin.title, s.bulletin.get_full_url()) in titles
    assert f'href="{s.bulletin.get_full_url()}"'.encode() in page.content
    # Rendering the timeline marked it read.
    assert _badge(client.get("/activity/")) == 0
    # The unsubscribed member still sees it in the timeline.
    assert ActivityEvent.objects.filter(person=s.unsubscribed, kind=ActivityKind.BULLETIN).exists()
    # People outside the audience do not.
    assert not ActivityEvent.objects.filter(person=s.other_branch_member).exists()


def test_past_and_upcoming_items_newest_first(s):
    now = timezone.now()
    record_events(union=s.union, kind=ActivityKind.EVENT, occurs_at=now - dt.timedelta(days=3),
                  source="event:old", items=[(s.member.pk, "Old meeting", "/old/")])
    record_events(union=s.union, kind=ActivityKind.EVENT, occurs_at=now - dt.timedelta(days=1),
                  source="event:new", items=[(s.member.pk, "New meeting", "/new/")])
    record_events(union=s.union, kind=ActivityKind.EVENT, occurs_at=now + dt.timedelta(days=5),
                  source="event:next", items=[(s.member.pk, "Next meeting", "/next/")])
    # Recording the same source again adds nothing.
    record_events(union=s.union, kind=ActivityKind.EVENT, occurs_at=now, source="event:new",
                  items=[(s.member.pk, "New meeting", "/new/")])
    appoint(s.member, PositionKind.SHOP_STEWARD, s.workplace, starts_on=dt.date(2021, 1, 1),
            ends_on=timezone.localdate() + dt.timedelta(days=30))
    client = _client(s, s.member)
    assert _badge(client.get("/profile/")) == 3
    page = client.get("/activity/")
    upcoming = [(item.kind, item.title) for item in page.context["upcoming"]]
    past = [(item.kind, item.title) for item in page.context["past"]]
    # The term's end (in 30 days) is the latest item, the meeting in 5 days comes next.
    assert [kind for kind, _title in upcoming] == [ActivityKind.POSITION, ActivityKind.EVENT]
    assert upcoming[1][1] == "Next meeting"
    assert [title for _kind, title in past[:2]] == ["New meeting", "Old meeting"]
    assert past[-1][0] == ActivityKind.POSITION  # the term started in 2021
    assert page.context["upcoming"][0].url == s.workplace.relative_url(s.union.site)
    every = page.context["upcoming"] + page.context["past"]
    assert [i.occurs_at for i in every] == sorted((i.occurs_at for i in every), reverse=True)


def test_nobody_sees_another_persons_or_unions_timeline(s):
    record_events(union=s.union, kind=ActivityKind.EVENT, occurs_at=timezone.now(),
                  source="event:x", items=[(s.member.pk, "Private to member", "/x/")])
    page = _client(s, s.swede).get("/activity/")
    assert b"Private to member" not in page.content
    foreign = Client(HTTP_HOST=s.other_union.site.hostname)
    foreign.force_login(s.foreign_chair.user)
    assert b"Private to member" not in foreign.get("/activity/").content
    anonymous = Client(HTTP_HOST=s.union.site.hostname)
    assert anonymous.get("/activity/").status_code == 302
