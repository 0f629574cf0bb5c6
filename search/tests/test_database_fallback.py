"""The database fallback at scale: its SQL is answered by the pg_trgm indexes of
migrations portal_search 0002/0003, and user input stays literal inside LIKE patterns.

The tables here are tiny, so PostgreSQL would rightly scan them; with sequential scans
disabled for the transaction, EXPLAIN shows whether an index *can* answer the query
the engine writes. If the engine changed the SQL (another expression than
`portal_fold(col::text)`), the index names would vanish from the plan and these tests fail.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from portal.union.models import Role
from search import db_engine, engine
from tests.factories import make_employer, make_person, make_union, make_workplace

pytestmark = pytest.mark.django_db


@pytest.fixture
def union_with_data(db):
    union = make_union("fallback")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Stina", last_name="Staff")
    member = make_person(union, first_name="Maija", last_name="Member")
    make_person(union, first_name="Matti", last_name="Virtanen", user=False)
    make_person(union, first_name="Percent", last_name="100%", user=False)
    for first_name in ("Aada", "Aapo", "Aino", "Eino", "Olli"):
        make_person(union, first_name=first_name, last_name="Aalto", user=False)
    employer = make_employer(union, "Kauppa Oy")
    employer.city = "Tampere"
    employer.save()
    make_workplace(employer, "Myymälä Tampere").save()
    return {"union": union, "staff": staff.user, "member": member.user}


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_names_are_matched_through_the_name_indexes(union_with_data, db_search, postgres):
    from portal.people.models import Person

    # The words part of the people query alone: in the tiny test table any index on the
    # union would be cheaper, at 300,000 people the names decide (docs/benchmarks.md).
    columns = [db_engine._column(Person, name)
               for name in ("first_name", "last_name", "alternative_name")]
    words = db_engine._matching(columns, [{"Matti"}, {"Virtanen"}])
    plan = _plan(Person.objects.filter(words))
    for index in ("portal_person_first_name_fold", "portal_person_last_name_fold",
                  "portal_person_alternative_name_fold"):
        assert index in plan, index
    plan = _plan(Person.objects.filter(email__iexact="matti@example.org"))
    assert "portal_person_email_upper" in plan


def test_pages_are_found_through_the_title_and_place_indexes(union_with_data, db_search,
                                                             postgres):
    from portal.workplaces.models import WorkplacePage

    pages = db_engine._PageSearch(union=union_with_data["union"], staff=False,
                                  query="Tampereella", stemmed=True)
    plan = _plan(pages.pages(WorkplacePage))
    for index in ("portal_page_title_fold", "portal_workplace_city_fold",
                  "portal_employer_city_fold", "portal_branch_municipality_fold"):
        assert index in plan, index


def test_short_words_match_the_start_of_a_name(union_with_data, db_search):
    found = engine.search(user=union_with_data["staff"], union=union_with_data["union"],
                          query="vi")
    assert [h.title for h in found.hits] == ["Matti Virtanen"]
    # "vi" inside a word ("Kalevi", "Tampere" has no "vi") does not count for 2 letters.
    found = engine.search(user=union_with_data["staff"], union=union_with_data["union"],
                          query="an")
    assert found.total == 0


def test_like_wildcards_in_the_query_are_literal(union_with_data, db_search):
    staff, union = union_with_data["staff"], union_with_data["union"]
    assert [h.title for h in engine.search(user=staff, union=union, query="100%").hits] == [
        "Percent 100%"]
    assert engine.search(user=staff, union=union, query="M_tti").total == 0
    assert engine.search(user=staff, union=union, query="%").total == 0


def test_a_count_comes_with_the_rows_and_pages_after_the_first(union_with_data, db_search):
    staff, union = union_with_data["staff"], union_with_data["union"]
    everything = engine.search(user=staff, union=union, query="Aalto", limit=100)
    assert [h.title for h in everything.hits] == [
        "Aada Aalto", "Aapo Aalto", "Aino Aalto", "Eino Aalto", "Olli Aalto"]
    assert everything.total == 5
    second = engine.search(user=staff, union=union, query="Aalto", offset=2, limit=2)
    assert second.total == 5
    assert second.hits == everything.hits[2:4]
    beyond = engine.search(user=staff, union=union, query="Aalto", offset=500)
    assert beyond.hits == [] and beyond.total == everything.total
