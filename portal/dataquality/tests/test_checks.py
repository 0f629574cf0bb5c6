"""Each check finds what it should in its union and nothing of another union."""

import pytest
from django.db import connection
from stdnum.fi import ytunnus

from portal.dataquality.checks import BY_KEY, CHECKS, invalid_business_ids
from portal.dataquality.pairs import count_pairs, page_of_pairs
from portal.people.models import Person
from portal.workplaces.models import EmployerPage
from tests.factories import make_employer, make_person, make_union


def _found(check, union) -> set:
    if check.subject == "pair":
        return {(p.first.pk, p.second.pk) for p in page_of_pairs(union, limit=1000)}
    return set(check.rows(union).values_list("pk", flat=True))


def test_every_check_finds_its_rows_and_none_of_another_union(world):
    # The extra accounts made by the fixture are tidy people in branches, without
    # employments: only members_without_branch could see them, and they have a branch.
    for union, data in ((world["a"], world["data_a"]), (world["b"], world["data_b"])):
        for check in CHECKS:
            expected = data["expected"][check.key]
            assert _found(check, union) == expected, check.key
            assert check.count(union) == len(expected), check.key


def test_a_clean_person_and_a_dissimilar_neighbour_are_not_listed(world):
    data = world["data_a"]
    for check in CHECKS:
        if check.subject == "person":
            assert data["clean"].pk not in _found(check, world["a"]), check.key
    pairs = _found(BY_KEY["duplicate_similar"], world["a"])
    assert not any(data["far"].pk in pair for pair in pairs)


def test_people_with_one_identity_code_are_no_duplicate_pair(postgres):
    union = make_union("dqp")
    one = make_person(union, user=False, first_name="Aino", last_name="Aalto",
                      postal_code="00100")
    two = make_person(union, user=False, first_name="Aina", last_name="Aalto",
                      postal_code="00100")
    assert count_pairs(union) == 1
    Person.objects.filter(pk__in=[one.pk, two.pk]).update(
        identity_code_hash="f" * 64)
    assert count_pairs(union) == 0  # listed under duplicate_identity instead
    assert set(BY_KEY["duplicate_identity"].rows(union).values_list("pk", flat=True)) == {
        one.pk, two.pk}


def test_accent_and_case_variants_of_a_person_name_pair(postgres):
    union = make_union("dqv")
    make_person(union, user=False, first_name="Äke", last_name="Öberg", postal_code="00100")
    make_person(union, user=False, first_name="Ake", last_name="Oberg", postal_code="00100")
    assert count_pairs(union) == 1
    assert count_pairs(union, "oberg") == 1
    assert count_pairs(union, "nobody") == 0


def test_the_check_digit_in_sql_agrees_with_python_stdnum(postgres):
    union = make_union("dqy")
    employer = make_employer(union)
    ids = [f"{n:07d}-{c}" for n in range(1572850, 1572870) for c in range(10)]
    ids += ["0112038-9", "01120389", "0112038-8", "112038-9", "0112038-X", "", "abcdefg-1"]
    wrong = set()
    for value in ids:
        EmployerPage.objects.filter(pk=employer.pk).update(business_id=value)
        flagged = invalid_business_ids(union).exists()
        if flagged == ytunnus.is_valid(value):
            wrong.add(value)
    assert not wrong


@pytest.mark.parametrize(("phone", "valid"), [
    ("+358 40 123 4567", True), ("040-123 4567", True), ("(09) 1234 567", True),
    ("00358401234567", True), ("+46 8 123 456 78", True), ("12", False),
    ("040 abc", False), ("+0 40 123", False), ("1234567", False), ("++358401234567", False),
])
def test_phone_numbers(postgres, phone, valid):
    union = make_union()
    person = make_person(union, user=False)
    Person.objects.filter(pk=person.pk).update(phone=phone)
    assert BY_KEY["invalid_phones"].rows(union).exists() is not valid


@pytest.mark.parametrize(("email", "valid"), [
    ("anna.aalto@example.fi", True), ("a+b@sub.example.com", True),
    ("anna@example", False), ("anna.example.fi", False), ("anna@@example.fi", False),
    ("an na@example.fi", False), ("anna@example..fi", False), ("anna@.fi", False),
])
def test_email_addresses(postgres, email, valid):
    union = make_union()
    person = make_person(union, user=False)
    Person.objects.filter(pk=person.pk).update(email=email)
    assert BY_KEY["invalid_emails"].rows(union).exists() is not valid


def test_the_pairs_query_runs_on_postgresql_with_pg_trgm(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity('MATTI VIRTANEN', 'MATI VIRTANEN')")
        assert cursor.fetchone()[0] > 0.6


def test_an_alternative_spelling_equal_to_the_own_name_is_no_variant(postgres):
    union = make_union("dqs")
    make_person(union, user=False, first_name="Anna", last_name="Aalto",
                alternative_name="ANNA  Aalto")
    assert not BY_KEY["person_name_variants"].rows(union).exists()


def test_the_sqlite_similarity_is_pg_trgm_similarity(postgres):
    """The demo (SQLite) finds the same pairs: the Python trigram measure equals
    pg_trgm's on folded names."""
    from portal.dataquality.similarity import similarity

    pairs = [("MATTI VIRTANEN", "MATI VIRTANEN"), ("ANNA AALTO", "ANNE AALTO"),
             ("JUHA KORHONEN", "JUHANI KORHONEN"), ("O'BRIEN-SMITH", "OBRIEN SMITH"),
             ("AKE OBERG", "AKE OBERG"), ("LI WEI", "WEI LI"), ("A", "B")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert similarity(a, b) == pytest.approx(cursor.fetchone()[0], abs=1e-6), (a, b)
