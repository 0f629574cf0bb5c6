"""Terms of use (issue 16, item 4): the gate for a member, an official and staff; no
gate without published terms; a new version asks again; `next` stays on the site;
another union's ids and sessions; acceptance audited and shown; drafting and publishing
in the admin. One world of two unions is built for the module and rolled back at its
end; each test's own writes are rolled back with the test."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.audit.models import AuditEntry
from portal.people.models import PositionKind
from portal.terms import actions
from portal.terms.models import TermsAcceptance, TermsVersion
from portal.union.models import Role
from tests.factories import appoint, make_branch, make_person, make_union
from tests.shared import rolled_back

ACCEPT = "/terms/accept/"
ADMIN = "/admin/union-admin/terms/"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        a, b = make_union("tua"), make_union("tub")
        branch = make_branch(a)
        people = {
            "admin": make_person(a, roles=(Role.ADMIN,)),
            "staff": make_person(a, roles=(Role.STAFF,)),
            "chair": make_person(a, branch=branch),
            "member": make_person(a, branch=branch, roles=(Role.MEMBER,)),
            "b_admin": make_person(b, roles=(Role.ADMIN,)),
            "b_member": make_person(b, roles=(Role.MEMBER,)),
        }
        appoint(people["chair"], PositionKind.BRANCH_CHAIR, branch)
        admin = people["admin"].user
        v1 = actions.create_draft(union=a, acting_user=admin)
        actions.update_draft(version=v1, acting_user=admin, values={
            "body_fi": "<p>Ehdot yksi</p>", "body_sv": "<p>Villkor ett</p>"})
        v1 = actions.publish(version=v1, acting_user=admin)
        # Union B has a draft only: nobody there is asked anything.
        b_draft = actions.create_draft(union=b, acting_user=people["b_admin"].user)
        yield {"a": a, "b": b, "v1": v1, "b_draft": b_draft, **people}


@pytest.fixture
def w(world, db):
    return world


def _client(person) -> Client:
    client = Client(HTTP_HOST=person.union.site.hostname)
    client.force_login(person.user)
    return client


def test_gate_for_member_official_and_staff_then_accepting_goes_on(w):
    for role, path in (("member", "/profile/"), ("chair", "/profile/"), ("staff", "/admin/")):
        client = _client(w[role])
        response = client.get(path)
        assert response.status_code == 302, role
        assert response["Location"] == f"{ACCEPT}?next={path.replace('/', '%2F')}", role
        # A form posted elsewhere is not carried out either.
        assert client.post("/profile/edit/", {"phone": "1"})["Location"] == ACCEPT
        # What stays open: the terms, the API, static files, the language switch.
        assert client.get("/terms/").status_code == 200
        assert client.get("/api/v1/people").status_code != 302
        assert client.get("/static/themes/portal.css").status_code != 302
        page = client.get(f"{ACCEPT}?next={path}")
        assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
        assert b"Ehdot yksi" in page.content and b'action="/accounts/logout/"' in page.content
        accepted = client.post(ACCEPT, {"version": w["v1"].pk, "next": path})
        assert accepted.status_code == 302 and accepted["Location"] == path, role
        assert client.get(path).status_code == 200, role
    # Sign-out is open to a gated user.
    client = _client(w["admin"])
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/profile/").status_code == 302  # now to the sign-in page
    assert "/accounts/login/" in client.get("/profile/")["Location"]


def test_no_gate_without_published_terms(w):
    # Union B has only a draft.
    client = _client(w["b_member"])
    assert client.get("/profile/").status_code == 200
    assert client.get(ACCEPT)["Location"] == "/"
    assert client.get("/terms/").status_code == 404


def test_new_version_asks_again_and_staff_see_the_count(w, django_capture_on_commit_callbacks):
    member, admin = _client(w["member"]), w["admin"].user
    actions.accept(version=w["v1"], acting_user=w["member"].user)
    assert member.get("/profile/").status_code == 200
    staff = _client(w["staff"])
    actions.accept(version=w["v1"], acting_user=w["staff"].user)
    assert "2/4 käyttäjätunnuksesta" in staff.get(ADMIN).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        v2 = actions.create_draft(union=w["a"], acting_user=admin)
        assert v2.number == 2 and v2.body_fi == w["v1"].body_fi  # starts from the latest
        actions.update_draft(version=v2, acting_user=admin, values={"body_fi": "<p>Kaksi</p>"})
        actions.publish(version=v2, acting_user=admin)
    response = member.get("/profile/")
    assert response.status_code == 302 and response["Location"].startswith(ACCEPT)
    assert b"Kaksi" in member.get(ACCEPT).content
    # A page opened on version 1 does not accept version 2 unseen.
    assert member.post(ACCEPT, {"version": w["v1"].pk}).status_code == 200
    assert not TermsAcceptance.objects.filter(version=v2).exists()
    assert member.post(ACCEPT, {"version": v2.pk})["Location"] == "/"
    assert member.get("/profile/").status_code == 200
    assert staff.get(ADMIN)["Location"].startswith(ACCEPT)  # staff are asked again too
    staff.post(ACCEPT, {"version": v2.pk})
    assert "2/4 käyttäjätunnuksesta" in staff.get(ADMIN).content.decode()


def test_next_cannot_leave_the_site(w):
    client = _client(w["member"])
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                "http://tua.localhost.evil.example/"):
        response = client.post(ACCEPT, {"version": w["v1"].pk, "next": bad})
        assert response["Location"] == "/", bad
    assert client.get(f"{ACCEPT}?next=//evil.example")["Location"] == "/"
    assert client.get(f"{ACCEPT}?next=/branches/")["Location"] == "/branches/"


def test_foreign_union_ids_and_sessions(w):
    admin = _client(w["admin"])
    actions.accept(version=w["v1"], acting_user=w["admin"].user)
    b_draft = w["b_draft"].pk
    assert admin.get(f"{ADMIN}{b_draft}/").status_code == 404
    assert admin.post(f"{ADMIN}{b_draft}/", {"op": "publish"}).status_code == 404
    assert admin.post(f"{ADMIN}{b_draft}/", {"op": "delete"}).status_code == 404
    assert not TermsVersion.objects.get(pk=b_draft).is_published
    # B's member on A's site counts as signed out: nothing gated, nothing accepted.
    b_member = Client(HTTP_HOST=w["a"].site.hostname)
    b_member.force_login(w["b_member"].user)
    assert b_member.get(ACCEPT)["Location"] == "/terms/"
    b_member.post(ACCEPT, {"version": w["v1"].pk})
    with pytest.raises(Exception):  # noqa: B017,PT011  PermissionDenied
        actions.accept(version=w["v1"], acting_user=w["b_member"].user)
    assert not TermsAcceptance.objects.filter(user=w["b_member"].user).exists()
    # B's admin sees none of A's versions in B's admin.
    b_admin = _client(w["b_admin"])
    assert b_admin.get(f"{ADMIN}{w['v1'].pk}/").status_code == 404
    assert "Ehdot yksi" not in b_admin.get(ADMIN).content.decode()


def test_acceptance_is_audited_and_shown(w):
    member, staff = w["member"], _client(w["staff"])
    actions.accept(version=w["v1"], acting_user=w["staff"].user)
    client = _client(member)
    client.post(ACCEPT, {"version": w["v1"].pk})
    entry = AuditEntry.objects.filter(person_id=member.pk, fields=["terms_accepted"]).get()
    assert entry.actor_id == member.user_id and entry.target.endswith(":v1")
    assert "Olet hyväksynyt version 1 (" in client.get("/profile/").content.decode()
    section = staff.get(f"/admin/union-admin/people/{member.pk}/").content.decode()
    assert "On hyväksynyt voimassa olevan version (1)." in section
    # The chair, who has not accepted, is shown as not yet accepted.
    chair_page = staff.get(f"/admin/union-admin/people/{w['chair'].pk}/").content.decode()
    assert "Ei ole vielä hyväksynyt voimassa olevaa versiota (1)" in chair_page


def test_drafting_and_publishing_in_the_admin(w):
    admin, staff = _client(w["admin"]), _client(w["staff"])
    actions.accept(version=w["v1"], acting_user=w["admin"].user)
    actions.accept(version=w["v1"], acting_user=w["staff"].user)
    assert staff.post(ADMIN)["Location"] == "/admin/"  # staff only read (Wagtail's refusal)
    response = admin.post(ADMIN)
    draft = TermsVersion.objects.for_union(w["a"]).get(published_at__isnull=True)
    assert response["Location"] == f"{ADMIN}{draft.pk}/"
    assert admin.post(ADMIN).status_code == 302  # one draft at a time
    assert TermsVersion.objects.for_union(w["a"]).count() == 2
    # The editor left empty sends "<p></p>": no text, so nothing to publish.
    admin.post(f"{ADMIN}{draft.pk}/", {"op": "save", "body_fi": "<p></p>",
                                        "body_sv": "<p> </p>", "body_en": ""})
    draft.refresh_from_db()
    assert (draft.body_fi, draft.body_sv) == ("", "")
    admin.post(f"{ADMIN}{draft.pk}/", {"op": "publish"})
    draft.refresh_from_db()
    assert not draft.is_published
    TermsVersion.objects.filter(pk=draft.pk).update(body_fi="<p></p>")  # stored before
    with pytest.raises(ValidationError):
        actions.publish(version=draft, acting_user=w["admin"].user)
    admin.post(f"{ADMIN}{draft.pk}/", {
        "op": "save", "body_fi": '<p onclick="x()">Uusi<script>alert(1)</script> '
                                 '<a href="javascript:alert(1)">linkki</a></p>',
        "body_sv": "", "body_en": "<p>New</p>"})
    draft.refresh_from_db()
    assert "script" not in draft.body_fi and "onclick" not in draft.body_fi
    assert "javascript" not in draft.body_fi and "Uusi" in draft.body_fi
    assert staff.post(f"{ADMIN}{draft.pk}/", {"op": "publish"})["Location"] == "/admin/"
    confirm = admin.post(f"{ADMIN}{draft.pk}/", {"op": "save_publish", "body_fi": draft.body_fi,
                                                  "body_sv": "", "body_en": "<p>New</p>"})
    assert confirm["Location"].endswith("?confirm=publish")
    assert b'value="publish"' in admin.get(confirm["Location"]).content
    admin.post(f"{ADMIN}{draft.pk}/", {"op": "publish"})
    draft.refresh_from_db()
    assert draft.is_published
    # Published: read-only, everywhere.
    page = admin.get(f"{ADMIN}{draft.pk}/").content.decode()
    assert 'value="save"' not in page
    admin.post(f"{ADMIN}{draft.pk}/", {"op": "save", "body_fi": "<p>Muutettu</p>"})
    draft.refresh_from_db()
    assert "Muutettu" not in draft.body_fi
    with pytest.raises(ValidationError):
        actions.update_draft(version=draft, acting_user=w["admin"].user,
                             values={"body_fi": "<p>x</p>"})
    with pytest.raises(ValidationError):
        actions.delete_draft(version=draft, acting_user=w["admin"].user)
