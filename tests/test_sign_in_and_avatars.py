"""Wagtail's own unbranded sign-in form is not used, and the admin sends no email hashes
to Gravatar: it draws initials (portal/accounts/wagtail_hooks.py)."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from portal.accounts.models import User
from portal.accounts.wagtail_hooks import initials_of
from portal.pages.models import ContentPage
from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.fixture
def union(db):
    return make_union("avt")


def test_wagtails_sign_in_form_sends_to_the_unions(union):
    client = Client(HTTP_HOST=union.site.hostname)
    response = client.get("/_util/login/?next=/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fprofile%2F"
    # An address on another site is not kept.
    response = client.get("/_util/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/"


def test_a_restricted_page_asks_to_sign_in_on_the_unions_form(union):
    page = union.root_page.add_child(instance=ContentPage(
        title="Members", slug="members", union=union))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = Client(HTTP_HOST=union.site.hostname).get("/members/")
    assert response["Location"] == "/accounts/login/?next=/members/"


def test_the_admin_shows_initials_not_gravatar(union):
    admin = make_person(union, roles=(Role.ADMIN,)).user
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(admin)
    body = client.get("/admin/users/").content.decode()
    assert "gravatar" not in body and "default-user-avatar" not in body
    marker = 'src="data:image/svg+xml;base64,'
    avatars = [part.split('"', 1)[0] for part in body.split(marker)[1:]]
    assert avatars
    # The account has no name: its address's first letter.
    assert all(f">{admin.email[0].upper()}</text>" in base64.b64decode(a).decode()
               for a in avatars)


def test_initials_are_first_and_last_name():
    assert initials_of(User(first_name="aino", last_name="Virta", email="x@y.z")) == "AV"
    assert initials_of(User(email="kalle@y.z")) == "K"
