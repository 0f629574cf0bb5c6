"""Links into the people admin from the apps below it."""

from __future__ import annotations

from django.urls import reverse


def person_admin_url(person_id: int) -> str:
    """The people admin's page of a person (`contacts:person`). `portal/contacts` sits
    above every app that links to it (docs/architecture.md), so they link by URL name."""
    return reverse("contacts:person", args=[person_id])


def organisation_choices_url(kind: str) -> str:
    """The union's branches, employers or workplaces matching what was typed, as JSON
    (`contacts:choices`, for `adminpanel.forms.PageCombobox`)."""
    return reverse("contacts:choices", args=[kind])
