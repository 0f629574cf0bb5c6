"""The admin account page's time zones are names a browser knows: Debian's tzdata also
lists "localtime", and Wagtail's script that names the zones in the user's language
stopped with an error on it (RangeError: Invalid time zone specified: localtime)."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.mark.django_db
def test_the_account_page_offers_real_time_zones_only():
    union = make_union("tzs")
    admin = make_person(union, roles=(Role.ADMIN,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(admin.user)
    page = client.get("/admin/account/").content.decode()
    assert 'value="Europe/Helsinki"' in page and 'value="Europe/Stockholm"' in page
    assert 'value="localtime"' not in page
