"""Review of 76c0ac0: the campaign form's employer is an id only when chosen from the
list, and never another union's employer — not as the hidden input's id, not typed as
its id, name or business ID — and the action refuses it whoever calls."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.accounts.actions import create_user
from portal.campaigns.models import Campaign
from portal.campaigns.targeting import clean_filters
from portal.union.models import Role
from tests.factories import make_employer, make_union


@pytest.mark.django_db
def test_another_unions_employer_is_refused_however_it_is_posted():
    union, other = make_union("cetya"), make_union("cetyb")
    make_employer(union, title="Own Oy")
    foreign = make_employer(other, title="Foreign Foods")
    staff = create_user(email="staff@cetya.example", union=union, password="x",
                        roles=(Role.STAFF,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(staff)
    form = {"name": "Forged", "goal": "", "starts_on": "2026-02-01", "ends_on": "",
            "target_kind": "workplace"}
    for posted in ({"employer": str(foreign.pk)},
                   {"employer": str(foreign.pk), "employer_text": "Foreign Foods"},
                   {"employer_text": str(foreign.pk)},
                   {"employer_text": "Foreign Foods"},
                   *([{"employer_text": foreign.business_id}] if foreign.business_id else [])):
        response = client.post("/campaigns/new/", {**form, **posted})
        assert response.status_code == 200, posted  # the form again, not a redirect
        assert response.context["form"].errors.get("employer"), posted
    assert not Campaign.objects.filter(name="Forged").exists()
    with pytest.raises(ValidationError):
        clean_filters(union, "workplace", {"employer": foreign.pk})
