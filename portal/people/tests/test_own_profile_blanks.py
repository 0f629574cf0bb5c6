"""The own profile shows "–" for an address the register does not have, as for every
other missing value (the walk found "Address" standing beside nothing)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.mark.django_db
def test_the_own_profile_has_no_blank_values():
    union = make_union("blanks")
    member = make_person(union, roles=(Role.MEMBER,))
    assert not (member.street_address or member.postal_code or member.city)
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(member.user)
    page = client.get("/profile/").content.decode()
    assert re.search(r"<dd>\s*</dd>", page) is None
