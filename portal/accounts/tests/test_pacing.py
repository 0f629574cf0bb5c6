"""Pacing of sign-in (django-axes, per account and per address, per union), of the
reset form and of invitation/reset links (portal/accounts/pacing.py)."""

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client

from portal.audit.models import AuditEntry
from portal.union.models import Role
from tests.factories import PASSWORD, make_person, make_union

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password/reset/"
LIMIT = settings.SIGNIN_FAILURE_LIMIT


@pytest.fixture
def world(db):
    a, b = make_union("pa"), make_union("pb")
    return {
        "a": a,
        "b": b,
        "member_a": make_person(a, roles=(Role.MEMBER,)).user,
        "other_a": make_person(a, roles=(Role.MEMBER,)).user,
        "member_b": make_person(b, roles=(Role.MEMBER,)).user,
    }


def _client(union, address: str = "10.0.0.1") -> Client:
    client = Client(HTTP_HOST=union.site.hostname, REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _sign_in(client: Client, email: str, password: str):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def _fail(union, email: str, times: int = LIMIT, address: str = "10.0.0.1") -> Client:
    client = _client(union, address)
    for _ in range(times):
        response = _sign_in(client, email, "wrong-password-1")
    assert response.status_code == 429
    return client


def _expire_pacing():
    """The cool-off passes: every counter of the pacing cache expires now (what the
    database cache compares with the clock), without sleeping."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_pacing_cache SET expires = %s",
                       ["2000-01-01T00:00:00+00:00"])


def test_the_right_password_is_refused_after_too_many_failures(world):
    union, member = world["a"], world["member_a"]
    client = _client(union)
    for attempt in range(LIMIT - 1):
        response = _sign_in(client, member.email, "wrong-password-1")
        assert response.status_code == 200, attempt
    response = _sign_in(client, member.email, "wrong-password-1")
    assert response.status_code == 429
    response = _sign_in(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    assert f"Too many attempts. Wait {minutes} minutes and try again" in html
    assert 'role="alert"' in html and 'name="password"' in html
    # The same account from another address is locked too.
    other = _client(union, "10.9.9.9")
    assert _sign_in(other, member.email, PASSWORD).status_code == 429
    assert SESSION_KEY not in other.session


def test_the_message_is_translated(world):
    client = _fail(world["a"], world["member_a"].email)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    html = _sign_in(client, world["member_a"].email, PASSWORD).content.decode()
    assert "Liian monta yritystä" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = _sign_in(client, world["member_a"].email, PASSWORD).content.decode()
    assert "För många försök" in html


def test_a_lock_is_audited_once_per_account_and_address(world):
    union, member = world["a"], world["member_a"]
    client = _fail(union, member.email)
    _sign_in(client, member.email, PASSWORD)  # refused during the lock: no new entry
    entries = AuditEntry.objects.filter(union=union, action="lock")
    assert sorted(entries.values_list("target", flat=True)) == [
        "address:10.0.0.1", f"user:{member.pk}"]
    assert all(e.fields == ["signin_locked"] and e.actor_id is None for e in entries)
    # An address that belongs to no account is recorded as typed, and it is locked
    # exactly like a real one (the lock tells nobody whether the account exists).
    _fail(union, "nobody@nowhere.example", address="10.0.0.2")
    assert AuditEntry.objects.filter(union=union, action="lock",
                                     target="account:nobody@nowhere.example").exists()


def test_other_accounts_unions_and_addresses_are_not_affected(world):
    union, member = world["a"], world["member_a"]
    _fail(union, member.email)
    # Another account from another address of the same union signs in.
    client = _client(union, "10.0.0.2")
    _sign_in(client, world["other_a"].email, PASSWORD)
    assert SESSION_KEY in client.session
    # The same address on another union's site is not locked there.
    client = _client(world["b"], "10.0.0.1")
    _sign_in(client, world["member_b"].email, PASSWORD)
    assert SESSION_KEY in client.session


def test_an_address_is_locked_for_every_account_of_the_union(world):
    union = world["a"]
    client = _client(union, "10.0.0.3")
    for n in range(LIMIT):  # a different (unknown) account each time: spraying
        response = _sign_in(client, f"guess{n}@pa.example", "wrong-password-1")
    assert response.status_code == 429
    assert _sign_in(client, world["other_a"].email, PASSWORD).status_code == 429
    assert SESSION_KEY not in client.session
    # The account itself is not locked from elsewhere.
    elsewhere = _client(union, "10.0.0.4")
    _sign_in(elsewhere, world["other_a"].email, PASSWORD)
    assert SESSION_KEY in elsewhere.session


def test_after_the_cool_off_the_account_signs_in(world):
    union, member = world["a"], world["member_a"]
    client = _fail(union, member.email)
    _expire_pacing()
    _sign_in(client, member.email, PASSWORD)
    assert SESSION_KEY in client.session


def test_axes_reset_api_unlocks(world):
    union, member = world["a"], world["member_a"]
    client = _fail(union, member.email)
    axes_reset(username=f"{union.pk}|{member.email}")
    axes_reset(ip=f"{union.pk}|10.0.0.1")
    _sign_in(client, member.email, PASSWORD)
    assert SESSION_KEY in client.session


def test_the_wagtail_admin_sign_in_path_is_locked_too(world):
    union, admin = world["a"], make_person(world["a"], roles=(Role.ADMIN,)).user
    client = _fail(union, admin.email)
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert response.status_code in (302, 429)
    if response.status_code == 302:  # Wagtail's form is a redirect to ours
        assert response["Location"].startswith(LOGIN_URL)
        assert _sign_in(client, admin.email, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302


def test_the_reset_form_is_paced(world, mailoutbox, django_capture_on_commit_callbacks):
    union, member = world["a"], world["member_a"]
    client = _client(union)
    for _ in range(LIMIT):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET_URL, {"email": member.email})
        assert response.status_code == 302
    assert len(mailoutbox) == 1  # the per-account email interval still holds
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET_URL, {"email": "someone.else@pa.example"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert AuditEntry.objects.filter(union=union, action="lock", fields=["reset_locked"],
                                     target="address:10.0.0.1").exists()
    # The same email from another address is paced too (per account) ...
    other = _client(union, "10.0.0.2")
    assert other.post(RESET_URL, {"email": member.email}).status_code == 429
    # ... but not another union's form, nor sign-in.
    assert _client(world["b"]).post(RESET_URL, {"email": "x@pb.example"}).status_code == 302
    _sign_in(client, member.email, PASSWORD)
    assert SESSION_KEY in client.session
    _expire_pacing()
    assert _client(union).post(RESET_URL, {"email": member.email}).status_code == 302


def test_invalid_invitation_and_reset_links_are_paced(world):
    union = world["a"]
    client = _client(union)
    for n in range(LIMIT):
        response = client.get(f"/accounts/invitation/MQ/guess-{n}/", follow=True)
        assert response.status_code == 200
        assert "This link does not work" in response.content.decode()
    response = client.get("/accounts/password/reset/MQ/guess-x/")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert AuditEntry.objects.filter(union=union, action="lock",
                                     fields=["set-password_locked"]).count() == 1
    # Another union's site is not affected.
    response = _client(world["b"]).get("/accounts/invitation/MQ/guess-y/")
    assert response.status_code == 200


def test_a_session_named_after_the_first_backend_resolves_like_the_portals(world):
    """force_login (and login() without a backend) name the first backend, the pacing
    one: its sessions work and still end when the account is blocked."""
    from portal.accounts.actions import block_user

    union, member = world["a"], world["member_a"]
    client = _client(union)
    client.force_login(member)
    assert client.session["_auth_user_backend"] == settings.AUTHENTICATION_BACKENDS[0]
    assert client.get("/search/", {"q": "x"}).status_code == 200
    admin = make_person(union, roles=(Role.ADMIN,)).user
    block_user(user=member, acting_user=admin, reason="test")
    assert client.get("/search/", {"q": "x"}).status_code == 302


def test_authenticating_without_a_request_is_not_an_error(world):
    """Code that authenticates without a request (the test client's login()) reaches
    the portal's backend; axes alone would raise (it needs the request's address)."""
    from django.contrib.auth import authenticate

    assert authenticate(username=world["member_a"].email, password="wrong") is None
