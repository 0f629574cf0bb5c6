"""A union admin's feature switches (U-3.16.10) hide the entry and close the views."""

import pytest
from django.test import Client

from portal.people.models import PositionKind
from portal.union.actions import update_union_settings
from portal.union.models import Role, UnionFeature
from tests.factories import appoint, make_branch, make_bulletin, make_person, make_union


@pytest.mark.django_db
def test_switched_off_features_disappear_for_that_union_only():
    a, b = make_union("fa"), make_union("fb")
    branch = make_branch(a)
    chair = make_person(a, branch=branch)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    admin = make_person(a, roles=(Role.ADMIN,))
    member_b = make_person(b, branch=make_branch(b), roles=(Role.MEMBER,))
    bulletin = make_bulletin(branch)

    def nav_keys(client):
        return {item["key"] for item in client.get("/profile/").context["nav_items"]}

    client_a = Client(HTTP_HOST=a.site.hostname)
    client_a.force_login(chair.user)
    client_b = Client(HTTP_HOST=b.site.hostname)
    client_b.force_login(member_b.user)
    assert "activity" in nav_keys(client_a)
    assert client_a.get("/activity/").status_code == 200
    assert client_a.get(f"/bulletins/{bulletin.pk}/send/").status_code == 200

    update_union_settings(
        union=a, acting_user=admin.user,
        values={"features_on": [f for f in UnionFeature.values
                                if f not in (UnionFeature.ACTIVITY, UnionFeature.MESSAGING)]},
    )
    assert "activity" not in nav_keys(client_a)
    assert client_a.get("/activity/").status_code == 404
    assert client_a.get(f"/bulletins/{bulletin.pk}/send/").status_code == 404
    # The other union keeps its features.
    assert "activity" in nav_keys(client_b)
    assert client_b.get("/activity/").status_code == 200
