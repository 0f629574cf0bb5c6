"""Invitations: an account an admin creates gets an email to set its password; the admin
can send it again (paced); the link is valid longer than a reset link and works once."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from portal.accounts.actions import (
    create_account,
    create_platform_operator,
    resend_invitation,
)
from portal.accounts.models import User
from portal.accounts.tokens import (
    InvitationTokenGenerator,
    invitation_token_generator,
    password_reset_token_generator,
)
from portal.audit.models import AuditEntry
from portal.union.models import Role, Union
from tests.factories import make_person, make_union

NEW_PASSWORD = "quiet-meadow-copper-77"  # noqa: S105


@pytest.fixture
def world(db):
    a, b = make_union("ia"), make_union("ib")
    return {
        "a": a,
        "b": b,
        "admin_a": make_person(a, roles=(Role.ADMIN,)).user,
        "member_a": make_person(a, roles=(Role.MEMBER,)).user,
        "admin_b": make_person(b, roles=(Role.ADMIN,)).user,
    }


def _admin(union, user) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English
    client.force_login(user)
    return client


def _link(message) -> str:
    return re.findall(r"https?://\S+", message.body)[0]


def _accept(union, link: str, password: str = NEW_PASSWORD) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302, "the invitation link works"
    form_url = response["Location"]
    page = client.get(form_url)
    assert b'name="new_password1"' in page.content
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302, response.content[:2000]
    return client


def test_an_account_the_admin_creates_is_invited_and_can_sign_in(
        world, mailoutbox, django_capture_on_commit_callbacks):
    union = world["a"]
    client = _admin(union, world["admin_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/users/new/", {
            "email": "new@ia.example", "first_name": "Nea", "last_name": "Uusi",
            "roles": [Role.STAFF]})
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="new@ia.example")
    assert not user.has_usable_password() and user.invited_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new@ia.example"] and union.name in message.subject
    assert "Nea" in message.body and message.alternatives[0][1] == "text/html"
    link = _link(message)
    assert link.startswith(f"{union.site.root_url}/accounts/invitation/")
    # The email is in the union's default language (Finnish here).
    assert "salasana" in message.subject.lower()

    _accept(union, link)
    signin = Client(HTTP_HOST=union.site.hostname)
    signin.post("/accounts/login/", {"username": "new@ia.example", "password": NEW_PASSWORD})
    assert SESSION_KEY in signin.session
    # The link worked once.
    used = Client(HTTP_HOST=union.site.hostname).get(urlsplit(link).path)
    assert used.status_code == 200 and b'name="new_password1"' not in used.content
    fields = list(AuditEntry.objects.filter(target=f"user:{user.pk}").values_list(
        "fields", flat=True))
    assert ["invitation"] in fields and ["password"] in fields


def test_the_admin_resends_the_invitation_paced_and_the_old_link_dies(
        world, mailoutbox, django_capture_on_commit_callbacks):
    union = world["a"]
    with django_capture_on_commit_callbacks(execute=True):
        user = create_account(union=union, email="late@ia.example", roles=(Role.MEMBER,),
                              acting_user=world["admin_a"])
    first_link = _link(mailoutbox[0])
    client = _admin(union, world["admin_a"])
    edit = client.get(f"/admin/users/edit/{user.pk}/").content.decode()
    url = f"/admin/union-admin/accounts/{user.pk}/invitation/"
    assert f'href="{url}"' in edit
    assert client.get(url).status_code == 200

    # Right after the first one: refused, nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mailoutbox) == 1
    assert b"less than 10 minutes ago" in response.content

    User.objects.filter(pk=user.pk).update(invited_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["late@ia.example"]
    second_link = _link(mailoutbox[1])
    assert second_link != first_link
    gone = Client(HTTP_HOST=union.site.hostname).get(urlsplit(first_link).path)
    assert gone.status_code == 200 and b'name="new_password1"' not in gone.content
    _accept(union, second_link)
    assert AuditEntry.objects.filter(target=f"user:{user.pk}", fields=["invitation"],
                                     actor=world["admin_a"]).count() == 2


def test_no_resend_for_an_account_with_a_password_or_of_another_union(world, mailoutbox):
    member = world["member_a"]
    with pytest.raises(ValidationError):
        resend_invitation(user=member, acting_user=world["admin_a"])
    with pytest.raises(PermissionDenied):
        resend_invitation(user=member, acting_user=world["admin_b"])
    client = _admin(world["a"], world["admin_a"])
    edit = client.get(f"/admin/users/edit/{member.pk}/").content.decode()
    assert "/invitation/" not in edit
    # Another union's admin does not find the account; a member cannot open the page.
    url = f"/admin/union-admin/accounts/{member.pk}/invitation/"
    assert _admin(world["b"], world["admin_b"]).post(url).status_code in (403, 404)
    assert _admin(world["a"], member).get(url).status_code in (302, 403)
    assert mailoutbox == []


def test_an_invitation_link_works_only_on_its_unions_site(
        world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create_account(union=world["a"], email="x@ia.example", roles=(Role.MEMBER,),
                       acting_user=world["admin_a"])
    path = urlsplit(_link(mailoutbox[0])).path
    elsewhere = Client(HTTP_HOST=world["b"].site.hostname).get(path)
    assert elsewhere.status_code == 200 and b'name="new_password1"' not in elsewhere.content


def test_the_operators_first_admin_of_a_union_is_invited(db, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    operator = create_platform_operator(email="op@service.example")
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/union-admin/unions/new/", {
            "name": "Uusi liitto", "slug": "inew", "hostname": "inew.localhost", "port": 80,
            "default_language": "fi", "admin_email": "first@inew.example"})
    assert response.status_code == 302
    union = Union.objects.get(slug="inew")
    assert [m.to for m in mailoutbox] == [["first@inew.example"]]
    assert _link(mailoutbox[0]).startswith("http://inew.localhost/accounts/invitation/")
    first = User.objects.get(email="first@inew.example")
    assert first.groups.filter(union_role__union=union, union_role__role=Role.ADMIN).exists()


class _Later(InvitationTokenGenerator):
    def __init__(self, later: dt.timedelta):
        super().__init__()
        self.later = later

    def _now(self):
        return super()._now() + self.later


class _LaterReset(type(password_reset_token_generator)):
    def __init__(self, later: dt.timedelta):
        super().__init__()
        self.later = later

    def _now(self):
        return super()._now() + self.later


def test_an_invitation_is_valid_for_a_week_a_reset_link_for_two_hours(world):
    user = create_account(union=world["a"], email="t@ia.example", roles=(Role.MEMBER,),
                          acting_user=world["admin_a"])
    invitation = invitation_token_generator.make_token(user)
    assert _Later(dt.timedelta(days=6, hours=23)).check_token(user, invitation)
    assert not _Later(dt.timedelta(days=7, hours=1)).check_token(user, invitation)
    reset = password_reset_token_generator.make_token(user)
    assert _LaterReset(dt.timedelta(hours=1, minutes=50)).check_token(user, reset)
    assert not _LaterReset(dt.timedelta(hours=2, minutes=10)).check_token(user, reset)
    # One kind of link never works as the other.
    assert not password_reset_token_generator.check_token(user, invitation)
    assert not invitation_token_generator.check_token(user, reset)
