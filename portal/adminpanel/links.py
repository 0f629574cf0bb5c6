"""Links into the people admin from the apps below it."""

from __future__ import annotations

from django.urls import reverse


def person_admin_url(person_id: int) -> str:
    """The people admin's page of a person (`contacts:person`). `portal/contacts` sits
    above every app that links to it (docs/architecture.md), so they link by URL name."""
    return reverse("contacts:person", args=[person_id])
