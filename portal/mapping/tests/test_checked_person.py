"""The mapping actions take a person loaded by `actions.employee` for the workplace as
checked (db023c8); any other person is checked again, whoever calls: a person of
another workplace, of another union, whose employment ended, who died, or one loaded
by `employee` for another workplace is refused, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.mapping import actions
from portal.mapping.models import Assessment, Placement
from portal.union.models import Role
from tests.factories import make_employer, make_person, make_union, make_workplace


@pytest.mark.django_db
def test_the_actions_refuse_a_person_who_does_not_work_there_now():
    union, other = make_union("mcpa"), make_union("mcpb")
    employer = make_employer(union)
    shop, office = make_workplace(employer, "Shop"), make_workplace(employer, "Office")
    staff = make_person(union, roles=(Role.STAFF,)).user
    past = dt.date(2021, 1, 1)
    outsiders = {
        "another workplace's": make_person(union, workplace=office, user=False),
        "another union's": make_person(other, workplace=make_workplace(make_employer(other)),
                                       user=False),
        "an ended employment's": make_person(union, workplace=shop, user=False),
        "a deceased": make_person(union, workplace=shop, user=False,
                                  deceased_on=dt.date(2024, 1, 1)),
    }
    outsiders["an ended employment's"].employments.update(ends_on=past)
    # Loaded (and marked as checked) for the office, then passed with the shop.
    outsiders["checked for the office"] = actions.employee(
        office, make_person(union, workplace=office, user=False).pk)
    assert outsiders["checked for the office"] is not None
    potential = actions.add_potential_member(workplace=shop, first_name="Pia",
                                             acting_user=staff)
    for name, person in outsiders.items():
        with pytest.raises(ValidationError):
            actions.place_person(workplace=shop, person=person, unit=None, shift=None,
                                 acting_user=staff)
        with pytest.raises(ValidationError):
            actions.assess(workplace=shop, person=person, level=3, acting_user=staff)
        with pytest.raises(ValidationError):
            actions.mark_joined(potential=potential, person=person, acting_user=staff)
        assert not Placement.objects.filter(person=person).exists(), name
        assert not Assessment.objects.filter(person=person).exists(), name

    # A colleague loaded by `employee` for the shop: taken as checked, written.
    colleague = actions.employee(shop, make_person(union, workplace=shop, user=False).pk)
    actions.assess(workplace=shop, person=colleague, level=3, acting_user=staff)
    assert Assessment.objects.filter(person=colleague, workplace=shop).exists()
