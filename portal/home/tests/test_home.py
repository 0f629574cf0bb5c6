"""The personal home: where sign-in lands, what it shows each role, and its rules
(tenancy, audit, Cache-Control, a bounded number of queries)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.activity.actions import record_events
from portal.activity.models import ActivityKind
from portal.audit.models import AuditAction, AuditEntry
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from portal.people.models import PositionKind
from tests.factories import (
    PASSWORD,
    appoint,
    make_bulletin,
    make_employer,
    make_person,
    make_workplace,
)
from tests.shared import module_world


def _build_s():
    scenario = build("hm")
    scenario.steward = make_person(scenario.union, branch=scenario.other_branch,
                                   workplace=scenario.workplace, first_name="Stella")
    scenario.steward.phone = "+358 40 123 4567"
    scenario.steward.save(update_fields=["phone"])
    appoint(scenario.steward, PositionKind.SHOP_STEWARD, scenario.workplace)
    # A steward of a workplace the member does not work at: not "my" official.
    scenario.stranger = make_person(scenario.union, workplace=scenario.other_workplace,
                                    first_name="Stranger")
    appoint(scenario.stranger, PositionKind.SHOP_STEWARD, scenario.other_workplace)
    return scenario


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _client(union, person=None, language="en") -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if person is not None:
        client.force_login(person.user)
    return client


def test_signing_in_lands_on_the_home(s):
    client = _client(s.union)
    response = client.post("/accounts/login/", {"username": s.member.user.email,
                                                "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    # Signed in, the union's name in the top bar and "My home" in the menu lead there too.
    page = client.get("/home/")
    assert page.status_code == 200
    assert page.context["home_url"] == "/home/"
    # The union's own page stays a click away.
    assert '<a href="/">' in page.content.decode()
    assert [i["url"] for i in page.context["side_items"] if i["key"] == "home"] == ["/home/"]
    # Signed out, the name leads to the union's front page and there is no home entry.
    anonymous = _client(s.union).get("/accounts/login/")
    assert anonymous.context["home_url"] in ("/", f"http://{s.union.site.hostname}/")
    assert "home" not in [i["key"] for i in anonymous.context["nav_items"]]


def test_a_member_sees_their_branch_workplace_employer_and_officials(s):
    response = _client(s.union, s.member).get("/home/")
    assert response.status_code == 200
    home = response.context["home"]
    assert home.branch.pk == s.branch.pk
    assert [(j.employer.pk, j.workplace.pk) for j in home.jobs] == [
        (s.employer.pk, s.workplace.pk)]
    by_scope = {group.scope.pk: {c.person_id for c in group.cards} for group in home.officials}
    assert by_scope == {
        s.branch.pk: {s.chair.pk, s.secretary.pk},
        s.workplace.pk: {s.steward.pk},
    }
    # The branch first, its chair first.
    assert home.officials[0].scope.pk == s.branch.pk
    assert home.officials[0].cards[0].person_id == s.chair.pk
    html = response.content.decode()
    assert f'href="mailto:{s.steward.email}"' in html
    assert 'href="tel:+358 40 123 4567"' in html
    # Each official with an account is a click from a message (discussions is on).
    assert f'href="/discussions/new/?to={s.steward.user_id}"' in html
    for page in (s.branch, s.workplace, s.employer):
        assert f'href="{page.relative_url(s.union.site)}"' in html
    # Not a steward elsewhere, another branch's or union's chair, nor the branch board.
    for someone in (s.stranger, s.other_chair, s.foreign_chair, s.board):
        assert someone.full_name not in html


def test_showing_officials_is_audited_and_the_page_is_private(s):
    before = AuditEntry.objects.count()
    response = _client(s.union, s.member).get("/home/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    entries = AuditEntry.objects.order_by("pk")[before:]
    listed = {e.person_id for e in entries if e.action == AuditAction.LIST}
    assert listed == {s.chair.pk, s.secretary.pk, s.steward.pk}
    assert all(e.target == "/home/" and e.union_id == s.union.pk for e in entries)
    own = [e for e in entries if e.action == AuditAction.VIEW]
    assert [e.person_id for e in own] == [s.member.pk]


def test_bulletins_for_me_follow_bulletin_visibility(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    unsent = make_bulletin(s.branch, "Not sent yet")
    other_branch = make_bulletin(s.other_branch, "Other branch")
    other_send = send_bulletin(bulletin=other_branch, audience=Audience(),
                               acting_user=s.other_chair.user)
    deliver(other_send.pk)

    def shown(person):
        home = _client(s.union, person).get("/home/").context["home"]
        return {link.url for link in home.bulletins}

    # The member: their branch's sent bulletin; not the unsent one, not another branch's.
    def urls(*pages):
        return {page.relative_url(s.union.site) for page in pages}

    assert shown(s.member) == urls(s.bulletin)
    # The chair sees the branch's unsent bulletin too, and gets its bulletin list.
    assert shown(s.chair) == urls(s.bulletin, unsent)
    # Staff: the union's newest.
    assert shown(s.staff) == urls(s.bulletin, unsent, other_branch)
    staff_home = _client(s.union, s.staff).get("/home/").content.decode()
    assert s.other_branch.title in staff_home  # whose bulletin it is


def test_unread_activity_on_the_home_and_its_count_in_the_top_bar(s):
    record_events(union=s.union, kind=ActivityKind.OTHER, occurs_at=timezone.now(),
                  source="test:1", items=[(s.member.pk, "Something new", "/x/")])
    record_events(union=s.union, kind=ActivityKind.OTHER, occurs_at=timezone.now(),
                  source="test:2", items=[(s.member.pk, "Something else", "/y/")])
    client = _client(s.union, s.member)
    response = client.get("/home/")
    home = response.context["home"]
    assert home.unread_count == 2
    assert [n.title for n in home.unread] == ["Something else", "Something new"]
    # The count is in the top bar on every page, not only in the side menu.
    profile = client.get("/profile/")
    assert [(i["key"], i["badge"]) for i in profile.context["top_items"]] == [("activity", 2)]
    assert "activity" not in [i["key"] for i in profile.context["side_items"]]
    html = profile.content.decode()
    top_bar = html[html.index('<header class="topbar">'):html.index("</header>")]
    assert 'href="/activity/"' in top_bar and '<span class="badge">2' in top_bar


@pytest.mark.parametrize(("language", "label"), [
    ("fi", "Toimintavirta"), ("sv", "Aktivitetsflöde"), ("en", "Activity stream"),
])
def test_the_activity_stream_is_called_the_same_everywhere(s, language, label):
    client = _client(s.union, s.member, language=language)
    home = client.get("/home/").content.decode()
    timeline = client.get("/activity/").content.decode()
    assert f">{label}<" in home  # the top bar's entry (and the home's card)
    assert f"<h1 id=\"activity-heading\">{label}</h1>" in timeline


def test_officials_and_staff_get_their_shortcuts(s):
    chair = _client(s.union, s.chair).get("/home/")
    scopes = chair.context["home"].scopes
    assert [(sc.kind, sc.page.pk) for sc in scopes] == [(PositionKind.BRANCH_CHAIR, s.branch.pk)]
    assert scopes[0].bulletins_url == f"/branches/{s.branch.pk}/bulletins/"
    assert f'href="/branches/{s.branch.pk}/bulletins/"' in chair.content.decode()
    steward = _client(s.union, s.steward).get("/home/").context["home"]
    assert [(sc.kind, sc.page.pk, sc.bulletins_url) for sc in steward.scopes] == [
        (PositionKind.SHOP_STEWARD, s.workplace.pk, "")]
    # The steward is not listed as their own official.
    assert s.steward.pk not in {c.person_id for g in steward.officials for c in g.cards}
    staff = _client(s.union, s.staff).get("/home/")
    assert staff.status_code == 200
    # The union's sections: branches, employers, agreements.
    assert len(staff.context["home"].sections) == 3
    assert 'href="/admin/"' in staff.content.decode()


def test_a_foreign_session_is_anonymous_on_the_home(s):
    foreign = _client(s.union)
    foreign.force_login(s.foreign_chair.user)
    response = foreign.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_home_runs_a_fixed_number_of_queries(s):
    client = _client(s.union, s.member)
    # One of everything to begin with: a bulletin for the member, an unread item.
    deliver(send_bulletin(bulletin=s.bulletin, audience=Audience(),
                          acting_user=s.chair.user).pk)
    client.get("/home/")  # warm the site's chrome

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/home/").status_code == 200
        return len(queries)

    before = count()
    # More of everything the home lists: officials, jobs, bulletins, unread items.
    for _ in range(3):
        official = make_person(s.union, branch=s.branch, user=False)
        appoint(official, PositionKind.BRANCH_SECRETARY, s.branch)
        workplace = make_workplace(make_employer(s.union))
        steward = make_person(s.union, workplace=workplace, user=False)
        appoint(steward, PositionKind.SHOP_STEWARD, workplace)
        appoint(steward, PositionKind.SAFETY_REPRESENTATIVE, workplace)
        s.member.employments.create(union=s.union, employer=workplace.employer,
                                    workplace=workplace)
        bulletin = make_bulletin(s.branch)
        deliver(send_bulletin(bulletin=bulletin, audience=Audience(),
                              acting_user=s.chair.user).pk)
    record_events(union=s.union, kind=ActivityKind.OTHER, occurs_at=timezone.now(),
                  source="more", items=[(s.member.pk, "Item", "/z/")])
    client.get("/home/")  # the chrome again (pages were added)
    after = count()
    home = client.get("/home/").context["home"]
    assert len(home.jobs) == 4 and len(home.officials) == 5
    assert after == before, f"{before} queries before, {after} after"


def test_staff_without_a_profile_get_the_home_and_no_dead_activity_link(s):
    user = s.staff.user
    type(s.staff).objects.filter(pk=s.staff.pk).update(user=None)  # as the demo's staff
    client = _client(s.union)
    client.force_login(user)
    response = client.get("/home/")
    assert response.status_code == 200
    assert response.context["home"].person is None
    assert len(response.context["home"].sections) == 3
    # The activity stream would answer 404 without a profile: no entry, no count.
    assert "activity" not in [i["key"] for i in response.context["nav_items"]]
    assert client.get("/activity/").status_code == 404


def test_no_add_employment_link_when_employments_flow_one_way_from_the_register(db):
    from portal.union.models import RegisterFlow, UnionSettings
    from tests.factories import make_union

    union = make_union("hm-oneway")
    person = make_person(union)  # no employment: the home offers to add one
    client = _client(union, person)
    assert b'href="/profile/employments/add/"' in client.get("/home/").content or \
        b"Add an employment" in client.get("/home/").content
    settings = UnionSettings.for_union(union)
    settings.register_flow = {"employments": RegisterFlow.ONE_WAY}
    settings.save()
    assert b"Add an employment" not in client.get("/home/").content
