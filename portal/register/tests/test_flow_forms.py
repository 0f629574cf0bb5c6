"""One-way flow: the register's fields are read-only in the portal's own forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.people.actions import add_employment
from portal.people.models import Employment
from portal.union.models import UnionSettings
from tests.factories import make_employer, make_person, make_union

pytestmark = pytest.mark.django_db


def _flow(union, **flows):
    settings = UnionSettings.for_union(union)
    settings.register_flow = flows
    settings.save()


def _client(person):
    client = Client(HTTP_HOST=person.union.site.hostname)
    client.force_login(person.user)
    return client


def _profile_post(person, **values):
    data = {"alternative_name": "", "email": person.email, "phone": "", "street_address": "",
            "postal_code": "", "city": "", "preferred_language": "fi", **values}
    return _client(person).post(reverse("people:edit_own_profile"), data)


def test_one_way_people_fields_are_read_only(postgres):
    union = make_union()
    _flow(union, people="one_way")
    person = make_person(union, city="Oulu")
    page = _client(person).get(reverse("people:edit_own_profile")).content.decode()
    assert 'name="city"' in page and "disabled" in page.split('name="city"')[1].split(">")[0]
    response = _profile_post(person, city="Hacked", email="new@example.org",
                             preferred_language="sv")
    assert response.status_code == 302
    person.refresh_from_db()
    # The register's fields kept their values; the member's own choice was saved.
    assert (person.city, person.email, person.preferred_language) == (
        "Oulu", person.email, "sv")
    assert person.email != "new@example.org"


def test_two_way_people_fields_are_editable(postgres):
    union = make_union()
    _flow(union, people="two_way", employments="one_way")
    person = make_person(union, city="Oulu")
    _profile_post(person, city="Kemi")
    person.refresh_from_db()
    assert person.city == "Kemi"


def test_one_way_employments_cannot_be_added_or_changed(postgres):
    union = make_union()
    employer = make_employer(union)
    _flow(union, employments="one_way")
    person = make_person(union)
    client = _client(person)
    page = client.get(reverse("people:add_employment")).content.decode()
    assert "name=\"save\"" not in page and "employer_search" not in page
    profile = client.get(reverse("people:own_profile")).content.decode()
    assert reverse("people:add_employment") not in profile
    client.post(reverse("people:add_employment"), {
        "employer": employer.pk, "title": "Boss", "starts_on": "2024-01-01", "save": "1"})
    assert not Employment.objects.for_union(union).exists()
    employment = add_employment(person=person, employer=employer, title="Welder",
                                starts_on=dt.date(2020, 1, 1))
    client.post(reverse("people:edit_employment", args=[employment.pk]), {
        "employer": employer.pk, "title": "Boss", "starts_on": "2020-01-01", "save": "1"})
    employment.refresh_from_db()
    assert employment.title == "Welder"

    _flow(union, employments="two_way")
    assert reverse("people:add_employment") in client.get(
        reverse("people:own_profile")).content.decode()
    client.post(reverse("people:edit_employment", args=[employment.pk]), {
        "employer": employer.pk, "title": "Boss", "starts_on": "2020-01-01", "save": "1"})
    employment.refresh_from_db()
    assert employment.title == "Boss"
