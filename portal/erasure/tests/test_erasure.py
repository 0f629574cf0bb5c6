"""Erasure (issue 17 item 4) against real PostgreSQL and Elasticsearch.

One fully populated person is built and erased once for the module (the residue tests
read the result); the atomicity and refusal tests use people of their own.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from axes.helpers import get_cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.accounts.actions import create_user
from portal.activity import actions as activity_actions
from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEntry
from portal.contacts import actions as contacts_actions
from portal.customfields import actions as custom_actions
from portal.customfields.models import FieldType
from portal.erasure import actions, engine, plan
from portal.erasure.models import ErasureRecord, RetentionPolicy
from portal.groups import actions as group_actions
from portal.lifeevents import actions as life_actions
from portal.merging import actions as merge_actions
from portal.messaging import actions as messaging_actions
from portal.messaging.models import Delivery, DeliveryStatus
from portal.people import actions as people_actions
from portal.people.models import MembershipStatus, Person, PositionKind, hash_identity_code
from portal.privacy import actions as privacy_actions
from portal.privacy.models import AccessExport
from portal.privacy.registry import Subject
from portal.stepup.actions import sync_device
from portal.union.models import Role
from search import outbox
from search.client import drop_all, get_client
from search.documents import alias_name, person_doc_id
from search.reindex import reindex
from tests.factories import (
    PASSWORD,
    appoint,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
    mark_sent,
)
from tests.shared import rolled_back

pytestmark = pytest.mark.django_db
CODE = "010190-123A"
# Every string that identifies the erased person contains one of these.
MARKS = ("vieno", "poistettava", "401234567", "ERASE-77")


def populate(union, *, staff, word: str = "Poistettava", number: str = "M-ERASE-77"):
    """A person with a row in (nearly) every table the registry declares."""
    branch = make_branch(union, title="Erasure branch")
    employer = make_employer(union, title="Erasure employer")
    workplace = make_workplace(employer, title="Erasure workplace")
    person = people_actions.create_person(
        union=union, first_name="Vieno", last_name=word, branch=branch,
        email=f"vieno.{word.lower()}@mail.example", phone="+358401234567",
        member_number=number, street_address="Vienontie 7", city="Tampere",
        alternative_name=f"Wieno {word}", birth_date=dt.date(1990, 1, 1),
        membership_valid_until=dt.date(2015, 12, 31))
    Person.objects.filter(pk=person.pk).update(identity_code_hash=hash_identity_code(CODE))
    account = create_user(email=f"vieno.account.{word.lower()}@mail.example", union=union,
                          password=PASSWORD, roles=(Role.MEMBER,), first_name="Vieno",
                          last_name=word)
    people_actions.activate_profile(person=person, user=account)
    person.refresh_from_db()
    people_actions.add_employment(person=person, employer=employer, workplace=workplace,
                                  title=f"{word} työ", starts_on=dt.date(2020, 1, 1))
    appoint(person, PositionKind.SHOP_STEWARD, workplace)
    people_actions.add_training(person=person, name="Luottamusmieskurssi",
                                completed_on=dt.date(2021, 5, 1))
    # A bulletin delivered by email, and a bounce quoting the address.
    send = mark_sent(make_bulletin(branch, title="Erasure bulletin"))
    Delivery.objects.create(union=union, send=send, person=person, email=person.email,
                            status=DeliveryStatus.SENT, sent_at=timezone.now(),
                            error=f"452 {person.email} mailbox full, retried")
    messaging_actions.flag_bounced(person=person, address=person.email,
                                   reason=f"550 {person.email} unknown")
    activity_actions.record_events(union=union, kind="bulletin", occurs_at=timezone.now(),
                                   source=f"erasure-{word}",
                                   items=[(person.pk, f"Hei {person.first_name}", "/x/")])
    record(actor=staff, union=union, action=AuditAction.VIEW, person=person,
           target="contacts:person")
    record(actor=account, union=union, action=AuditAction.EDIT, person=person,
           fields=["phone"])
    # An entry about the person whose target names them (cleared with the pseudonym).
    record(actor=staff, union=union, action=AuditAction.EXPORT, person=person,
           target=f"export:{person.email}")
    field = custom_actions.define_field(union=union, key="note",
                                        acting_user=staff, field_type=FieldType.TEXT,
                                        label_fi="Muistiinpano")
    custom_actions.set_values(person=person, acting_user=staff, editable=[field],
                              values={field.key: f"{word} pitää kahvista"})
    group = group_actions.create_group(union=union, name="Erasure group",
                                       acting_user=staff)
    group_actions.add_members(group=group, people=[person], acting_user=staff)
    life_actions.add_status(person=person, kind="parental_leave", starts_on=dt.date(2024, 1, 1),
                            ends_on=dt.date(2024, 12, 31), note=f"{word} vapaalla",
                            acting_user=staff)
    other = make_person(union, first_name="Toinen", last_name="Henkilö", user=False)
    life_actions.link_people(person=person, other=other, kind="household", acting_user=staff)
    duplicate = people_actions.create_person(union=union, first_name="Vieno", last_name=word,
                                             email=f"vieno.old.{word.lower()}@mail.example")
    merge_actions.merge_people(union=union, kept=person, removed=duplicate, take=[],
                               acting_user=staff)
    privacy_actions.queue_export(person=person, kind=AccessExport.Kind.STAFF,
                                 acting_user=staff, target="test")
    contacts_actions.save_filter(union=union, acting_user=account, name=f"{word} filter",
                                 query=f"q=Vieno+{word}")
    sync_device(user=account, union=union, phone=person.phone)
    person.refresh_from_db()
    return person, other


def residue(marks=MARKS) -> list[str]:
    """Every text or JSON column of every table holding one of the marks (by default
    also the identity code's hash)."""
    if marks is MARKS:
        marks = (*MARKS, hash_identity_code(CODE))
    patterns = [f"%{m}%" for m in marks]
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'json', 'jsonb', 'character')")
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
        for table, names in sorted(columns.items()):
            for name in names:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{name}"::text ILIKE ANY(%s)',  # noqa: S608
                    [patterns])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{name}")
    return found


@pytest.fixture(scope="module")
def erased(django_db_setup, django_db_blocker, elasticsearch_url):
    prefix = f"portal-e1-erasure-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock(), rolled_back(), override_settings(
            ELASTICSEARCH_URL=elasticsearch_url, SEARCH_INDEX_PREFIX=prefix):
        union = make_union("era")
        admin = make_person(union, roles=(Role.ADMIN,), first_name="Aino", last_name="Admin")
        person, other = populate(union, staff=admin.user)
        reindex()
        outbox.drain()
        client = get_client()
        client.indices.refresh(index=alias_name())
        assert client.exists(index=alias_name(), id=person_doc_id(person.pk))
        before = residue()
        shown = plan.build(person)
        account_id, pk = person.user_id, person.pk
        record_ = actions.erase_person(person=person, acting_user=admin.user)
        outbox.drain()
        client.indices.refresh(index=alias_name())
        hits = client.search(index=alias_name(), query={"query_string": {
            "query": "vieno OR poistettava OR wieno OR 358401234567"}})["hits"]["total"]["value"]
        try:
            yield {"union": union, "admin": admin, "pk": pk, "account_id": account_id,
                   "other": other, "before": before, "after": residue(), "plan": shown,
                   "record": record_, "hits": hits,
                   "doc": client.exists(index=alias_name(), id=person_doc_id(pk))}
        finally:
            drop_all(client)


def test_nothing_of_the_person_is_left_in_postgresql_or_elasticsearch(erased):
    # The world really held the person in many tables before.
    assert len(erased["before"]) >= 15, erased["before"]
    assert erased["after"] == [], erased["after"]
    assert not erased["doc"] and erased["hits"] == 0


def test_what_the_law_keeps_is_kept_anonymised(erased):
    pk, union = erased["pk"], erased["union"]
    stub = Person.objects.get(pk=pk)
    assert stub.anonymised_at and stub.user_id is None and stub.first_name == ""
    assert not Person.objects.for_union(union).living().filter(pk=pk).exists()
    delivery = Delivery.objects.get(person_id=pk)  # the delivery count is kept
    assert delivery.status == DeliveryStatus.SENT and delivery.email == "" and not delivery.error
    assert not AuditEntry.objects.filter(person_id=pk).exists()
    pseudonym = erased["record"].pseudonym
    assert AuditEntry.objects.filter(person_pseudonym=pseudonym).count() >= 3
    assert AuditEntry.objects.filter(actor_pseudonym=pseudonym).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ERASE, actor=erased["admin"].user,
                                     person_pseudonym=pseudonym).exists()
    from portal.accounts.models import User

    assert not User.objects.filter(pk=erased["account_id"]).exists()
    assert Person.objects.filter(pk=erased["other"].pk).exists()  # the household's other
    assert not AccessExport.objects.filter(person_id=pk).exists()


def test_the_confirmation_showed_what_was_done(erased):
    lines = {line.label: line for line in erased["plan"].lines}
    counts = {c["model"]: c for c in erased["record"].counts}
    for label in ("people.employment", "people.positionoftrust", "people.training",
                  "activity.activityevent", "groups.groupmembership",
                  "customfields.personcustomvalues", "privacy.accessexport"):
        assert lines[label].erased >= 1 and counts[label]["erased"] == lines[label].erased
    delivery = lines["messaging.delivery"]
    assert delivery.anonymised == counts["messaging.delivery"]["anonymised"] == 1
    assert delivery.why and len(delivery.cleared) == 2  # the address and the error
    assert lines["people.person"].anonymised == 1 and lines["accounts.user"].erased == 1


def test_every_declaration_can_be_carried_out():
    assert plan.problems() == []


def test_a_failure_half_way_leaves_everything_as_it_was(monkeypatch):
    union = make_union("erb")
    admin = make_person(union, roles=(Role.ADMIN,))
    person, _other = populate(union, staff=admin.user, word="Keskeytys", number="M-HALF-1")
    before = residue(("keskeytys",))
    entries = AuditEntry.objects.filter(person_id=person.pk).count()

    def crash(person):
        raise RuntimeError("the disk is full")

    # The profile is emptied after every model, merge snapshots and the log are done.
    monkeypatch.setattr(engine, "_empty_profile", crash)
    with pytest.raises(RuntimeError):
        actions.erase_person(person=person, acting_user=admin.user)
    assert residue(("keskeytys",)) == before
    assert AuditEntry.objects.filter(person_id=person.pk).count() == entries
    assert Delivery.objects.get(person=person).email == person.email
    assert not ErasureRecord.objects.filter(union=union).exists()
    # And then it works.
    monkeypatch.undo()
    actions.erase_person(person=person, acting_user=admin.user)
    assert residue(("keskeytys",)) == []


def test_erasure_is_refused_across_unions_and_outside_rights():
    union, foreign = make_union("erc"), make_union("erd")
    staff = make_person(union, roles=(Role.STAFF,))
    admin = make_person(union, roles=(Role.ADMIN,))
    member = make_person(union, roles=(Role.MEMBER,))
    stranger = make_person(foreign, roles=(Role.ADMIN,))
    for acting, target in ((stranger.user, member), (member.user, staff),
                           (staff.user, admin), (staff.user, staff)):
        with pytest.raises(PermissionDenied):
            actions.erase_person(person=target, acting_user=acting)
    assert not Person.objects.filter(union__in=[union, foreign],
                                     anonymised_at__isnull=False).exists()


def test_retention_anonymises_former_members_whose_period_ended():
    union = make_union("ere")
    admin = make_person(union, roles=(Role.ADMIN,))
    old = make_person(union, membership_status=MembershipStatus.RESIGNED, user=False,
                      membership_valid_until=dt.date(2018, 6, 30))
    # A bulletin sent by nobody (created_by NULL): no account, so no step may touch it.
    mark_sent(make_bulletin(make_branch(union)))
    assert not [step for step in plan.build(old).steps
                if step.lookup and step.declaration.subjects[step.lookup] == Subject.USER]
    recent = make_person(union, membership_status=MembershipStatus.RESIGNED,
                         membership_valid_until=dt.date(2024, 6, 30))
    active = make_person(union, membership_valid_until=dt.date(2010, 1, 1))
    today = dt.date(2026, 12, 1)
    fresh = privacy_actions.queue_export(person=recent, kind=AccessExport.Kind.OWN,
                                         acting_user=recent.user, target="test")
    stale = privacy_actions.queue_export(person=active, kind=AccessExport.Kind.OWN,
                                         acting_user=active.user, target="test")
    AccessExport.objects.filter(pk=stale.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=8))
    assert actions.apply_retention(today=today) == 0  # off until an admin turns it on
    assert list(AccessExport.objects.filter(pk__in=[fresh.pk, stale.pk])) == [fresh]
    actions.set_retention(union=union, enabled=True, years=5, acting_user=admin.user)
    assert RetentionPolicy.objects.get(union=union).years_after_membership_end == 5
    assert actions.apply_retention(today=today) == 1
    assert Person.objects.get(pk=old.pk).anonymised_at is not None
    assert Person.objects.filter(pk__in=[recent.pk, active.pk, admin.pk],
                                 anonymised_at__isnull=True).count() == 3
    done = ErasureRecord.objects.get(union=union)
    assert done.reason == ErasureRecord.Reason.RETENTION and done.erased_by is None
    assert AuditEntry.objects.filter(action=AuditAction.ERASE,
                                     person_pseudonym=done.pseudonym).exists()
    assert AuditEntry.objects.filter(target="erasure:retention", actor=admin.user).exists()
    assert actions.apply_retention(today=today) == 0  # nobody twice
    with pytest.raises(PermissionDenied):
        actions.set_retention(union=union, enabled=False, years=5,
                              acting_user=make_person(union, roles=(Role.STAFF,)).user)


def test_staff_erase_from_the_person_page_after_confirming(settings):
    union, foreign = make_union("erf"), make_union("erg")
    staff = make_person(union, roles=(Role.STAFF,))
    admin = make_person(union, roles=(Role.ADMIN,))
    member = make_person(union, roles=(Role.MEMBER,), first_name="Onni", last_name="Jäsen")
    host = union.site.hostname
    client = Client(HTTP_HOST=host)
    client.force_login(staff.user)
    confirm = reverse("erasure:confirm", args=[member.pk])
    page = client.get(reverse("contacts:person", args=[member.pk]))
    assert confirm in page.content.decode()
    # Shown as destructive (red), unlike the page's other secondary buttons.
    assert f'class="button button-secondary no" href="{confirm}"' in page.content.decode()
    # A staff member may not erase an admin: no button, and the page refuses.
    admin_page = reverse("erasure:confirm", args=[admin.pk])
    admin_person = client.get(reverse("contacts:person", args=[admin.pk]))
    assert admin_page not in admin_person.content.decode()
    assert client.get(admin_page).url == "/admin/"  # Wagtail's answer to PermissionDenied
    shown = client.get(confirm)
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert AuditEntry.objects.filter(person_id=member.pk, target="erasure:confirm").exists()
    # The wrong name, or no password, erases nothing.
    assert client.post(confirm, {"typed": "Onni", "password": PASSWORD}).status_code == 200
    assert client.post(confirm, {"typed": "onni  jäsen", "password": "x"}).status_code == 200
    assert Person.objects.get(pk=member.pk).anonymised_at is None
    # Wrong passwords are paced like sign-in: at the limit even the right one waits.
    settings.SIGNIN_FAILURE_LIMIT = 2
    client.post(confirm, {"typed": "onni  jäsen", "password": "y"})
    assert client.post(confirm, {"typed": "onni  jäsen", "password": PASSWORD}).status_code == 200
    assert Person.objects.get(pk=member.pk).anonymised_at is None
    get_cache().clear()  # the wait is over
    # With the SMS step-up enforced, a POST without a fresh step goes to the step first.
    settings.STEPUP_ENFORCED = True
    assert client.post(confirm, {"typed": member.member_number}).url.startswith(
        reverse("stepup:page"))
    settings.STEPUP_ENFORCED = False
    done = client.post(confirm, {"typed": "onni  jäsen", "password": PASSWORD})
    erasure = ErasureRecord.objects.get(union=union)
    assert done.url == reverse("erasure:done", args=[erasure.pk])
    result = client.get(done.url)
    assert result.status_code == 200 and erasure.pseudonym in result.content.decode()
    assert client.get(confirm).status_code == 404  # gone: no second erasure
    # Another union's staff: their hostname does not show our erasure or people.
    outsider = Client(HTTP_HOST=foreign.site.hostname)
    outsider.force_login(make_person(foreign, roles=(Role.ADMIN,)).user)
    assert outsider.get(done.url).status_code == 404
    assert outsider.get(reverse("erasure:confirm", args=[staff.pk])).status_code == 404
    # Retention: admins only.
    retention = reverse("erasure:retention")
    assert client.get(retention).url == "/admin/"
    client.force_login(admin.user)
    saved = client.post(retention, {"enabled": "on", "years_after_membership_end": "7"})
    assert saved.status_code == 302
    assert RetentionPolicy.objects.get(union=union).years_after_membership_end == 7
