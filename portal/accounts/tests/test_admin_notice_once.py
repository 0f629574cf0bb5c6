"""A member who opens an admin URL is told once why they are on their home: Wagtail's
own "You do not have permission to access the admin." came beside the portal's notice,
two messages saying the same (seen on a walk through the demo)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


def test_one_notice():
    union = make_union("onenotice")
    member = make_person(union, roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member.user)
    response = client.get("/admin/union-admin/imports/", follow=True)
    assert response.redirect_chain[-1][0] == "/home/", response.redirect_chain
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "no access to the administration" in text
    assert "permission to access the admin" not in text
