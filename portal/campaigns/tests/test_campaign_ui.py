"""The campaign centre's forms as a new user meets them: an owner chosen among the
union's staff accounts (with or without a member profile), never officials, the employer
chosen by name without JavaScript, a count of the target group before saving, refusing
an invitation of nobody, confirmations as messages, potential leaders by workplace.
The union's language is Finnish: the pages answer in it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from portal.accounts.actions import create_user
from portal.campaigns import actions
from portal.campaigns.models import Campaign, TeamMember
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world


def _build():
    union, other = make_union("camui"), make_union("camuib")
    acme = make_employer(union, title="Acme Logistics")
    other_employer = make_employer(union, title="Birch Foods")
    depot, bakery = make_workplace(acme, "Acme depot"), make_workplace(other_employer, "Bakery")
    # Staff without a member profile (the demo's case): an account only.
    staff = create_user(email="staff@camui.example", union=union, password="x",
                        roles=(Role.STAFF,))
    staff.first_name, staff.last_name = "Sanna", "Staffer"
    staff.save()
    foreign = create_user(email="staff@camuib.example", union=other, password="x",
                          roles=(Role.STAFF,))
    steward = make_person(union, workplace=depot, roles=(Role.MEMBER,), first_name="Stina")
    appoint(steward, PositionKind.SHOP_STEWARD, depot)
    baker = make_person(union, workplace=bakery, roles=(Role.MEMBER,), first_name="Bertil")
    appoint(baker, PositionKind.SHOP_STEWARD, bakery)
    make_person(union, workplace=depot, roles=(Role.MEMBER,), first_name="Colleague")
    campaign = actions.create_campaign(
        union=union, acting_user=staff, name="Everywhere", goal="", starts_on=dt.date(2026, 1, 1),
        ends_on=None, target_kind="workplace",
        target_filters={})
    team = actions.create_team(campaign=campaign, workplace=depot, acting_user=staff,
                               name="Depot team", terms="Confidential",
                               ends_on=dt.date(2099, 1, 1))
    return {"union": union, "host": union.site.hostname, "acme": acme, "depot": depot,
            "bakery": bakery, "staff": staff, "foreign": foreign, "steward": steward,
            "baker": baker, "campaign": campaign, "team": team}


ui_rows, ui = module_world(_build, name="ui")


def _client(w, user):
    client = Client(HTTP_HOST=w["host"])
    client.force_login(user)
    return client


def _form(**extra):
    return {"name": "Acme drive", "goal": "", "starts_on": "2026-02-01", "ends_on": "",
            "target_kind": "workplace", **extra}


@pytest.mark.django_db
def test_owner_employer_by_name_preview_and_created_message(ui):
    w = ui
    client = _client(w, w["staff"])
    page = client.get("/campaigns/new/").content.decode()
    # The creator (no member profile) is offered and chosen; not officials (an owner edits
    # the whole target group, beyond an official's scope); no other union.
    assert f'<option value="{w["staff"].pk}" selected>Sanna Staffer</option>' in page
    assert f'value="{w["steward"].user_id}"' not in page
    assert f'value="{w["foreign"].pk}"' not in page
    assert 'aria-describedby="id_employer_helptext"' in page
    # Typed without JavaScript: a part of the name finds the one employer; "count" only
    # counts (nothing saved).
    preview = client.post("/campaigns/new/", _form(employer_text="acme", preview="1",
                                                   owner=str(w["staff"].pk)))
    assert preview.status_code == 200
    assert "Suodattimet löytävät nyt 1 kohteen." in preview.content.decode()
    assert not Campaign.objects.filter(name="Acme drive").exists()
    # An official posted as the owner is refused, nothing saved.
    refused = client.post("/campaigns/new/", _form(employer_text="acme",
                                                   owner=str(w["steward"].user_id)))
    assert refused.status_code == 200 and not Campaign.objects.filter(name="Acme drive").exists()
    done = client.post("/campaigns/new/", _form(employer_text="acme",
                                                owner=str(w["staff"].pk)))
    campaign = Campaign.objects.get(name="Acme drive")
    assert done.status_code == 302 and campaign.target_filters == {"employer": w["acme"].pk}
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["Kampanja luotiin."]
    assert campaign.owner_user_id == w["staff"].pk
    assert "Sanna Staffer" in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    # The steward may not edit it.
    steward = _client(w, w["steward"].user)
    assert steward.get(f"/campaigns/{campaign.pk}/edit/").status_code in (403, 404)
    # Another union's account is refused whatever is posted.
    refused = client.post(f"/campaigns/{campaign.pk}/edit/",
                          _form(owner=str(w["foreign"].pk)))
    assert refused.status_code == 200
    campaign.refresh_from_db()
    assert campaign.owner_user_id == w["staff"].pk
    # Two employers matching what was typed: choose from the list.
    ambiguous = client.post("/campaigns/new/", _form(employer_text="o", preview="1"))
    assert "Useampi työnantaja täsmää" in ambiguous.content.decode()


@pytest.mark.django_db
def test_typed_digits_are_a_name_and_only_the_list_gives_an_id(ui):
    w = ui
    client = _client(w, w["staff"])
    # Digits typed in the box are looked up as text, even when they equal an employer's id.
    typed = client.post("/campaigns/new/", _form(employer_text=str(w["acme"].pk), preview="1"))
    assert "Mikään liiton työnantaja ei täsmää" in typed.content.decode()
    # Shown again as typed, nothing chosen: submitting again cannot choose Acme.
    assert 'value="" data-combobox-value' in typed.content.decode()
    # The id chosen from the list (the hidden input) is that employer...
    chosen = client.post("/campaigns/new/", _form(employer=str(w["acme"].pk),
                                                  employer_text="Acme Logistics", preview="1"))
    assert "Suodattimet löytävät nyt 1 kohteen." in chosen.content.decode()
    # ...and a posted id of something else (a workplace page) or not a number is refused.
    for forged in (str(w["depot"].pk), "acme"):
        refused = client.post("/campaigns/new/", _form(employer=forged, preview="1"))
        assert "Valitse työnantaja luettelosta." in refused.content.decode()


@pytest.mark.django_db
def test_inviting_nobody_is_refused_and_the_form_stays(ui):
    w = ui
    client = _client(w, w["steward"].user)
    url = f"/campaigns/teams/{w['team'].pk}/"
    page = client.post(url, {"invite": "1"})
    assert page.status_code == 200
    assert "Valitse kutsuttavat." in page.content.decode()
    assert 'id="invite-q"' in page.content.decode()
    assert not TeamMember.objects.filter(team=w["team"]).exists()


@pytest.mark.django_db
def test_potential_leaders_show_and_filter_by_workplace(ui):
    w = ui
    client = _client(w, w["staff"])
    url = f"/campaigns/{w['campaign'].pk}/leaders/"
    page = client.get(url).content.decode()
    assert "Stina" in page and "Bertil" in page and "Acme depot" in page
    only = client.get(url, {"workplace": w["bakery"].pk}).content.decode()
    assert "Bertil" in only and "Stina" not in only
