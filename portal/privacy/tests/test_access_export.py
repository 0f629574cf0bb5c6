"""The right of access (issue 17 item 3): the member's own data and staff's export."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.models import AuditAction, AuditEntry
from portal.customfields import actions as custom_actions
from portal.lifeevents.models import HouseholdLink
from portal.messaging import actions as messaging_actions
from portal.people import actions as people_actions
from portal.privacy import basis, export, registry
from portal.privacy.models import AccessExport
from portal.terms.models import TermsAcceptance, TermsVersion
from portal.union.models import Role
from tests.factories import make_employer, make_person, make_union, make_workplace
from tests.shared import rolled_back

SAME_HASH = "f" * 64


def _side(slug: str, word: str) -> dict:
    union = make_union(slug, name=f"{word} union")
    workplace = make_workplace(make_employer(union, title=f"{word}employer"),
                               title=f"{word}workplace")
    member = make_person(union, workplace=workplace, roles=(Role.MEMBER,),
                         first_name=f"{word}member", identity_code_hash=SAME_HASH)
    other = make_person(union, first_name=f"{word}partner")
    staff = make_person(union, roles=(Role.STAFF,), first_name=f"{word}staff")
    HouseholdLink.objects.create(union=union, person_a=member, person_b=other, kind="couple")
    people_actions.update_person(person=member, acting_user=staff.user,
                                 values={"city": f"{word}city"})
    field = custom_actions.define_field(union=union, key="shift", acting_user=None,
                                        field_type="text", label_fi="Vuoro")
    custom_actions.set_values(person=member, values={"shift": f"{word}shift"},
                              acting_user=staff.user, editable=[field])
    return {"union": union, "member": member, "other": other, "staff": staff,
            "host": union.site.hostname}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Built without Elasticsearch: its documents would outlive the rollback below.
    with django_db_blocker.unblock(), override_settings(ELASTICSEARCH_URL=""), rolled_back():
        yield {"a": _side("pxa", "Alfa"), "b": _side("pxb", "Beeta")}


@pytest.fixture
def w(world, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return world


def _client(side, role, *, stepped=False):
    client = Client(HTTP_HOST=side["host"])
    client.force_login(side[role].user)
    if stepped:
        session = client.session
        session["stepup_at"] = int(time.time())
        session.save()
    return client


def _last_entry():
    return AuditEntry.objects.latest("pk")


def _private(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_member_downloads_every_registered_field_of_their_own_and_nothing_else(w):
    a, b = w["a"], w["b"]
    response = _client(a, "member").get("/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    _private(response)
    entry = _last_entry()
    assert (entry.action, entry.person_id, entry.actor_id) == (
        AuditAction.EXPORT, a["member"].pk, a["member"].user_id)

    text = response.content.decode()
    document = json.loads(text)
    sections = {section["model"]: section for section in document["data"]}
    person = sections["people.person"]["rows"]
    assert [row["id"] for row in person] == [a["member"].pk]
    assert person[0]["city"] == "Alfacity" and "identity_code_hash" not in person[0]
    assert "identity_code_hash" in sections["people.person"]["withheld"]
    assert sections["people.employment"]["rows"][0]["employer"].startswith("Alfaemployer")
    assert sections["customfields.personcustomvalues"]["rows"][0]["values"] == {
        "shift": "Alfashift"}
    assert sections["accounts.user"]["rows"][0]["email"] == a["member"].user.email
    # The staff member's edit is in the member's log, without the staff's identity.
    edits = [row for row in sections["audit.auditentry"]["rows"] if row["action"] == "edit"]
    assert edits and all("actor" not in row for row in edits)
    # The household link: the member's side only, not the partner's id.
    link = sections["lifeevents.householdlink"]["rows"][0]
    assert link["person_a"] == a["member"].pk and "person_b" not in link
    # Every declared field that is shown, with its legal basis and the rest.
    for label, section in sections.items():
        declaration = registry.declaration_of_label(label)
        shown = {n for n, p in declaration.fields.items() if not p.withheld}
        assert set(section["fields"]) == shown, label
        for row in section["rows"]:
            assert set(row) <= shown | {"id"}, label
    assert sections["people.person"]["fields"]["member_number"]["basis"] == "art9_2d"
    # The same identity hash in union B: nothing of B's person, their rows or ids.
    for word in ("Beeta", b["member"].email, b["member"].user.email):
        assert word not in text
    assert str(b["member"].pk) not in {str(row["id"]) for row in person}
    assert a["other"].first_name not in text


def test_the_members_summary_page_is_readable_private_and_audited(w):
    a = w["a"]
    response = _client(a, "member").get("/profile/my-data/")
    assert response.status_code == 200
    _private(response)
    page = response.content.decode()
    assert "Alfacity" in page and "Alfaemployer" in page and "Beeta" not in page
    assert 'href="/profile/export/"' in page
    entry = _last_entry()
    assert (entry.action, entry.person_id) == (AuditAction.VIEW, a["member"].pk)
    profile = _client(a, "member").get("/profile/").content.decode()
    assert 'href="/profile/my-data/"' in profile


def test_staff_produce_the_export_from_the_person_page_with_a_fresh_second_step(w, settings):
    settings.STEPUP_ENFORCED = True
    a, b = w["a"], w["b"]
    staff = _client(a, "staff")
    person_page = staff.get(f"/admin/union-admin/people/{a['member'].pk}/").content.decode()
    url = f"/admin/privacy/people/{a['member'].pk}/"
    assert f'href="{url}"' in person_page
    response = staff.get(url)
    assert response.status_code == 200 and "Alfacity" in response.content.decode()
    _private(response)
    # The page's breadcrumbs stay its own (not added to every admin page after it).
    other = _client(b, "staff").get(f"/admin/privacy/people/{b['member'].pk}/")
    assert a["member"].first_name not in other.content.decode()
    assert staff.get(f"/admin/privacy/people/{b['member'].pk}/").status_code == 404
    refused = staff.post(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("stepup:page"))
    response = _client(a, "staff", stepped=True).post(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    _private(response)
    entry = _last_entry()
    assert (entry.action, entry.person_id, entry.actor_id) == (
        AuditAction.EXPORT, a["member"].pk, a["staff"].user_id)
    assert _client(a, "member").get(url).status_code in (302, 403)


def test_a_big_export_runs_as_a_task_with_a_download_when_done(w, settings):
    a, b = w["a"], w["b"]
    settings.PRIVACY_EXPORT_INLINE_ROWS = 0
    member = _client(a, "member")
    response = member.get("/profile/export/")
    assert response.status_code == 302 and response["Location"] == "/profile/my-data/"
    job = AccessExport.objects.get(person=a["member"])
    assert job.status == AccessExport.Status.DONE and job.rows > 5  # the task ran
    page = member.get("/profile/my-data/").content.decode()
    assert f'href="/profile/my-data/{job.pk}/"' in page
    download = member.get(f"/profile/my-data/{job.pk}/")
    assert download.status_code == 200 and "Alfacity" in download.content.decode()
    _private(download)
    assert _last_entry().action == AuditAction.EXPORT
    # Staff of the union may download it; anyone else's id is a 404.
    staff = _client(a, "staff", stepped=True)
    assert staff.get(f"/admin/privacy/exports/{job.pk}/").status_code == 200
    assert _client(b, "staff").get(f"/admin/privacy/exports/{job.pk}/").status_code in (403,
                                                                                       404)
    other = make_person(a["union"], roles=(Role.MEMBER,))
    stranger = Client(HTTP_HOST=a["host"])
    stranger.force_login(other.user)
    assert stranger.get(f"/profile/my-data/{job.pk}/").status_code == 404


def test_the_legal_basis_view_for_staff_only_private_and_audited(w):
    """Issue 17 item 2: every kind of data held with its basis and when it ends, the
    consents, the last reads; staff of the person's union only."""
    a, b = w["a"], w["b"]
    url = reverse("privacy_admin:basis", args=[a["member"].pk])
    staff = _client(a, "staff")
    staff.get(f"/admin/privacy/people/{a['member'].pk}/")  # a read to list
    assert f'href="{url}"' in staff.get(
        f"/admin/union-admin/people/{a['member'].pk}/").content.decode()
    response = staff.get(url)
    assert response.status_code == 200
    _private(response)
    page = response.content.decode()
    for shown in ('data-model="people.person"', 'data-model="people.employment"',
                  'data-basis="art9_2d"', 'data-basis="contract"', "Alfastaff Testinen"):
        assert shown in page, shown
    assert "Beeta" not in page
    entry = _last_entry()
    assert (entry.action, entry.person_id, entry.target) == (AuditAction.VIEW,
                                                             a["member"].pk, url)
    # Refused for a member, for B's staff on A's site; B's person is a 404 for A's staff.
    assert _client(a, "member").get(url).status_code in (302, 403)
    foreign = Client(HTTP_HOST=a["host"])
    foreign.force_login(b["staff"].user)
    assert foreign.get(url).status_code in (302, 403)
    assert staff.get(reverse("privacy_admin:basis", args=[b["member"].pk])).status_code == 404


def test_the_last_accesses_name_the_admin_pages_not_their_codes(w):
    a = w["a"]
    staff = _client(a, "staff")
    pk = a["member"].pk
    staff.get(f"/admin/union-admin/people/{pk}/")
    url = reverse("privacy_admin:basis", args=[pk])
    staff.get(url)
    page = staff.get(url).content.decode()  # in the union's language, Finnish
    accesses = page[page.index('id="basis-accesses"'):]
    # Were "contacts:person" and "/admin/privacy/people/<pk>/basis/" in <code>.
    assert "contacts:person" not in accesses and f"{url}<" not in accesses
    assert "Henkilöt: henkilön sivu" in accesses
    assert "Käsittelyperusteet ja katselut" in accesses


def test_legal_basis_retention_ends_and_consents_per_person(w):
    with translation.override("en"):
        _retention_and_consents(w["a"])


def _retention_and_consents(a):
    member = a["member"]
    assert "continues" in next(g.ends for h in basis.holdings(member) for g in h.groups
                               if g.retention.startswith("During membership"))
    member.membership_status, member.membership_valid_until = "resigned", dt.date(2024, 2, 29)
    member.save(update_fields=["membership_status", "membership_valid_until"])

    def membership_ends(periods):
        profile = next(h for h in basis.holdings(member, periods) if h.model == "people.person")
        return next(g.ends for g in profile.groups if g.category == "Trade union membership")

    ends = membership_ends(basis.Periods(membership_years=3, automatic=True))
    assert "28/02/2027" in ends and "29/02/2024" in ends and "by hand" not in ends
    assert "by hand" in membership_ends(basis.Periods(membership_years=3, automatic=False))
    unset = next(h for h in basis.holdings(member) if h.model == "people.person")
    assert "not set" in unset.groups[0].ends
    # Consents: terms accepted, bulletins unsubscribed (rows only: no request sees them).
    version = TermsVersion.objects.create(union=a["union"], number=1, body_fi="<p>x</p>",
                                          published_at=timezone.now())
    TermsAcceptance.objects.create(union=a["union"], version=version, user=member.user)
    messaging_actions.unsubscribe_person(person=member, acting_user=member.user)
    found = {(c.what, c.given) for c in basis.consents(member)}
    assert ("Terms of use, version 1", True) in found
    assert ("Bulletins by email", False) in found


def test_the_export_joins_only_the_relations_it_shows(w):
    """A model with no related field to show was read with select_related() and no
    names, which follows every non-null foreign key (union → site → root page…): the
    access export of a full person took seconds (bench/access_export_bench.py)."""
    with CaptureQueriesContext(connection) as queries:
        export.build(w["a"]["member"])
    assert not [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]]
