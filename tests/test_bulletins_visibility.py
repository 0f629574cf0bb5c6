"""Who sees a bulletin (portal/branches/visibility.py), on every path that shows one:
the branch page's list (cached or not), the bulletin's own URL, search on both engines
and the activity stream. Public only once sent to the whole branch; otherwise only its
recipients, the branch's officials and staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from portal.activity.selectors import timeline_for
from portal.messaging.actions import cancel_send, send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from search.engine import search
from search.tests.conftest import db_search, es_search, sync  # noqa: F401  (fixtures)
from tests.factories import make_bulletin
from tests.shared import module_world

# Threads would not see the test transaction: one sending worker, no pacing.
SENDING = {"BULLETIN_RATE_PER_SECOND": 0, "BULLETIN_SEND_WORKERS": 1}


@override_settings(**SENDING)
def _build_s():
    s = build("vis")
    chair = s.chair.user
    # Never sent (published in the admin, say): officials only.
    s.never_sent = s.bulletin
    s.scheduled = make_bulletin(s.branch, "Zzscheduled")
    send_bulletin(bulletin=s.scheduled, audience=Audience(), acting_user=chair,
                  send_at=timezone.now() + dt.timedelta(days=2))
    s.public = make_bulletin(s.branch, "Zzpublic")
    deliver(send_bulletin(bulletin=s.public, audience=Audience(), acting_user=chair).pk)
    # Sent to one workplace: s.member works there, s.swede does not.
    s.narrow = make_bulletin(s.branch, "Zznarrow")
    deliver(send_bulletin(bulletin=s.narrow, audience=Audience(workplaces=(s.workplace.pk,)),
                          acting_user=chair).pk)
    return s


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    for name, value in SENDING.items():
        setattr(settings, name, value)
    return s_copy


@pytest.fixture(params=["database", "elasticsearch"])
def engine_name(request):
    """Each search test once on each engine (search/tests/conftest.py's fixtures)."""
    request.getfixturevalue("es_search" if request.param == "elasticsearch" else "db_search")
    return request.param


ALL = ("never_sent", "scheduled", "public", "narrow")
# Who sees which bulletin. "member" is in the narrow bulletin's audience, "swede" is not.
SEES = {
    "anonymous": {"public"},
    "swede": {"public"},
    "member": {"public", "narrow"},
    "other_chair": {"public"},  # an official, but of another branch
    "chair": set(ALL),
    "board": set(ALL),
    "staff": set(ALL),
}


def _client(s, who, union=None):
    client = Client(HTTP_HOST=(union or s.union).site.hostname)
    if who != "anonymous":
        client.force_login(getattr(s, who).user)
    return client


def test_the_branch_page_lists_only_what_the_viewer_may_see(s):
    for _round in range(2):  # built, then from the section cache
        for who in SEES:
            html = _client(s, who).get(s.branch.url).content.decode()
            shown = {name for name in ALL if getattr(s, name).title in html}
            assert shown == SEES[who], (who, _round)


def test_officials_see_which_bulletins_are_not_public(s):
    for who in ("chair", "staff"):
        response = _client(s, who).get(s.branch.url)
        assert response.context["bulletins_not_public"] == {
            s.never_sent.pk, s.scheduled.pk, s.narrow.pk}, who
    assert _client(s, "member").get(s.branch.url).context["bulletins_not_public"] == set()


def test_the_bulletin_page_itself_answers_only_those_who_may_see_it(s):
    for who in SEES:
        client = _client(s, who)
        for name in ALL:
            response = client.get(getattr(s, name).url)
            if name in SEES[who]:
                assert response.status_code == 200, (who, name)
                assert getattr(s, name).title in response.content.decode()
                if name != "public":
                    assert "no-store" in response["Cache-Control"]
                    assert "private" in response["Cache-Control"]
            elif who == "anonymous":
                # Asked to sign in (a recipient's email link must work); nothing shown.
                assert response.status_code == 302, name
                assert "/login/" in response["Location"]
            else:
                assert response.status_code == 404, (who, name)


def test_another_unions_session_sees_only_the_public_bulletin(s):
    client = Client(HTTP_HOST=s.union.site.hostname)
    client.force_login(s.foreign_chair.user)
    html = client.get(s.branch.url).content.decode()
    assert s.public.title in html and s.narrow.title not in html
    assert s.scheduled.title not in html
    assert client.get(s.narrow.url).status_code in (302, 404)


def test_the_cached_public_list_changes_when_a_bulletin_is_sent(s):
    anonymous = Client(HTTP_HOST=s.union.site.hostname)
    assert s.scheduled.title not in anonymous.get(s.branch.url).content.decode()
    late = make_bulletin(s.branch, "Zzlate")
    send = send_bulletin(bulletin=late, audience=Audience(), acting_user=s.chair.user,
                         send_at=timezone.now() + dt.timedelta(hours=1))
    # Scheduled: still not public, though the page was published and the cache rebuilt.
    assert late.title not in anonymous.get(s.branch.url).content.decode()
    assert anonymous.get(late.url).status_code == 302
    from portal.messaging.actions import start_due_sends

    start_due_sends(now=send.scheduled_for + dt.timedelta(minutes=1))  # runs deliver
    assert late.title in anonymous.get(s.branch.url).content.decode()
    assert anonymous.get(late.url).status_code == 200


def test_a_cancelled_scheduled_bulletin_never_becomes_public(s):
    send = s.scheduled.send
    cancel_send(send=send, acting_user=s.chair.user)
    anonymous = Client(HTTP_HOST=s.union.site.hostname)
    assert s.scheduled.title not in anonymous.get(s.branch.url).content.decode()
    assert anonymous.get(s.scheduled.url).status_code == 302


def test_search_finds_only_what_the_viewer_may_see(s, engine_name):
    sync()
    for who in ("swede", "member", "other_chair", "chair", "board", "staff"):
        results = search(user=getattr(s, who).user, union=s.union, query="zz")
        found = {name for name in ALL if any(h.title == getattr(s, name).title
                                             for h in results.hits)}
        expected = SEES[who] - {"never_sent"}  # "News N": no "zz" in its title
        assert found == expected, (engine_name, who)


def test_search_index_follows_the_sending(s, engine_name):
    """A scheduled bulletin becomes findable by members when its sending has finished."""
    late = make_bulletin(s.branch, "Zzlater")
    send = send_bulletin(bulletin=late, audience=Audience(), acting_user=s.chair.user,
                         send_at=timezone.now() + dt.timedelta(hours=1))

    def found() -> bool:
        from search.outbox import drain

        drain()
        if engine_name == "elasticsearch":
            from search.client import get_client
            from search.documents import alias_name

            get_client().indices.refresh(index=alias_name())
        hits = search(user=s.swede.user, union=s.union, query="Zzlater").hits
        return any(h.title == late.title for h in hits)

    sync()
    assert not found()
    from portal.messaging.actions import start_due_sends

    start_due_sends(now=send.scheduled_for + dt.timedelta(minutes=1))
    assert found()


def test_the_activity_stream_has_the_bulletin_only_for_its_audience(s):
    assert any(i.title == s.narrow.title for i in timeline_for(s.member))
    assert not any(i.title == s.narrow.title for i in timeline_for(s.swede))
    # Nothing for a bulletin not sent yet.
    assert not any(i.title == s.scheduled.title for i in timeline_for(s.member))
