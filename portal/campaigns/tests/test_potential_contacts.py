"""Issue 19's loose ends: contacts with workplace mapping's potential members (the form,
who may, the key figures, the mapping pages, erasure and joining), the legal-basis view's
words for the campaign centre's and mapping's audit targets, and merging two duplicate
people who both have a place in one campaign team."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from portal.campaigns import actions
from portal.campaigns.figures import key_figures
from portal.campaigns.hooks import merge_team_places
from portal.campaigns.models import ContactEntry, MemberStatus, TeamMember
from portal.campaigns.permissions import build_access
from portal.campaigns.selectors import targets_for
from portal.mapping import actions as mapping_actions
from portal.mapping.models import PotentialMember
from portal.merging import actions as merging
from portal.people.models import MembershipStatus, Person
from portal.privacy import basis

from .test_campaigns import _can_map, _client


def _figures(side):
    access = build_access(side["people"]["staff"].user, side["union"])
    return key_figures(side["campaign"], targets_for(access, side["campaign"])).total


def test_contacts_with_potential_members(w):
    a, b = w["a"], w["b"]
    campaign, low, steward = a["campaign"], a["low"], a["people"]["steward"]
    potential = mapping_actions.add_potential_member(
        workplace=low, first_name="Vilja", last_name="Uusinen", phone="040 1",
        acting_user=steward.user)
    url = f"/campaigns/{campaign.pk}/potential/{potential.pk}/"
    today = timezone.localdate().isoformat()
    client = _client(a, "steward")
    # The workplace's official logs a conversation with the same form as for a person.
    response = client.post(url, {"channel": "in_person", "outcome": "positive",
                                 "contacted_on": today, "next_step": "Call on Monday",
                                 "notes": "Asked about shifts"})
    assert response.status_code == 302
    entry = ContactEntry.objects.get(potential=potential)
    assert (entry.person_id, entry.target.scope_id, entry.contacted_by_id) == (
        None, low.pk, steward.pk)
    assert b"Call on Monday" in client.get(url).content
    people = client.get(f"/campaigns/{campaign.pk}/people/").content.decode()
    assert url in people and "Vilja Uusinen" in people
    assert "Vilja Uusinen" in client.get(f"/campaigns/{campaign.pk}/log/").content.decode()
    total = _figures(a)
    assert (total.contacted, total.conversations) == (1, 1)
    # Mapping data: not for a member, nor for another union's staff on either site.
    assert _client(a, "member").get(url).status_code == 404
    foreign = Client(HTTP_HOST=b["host"])
    foreign.force_login(b["people"]["staff"].user)
    assert foreign.get(url).status_code == 404
    # Workplace mapping shows the contact on the row (and filters by it) and the page.
    mapping = client.get(f"/mapping/{low.pk}/?status=potential&contacted=yes").content.decode()
    assert "Vilja Uusinen" in mapping and "tag--contacted" in mapping
    page = client.get(f"/mapping/{low.pk}/potential/{potential.pk}/").content.decode()
    assert "Call on Monday" in page and url in page

    # Erased by hand: the entry stays, unlinked, its free texts cleared; still counted.
    other = mapping_actions.add_potential_member(workplace=low, first_name="Otto",
                                                 acting_user=steward.user)
    actions.log_contact(campaign=campaign, potential=other, acting_user=steward.user,
                        channel="call", outcome="not_reached", next_step="Try again")
    mapping_actions.remove_potential_member(potential=potential, acting_user=steward.user)
    entry.refresh_from_db()
    assert (entry.potential_id, entry.next_step, entry.notes) == (None, "", "")
    assert _figures(a).contacted == 2
    # Erased on their date by the daily task: the same.
    PotentialMember.objects.filter(pk=other.pk).update(
        erase_on=timezone.localdate() - dt.timedelta(days=1))
    mapping_actions.erase_expired_potential_members()
    assert not ContactEntry.objects.filter(next_step="Try again").exists()
    assert ContactEntry.objects.filter(campaign=campaign, potential_ref=other.pk).exists()
    assert (_figures(a).contacted, _figures(a).attempts) == (2, 2)

    # A potential member who joins: their contacts follow them to the person.
    joiner = mapping_actions.add_potential_member(workplace=low, first_name="Jere",
                                                  acting_user=steward.user)
    actions.log_contact(campaign=campaign, potential=joiner, acting_user=steward.user,
                        channel="message", outcome="joined", next_step="Welcome")
    outsider = a["people"]["outsider"]
    Person.objects.filter(pk=outsider.pk).update(membership_status=MembershipStatus.ACTIVE)
    mapping_actions.mark_joined(potential=joiner, person=outsider, acting_user=steward.user)
    moved = ContactEntry.objects.get(next_step="Welcome")
    assert (moved.person_id, moved.potential_id, moved.potential_ref) == (outsider.pk, None,
                                                                          None)


def test_legal_basis_view_names_campaign_and_mapping_targets(w):
    """The person's last reads say where in words, in the reader's language."""
    a = w["a"]
    campaign, outsider = a["campaign"], a["people"]["outsider"]
    client = _client(a, "steward")
    assert client.get(f"/campaigns/{campaign.pk}/people/{outsider.pk}/").status_code == 200
    assert client.get(f"/mapping/{a['low'].pk}/people/{outsider.pk}/").status_code == 200
    depot = a["low"].title
    expected = {"en": ("Campaign “Alpha campaign”: the contact page",
                       f"Workplace mapping of “{depot}”: the person's page"),
                "fi": ("Kampanja ”Alpha campaign”: yhteydenottosivu",
                       f"Työpaikkakartoitus ”{depot}”: henkilön sivu"),
                "sv": ("Kampanjen ”Alpha campaign”: kontaktsidan",
                       f"Arbetsplatskartläggningen ”{depot}”: personens sida")}
    for language, texts in expected.items():
        with translation.override(language):
            where = [entry["where"] for entry in basis.last_accesses(outsider)]
        assert list(texts) == where[:2][::-1], (language, where)
    staff = _client(a, "staff")
    page = staff.get(reverse("privacy_admin:basis", args=[outsider.pk])).content.decode()
    assert "Alpha campaign" in page and "campaign:" not in page


def test_merging_duplicates_keeps_the_more_active_team_place(w):
    a = w["a"]
    staff, low = a["people"]["staff"].user, a["low"]
    colleague, outsider = a["people"]["colleague"], a["people"]["outsider"]
    team = actions.create_team(campaign=a["campaign"], workplace=low, acting_user=staff,
                               name="Depot team", terms="Confidential.",
                               ends_on=timezone.localdate() + dt.timedelta(days=30))
    [declined] = actions.invite(team=team, people=[colleague], acting_user=staff)
    actions.decline(member=declined, acting_user=colleague.user)
    # The duplicate (no account of their own) accepted a place in the same team.
    today = timezone.localdate()
    TeamMember.objects.create(union=a["union"], team=team, person=outsider,
                              status=MemberStatus.ACTIVE, accepted_terms="Confidential.",
                              starts_on=today, ends_on=team.ends_on)
    merge = merging.merge_people(union=a["union"], kept=colleague, removed=outsider, take=[],
                                 acting_user=staff)
    place = TeamMember.objects.get(team=team, person=colleague)
    assert (place.status, place.starts_on, place.ends_on) == (MemberStatus.ACTIVE, today,
                                                              team.ends_on)
    assert _can_map(colleague, low)  # the merge re-synced the lent right
    # Undone: each has their own place back as it was.
    merging.undo_merge(merge=merge, acting_user=staff)
    assert TeamMember.objects.get(team=team, person=colleague).status == MemberStatus.DECLINED
    assert TeamMember.objects.get(team=team, person_id=outsider.pk).status == MemberStatus.ACTIVE
    # Two places whose rights hold: the later end date wins; an open invitation beats a
    # declined place (and a tie keeps the kept person's).
    places = TeamMember.objects.filter(team=team)
    places.filter(person=colleague).update(status=MemberStatus.ACTIVE, starts_on=today,
                                           ends_on=today + dt.timedelta(days=5))
    assert len(merge_team_places(kept_id=colleague.pk, removed_id=outsider.pk)) == 1
    assert places.get(person=colleague).ends_on == team.ends_on
    places.filter(person=colleague).update(status=MemberStatus.INVITED)
    places.filter(person_id=outsider.pk).update(status=MemberStatus.DECLINED)
    assert merge_team_places(kept_id=colleague.pk, removed_id=outsider.pk) == []
    assert places.get(person=colleague).status == MemberStatus.INVITED
