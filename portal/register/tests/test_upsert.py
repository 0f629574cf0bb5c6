"""upsert_records on PostgreSQL: counts, idempotency, per-record errors, tenancy,
all-or-nothing, audit and search outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.utils import DatabaseError

from portal.audit.models import AuditEntry
from portal.people.models import Employment, Person, PositionOfTrust, Training, hash_identity_code
from portal.register import staging
from portal.register.actions import upsert_records
from portal.register.refs import BRANCH_NOT_FOUND
from portal.register.signals import register_synced
from portal.workplaces.models import EmployerPage, WorkplacePage
from search.models import OutboxEntry
from tests.factories import make_branch, make_employer, make_person, make_union

pytestmark = pytest.mark.django_db

BID = "0112038-9"  # a valid business ID
BID2 = "1572860-0"


def people(n, start=0, **extra):
    return [{"member_number": f"R{i:05d}", "first_name": f"Aino{i}", "last_name": "Virta",
             "email": f"a{i}@example.org", "joined_on": "1.2.2020", **extra}
            for i in range(start, start + n)]


def test_people_create_update_unchanged_and_idempotent(postgres):
    union = make_union()
    result = upsert_records(union=union, kind="people", records=people(3), source="test")
    assert (result.created, result.updated, result.unchanged, result.errors) == (3, 0, 0, [])
    person = Person.objects.for_union(union).get(member_number="R00001")
    assert person.joined_on == dt.date(2020, 2, 1)
    assert person.preferred_language == union.default_language

    again = upsert_records(union=union, kind="people", records=people(3), source="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    changed = people(3)
    changed[1]["city"] = "Tampere"
    result = upsert_records(union=union, kind="people", records=iter(changed), source="test")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    person.refresh_from_db()
    assert person.city == "Tampere"


def test_absent_fields_are_kept_and_empty_ones_cleared(postgres):
    union = make_union()
    upsert_records(union=union, kind="people", source="test",
                   records=people(1, phone="040 123", city="Oulu"))
    upsert_records(union=union, kind="people", source="test", records=[
        {"member_number": "R00000", "first_name": "Aino0", "last_name": "Virta", "city": ""}])
    person = Person.objects.for_union(union).get(member_number="R00000")
    assert (person.phone, person.city, person.email) == ("040 123", "", "a0@example.org")


def test_bad_records_are_reported_with_index_and_field_and_never_block(postgres):
    union = make_union()
    batch = people(2) + [
        {"member_number": "X1", "first_name": "A", "last_name": "B", "joined_on": "31.2.2020"},
        {"member_number": "X2", "first_name": "A", "last_name": "B", "shoe_size": 44},
        {"member_number": "X3", "last_name": "B"},
        {"member_number": "X4", "first_name": "A", "last_name": "B", "email": "nope"},
        {"member_number": "X5", "first_name": ["A"], "last_name": "B"},
        {"member_number": "R00000", "first_name": "Dup", "last_name": "B"},
        "not a record",
        {"member_number": "X6", "first_name": "A", "last_name": "B",
         "identity_code": "131052-308A"},
    ]
    result = upsert_records(union=union, kind="people", records=batch, source="test")
    assert result.created == 2
    assert [(e.index, e.field, e.code) for e in result.errors] == [
        (2, "joined_on", "invalid_date"),
        (3, "shoe_size", "unknown_field"),
        (4, "first_name", "required"),
        (5, "email", "invalid_email"),
        (6, "first_name", "invalid_type"),
        (7, "member_number", "duplicate_key"),
        (8, "", "not_an_object"),
        (9, "identity_code", "invalid_identity_code"),
    ]
    assert all(str(e.message) for e in result.errors)
    assert not Person.objects.filter(member_number__startswith="X").exists()


def test_identity_code_is_stored_only_as_its_hash(postgres):
    union = make_union()
    upsert_records(union=union, kind="people", source="test",
                   records=people(1, identity_code="131052-308T"))
    person = Person.objects.for_union(union).get()
    assert person.identity_code_hash == hash_identity_code("131052-308T")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person WHERE identity_code_hash "
                       "LIKE %s", ["%131052%"])
        assert cursor.fetchone()[0] == 0


def test_references_resolve_only_inside_the_union(postgres):
    union, other = make_union(), make_union()
    own_branch, foreign_branch = make_branch(union), make_branch(other)
    own_branch.number, foreign_branch.number = "101", "202"
    own_branch.save(), foreign_branch.save()
    foreign_employer = make_employer(other)
    upsert_records(union=other, kind="people", records=people(1, start=5), source="test")
    result = upsert_records(union=union, kind="people", source="test", records=[
        {**people(1)[0], "branch": "101"},
        {**people(1, start=1)[0], "branch": "202"},
    ])
    assert result.created == 1
    assert [(e.index, e.field, e.code) for e in result.errors] == [(1, "branch", "not_found")]
    assert Person.objects.for_union(union).get().branch_id == own_branch.pk
    # The reason says a branch number was expected (a branch's name is refused too).
    assert str(result.errors[0].message) == str(BRANCH_NOT_FOUND)

    result = upsert_records(union=union, kind="employments", source="test", records=[
        {"member_number": "R00000", "employer": foreign_employer.business_id,
         "starts_on": "2021-01-01"},
        {"member_number": "R00005", "employer": BID, "starts_on": "2021-01-01"},
    ])
    # R00005 is a member of the other union only: not found here either.
    assert [(e.index, e.field, e.code) for e in result.errors] == [
        (0, "employer", "not_found"), (1, "member_number", "not_found")]
    assert Employment.objects.count() == 0


def test_employers_workplaces_employments_positions_trainings(postgres):
    union = make_union()
    upsert_records(union=union, kind="people", records=people(2), source="test")
    result = upsert_records(union=union, kind="employers", source="test", records=[
        {"business_id": "01120389", "name": "Konepaja Oy", "city": "Vaasa"},
        {"business_id": BID2, "name": "Satama Oy"},
    ])
    assert (result.created, result.errors) == (2, [])
    employer = EmployerPage.objects.for_union(union).get(business_id=BID)
    assert (employer.title, employer.city, employer.live) == ("Konepaja Oy", "Vaasa", True)
    assert employer.get_parent().specific_class.__name__ == "EmployerIndexPage"

    result = upsert_records(union=union, kind="workplaces", source="test", records=[
        {"register_id": "W1", "employer": BID, "name": "Vaasan tehdas", "employee_count": "120"},
        {"register_id": "W2", "employer": BID2, "name": "Satama"},
    ])
    assert (result.created, result.errors) == (2, [])
    w1 = WorkplacePage.objects.for_union(union).get(register_id="W1")
    assert (w1.employer_id, w1.employee_count, w1.get_parent().pk) == (
        employer.pk, 120, employer.pk)

    # Rename an employer and move a workplace to the other employer.
    upsert_records(union=union, kind="employers", source="test",
                   records=[{"business_id": BID, "name": "Konepaja Abp"}])
    result = upsert_records(union=union, kind="workplaces", source="test", records=[
        {"register_id": "W1", "employer": BID2, "name": "Vaasan tehdas"}])
    assert result.updated == 1
    employer.refresh_from_db()
    w1 = WorkplacePage.objects.get(pk=w1.pk)
    satama = EmployerPage.objects.for_union(union).get(business_id=BID2)
    assert employer.title == "Konepaja Abp"
    assert (w1.employer_id, w1.get_parent().pk) == (satama.pk, satama.pk)

    records = [
        {"member_number": "R00000", "employer": BID2, "starts_on": "1.1.2021",
         "workplace": "W1", "title": "Hitsaaja"},
        {"member_number": "R00001", "employer": BID, "starts_on": "1.1.2021",
         "workplace": "W1"},
    ]
    result = upsert_records(union=union, kind="employments", source="test", records=records)
    assert result.created == 1
    assert [(e.index, e.code) for e in result.errors] == [(1, "wrong_employer")]
    again = upsert_records(union=union, kind="employments", source="test", records=records[:1])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    ended = upsert_records(union=union, kind="employments", source="test",
                           records=[{**records[0], "ends_on": "31.12.2024"}])
    assert ended.updated == 1
    assert Employment.objects.for_union(union).get().ends_on == dt.date(2024, 12, 31)

    result = upsert_records(union=union, kind="positions", source="test", records=[
        {"member_number": "R00000", "kind": "shop_steward", "scope_kind": "workplace",
         "scope": "W1", "starts_on": "2024-01-01"},
        {"member_number": "R00001", "kind": "union_board_member", "scope_kind": "union",
         "starts_on": "2024-01-01"},
        {"member_number": "R00001", "kind": "branch_chair", "scope_kind": "workplace",
         "scope": "W1", "starts_on": "2024-01-01"},
    ])
    assert result.created == 2
    assert [(e.index, e.code) for e in result.errors] == [(2, "scope_not_allowed")]
    assert set(PositionOfTrust.objects.for_union(union).values_list("source", flat=True)) == {
        "register"}

    result = upsert_records(union=union, kind="trainings", source="test", records=[
        {"member_number": "R00000", "name": "Luottamusmieskurssi", "completed_on": "5.5.2023"}])
    assert result.created == 1
    assert Training.objects.for_union(union).get().completed_on == dt.date(2023, 5, 5)


def test_dry_run_writes_nothing(postgres):
    union = make_union()
    result = upsert_records(union=union, kind="people", records=people(2), source="test",
                            dry_run=True)
    assert (result.created, result.dry_run) == (2, True)
    assert not Person.objects.for_union(union).exists()
    assert not AuditEntry.objects.for_union(union).filter(target__startswith="register:").exists()


def test_a_database_error_writes_nothing_of_the_batch(postgres):
    union = make_union()
    upsert_records(union=union, kind="people", records=people(1), source="test")
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION test_refuse_boom() RETURNS trigger AS $$
            BEGIN IF NEW.last_name = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF;
            RETURN NEW; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_boom BEFORE INSERT OR UPDATE ON people_person
            FOR EACH ROW EXECUTE FUNCTION test_refuse_boom();""")
    batch = [{**people(1)[0], "city": "Kemi"}, *people(2, start=1)]
    batch[2]["last_name"] = "Boom"
    with pytest.raises(DatabaseError):
        upsert_records(union=union, kind="people", records=batch, source="test")
    assert list(Person.objects.for_union(union).values_list("member_number", "city")) == [
        ("R00000", "")]


def test_audit_entries_and_search_outbox(postgres, settings):
    settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL or "http://127.0.0.1:1"
    union = make_union()
    OutboxEntry.objects.all().delete()
    upsert_records(union=union, kind="people", records=people(2), source="import")
    # New people's ids are taken before the INSERT: their entries name the right rows.
    ids = dict(Person.objects.for_union(union).values_list("member_number", "pk"))
    created = AuditEntry.objects.for_union(union).filter(
        action="create", target__startswith="register:people")
    assert sorted(created.values_list("person_id", flat=True)) == sorted(ids.values())
    assert sorted(OutboxEntry.objects.values_list("object_id", flat=True)) == sorted(
        ids.values())
    changed = people(2)
    changed[0]["city"] = "Pori"
    OutboxEntry.objects.all().delete()
    result = upsert_records(union=union, kind="people", records=changed, source="import")
    assert result.updated == 1
    person = Person.objects.for_union(union).get(member_number="R00000")
    entries = AuditEntry.objects.for_union(union).filter(target__startswith="register:people")
    summary = entries.filter(person_id=None).order_by("-pk").first()
    assert "updated=1" in summary.target and summary.fields == ["R00000"]
    own = entries.filter(person_id=person.pk).order_by("-pk").first()
    assert (own.action, own.fields) == ("edit", ["city"])
    assert list(OutboxEntry.objects.values_list("target", "object_id")) == [
        ("person", person.pk)]
    # The unchanged person: no entry, no outbox row beyond those of its creation.
    assert entries.filter(person_id=ids["R00001"]).count() == 1


def test_signal_after_commit(postgres, django_capture_on_commit_callbacks):
    union = make_union()
    seen = []

    def receiver(sender, union, kinds, result, **kwargs):
        seen.append((union.pk, kinds, result.created))

    register_synced.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upsert_records(union=union, kind="people", records=people(2), source="test")
            assert seen == []
        upsert_records(union=union, kind="people", records=people(1), source="test",
                       dry_run=True)
    finally:
        register_synced.disconnect(receiver)
    assert seen == [(union.pk, ("people",), 2)]


def test_text_with_tabs_newlines_and_backslashes_round_trips(postgres):
    union = make_union()
    odd = "Katu 1\tB\\N\nrivi\r2 \\ \"x\" {a,b}"
    upsert_records(union=union, kind="people", source="test",
                   records=people(1, street_address=odd, alternative_name="\\N"))
    person = Person.objects.for_union(union).get()
    assert (person.street_address, person.alternative_name) == (odd.strip(), "\\N")
    again = upsert_records(union=union, kind="people", source="test",
                           records=people(1, street_address=odd, alternative_name="\\N"))
    assert again.unchanged == 1


def test_references_across_chunks_and_duplicate_stored_rows(postgres, monkeypatch):
    # References are looked up chunk by chunk as records are staged (refs.py).
    monkeypatch.setattr(staging, "CHUNK_SIZE", 2)
    union = make_union()
    branch = make_branch(union)
    branch.number = "7"
    branch.save()
    batch = people(5, branch="7")
    batch[1]["branch"] = "8"  # not in the union
    batch[4].update(member_number="R00000", branch="8")  # a duplicate key: reported as that
    result = upsert_records(union=union, kind="people", records=batch, source="test")
    assert result.created == 3
    assert [(e.index, e.field, e.code) for e in result.errors] == [
        (1, "branch", "not_found"), (4, "member_number", "duplicate_key")]
    assert set(Person.objects.for_union(union).values_list("branch_id", flat=True)) == {
        branch.pk}

    employer = make_employer(union)
    person = Person.objects.for_union(union).get(member_number="R00000")
    start = dt.date(2021, 1, 1)
    twins = Employment.objects.bulk_create([
        Employment(union=union, person=person, employer=employer, starts_on=start)
        for _ in range(2)])
    make_person(union)  # a person without a register key is never matched
    result = upsert_records(union=union, kind="employments", source="test", records=[
        {"member_number": "R00000", "employer": employer.business_id,
         "starts_on": "1.1.2021", "title": "Hitsaaja"}])
    # A key matching two stored rows (nothing forbids it) updates the first one.
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert [Employment.objects.get(pk=t.pk).title for t in twins] == ["Hitsaaja", ""]


def test_a_business_id_two_employers_share_is_refused_until_they_are_merged(postgres):
    """Two employers of the union's language with one business ID (a duplicate the
    data-quality report lists): a record can't tell which it means, so it is refused,
    for the employer itself and wherever it refers to one. A translation of an employer
    shares the ID in another language and is no duplicate."""
    from wagtail.models import Locale

    union = make_union()
    first, second = make_employer(union), make_employer(union)
    EmployerPage.objects.filter(pk=second.pk).update(business_id=first.business_id)
    bid = first.business_id
    make_person(union, user=False).__class__.objects.filter(union=union).update(
        member_number="R1")
    result = upsert_records(union=union, kind="employers", source="test",
                            records=[{"business_id": bid, "name": "Kumpi Oy"}])
    assert [(e.index, e.field, e.code) for e in result.errors] == [
        (0, "business_id", "ambiguous")]
    for kind, record, field in (
            ("workplaces", {"register_id": "W1", "employer": bid, "name": "Halli"},
             "employer"),
            ("employments", {"member_number": "R1", "employer": bid,
                             "starts_on": "1.1.2021"}, "employer"),
            ("positions", {"member_number": "R1", "kind": "shop_steward",
                           "scope_kind": "employer", "scope": bid,
                           "starts_on": "1.1.2021"}, "scope")):
        result = upsert_records(union=union, kind=kind, source="test", records=[record])
        assert [(e.field, e.code) for e in result.errors] == [(field, "ambiguous")], kind
    assert {p.title for p in EmployerPage.objects.filter(pk__in=[first.pk, second.pk])} == {
        first.title, second.title}

    # Merged (the duplicate gone), the ID is the employer's again, also with a translation.
    EmployerPage.objects.filter(pk=second.pk).delete()
    other = Locale.objects.exclude(pk=first.locale_id).first()
    first.copy_for_translation(other, copy_parents=True)
    result = upsert_records(union=union, kind="employers", source="test",
                            records=[{"business_id": bid, "name": "Oikea Oy"}])
    assert (result.updated, result.errors) == (1, [])
    first.refresh_from_db()
    assert first.title == "Oikea Oy"
