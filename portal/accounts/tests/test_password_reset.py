"""The "Forgot your password?" flow: one flow on the union's own site, scoped to the union.

Only accounts that hold a role in the site's union (or platform operators, on a hostname
that is no union's) get an email; every request gets the same answer; links point to
the union's own hostname and work once.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone
from wagtail.users.models import UserProfile

from portal.accounts.actions import block_user, create_platform_operator, create_user
from portal.accounts.models import User
from portal.accounts.tokens import password_reset_token_generator
from portal.audit.models import AuditEntry
from portal.union.actions import create_union
from portal.union.models import Role
from tests.factories import PASSWORD, make_person, make_union

NEW_PASSWORD = "violet-harbour-lantern-42"  # noqa: S105
RESET_URL = "/accounts/password/reset/"
DONE_URL = "/accounts/password/reset/sent/"


@pytest.fixture
def world(db):
    a, b = make_union("ra"), make_union("rb")
    return {
        "a": a,
        "b": b,
        "admin_a": make_person(a, roles=(Role.ADMIN,)).user,
        "member_a": make_person(a, roles=(Role.MEMBER,)).user,
        "member_b": make_person(b, roles=(Role.MEMBER,)).user,
    }


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """POST the reset form on a host, running what the action queued after commit (the
    email task) as a real commit would."""

    def ask(host: str, email: str):
        client = Client(HTTP_HOST=host)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET_URL, {"email": email})
        return response

    return ask


def _link(message) -> str:
    links = re.findall(r"https?://\S+", message.body)
    assert links, message.body
    return links[0]


def _signs_in(union, email: str, password: str) -> bool:
    client = Client(HTTP_HOST=union.site.hostname)
    client.post("/accounts/login/", {"username": email, "password": password})
    return SESSION_KEY in client.session


def test_the_sign_in_page_links_to_the_reset(world):
    html = Client(HTTP_HOST=world["a"].site.hostname).get("/accounts/login/").content.decode()
    assert f'href="{RESET_URL}"' in html
    page = Client(HTTP_HOST=world["a"].site.hostname).get(RESET_URL)
    assert page.status_code == 200
    # Branded by the union's base template.
    assert world["a"].name in page.content.decode()


def test_the_full_round_trip(world, ask, mailoutbox):
    union, member = world["a"], world["member_a"]
    response = ask(union.site.hostname, member.email.upper())
    assert response.status_code == 302 and response["Location"] == DONE_URL
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [member.email]
    assert union.name in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = _link(message)
    assert f'href="{link}"' in html
    # The link is on the union's own hostname (its Site), not on whatever Host was sent.
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == union.site.root_url == "http://ra.localhost"

    client = Client(HTTP_HOST=union.site.hostname)
    response = client.get(parts.path)
    assert response.status_code == 302  # the token moves into the session
    form_url = response["Location"]
    assert "set-password" in form_url
    page = client.get(form_url)
    assert page.status_code == 200 and b'name="new_password1"' in page.content
    # Django's password validators apply.
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200 and b"errorlist" in response.content
    response = client.post(form_url, {"new_password1": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert client.get(response["Location"]).status_code == 200

    assert _signs_in(union, member.email, NEW_PASSWORD)
    assert not _signs_in(union, member.email, PASSWORD)
    # The link worked once.
    again = Client(HTTP_HOST=union.site.hostname).get(parts.path, follow=True)
    assert b'name="new_password1"' not in again.content
    assert b'href="/accounts/password/reset/"' in again.content
    fields = list(AuditEntry.objects.filter(target=f"user:{member.pk}").values_list(
        "fields", flat=True))
    assert ["password_reset_sent"] in fields and ["password"] in fields


def test_another_unions_account_gets_nothing_and_the_answer_is_the_same(world, ask,
                                                                       mailoutbox):
    host_a = world["a"].site.hostname
    known = ask(host_a, world["member_a"].email)
    assert len(mailoutbox) == 1
    mailoutbox.clear()
    other_union = ask(host_a, world["member_b"].email)
    unknown = ask(host_a, "nobody@nowhere.example")
    assert mailoutbox == []
    for response in (other_union, unknown):
        assert (response.status_code, response["Location"]) == (known.status_code,
                                                                 known["Location"])
    # The page after it says the same to everyone.
    done = Client(HTTP_HOST=host_a).get(DONE_URL)
    assert done.status_code == 200
    # On its own union's site, B's member does get the link.
    ask(world["b"].site.hostname, world["member_b"].email)
    assert [m.to for m in mailoutbox] == [[world["member_b"].email]]
    assert _link(mailoutbox[0]).startswith("http://rb.localhost/")


def test_a_valid_link_of_another_union_does_not_work_here(world):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    member_b = world["member_b"]
    uid = urlsafe_base64_encode(force_bytes(member_b.pk))
    token = password_reset_token_generator.make_token(member_b)
    path = f"{RESET_URL}{uid}/{token}/"
    on_a = Client(HTTP_HOST=world["a"].site.hostname).get(path)
    assert on_a.status_code == 200 and b'name="new_password1"' not in on_a.content
    on_b = Client(HTTP_HOST=world["b"].site.hostname).get(path)
    assert on_b.status_code == 302


def test_blocked_inactive_and_roleless_accounts_get_no_email(world, ask, mailoutbox):
    union = world["a"]
    blocked = make_person(union, roles=(Role.MEMBER,)).user
    block_user(user=blocked, reason="Threats", acting_user=world["admin_a"])
    inactive = make_person(union, roles=(Role.MEMBER,)).user
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    roleless = create_user(email="roleless@ra.example", union=union, password=PASSWORD)
    for user in (blocked, inactive, roleless):
        response = ask(union.site.hostname, user.email)
        assert response["Location"] == DONE_URL
    assert mailoutbox == []


def test_a_block_after_the_email_voids_the_link(world, ask, mailoutbox):
    union, member = world["a"], world["member_a"]
    ask(union.site.hostname, member.email)
    block_user(user=member, reason="Spam", acting_user=world["admin_a"])
    response = Client(HTTP_HOST=union.site.hostname).get(urlsplit(_link(mailoutbox[0])).path)
    assert response.status_code == 200 and b'name="new_password1"' not in response.content


def test_an_account_without_a_password_yet_can_use_the_reset(world, ask, mailoutbox):
    # E.g. an invited account whose invitation expired.
    user = create_user(email="late@ra.example", union=world["a"], roles=(Role.MEMBER,))
    assert not user.has_usable_password()
    ask(world["a"].site.hostname, user.email)
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_requests_are_paced_per_account(world, ask, mailoutbox):
    union, member = world["a"], world["member_a"]
    ask(union.site.hostname, member.email)
    response = ask(union.site.hostname, member.email)
    assert response["Location"] == DONE_URL
    assert len(mailoutbox) == 1
    User.objects.filter(pk=member.pk).update(
        password_reset_sent_at=timezone.now() - dt.timedelta(minutes=6))
    ask(union.site.hostname, member.email)
    assert len(mailoutbox) == 2


def test_the_platform_operator_resets_on_the_platform_host_only(world, ask, mailoutbox,
                                                               settings):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.platform.example"
    operator = create_platform_operator(email="ops@platform.example", password=PASSWORD)
    ask(world["a"].site.hostname, operator.email)
    assert mailoutbox == []
    ask("testserver", operator.email)  # a hostname that is no union's
    assert [m.to for m in mailoutbox] == [[operator.email]]
    assert _link(mailoutbox[0]).startswith("https://admin.platform.example/accounts/password/")
    # A union member asking on the platform's hostname gets nothing.
    mailoutbox.clear()
    ask("testserver", world["member_a"].email)
    assert mailoutbox == []


def test_the_email_is_in_the_unions_language_or_the_users_own(db, ask, mailoutbox):
    norden = create_union(name="Nordens Förbund", slug="rnorden", hostname="rnorden.localhost",
                          default_language="sv")
    member = make_person(norden, roles=(Role.MEMBER,)).user
    ask(norden.site.hostname, member.email)
    swedish = mailoutbox[0]
    assert "lösenord" in swedish.subject and "Nordens Förbund" in swedish.subject
    assert "lösenord" in swedish.body
    assert '<html lang="sv">' in swedish.alternatives[0][0]
    # A person who chose a language in their account settings gets that one.
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    User.objects.filter(pk=member.pk).update(password_reset_sent_at=None)
    ask(norden.site.hostname, member.email)
    english = mailoutbox[1]
    assert english.subject == "Set a new password for Nordens Förbund"
    assert "The link works once, for 2\xa0hours." in english.body


def test_wagtails_own_reset_is_off_and_its_sign_in_page_sends_to_ours(world):
    client = Client(HTTP_HOST=world["a"].site.hostname)
    assert client.get("/admin/password_reset/").status_code == 404
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    # Not an open redirect.
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/"
    # The admin itself sends anonymous visitors to the same page.
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
