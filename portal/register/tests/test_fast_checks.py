"""The import's fast paths answer exactly as the plain checks: the email check's
precompiled first test, the per-process caches of dates and business IDs, and the
statistics refresh after a batch that grows a table (never waiting for another
session's)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import translation

from portal.people.models import Person
from portal.register import records as R
from portal.register import upsert
from portal.register.actions import upsert_records
from tests.factories import make_union

PEOPLE = R.KINDS[R.PEOPLE]


def _accepts(check, text) -> bool:
    try:
        check(text)
    except ValidationError:
        return False
    return True


def test_fast_checks_answer_as_the_plain_ones():
    for text in ("aino@example.org", "a.b+c@sub.example.fi", "root@localhost",
                 "x@[127.0.0.1]", "x@[::1]", "ääkkönen@esimerkki.fi", "x@ääkköset.fi",
                 "a..b@example.org", "a@b", "a@-example.org", "a@example.org-",
                 "@example.org", "a@", "a@@example.org", "a b@example.org",
                 "a@example.org\n", "x" * 310 + "@example.org", '"a b"@example.org'):
        assert _accepts(R._check_email, text) == _accepts(validate_email, text), text
    results = [R.clean_record(PEOPLE, i, {"member_number": str(i), "first_name": "A",
                                          "last_name": "B", "joined_on": joined})
               for i, joined in enumerate(("31.12.2025", "2025-12-31", "31.2.2025",
                                           "31.2.2025"))]
    assert [cleaned and cleaned["joined_on"] for cleaned, _e in results] == [
        dt.date(2025, 12, 31)] * 2 + [None] * 2
    # Errors are not cached: the same bad value is reported every time it comes.
    assert [[(e.field, e.code) for e in errors] for _c, errors in results] == [
        [], [], [("joined_on", "invalid_date")], [("joined_on", "invalid_date")]]
    # A date written right that is not in the calendar says so, not which formats work.
    with translation.override("en"):
        assert str(results[2][1][0].message) == (
            "There is no such date: check the day and the month.")
    _cleaned, errors = R.clean_record(PEOPLE, 9, {"member_number": "9", "first_name": "A",
                                                  "last_name": "B", "joined_on": "1/2/2025"})
    with translation.override("en"):
        assert str(errors[0].message) == "Give a date as 31.12.2025 or 2025-12-31."
    kind = R.KINDS[R.EMPLOYMENTS]
    for _ in range(2):
        _cleaned, errors = R.clean_record(kind, 0, {
            "member_number": "1", "employer": "0112038-8", "starts_on": "1.1.2020"})
        assert [(e.field, e.code) for e in errors] == [("employer", "invalid_business_id")]
    cleaned, _errors = R.clean_record(kind, 0, {"member_number": "1", "employer": "01120389",
                                                "starts_on": "1.1.2020"})
    assert cleaned["employer"] == "0112038-9"


def _statistics() -> tuple[int, float, int]:
    """(times people_person was analysed, its row count as the planner has it, rows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT pg_stat_get_analyze_count(oid), reltuples FROM pg_class "
                       "WHERE oid = 'people_person'::regclass")
        return (*cursor.fetchone(), Person.objects.count())


def test_a_batch_that_grows_a_table_refreshes_its_statistics_never_waiting(
        postgres, monkeypatch):
    monkeypatch.setattr(upsert, "ANALYZE_AFTER", 3)
    union = make_union()
    batch = [{"member_number": f"S{i}", "first_name": "A", "last_name": "B"}
             for i in range(8)]
    with connection.cursor() as cursor:
        # A guard, not a measure: a batch that waited for the lock fails instead of hanging.
        cursor.execute("SET LOCAL statement_timeout = '20s'")
        cursor.execute("SHOW lock_timeout")
        (lock_timeout,) = cursor.fetchone()
    analysed = _statistics()[0]
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        # Another session analysing the table (or importing into it) holds the lock.
        other.execute("BEGIN")
        other.execute("LOCK TABLE people_person IN SHARE UPDATE EXCLUSIVE MODE")
        result = upsert_records(union=union, kind="people", records=batch[:4], source="test")
        assert (result.created, result.errors) == (4, [])
    finally:
        other.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == lock_timeout
    assert _statistics()[0] == analysed  # skipped
    result = upsert_records(union=union, kind="people", records=batch[4:], source="test")
    assert result.created == 4
    count, tuples, rows = _statistics()
    assert (count, tuples) == (analysed + 1, rows)  # the batch's own rows counted


def test_people_are_looked_up_a_few_hundred_keys_a_query(postgres, monkeypatch):
    from portal.register import refs
    from tests.factories import make_employer

    monkeypatch.setattr(refs, "PEOPLE_PER_QUERY", 2)
    union = make_union()
    employer = make_employer(union)
    upsert_records(union=union, kind="people", source="test", records=[
        {"member_number": f"L{i}", "first_name": "A", "last_name": "B"} for i in range(5)])
    numbers = ["L0", "L1", "X9", "L2", "L3", "L4"]
    result = upsert_records(union=union, kind="employments", source="test", records=[
        {"member_number": n, "employer": employer.business_id, "starts_on": "1.1.2020"}
        for n in numbers])
    assert result.created == 5
    assert [(e.index, e.field, e.code) for e in result.errors] == [
        (2, "member_number", "not_found")]
    assert sorted(Person.objects.filter(employments__employer=employer).values_list(
        "member_number", flat=True)) == ["L0", "L1", "L2", "L3", "L4"]
