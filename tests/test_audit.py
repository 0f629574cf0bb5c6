"""Every view that shows person data writes an audit entry and is sent `no-store`; the log
is append-only."""

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.db.models import Max
from django.test import Client
from django.urls import get_resolver

from portal.audit.models import AppendOnlyError, AuditAction, AuditEntry
from portal.membercard.tokens import make_token
from portal.people.models import PositionKind
from portal.people.views import PERSON_DATA_VIEWS
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


@pytest.fixture
def setting(db, settings):
    # The database engine: this test's people are not in any Elasticsearch index (the
    # outbox is not drained inside its transaction). search/tests/test_views.py checks the
    # audit of search results on both engines.
    settings.ELASTICSEARCH_URL = ""
    union = make_union("audited")
    branch = make_branch(union)
    employer = make_employer(union)
    workplace = make_workplace(employer)
    chair = make_person(union, branch=branch, workplace=workplace)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    steward = make_person(union, branch=branch, workplace=workplace)
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    board = make_person(union, branch=branch)
    appoint(board, PositionKind.UNION_BOARD_MEMBER, union.root_page)
    staff = make_person(union, roles=(Role.STAFF,))
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,))
    employment = member.employments.get()
    return {"union": union, "branch": branch, "employer": employer, "workplace": workplace,
            "chair": chair, "staff": staff, "member": member, "employment": employment}


def _person_data_urls(s):
    """Each view that shows person data, with the user who may see it there."""
    group = _contact_register(s)
    campaign = _campaign(s)
    return {
        "people:own_profile": ("/profile/", s["member"]),
        "people:edit_own_profile": ("/profile/edit/", s["member"]),
        "people:add_employment": ("/profile/employments/add/", s["member"]),
        "people:edit_employment": (f"/profile/employments/{s['employment'].pk}/", s["member"]),
        "privacy:own_data": ("/profile/my-data/", s["member"]),
        "privacy:own_export": ("/profile/export/", s["member"]),
        "people:person_detail": (f"/people/{s['member'].pk}/", s["chair"]),
        "page:union": ("/", s["member"]),
        "page:branch": (s["branch"].get_url(), s["chair"]),
        "page:employer": (s["employer"].get_url(), s["staff"]),
        "page:workplace": (s["workplace"].get_url(), s["staff"]),
        "membercard:card": ("/card/", s["member"]),
        "membercard:verify": (
            f"/card/verify/{make_token(union_id=s['union'].pk, person_id=s['member'].pk)}/",
            s["staff"],
        ),
        "bulletins:send": (f"/bulletins/{make_bulletin(s['branch']).pk}/send/", s["chair"]),
        "activity:timeline": ("/activity/", s["member"]),
        # The member's search finds the chair (an official): people in results are logged.
        "search:results": (f"/search/?q={s['chair'].last_name}", s["member"]),
        "adminpanel:positions": ("/admin/union-admin/positions/", s["staff"]),
        # The staff member is an active member without a branch: the check lists them.
        "dataquality:check": ("/admin/union-admin/data-quality/members_without_branch/",
                              s["staff"]),
        "contacts:list": ("/admin/union-admin/people/", s["staff"]),
        "contacts:person": (f"/admin/union-admin/people/{s['member'].pk}/", s["staff"]),
        "contacts:edit": (f"/admin/union-admin/people/{s['member'].pk}/edit/", s["staff"]),
        "merging:compare": (
            f"/admin/union-admin/merging/compare/{s['member'].pk}/{s['chair'].pk}/", s["staff"]),
        # The contact-register screens that show one person, or list people.
        "officials:page": (f"/admin/union-admin/officials/pages/{s['branch'].pk}/", s["staff"]),
        "officials:person_trainings": (
            f"/admin/union-admin/officials/people/{s['member'].pk}/trainings/", s["staff"]),
        "customfields:person": (
            f"/admin/union-admin/custom-fields/people/{s['member'].pk}/", s["staff"]),
        "customfields_own:edit": ("/profile/custom-fields/", s["member"]),
        "lifeevents:person": (f"/admin/union-admin/life-events/people/{s['member'].pk}/",
                              s["staff"]),
        "groups:detail": (f"/admin/union-admin/groups/{group.pk}/", s["staff"]),
        # The campaign centre (portal/campaigns): its people, one person, log, leaders.
        "campaigns:people": (f"/campaigns/{campaign.pk}/people/", s["staff"]),
        "campaigns:contact": (f"/campaigns/{campaign.pk}/people/{s['member'].pk}/",
                              s["staff"]),
        "campaigns:log": (f"/campaigns/{campaign.pk}/log/", s["staff"]),
        "campaigns:leaders": (f"/campaigns/{campaign.pk}/leaders/", s["staff"]),
    }


def _campaign(s):
    """A campaign of every workplace with one contact logged with the member."""
    from portal.campaigns.actions import create_campaign, log_contact

    campaign = create_campaign(union=s["union"], acting_user=s["staff"].user, name="Audited",
                               goal="", starts_on=s["employment"].starts_on, ends_on=None)
    log_contact(campaign=campaign, person=s["member"], acting_user=s["staff"].user,
                channel="call", outcome="positive")
    return campaign


def _contact_register(s):
    """A custom field the member sees and edits; a group with the member in it."""
    from portal.customfields.actions import define_field
    from portal.groups.actions import add_members, create_group

    define_field(union=s["union"], key="size", acting_user=s["staff"].user, field_type="text",
                 label_fi="Koko", label_sv="Storlek", label_en="Size", person_sees=True,
                 person_edits=True)
    group = create_group(union=s["union"], name="Audited", acting_user=s["staff"].user)
    add_members(group=group, people=[s["member"]], acting_user=s["staff"].user)
    return group


def test_the_list_of_person_data_views_is_complete():
    names = {
        f"people:{p.name}" for p in get_resolver().url_patterns
        if getattr(p, "app_name", None) == "people" for p in p.url_patterns
    }
    assert names == set(PERSON_DATA_VIEWS)


def test_every_view_that_shows_person_data_is_logged(setting):
    urls = _person_data_urls(setting)
    assert set(PERSON_DATA_VIEWS) <= set(urls)
    for name, (url, viewer) in urls.items():
        client = Client(HTTP_HOST=setting["union"].site.hostname)
        client.force_login(viewer.user)
        last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), name
        new = AuditEntry.objects.filter(pk__gt=last).order_by("pk")
        assert new.exists(), f"{name} showed person data without an audit entry"
        entry = new.first()
        assert entry.actor_id == viewer.user_id
        assert entry.union_id == setting["union"].pk
        assert entry.person_id is not None
        assert entry.action in {AuditAction.VIEW, AuditAction.LIST, AuditAction.EXPORT}
        assert entry.fields, name
        assert entry.request_id == response["X-Request-ID"]


def test_an_edit_records_the_changed_fields(setting):
    client = Client(HTTP_HOST=setting["union"].site.hostname)
    client.force_login(setting["member"].user)
    response = client.post("/profile/edit/", {"email": "new@example.org", "phone": "+358 40 1",
                                              "preferred_language": "sv",
                                              "alternative_name": "", "street_address": "",
                                              "postal_code": "", "city": ""})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.EDIT).latest("pk")
    assert set(entry.fields) == {"email", "phone", "preferred_language"}
    assert entry.person_id == setting["member"].pk


def test_entries_cannot_be_changed_or_deleted(setting):
    entry = AuditEntry.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    if connection.vendor == "postgresql":
        # Even a bulk UPDATE that bypasses the model is refused by the database trigger.
        with pytest.raises((InternalError, IntegrityError, ProgrammingError)), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="edit")


def test_record_many_writes_one_complete_entry_per_person(setting):
    from portal.audit.log import record_many, set_request_id

    set_request_id("req-42")
    people = [setting["chair"], setting["member"], setting["staff"]]
    before = AuditEntry.objects.count()
    written = record_many(actor=setting["chair"].user, union=setting["union"],
                          action=AuditAction.LIST, people=people, fields=["name", "email"],
                          target="/a-very-long-path/" * 40)
    assert written == 3
    entries = list(AuditEntry.objects.order_by("-pk")[:3])
    assert AuditEntry.objects.count() == before + 3
    assert {e.person_id for e in entries} == {p.pk for p in people}
    for entry in entries:
        assert entry.union_id == setting["union"].pk
        assert entry.actor_id == setting["chair"].user.pk
        assert entry.action == AuditAction.LIST
        assert entry.fields == ["name", "email"]
        assert entry.request_id == "req-42"
        assert entry.created_at is not None
        # A long request path is cut to the column, not an error that breaks the page.
        assert entry.target == ("/a-very-long-path/" * 40)[:200]
    assert record_many(actor=None, union=setting["union"], action=AuditAction.LIST,
                       people=[]) == 0
    assert AuditEntry.objects.count() == before + 3


def test_record_writes_one_complete_entry_in_one_statement(setting):
    from django.test.utils import CaptureQueriesContext

    from portal.audit.log import record, set_request_id

    set_request_id("req-7")
    with CaptureQueriesContext(connection) as queries:
        record(actor=setting["chair"].user, union=setting["union"], action=AuditAction.VIEW,
               person=setting["member"], fields=("name", "email"))
        record(actor=None, union=setting["union"], action=AuditAction.EXPORT, target="/x")
    assert len(queries) == 2
    about, nobody = AuditEntry.objects.order_by("-pk")[:2][::-1]
    assert (about.person_id, about.actor_id, about.target, about.fields) == (
        setting["member"].pk, setting["chair"].user.pk, str(setting["member"].pk),
        ["name", "email"])
    assert (about.union_id, about.action, about.request_id) == (
        setting["union"].pk, AuditAction.VIEW, "req-7")
    assert about.created_at is not None and about.person_pseudonym == ""
    assert (nobody.person_id, nobody.actor_id, nobody.target) == (None, None, "/x")
