"""Who sees whom: the SQL scope filter of people.scopes, for every role and two unions."""


from portal.people.models import PositionKind
from portal.people.scopes import Visibility, people_visible_to, visibility_of
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world


def _build_people():
    a, b = make_union("va"), make_union("vb")
    branch1, branch2 = make_branch(a), make_branch(a)
    employer = make_employer(a)
    wp1, wp2 = make_workplace(employer), make_workplace(employer)
    p = {
        "member": make_person(a, branch=branch1, workplace=wp1, roles=(Role.MEMBER,)),
        "colleague": make_person(a, branch=branch2, workplace=wp1, user=False),
        "branch_mate": make_person(a, branch=branch1, workplace=wp2, user=False),
        "stranger": make_person(a, branch=branch2, workplace=wp2, user=False),
        "unattached": make_person(a, branch=branch2, employer=employer, user=False),
        "steward": make_person(a, branch=branch2, workplace=wp1),
        "employer_steward": make_person(a, branch=branch2, workplace=wp2),
        "chair": make_person(a, branch=branch1, workplace=wp2),
        "staff": make_person(a, roles=(Role.STAFF,)),
        "other_union": make_person(b, roles=(Role.STAFF,)),
    }
    appoint(p["steward"], PositionKind.SHOP_STEWARD, wp1)
    appoint(p["employer_steward"], PositionKind.SHOP_STEWARD, employer)
    appoint(p["chair"], PositionKind.BRANCH_CHAIR, branch1)
    return a, p


people_rows, people = module_world(_build_people, name="people")


OFFICIALS = {"steward", "employer_steward", "chair"}
EVERY_A = {"member", "colleague", "branch_mate", "stranger", "unattached", "steward",
           "employer_steward", "chair", "staff"}
EXPECTED = {
    "member": OFFICIALS | {"member"},
    "steward": OFFICIALS | {"member", "colleague"},
    "employer_steward": EVERY_A - {"staff"},
    "chair": OFFICIALS | {"member", "branch_mate"},
    "staff": EVERY_A,
    "other_union": set(),
}


def test_each_role_sees_exactly_its_scope(people):
    union, persons = people
    names = {person.pk: name for name, person in persons.items()}
    for viewer, expected in EXPECTED.items():
        user = persons[viewer].user
        seen = {names[pk] for pk in people_visible_to(user, union).values_list("pk", flat=True)}
        assert seen == expected, viewer


def test_field_level_visibility(people):
    union, persons = people
    member_user = persons["member"].user
    assert visibility_of(member_user, union, persons["member"]) == Visibility.OWN
    assert visibility_of(member_user, union, persons["chair"]) == Visibility.OFFICIAL_CONTACT
    assert visibility_of(member_user, union, persons["stranger"]) == Visibility.NONE
    assert visibility_of(persons["chair"].user, union, persons["branch_mate"]) == Visibility.SCOPE
    assert visibility_of(persons["staff"].user, union, persons["stranger"]) == Visibility.FULL
    assert visibility_of(persons["other_union"].user, union, persons["member"]) == Visibility.NONE


def test_anonymous_sees_nobody(people):
    from django.contrib.auth.models import AnonymousUser

    union, _persons = people
    assert not people_visible_to(AnonymousUser(), union).exists()
