"""A signed-in account without admin access that opens an admin URL lands on its home,
told why, instead of bouncing between the admin and the sign-in page."""

import pytest
from django.conf import settings
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


def _follow(client, url, limit=6):
    chain = []
    for _ in range(limit):
        response = client.get(url)
        chain.append((response.status_code, url))
        if response.status_code != 302:
            return response, chain
        url = response["Location"]
    raise AssertionError(f"redirect loop: {chain}")


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/reports/site-history/"])
def test_a_member_opening_the_admin_lands_on_their_home_with_a_notice(url):
    union = make_union("noadmin")
    member = make_person(union, roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member.user)
    response, chain = _follow(client, url)
    assert response.status_code == 200 and chain[-1][1] == "/home/", chain
    assert "no access to the administration" in response.content.decode()


def test_staff_still_reach_the_admin_and_visitors_still_sign_in():
    union = make_union("withadmin")
    staff = make_person(union, roles=(Role.STAFF,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(staff.user)
    assert client.get("/admin/").status_code == 200
    visitor = Client(HTTP_HOST=union.site.hostname)
    response, chain = _follow(visitor, "/admin/")
    assert response.status_code == 200 and chain[-1][1].startswith("/accounts/login/")
