"""The campaign centre across roles and two unions: target groups, key figures, the
contact log, potential leaders, teams and their time-limited rights.

One world of two unions is built once for the package (`conftest.world`, `world.py`;
read-only tests share it; tests that write roll back with their own transaction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.access.models import PageUserObjectPermission
from portal.accounts.models import User
from portal.activity.models import ActivityEvent
from portal.audit.models import AuditEntry
from portal.campaigns import actions
from portal.campaigns.models import ContactEntry, MemberStatus, TeamMember
from portal.campaigns.permissions import build_access
from portal.campaigns.selectors import contacted_person_ids, potential_leaders
from portal.campaigns.targeting import clean_filters
from portal.mapping.models import Assessment
from portal.mapping.permissions import can_map
from portal.people.models import MembershipStatus, PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_person,
)

from .world import START


def _can_map(person, workplace) -> bool:
    # A fresh account object: Wagtail caches a user's page permissions on the instance.
    return can_map(User.objects.get(pk=person.user_id), person.union, workplace)


def _client(side, role):
    client = Client(HTTP_HOST=side["host"])
    client.force_login(side["people"][role].user)
    return client


def test_target_group_is_resolved_from_whitelisted_filters(w):
    a = w["a"]
    campaign = a["campaign"]
    # Tampere's two workplaces; the office (one member of one person: 100 %) is above
    # the density limit; the unknown key is dropped.
    assert campaign.target_filters == {"city": "Tampere", "density_below": 90}
    targets = {t.scope_id: t for t in campaign.targets.all()}
    assert set(targets) == {a["low"].pk}
    # Baseline: steward, colleague, member are members; the outsider is not.
    assert (targets[a["low"].pk].members_at_start, targets[a["low"].pk].base_at_start) == (3, 4)
    with pytest.raises(ValidationError):  # another union's agreement
        clean_filters(a["union"], "workplace", {"agreement": w["b"]["agreement"].pk})
    with pytest.raises(ValidationError):
        clean_filters(a["union"], "workplace", {"size_min": 5, "size_max": 2})
    assert clean_filters(a["union"], "branch", {"industry": "x", "size_min": "3"}) == {
        "size_min": 3}


def test_who_sees_the_campaign_centre(w):
    a, b = w["a"], w["b"]
    pk = a["campaign"].pk
    for role in ("staff", "steward"):
        client = _client(a, role)
        page = client.get("/campaigns/")
        assert page.status_code == 200 and b"Alpha campaign" in page.content
        assert b'mainbar__link--campaigns' in page.content
        detail = client.get(f"/campaigns/{pk}/")
        assert detail.status_code == 200
        assert b'role="img"' in detail.content and b"Alpha depot" in detail.content
        assert detail["Cache-Control"] == "private, no-store" or "no-store" in detail[
            "Cache-Control"]
    member = _client(a, "member")
    assert b"mainbar__link--campaigns" not in member.get("/activity/").content
    for path in ("/campaigns/", f"/campaigns/{pk}/", f"/campaigns/{pk}/people/",
                 f"/campaigns/{pk}/leaders/", f"/campaigns/{pk}/teams/"):
        assert member.get(path).status_code == 404, path
    # Only staff create; B's staff on B's host does not reach A's campaign.
    assert _client(a, "steward").get("/campaigns/new/").status_code == 404
    assert _client(a, "staff").get("/campaigns/new/").status_code == 200
    assert _client(b, "staff").get(f"/campaigns/{pk}/").status_code == 404
    assert _client(b, "staff").get(f"/campaigns/{pk}/people/").status_code == 404


def test_contact_log_feeds_key_figures_and_is_audited(w):
    a = w["a"]
    campaign, steward = a["campaign"], _client(a, "steward")
    outsider, port = a["people"]["outsider"], a["people"]["port"]
    url = f"/campaigns/{campaign.pk}/people/{outsider.pk}/"
    today = timezone.localdate().isoformat()
    for outcome in ("not_reached", "positive"):
        response = steward.post(url, {"channel": "call", "outcome": outcome,
                                      "contacted_on": today, "next_step": "Meet Friday"})
        assert response.status_code == 302
    # Outside the target group (and the steward's scope): no such page.
    assert steward.get(f"/campaigns/{campaign.pk}/people/{port.pk}/").status_code == 404
    # The outsider joins: a new member since the start.
    outsider.membership_status, outsider.joined_on = MembershipStatus.ACTIVE, START
    outsider.save()
    from portal.campaigns.figures import key_figures
    from portal.campaigns.selectors import targets_for

    with CaptureQueriesContext(connection) as queries:
        key = key_figures(campaign, targets_for(build_access(a["people"]["staff"].user,
                                                              a["union"]), campaign))
    # A fixed number whatever the size of the target group (bench/campaigns_bench.py).
    assert len(queries) <= 7, [q["sql"] for q in queries]
    assert (key.reached, key.total.contacted, key.total.conversations,
            key.total.new_members, key.total.attempts) == (1, 1, 1, 1, 2)
    assert (key.total.members_now, key.total.base_now) == (4, 4)
    assert list(contacted_person_ids(union=a["union"]).values_list("person_id", flat=True)
                ) == [outsider.pk, outsider.pk]
    assert not contacted_person_ids(union=w["b"]["union"]).exists()
    listing = steward.get(f"/campaigns/{campaign.pk}/log/")
    assert b"Meet Friday" in listing.content
    assert AuditEntry.objects.filter(person_id=outsider.pk, action="list",
                                     target__endswith=":log").exists()


def test_team_invitation_acceptance_and_rights_that_end_by_themselves(w):
    a = w["a"]
    campaign, low = a["campaign"], a["low"]
    steward, colleague = a["people"]["steward"], a["people"]["colleague"]
    client = _client(a, "steward")
    ends = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(f"/campaigns/{campaign.pk}/teams/", {
        "name": "Depot team", "workplace": low.pk, "terms": "Keep it confidential.",
        "ends_on": ends.isoformat()})
    assert response.status_code == 302
    team = campaign.teams.get()
    response = client.post(f"/campaigns/teams/{team.pk}/", {
        "invite": "1", "person": [colleague.pk, a["people"]["port"].pk]})
    member = TeamMember.objects.get(team=team)
    assert member.person == colleague and member.status == MemberStatus.INVITED
    event = ActivityEvent.objects.get(person=colleague, kind="campaign")
    assert event.url == f"/campaigns/invitations/{member.pk}/"
    assert not _can_map(colleague, low)
    invitee = _client(a, "colleague")
    assert _client(a, "member").get(event.url).status_code == 404  # not theirs
    # Terms not ticked: refused.
    invitee.post(event.url, {"accept": "1"})
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED
    assert invitee.post(event.url, {"accept": "1", "terms_accepted": "on"}).status_code == 302
    member.refresh_from_db()
    assert (member.status, member.ends_on, member.accepted_terms) == (
        MemberStatus.ACTIVE, ends, "Keep it confidential.")
    # Rights: the campaign, its workplace's people and mapping; no other workplace.
    assert _can_map(colleague, low)
    assert not _can_map(colleague, a["full"])
    assert invitee.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert invitee.get(f"/campaigns/{campaign.pk}/people/{a['people']['outsider'].pk}/"
                       ).status_code == 200
    # A position's sync keeps the lent right (merged into the grants).
    appoint(colleague, PositionKind.SAFETY_REPRESENTATIVE, a["full"])
    assert _can_map(colleague, low)
    # Time passes beyond the end date: nothing has to run for the rights to end.
    TeamMember.objects.filter(pk=member.pk).update(ends_on=timezone.localdate()
                                                   - dt.timedelta(days=1))
    PageUserObjectPermission.objects.filter(user=colleague.user, content_object=low).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert not _can_map(colleague, low)
    assert not build_access(colleague.user, a["union"]).teams
    assert steward.user_id != colleague.user_id


def test_ending_the_campaign_revokes_its_team_members_mapping_at_once(w):
    b = w["b"]
    campaign, low, colleague = b["campaign"], b["low"], b["people"]["colleague"]
    staff = b["people"]["staff"].user
    team = actions.create_team(campaign=campaign, workplace=low, acting_user=staff,
                               name="Port team", terms="Confidential.",
                               ends_on=timezone.localdate() + dt.timedelta(days=30))
    [member] = actions.invite(team=team, people=[colleague], acting_user=staff)
    actions.accept(member=member, acting_user=colleague.user, terms_accepted=True)
    assert _can_map(colleague, low)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    actions.update_campaign(campaign=campaign, acting_user=staff, ends_on=yesterday)
    team.refresh_from_db()
    assert team.ends_on == yesterday
    assert not _can_map(colleague, low)  # no sync or expiry job had to run
    assert not build_access(colleague.user, b["union"]).teams


def test_team_member_finds_mapping_on_the_workplace_page_at_no_cost_to_members(w):
    a = w["a"]
    low, colleague = a["low"], a["people"]["colleague"]
    staff = a["people"]["staff"].user
    team = actions.create_team(campaign=a["campaign"], workplace=low, acting_user=staff,
                               name="Depot", terms="Confidential.",
                               ends_on=timezone.localdate() + dt.timedelta(days=30))
    [member] = actions.invite(team=team, people=[colleague], acting_user=staff)
    page = low.url_path[len(a["union"].root_page.url_path) - 1:]
    link = f'href="/mapping/{low.pk}/"'
    assert link not in _client(a, "colleague").get(page).content.decode()
    actions.accept(member=member, acting_user=colleague.user, terms_accepted=True)
    assert link in _client(a, "colleague").get(page).content.decode()
    plain = _client(a, "member")
    assert link not in plain.get(page).content.decode()
    with CaptureQueriesContext(connection) as warm:  # the navigation's facts are cached
        plain.get(page)
    assert not [q["sql"] for q in warm.captured_queries if "campaigns_" in q["sql"]]


def test_potential_leaders_from_assessments_positions_and_conversations(w):
    a = w["a"]
    campaign = a["campaign"]
    colleague, member = a["people"]["colleague"], a["people"]["member"]
    Assessment.objects.create(union=a["union"], workplace=a["low"], person=colleague, level=1,
                              assessed_on=timezone.localdate())
    Assessment.objects.create(union=a["union"], workplace=a["low"], person=member, level=4,
                              assessed_on=timezone.localdate())
    staff = build_access(a["people"]["staff"].user, a["union"])
    rows = {row["person"].pk: row for row in potential_leaders(staff, campaign)}
    assert set(rows) == {colleague.pk, a["people"]["steward"].pk}
    assert rows[colleague.pk]["reasons"] == [("assessment", 1)]
    assert rows[a["people"]["steward"].pk]["reasons"] == [("position", None)]
    page = _client(a, "steward").get(f"/campaigns/{campaign.pk}/leaders/")
    assert b"Alphacolleague" in page.content
    assert not ContactEntry.objects.exists()


def test_cached_density_follows_people_and_potential_members(w):
    from portal.campaigns.figures import key_figures
    from portal.campaigns.selectors import targets_for
    from portal.mapping.models import PotentialMember

    a = w["a"]
    campaign = a["campaign"]
    access = build_access(a["people"]["staff"].user, a["union"])

    def now():
        total = key_figures(campaign, targets_for(access, campaign)).total
        return total.members_now, total.base_now

    assert now() == (3, 4)
    PotentialMember.objects.create(union=a["union"], workplace=a["low"], first_name="Pia",
                                   erase_on=timezone.localdate() + dt.timedelta(days=90))
    assert now() == (3, 5)
    outsider = a["people"]["outsider"]
    outsider.membership_status = MembershipStatus.ACTIVE
    outsider.save()
    assert now() == (4, 5)


def test_leaders_show_assessments_only_of_workplaces_the_user_maps(w):
    """Assessments are mapping data: a branch official (who maps no workplace) and a
    steward (of another workplace than where it was made) do not see one; staff do."""
    from tests.factories import make_branch

    a = w["a"]
    colleague = a["people"]["colleague"]
    branch = make_branch(a["union"])
    type(colleague).objects.filter(pk=colleague.pk).update(branch=branch)
    chair = make_person(a["union"], branch=branch, roles=(Role.MEMBER,), first_name="Chair")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    # Made by the organisers of the office, not of the depot where the colleague works now.
    Assessment.objects.create(union=a["union"], workplace=a["full"], person=colleague,
                              level=1, assessed_on=timezone.localdate())
    by_branch = actions.create_campaign(
        union=a["union"], acting_user=a["people"]["staff"].user, name="Branch drive",
        goal="", starts_on=START, ends_on=None, target_kind="branch", target_filters={})

    def reasons(person, campaign):
        rows = potential_leaders(build_access(person.user, a["union"]), campaign)
        return {row["person"].pk: row["reasons"] for row in rows}.get(colleague.pk, [])

    assert ("assessment", 1) in reasons(a["people"]["staff"], by_branch)
    assert ("assessment", 1) not in reasons(chair, by_branch)
    assert ("assessment", 1) not in reasons(a["people"]["steward"], a["campaign"])


@pytest.mark.django_db
def test_a_steward_sees_a_leaders_job_at_their_own_workplace_only(w):
    """Someone working at two workplaces: the office's steward sees the office as their
    workplace among the leaders, never the other job (employment data outside scope)."""
    from portal.people import actions as people_actions

    a = w["a"]
    office_steward = make_person(a["union"], workplace=a["full"], roles=(Role.MEMBER,),
                                 first_name="Officesteward")
    appoint(office_steward, PositionKind.SHOP_STEWARD, a["full"])
    both = make_person(a["union"], workplace=a["low"], roles=(Role.MEMBER,), first_name="Both")
    people_actions.add_employment(person=both, employer=a["full"].employer,
                                  workplace=a["full"], starts_on=START)
    Assessment.objects.create(union=a["union"], workplace=a["full"], person=both, level=1,
                              assessed_on=timezone.localdate())
    campaign = actions.create_campaign(
        union=a["union"], acting_user=a["people"]["staff"].user, name="Tampere drive",
        goal="", starts_on=START, ends_on=None, target_kind="workplace",
        target_filters={"city": "Tampere"})
    rows = {row["person"].pk: row["person"]
            for row in potential_leaders(build_access(office_steward.user, a["union"]), campaign)}
    assert rows[both.pk].workplace_id == a["full"].pk  # the depot's id is the lower one
    staff_rows = {row["person"].pk: row["person"] for row in
                  potential_leaders(build_access(a["people"]["staff"].user, a["union"]), campaign)}
    assert staff_rows[both.pk].workplace_id == a["low"].pk
