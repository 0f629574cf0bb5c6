"""An account without a member profile (union staff, admins) that opens a member's own
page gets a page saying so, in the union's look and language, not a bare 404."""

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/profile/", "/profile/employments/add/", "/card/",
                                 "/activity/"])
def test_staff_without_a_profile_get_an_explaining_page(settings, url, debug):
    settings.DEBUG = debug  # the demo runs with DEBUG on: no technical 404 page either
    union = make_union("noprof", name="Profileunion")
    staff = make_person(union, roles=(Role.STAFF,)).user
    staff.person.delete()
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Ei jäsenprofiilia" in html and "Profileunion" in html
    assert "no-store" in response["Cache-Control"]
