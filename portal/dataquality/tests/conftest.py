"""Two unions with the same kinds of bad register data: every check must find A's rows
and none of B's."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.people.models import Employment, Person, PositionKind, hash_identity_code
from portal.union.models import Role
from portal.workplaces.models import EmployerPage, WorkplacePage
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world


def _bad_data(union, word: str) -> dict:
    """Rows of `union` that each check should find (by check key), and clean rows."""
    branch = make_branch(union)
    employer = make_employer(union, f"{word} Oy")
    workplace = make_workplace(employer, f"{word} plant")
    clean = make_person(union, branch=branch, workplace=workplace, user=False,
                        first_name="Clean", last_name=f"{word}son", phone="+358 40 123 4567",
                        postal_code="00100")
    # workplaces_without_employer: one under an unpublished employer, one whose employer
    # is not its parent in the tree.
    hidden = make_employer(union, f"{word} Hidden")
    orphan = make_workplace(hidden, f"{word} orphan")
    EmployerPage.objects.filter(pk=hidden.pk).update(live=False)
    misplaced = make_workplace(employer, f"{word} misplaced")
    other = make_employer(union, f"{word} Other")
    WorkplacePage.objects.filter(pk=misplaced.pk).update(employer=other)
    # employments_not_attached: no workplace; a workplace of another employer; an
    # ended employment without workplace does not count.
    loose = make_person(union, branch=branch, employer=employer, user=False,
                        first_name="Loose", last_name=word)
    crossed = make_person(union, branch=branch, employer=other, user=False,
                          first_name="Crossed", last_name=word)
    Employment.objects.filter(person=crossed).update(workplace=workplace)
    ended = make_person(union, branch=branch, employer=employer, user=False,
                        first_name="Ended", last_name=word)
    Employment.objects.filter(person=ended).update(ends_on="2021-01-01")
    # members_without_branch (a resigned person without branch does not count).
    nobranch = make_person(union, user=False, first_name="Nobranch", last_name=word)
    make_person(union, user=False, first_name="Resigned", last_name=word,
                membership_status="resigned")
    # duplicate_identity, and person_name_variants by identity (spelled differently).
    twin1 = make_person(union, branch=branch, user=False, first_name="Twin", last_name=word)
    twin2 = make_person(union, branch=branch, user=False, first_name="Twinn", last_name=word)
    Person.objects.filter(pk__in=[twin1.pk, twin2.pk]).update(
        identity_code_hash=hash_identity_code("131052-308T"))
    # person_name_variants: another's alternative spelling; untidy names.
    cyr = make_person(union, branch=branch, user=False, first_name="Ivan",
                      last_name=f"{word}ov", alternative_name=f"Iwan {word}ow")
    latin = make_person(union, branch=branch, user=False, first_name="Iwan",
                        last_name=f"{word}ow", postal_code="99999")
    shout = make_person(union, branch=branch, user=False, first_name="Shout",
                        last_name=word.upper() + "NEN")
    spaced = make_person(union, branch=branch, user=False, first_name="Spaced ",
                         last_name=word)
    Person.objects.filter(pk=spaced.pk).update(first_name="Spaced  Out")
    # duplicate_similar: similar names + same postal code; + same email.
    near1 = make_person(union, branch=branch, user=False, first_name="Matti",
                        last_name=f"{word}nen", postal_code="00200")
    near2 = make_person(union, branch=branch, user=False, first_name="Mati",
                        last_name=f"{word}nen", postal_code="00200")
    far = make_person(union, branch=branch, user=False, first_name="Kalle",
                      last_name=f"{word}nen", postal_code="00200")
    mail1 = make_person(union, branch=branch, user=False, first_name="Liisa",
                        last_name=f"{word}berg", postal_code="00300")
    mail2 = make_person(union, branch=branch, user=False, first_name="Liisa",
                        last_name=f"{word}bergh", postal_code="00400")
    Person.objects.filter(pk__in=[mail1.pk, mail2.pk]).update(email=f"liisa@{word}.example")
    # employer_name_variants: case/space/accent variants; the same business ID.
    v1 = make_employer(union, f"Café {word}")
    v2 = make_employer(union, f"CAFE {word}")
    # make_employer numbers its titles: the names are set here.
    EmployerPage.objects.filter(pk=v1.pk).update(title=f"Café {word} Oy")
    EmployerPage.objects.filter(pk=v2.pk).update(title=f" CAFE  {word} OY")
    same_id = make_employer(union, f"{word} Twin Ab")
    # Business IDs are unique per union; the same one written without its dash is not.
    EmployerPage.objects.filter(pk=same_id.pk).update(
        business_id=employer.business_id.replace("-", ""))
    # invalid_business_ids: wrong check digit; wrong format.
    bad_check = make_employer(union, f"{word} Badcheck")
    digits, check = bad_check.business_id.split("-")
    EmployerPage.objects.filter(pk=bad_check.pk).update(
        business_id=f"{digits}-{(int(check) + 1) % 10}")
    bad_format = make_employer(union, f"{word} Badformat")
    EmployerPage.objects.filter(pk=bad_format.pk).update(business_id="12345")
    # invalid_phones, invalid_emails.
    phone = make_person(union, branch=branch, user=False, first_name="Phone", last_name=word,
                        phone="12")
    email = make_person(union, branch=branch, user=False, first_name="Email", last_name=word)
    Person.objects.filter(pk=email.pk).update(email=f"email.{word}@example")
    return {
        "clean": clean,
        "expected": {
            "workplaces_without_employer": {orphan.pk, misplaced.pk},
            "employments_not_attached": {Employment.objects.get(person=loose).pk,
                                         Employment.objects.get(person=crossed).pk},
            "members_without_branch": {nobranch.pk},
            "duplicate_identity": {twin1.pk, twin2.pk},
            "person_name_variants": {twin1.pk, twin2.pk, cyr.pk, latin.pk, shout.pk, spaced.pk},
            "duplicate_similar": {(near1.pk, near2.pk), (mail1.pk, mail2.pk)},
            "employer_name_variants": {v1.pk, v2.pk, employer.pk, same_id.pk},
            "invalid_business_ids": {bad_check.pk, bad_format.pk},
            "invalid_phones": {phone.pk},
            "invalid_emails": {email.pk},
        },
        "far": far,
        "employer": employer,
        "workplace": workplace,
        "branch": branch,
    }


def _build_world():
    a, b = make_union("dqa"), make_union("dqb")
    data_a, data_b = _bad_data(a, "Alpha"), _bad_data(b, "Beta")
    steward = make_person(a, roles=(Role.MEMBER,), workplace=data_a["workplace"],
                          branch=data_a["branch"])
    appoint(steward, PositionKind.SHOP_STEWARD, data_a["workplace"])
    return {
        "a": a, "b": b, "data_a": data_a, "data_b": data_b,
        "staff": make_person(a, roles=(Role.STAFF,), branch=data_a["branch"]).user,
        "admin": make_person(a, roles=(Role.ADMIN,), branch=data_a["branch"]).user,
        "member": make_person(a, roles=(Role.MEMBER,), branch=data_a["branch"]).user,
        "steward": steward.user,
        "staff_b": make_person(b, roles=(Role.STAFF,), branch=data_b["branch"]).user,
        "admin_b": make_person(b, roles=(Role.ADMIN,), branch=data_b["branch"]).user,
    }


world_rows, world_copy = module_world(_build_world, name="world_copy")


@pytest.fixture
def world(postgres, world_copy):
    """Built once per test module (PostgreSQL only: the checks use its functions)."""
    return world_copy


def client_for(union, user) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client
