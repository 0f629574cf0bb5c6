"""The member card, its signed and expiring QR token, the verification page, and the
pieces that make it installable and available offline."""

import datetime as dt
import json
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.membercard.tokens import make_token
from portal.people.models import MembershipStatus
from portal.union.models import Role
from tests.factories import make_branch, make_person, make_union
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_world():
    union = make_union("card")
    branch = make_branch(union, title="Kallio")
    member = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Aino",
                         last_name="Virtanen",
                         membership_valid_until=timezone.localdate() + dt.timedelta(days=30))
    type(member).objects.filter(pk=member.pk).update(member_number="123456")
    staff = make_person(union, roles=(Role.STAFF,))
    other = make_union("card-other")
    return {"union": union, "branch": branch, "member": member, "staff": staff, "other": other,
            "other_staff": make_person(other, roles=(Role.STAFF,))}


world_rows, world = module_world(_build_world, name="world")


def _client(union, user=None):
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English
    if user is not None:
        client.force_login(user)
    return client


def _verify_path(html: str) -> str:
    uri = re.search(r'src="data:image/svg\+xml;charset=utf-8,([^"]+)"', html)
    assert uri, "the card has an inline QR code"
    return uri.group(1)


def test_card_shows_the_members_facts_and_a_qr_code(world):
    client = _client(world["union"], world["member"].user)
    html = client.get("/card/").content.decode()
    for text in ("Aino Virtanen", "123456", world["union"].name, "Kallio", "Active",
                 "Valid membership"):
        assert text in html
    _verify_path(html)
    entry = AuditEntry.objects.filter(person_id=world["member"].pk).latest("pk")
    assert entry.actor_id == world["member"].user_id and "member_number" in entry.fields
    # The side menu holds the compact card with a link to the full one.
    home = client.get("/").content.decode()
    assert 'href="/card/"' in home[home.index('id="side-menu"'):]


def test_card_needs_sign_in_and_a_profile(world):
    assert _client(world["union"]).get("/card/").status_code == 302
    from portal.accounts.actions import create_user

    nobody = create_user(email="noprofile@card.example", union=world["union"], password="x" * 12)
    assert _client(world["union"], nobody).get("/card/").status_code == 404
    assert 'href="/card/"' not in _client(world["union"], nobody).get("/").content.decode()


def test_staff_see_a_valid_card_as_valid(world):
    token = make_token(union_id=world["union"].pk, person_id=world["member"].pk)
    html = _client(world["union"], world["staff"].user).get(f"/card/verify/{token}/")
    assert html.status_code == 200
    body = html.content.decode()
    assert "The card is valid." in body and "Aino Virtanen" in body


def test_members_cannot_use_the_verification_page(world):
    token = make_token(union_id=world["union"].pk, person_id=world["member"].pk)
    response = _client(world["union"], world["member"].user).get(f"/card/verify/{token}/")
    assert response.status_code == 403


def test_an_expired_token_is_reported_as_expired(world, settings):
    token = make_token(union_id=world["union"].pk, person_id=world["member"].pk)
    settings.MEMBER_CARD_TOKEN_MAX_AGE = dt.timedelta(seconds=-1)
    body = _client(world["union"], world["staff"].user).get(f"/card/verify/{token}/")
    assert "The code has expired." in body.content.decode()
    assert "Aino Virtanen" not in body.content.decode()


def test_a_tampered_token_is_invalid(world):
    token = make_token(union_id=world["union"].pk, person_id=world["member"].pk)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    body = _client(world["union"], world["staff"].user).get(f"/card/verify/{forged}/")
    assert "The code is not a valid member card." in body.content.decode()


def test_a_card_of_another_union_shows_nothing_about_the_person(world):
    token = make_token(union_id=world["union"].pk, person_id=world["member"].pk)
    body = _client(world["other"], world["other_staff"].user).get(f"/card/verify/{token}/")
    text = body.content.decode()
    assert "The card belongs to another union." in text and "Aino Virtanen" not in text


def test_a_resigned_members_card_is_genuine_but_not_valid(world):
    member = world["member"]
    type(member).objects.filter(pk=member.pk).update(membership_status=MembershipStatus.RESIGNED)
    token = make_token(union_id=world["union"].pk, person_id=member.pk)
    body = _client(world["union"], world["staff"].user).get(f"/card/verify/{token}/")
    assert "the membership is not valid" in body.content.decode()


def test_manifest_service_worker_and_icon_make_the_card_installable(world):
    client = _client(world["union"])
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    data = json.loads(manifest.content)
    assert data["start_url"] == "/card/" and data["scope"] == "/"
    assert data["name"] == world["union"].name and data["icons"]
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert '"/card/"' in worker.content.decode()
    icon = client.get("/app-icon.svg")
    assert icon["Content-Type"] == "image/svg+xml" and b"#b3001b" in icon.content
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "<script>" not in page and " style=" not in page
