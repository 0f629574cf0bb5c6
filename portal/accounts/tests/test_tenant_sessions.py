"""A session counts only on its own tenant's hostname (TenantUserMiddleware).

Union accounts are signed in on their union's site only; accounts with no union (the
platform operator) on the platform's hostname only. Everywhere else the same session is
anonymous, but it is not ended: it still works at home.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction, Site

from portal.accounts.actions import create_platform_operator
from portal.accounts.middleware import TenantUserMiddleware
from portal.pages.models import ContentPage
from portal.union.middleware import UnionMiddleware
from portal.union.models import Role
from tests.factories import (
    PASSWORD,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world

PLATFORM = "testserver"  # resolves to Wagtail's default site, which is no union's


def _build_world():
    a, b = make_union("sa"), make_union("sb")
    branch = make_branch(a)
    workplace = make_workplace(make_employer(a), title="Secretworkplace")
    restricted = a.root_page.add_child(instance=ContentPage(
        title="Members only", slug="members-only", union=a, body="<p>Secretbody</p>"))
    PageViewRestriction.objects.create(page=restricted,
                                       restriction_type=PageViewRestriction.LOGIN)
    return {
        "a": a, "b": b, "branch": branch, "restricted": restricted,
        "member_a": make_person(a, branch=branch, workplace=workplace, roles=(Role.MEMBER,)),
        "admin_b": make_person(b, roles=(Role.ADMIN,)),
        "operator": create_platform_operator(email="op@sessions.example", password=PASSWORD),
    }


world_rows, world = module_world(_build_world, name="world")


def _url(page):
    return urlsplit(page.get_url()).path


def _client(host, user=None):
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def test_own_union_session_sees_members_only_content(world):
    client = _client(world["a"].site.hostname, world["member_a"].user)
    assert b"Secretworkplace" in client.get(_url(world["branch"])).content
    assert b"Secretbody" in client.get(_url(world["restricted"])).content


@pytest.mark.parametrize("who", ["admin_b", "operator"])
def test_a_foreign_session_is_anonymous_on_a_unions_site(world, who):
    user = world[who] if who == "operator" else world[who].user
    client = _client(world["a"].site.hostname, user)
    assert b"Secretworkplace" not in client.get(_url(world["branch"])).content
    response = client.get(_url(world["restricted"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
    assert client.get("/profile/").status_code == 302
    # The session is not ended: it may be the same cookie as at home.
    assert client.session.get(SESSION_KEY) == str(user.pk)


def test_a_foreign_session_still_works_at_home(world):
    user = world["admin_b"].user
    client = _client(world["a"].site.hostname, user)
    client.get(_url(world["restricted"]))
    assert client.get("/admin/", HTTP_HOST=world["b"].site.hostname).status_code == 200


def test_the_operator_is_signed_in_on_the_platform_host_only(world):
    on_platform = _client(PLATFORM, world["operator"])
    assert on_platform.get("/admin/union-admin/unions/").status_code == 200
    on_union = _client(world["a"].site.hostname, world["operator"])
    assert on_union.get("/admin/union-admin/unions/").status_code == 302


def test_union_accounts_are_anonymous_on_the_platform_host(world):
    # A union admin, who has admin access at home.
    client = _client(PLATFORM, world["admin_b"].user)
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_sign_in_only_where_the_session_would_count(world):
    def sign_in(host, email):
        client = Client(HTTP_HOST=host)
        client.post("/accounts/login/", {"username": email, "password": PASSWORD})
        return SESSION_KEY in client.session

    assert not sign_in(world["a"].site.hostname, world["operator"].email)
    assert sign_in(PLATFORM, world["operator"].email)
    assert not sign_in(PLATFORM, world["member_a"].user.email)
    assert sign_in(world["a"].site.hostname, world["member_a"].user.email)


def test_the_operator_lands_in_the_admin_after_signing_in(world):
    client = Client(HTTP_HOST=PLATFORM)
    response = client.post("/accounts/login/", {"username": world["operator"].email,
                                                "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"


def test_an_inactive_unions_host_signs_in_nobody(world):
    a = world["a"]
    a.is_active = False
    a.save(update_fields=["is_active"])
    for user in (world["member_a"].user, world["operator"]):
        client = _client(a.site.hostname, user)
        assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_a_platform_hostname_is_no_unions_even_if_a_union_is_the_default_site(world,
                                                                              settings):
    # As in the demo: PAL is Wagtail's default site, so any unknown hostname is PAL's.
    Site.objects.update(is_default_site=False)
    Site.objects.filter(pk=world["a"].site_id).update(is_default_site=True)
    settings.PLATFORM_HOSTNAMES = ["platform.localhost"]
    operator = world["operator"]
    assert _client("other.localhost", operator).get("/admin/").status_code == 302
    platform = _client("platform.localhost", operator)
    assert platform.get("/admin/union-admin/unions/").status_code == 200
    # No union's pages are served on the platform's hostname.
    assert platform.get(_url(world["restricted"])).status_code == 404
    member = _client("platform.localhost", world["member_a"].user)
    assert member.get("/admin/").status_code == 302


def test_request_auser_is_bound_too(world):
    request = RequestFactory().get("/", HTTP_HOST=world["a"].site.hostname)
    request.user = world["admin_b"].user

    async def session_user():
        return world["admin_b"].user

    request.auser = session_user
    seen = {}

    def view(request):
        seen["user"] = request.user
        seen["auser"] = async_to_sync(request.auser)()
        return None

    UnionMiddleware(TenantUserMiddleware(view))(request)
    assert not seen["user"].is_authenticated
    assert not seen["auser"].is_authenticated
