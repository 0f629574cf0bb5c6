"""The registry of personal data guards every model (issue 17 item 1)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from portal.people.models import Person
from portal.privacy import checks, registry
from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject


def test_every_field_that_looks_personal_is_declared():
    assert checks.undeclared() == {}, (
        "declare these in the app's personal_data.py (docs/privacy.md)")


def test_the_core_models_are_declared_with_their_subjects():
    person = registry.declaration_of(Person)
    assert person.subjects == {"pk": Subject.PERSON}
    assert person.fields["member_number"].basis == Basis.ART9
    assert person.fields["identity_code_hash"].withheld
    labels = {d.label for d in registry.declarations()}
    assert {"people.employment", "audit.auditentry", "messaging.delivery",
            "accounts.user", "groups.groupmembership"} <= labels


@isolate_apps("portal.privacy")
def test_a_new_model_with_personal_fields_is_caught():
    class Note(models.Model):  # noqa: DJ008
        person = models.ForeignKey(Person, on_delete=models.CASCADE)
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        text = models.TextField()
        nickname = models.CharField(max_length=20)
        kind = models.CharField(max_length=8, choices=[("a", "a")])

        class Meta:
            app_label = "privacy"

    class Colour(models.Model):  # noqa: DJ008
        hex = models.CharField(max_length=7)

        class Meta:
            app_label = "privacy"

    assert checks.looks_personal(Note) == ["person", "author", "text", "nickname"]
    assert checks.looks_personal(Colour) == []


@isolate_apps("portal.privacy")
def test_a_declaration_must_name_real_fields_and_whose_rows_they_are():
    class Thing(models.Model):  # noqa: DJ008
        email = models.EmailField()

        class Meta:
            app_label = "privacy"

    p = Personal(Category.CONTACT, Basis.CONTRACT, Source.SELF, Retention.MEMBERSHIP)
    with pytest.raises(registry.DeclarationError):
        registry.declare(Thing, subjects={"pk": Subject.PERSON}, fields={"e_mail": p})
    with pytest.raises(registry.DeclarationError):
        registry.declare(Thing, fields={"email": p})
    with pytest.raises(registry.DeclarationError):
        registry.declare(Person, subjects={"pk": Subject.PERSON}, fields={"email": p})
