"""What staff type is understood: a choice field defined without choices is explained
(the model's `choices` error shown on the form's `choices_text`), not a 500; a filter's
value may be a choice's label as the list shows it, yes/no in Finnish, a date as d.m.yyyy."""

import datetime as dt

import pytest
from django.utils import translation

from portal.customfields import actions, selectors
from portal.customfields.forms import FieldDefinitionForm
from portal.people.models import Person
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


def test_a_choice_field_without_choices_is_explained_not_a_crash():
    form = FieldDefinitionForm(data={"key": "shift", "field_type": "choice",
                                     "label_fi": "Vuoro"}, union=make_union("cfa"))
    assert not form.is_valid()
    assert list(form.errors) == ["choices_text"]


def test_choices_with_another_separator_are_explained_once():
    # "aamu|Aamuvuoro|Morgonskift" was refused as a bad value, with "Give at least one
    # choice." beside it though three were given.
    form = FieldDefinitionForm(data={"key": "shift", "field_type": "choice",
                                     "label_fi": "Vuoro",
                                     "choices_text": "aamu|Aamuvuoro|Morgonskift\nilta|Ilta"},
                               union=make_union("cfc"))
    assert not form.is_valid()
    with translation.override("en"):
        assert [str(e) for e in form.errors["choices_text"]] == [
            "Line 1: separate the value and the labels with semicolons, "
            "e.g. night; Yö; Natt; Night"]


def test_a_filter_understands_labels_finnish_yes_and_dates():
    union = make_union("cfb")
    person = make_person(union)
    staff = person.user
    fields = [
        actions.define_field(union=union, key="shift", acting_user=staff, label_fi="Vuoro",
                             field_type="choice",
                             choices=[{"value": "night", "fi": "Yö", "sv": "Natt"}]),
        actions.define_field(union=union, key="card", acting_user=staff, label_fi="Kortti",
                             field_type="yes_no"),
        actions.define_field(union=union, key="since", acting_user=staff, label_fi="Alkaen",
                             field_type="date")]
    actions.set_values(person=person, acting_user=staff, editable=fields, values={
        "shift": "night", "card": True, "since": dt.date(2026, 5, 31)})
    people = Person.objects.all()
    for field, value in ((fields[0], "yö"), (fields[0], "Natt"), (fields[1], "Kyllä"),
                         (fields[2], "31.5.2026"), (fields[2], "1.1.2026..31.12.2026")):
        assert list(selectors.filter_people(people, union=union, field=field,
                                            value=value)) == [person], value
    assert not selectors.filter_people(people, union=union, field=fields[0], value="Päivä")
